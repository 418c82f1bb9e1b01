// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Annals",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "annals", targets: ["annals"]),
        .library(name: "AnnalsModel", targets: ["AnnalsModel"]),
        .library(name: "AnnalsStore", targets: ["AnnalsStore"]),
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
        .target(name: "AnnalsDiagnostics"),
        .target(name: "AnnalsXML", dependencies: ["AnnalsDiagnostics", "CLibXML2", "CAnnalsZlib"]),
        // The registry schema, shipped as a resource.
        .target(name: "AnnalsSchemas", path: "Schemas", resources: [.copy("annals-registry.xsd")]),
        // Plain values; sees only Foundation and the diagnostics.
        .target(name: "AnnalsModel", dependencies: ["AnnalsDiagnostics"]),
        // Counting and statistics over model values: no I/O.
        .target(name: "AnnalsStatistics", dependencies: ["AnnalsModel"]),
        // The annual report, statistics and department profiles, rendered as text: no I/O.
        .target(name: "AnnalsReports", dependencies: ["AnnalsDiagnostics", "AnnalsModel", "AnnalsStatistics"]),
        .target(
            name: "AnnalsStore",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsModel", "CAnnalsSQLite", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "AnnalsInterchange",
            dependencies: ["AnnalsDiagnostics", "AnnalsModel", "AnnalsXML", "AnnalsSchemas"],
            resources: [.copy("Resources/procedures.xml")]
        ),
        // The application layer: what every front end (the command line, the web server) asks of a registry —
        // opening and seeding it, imports, case questions, reports, statistics, lists, the demo.
        .target(
            name: "AnnalsRegistry",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsModel", "AnnalsStatistics", "AnnalsReports", "AnnalsStore",
                "AnnalsInterchange", "AnnalsOffice",
            ]
        ),
        // Office files (.xlsx in and out, .docx): the only module that sees ZIPFoundation.
        .target(
            name: "AnnalsOffice",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsModel", "AnnalsXML", "AnnalsInterchange",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // `annals serve`: the registry over HTTP. The only module that imports Hummingbird, bcrypt and Mustache.
        .target(
            name: "AnnalsWeb",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsModel", "AnnalsStatistics", "AnnalsReports", "AnnalsStore",
                "AnnalsInterchange",
                "AnnalsRegistry", "AnnalsOffice",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(
            name: "AnnalsCLI",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsModel", "AnnalsStatistics", "AnnalsReports", "AnnalsStore",
                "AnnalsInterchange",
                "AnnalsRegistry", "AnnalsOffice", "AnnalsWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "annals", dependencies: ["AnnalsCLI"]),
        // `swift run -c release annals-bench`: case-tally questions over a million generated tallies.
        .executableTarget(
            name: "annals-bench",
            dependencies: ["AnnalsModel", "AnnalsStatistics", "AnnalsReports", "AnnalsStore", "AnnalsInterchange"]),
        // libFuzzer entry for the importers (XML, .xlsx) and the form/CSV value parsers; only useful built by
        // scripts/fuzz.sh (-sanitize=fuzzer). No GRDB: the office targets read against an in-memory registry.
        .executableTarget(name: "annals-fuzz", dependencies: ["AnnalsInterchange", "AnnalsModel", "AnnalsOffice"]),
        .target(
            name: "AnnalsTestSupport",
            dependencies: ["AnnalsModel", "AnnalsStore"],
            path: "Tests/AnnalsTestSupport"
        ),
        .testTarget(name: "AnnalsDiagnosticsTests", dependencies: ["AnnalsDiagnostics"]),
        .testTarget(name: "AnnalsXMLTests", dependencies: ["AnnalsXML", "AnnalsDiagnostics", "AnnalsTestSupport"]),
        .testTarget(name: "AnnalsModelTests", dependencies: ["AnnalsModel", "AnnalsDiagnostics"]),
        .testTarget(name: "AnnalsStatisticsTests", dependencies: ["AnnalsStatistics"]),
        .testTarget(
            name: "AnnalsRegistryTests",
            dependencies: [
                "AnnalsRegistry", "AnnalsInterchange", "AnnalsModel", "AnnalsOffice", "AnnalsStatistics", "AnnalsStore",
                "AnnalsTestSupport",
            ]),
        .testTarget(
            name: "AnnalsReportsTests",
            dependencies: ["AnnalsReports", "AnnalsInterchange", "AnnalsStore", "AnnalsTestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "AnnalsStoreTests",
            dependencies: ["AnnalsDiagnostics", "AnnalsStore", "AnnalsStatistics", "AnnalsTestSupport"]),
        .testTarget(
            name: "AnnalsInterchangeTests",
            dependencies: ["AnnalsDiagnostics", "AnnalsInterchange", "AnnalsStore", "AnnalsTestSupport"],
            exclude: ["Fixtures"]  // found through #filePath, so the tests also run from a plain checkout
        ),
        .testTarget(name: "AnnalsCLITests", dependencies: ["annals", "AnnalsTestSupport"]),
        .testTarget(
            name: "AnnalsOfficeTests",
            dependencies: [
                "AnnalsDiagnostics", "AnnalsOffice", "AnnalsInterchange", "AnnalsModel", "AnnalsReports", "AnnalsStore",
                "AnnalsTestSupport",
            ],
            exclude: ["Fixtures", "Scripts"]
        ),
        .testTarget(
            name: "AnnalsWebTests",
            dependencies: [
                "AnnalsWeb", "annals", "AnnalsModel", "AnnalsStore", "AnnalsInterchange", "AnnalsTestSupport",
                "AnnalsOffice",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
