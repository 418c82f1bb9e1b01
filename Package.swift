// swift-tools-version: 6.0
import PackageDescription

/// Every Swift target: an import is internal unless it says otherwise, so a module's public API names only the
/// modules it imports `public`; and a file sees the members of a module only when it imports that module itself
/// (no leaning on what another file of the target imports).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Annals",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "annals", targets: ["annals"]),
        .library(name: "AnnalsModel", targets: ["AnnalsModel"]),
        .library(name: "AnnalsStore", targets: ["AnnalsStore"]),
        .library(name: "AnnalsCuration", targets: ["AnnalsCuration"]),
        .library(name: "AnnalsInterchange", targets: ["AnnalsInterchange"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Already in the graph through Hummingbird and PostgresNIO; named for the web tests' `Data(buffer:)`.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        // libxml2, seen only by AnnalsXML.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // zlib, for reading .xml.gz files ourselves (libxml2 2.14 and later no longer decompress). Not named
        // CZlib: ZIPFoundation has a C module of that name, and two modules may not share one.
        .systemLibrary(name: "CAnnalsZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // SQLite's C API for what GRDB does not offer (its global configuration), seen only by AnnalsStore;
        // the same library GRDB links.
        .systemLibrary(name: "CAnnalsSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Problems as values (severity, code, location, message), seen by every layer; Foundation only.
        .target(name: "AnnalsDiagnostics", swiftSettings: swiftSettings),
        .target(
            name: "AnnalsXML", dependencies: ["AnnalsDiagnostics", "CLibXML2", "CAnnalsZlib"],
            swiftSettings: swiftSettings),
        // The registry schema, shipped as a resource.
        .target(
            name: "AnnalsSchemas", path: "Schemas", resources: [.copy("annals-registry.xsd")],
            swiftSettings: swiftSettings),
        // Plain values; sees only Foundation and the diagnostics.
        .target(name: "AnnalsModel", dependencies: ["AnnalsDiagnostics"], swiftSettings: swiftSettings),
        // Counting and statistics over model values: no I/O.
        .target(name: "AnnalsStatistics", dependencies: ["AnnalsModel"], swiftSettings: swiftSettings),
        // The annual report, statistics and department profiles, rendered as text: no I/O.
        .target(
            name: "AnnalsReports", dependencies: ["AnnalsDiagnostics", "AnnalsModel", "AnnalsStatistics"],
            swiftSettings: swiftSettings),
        // The registry's rules of curation, over model values: when two papers are one (one merge policy), whom a
        // paper is credited to, review decisions, and the rule against counting operations twice. No file formats.
        .target(
            name: "AnnalsCuration", dependencies: ["AnnalsDiagnostics", "AnnalsModel"], swiftSettings: swiftSettings),
        .target(
            name: "AnnalsStore",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsModel", "CAnnalsSQLite", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnnalsInterchange",
            dependencies: ["AnnalsCuration", "AnnalsDiagnostics", "AnnalsModel", "AnnalsXML", "AnnalsSchemas"],
            resources: [.copy("Resources/procedures.xml")],
            swiftSettings: swiftSettings
        ),
        // The application layer: what every front end (the command line, the web server) asks of a registry —
        // opening and seeding it, imports, case questions, reports, statistics, lists, the demo.
        .target(
            name: "AnnalsRegistry",
            dependencies: [
                "AnnalsCuration", "AnnalsDiagnostics", "AnnalsModel", "AnnalsStatistics", "AnnalsReports",
                "AnnalsStore", "AnnalsInterchange", "AnnalsOffice",
            ],
            swiftSettings: swiftSettings
        ),
        // Office files (.xlsx in and out, .docx): the only module that sees ZIPFoundation.
        .target(
            name: "AnnalsOffice",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsModel", "AnnalsXML", "AnnalsInterchange",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // `annals serve`: the registry over HTTP. The only module that imports Hummingbird, bcrypt and Mustache.
        .target(
            name: "AnnalsWeb",
            dependencies: [
                "AnnalsCuration", "AnnalsDiagnostics", "AnnalsModel", "AnnalsStatistics", "AnnalsReports",
                "AnnalsStore", "AnnalsInterchange", "AnnalsRegistry", "AnnalsOffice",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnnalsCLI",
            dependencies: [
                "AnnalsCuration", "AnnalsDiagnostics", "AnnalsModel", "AnnalsStatistics", "AnnalsReports",
                "AnnalsStore", "AnnalsInterchange", "AnnalsRegistry", "AnnalsOffice", "AnnalsWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "annals", dependencies: ["AnnalsCLI"], swiftSettings: swiftSettings),
        // `swift run -c release annals-bench`: case-tally questions over a million generated tallies.
        .executableTarget(
            name: "annals-bench",
            dependencies: [
                "AnnalsModel", "AnnalsStatistics", "AnnalsReports", "AnnalsStore", "AnnalsInterchange", "AnnalsXML",
            ],
            swiftSettings: swiftSettings),
        // libFuzzer entry for the importers (XML, .xlsx) and the form/CSV value parsers; only useful built by
        // scripts/fuzz.sh (-sanitize=fuzzer). No GRDB: the office targets read against an in-memory registry.
        .executableTarget(
            name: "annals-fuzz", dependencies: ["AnnalsInterchange", "AnnalsModel", "AnnalsOffice"],
            swiftSettings: swiftSettings),
        .target(
            name: "AnnalsTestSupport",
            dependencies: ["AnnalsModel", "AnnalsStore", "AnnalsRegistry"],
            path: "Tests/AnnalsTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AnnalsDiagnosticsTests", dependencies: ["AnnalsDiagnostics"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsXMLTests", dependencies: ["AnnalsXML", "AnnalsDiagnostics", "AnnalsTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsModelTests", dependencies: ["AnnalsModel", "AnnalsDiagnostics"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsCurationTests", dependencies: ["AnnalsCuration", "AnnalsModel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsStatisticsTests", dependencies: ["AnnalsStatistics", "AnnalsModel"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsRegistryTests",
            dependencies: [
                "AnnalsRegistry", "AnnalsInterchange", "AnnalsModel", "AnnalsOffice", "AnnalsReports",
                "AnnalsStatistics", "AnnalsStore", "AnnalsTestSupport",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsReportsTests",
            dependencies: [
                "AnnalsReports", "AnnalsInterchange", "AnnalsModel", "AnnalsStatistics", "AnnalsStore",
                "AnnalsTestSupport",
            ],
            exclude: ["Golden"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsStoreTests",
            dependencies: ["AnnalsDiagnostics", "AnnalsModel", "AnnalsStore", "AnnalsStatistics", "AnnalsTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsInterchangeTests",
            dependencies: [
                "AnnalsCuration", "AnnalsDiagnostics", "AnnalsInterchange", "AnnalsModel", "AnnalsReports",
                "AnnalsStore", "AnnalsXML", "AnnalsTestSupport",
            ],
            exclude: ["Fixtures"],  // found through #filePath, so the tests also run from a plain checkout
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnnalsCLITests", dependencies: ["annals", "AnnalsTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AnnalsOfficeTests",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsOffice", "AnnalsInterchange", "AnnalsModel", "AnnalsReports", "AnnalsStore",
                "AnnalsTestSupport",
            ],
            exclude: ["Fixtures", "Scripts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnnalsWebTests",
            dependencies: [
                "AnnalsWeb", "annals", "AnnalsCuration", "AnnalsDiagnostics", "AnnalsModel", "AnnalsStore",
                "AnnalsInterchange",
                "AnnalsTestSupport", "AnnalsOffice", "AnnalsRegistry", "AnnalsReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
