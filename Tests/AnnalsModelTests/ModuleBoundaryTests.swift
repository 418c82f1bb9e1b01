import Foundation
import Testing

/// One module owns each foreign library (docs/architecture.md): the rule is checked over the source files,
/// so an import that crosses a boundary fails here rather than in a review.
@Suite struct ModuleBoundaryTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources").standardizedFileURL

    /// Foreign module → the only source folder that may import it.
    static let owners = [
        "GRDB": "AnnalsStore", "PostgresNIO": "AnnalsStore", "NIOCore": "AnnalsStore", "NIOPosix": "AnnalsStore",
        "CLibXML2": "AnnalsXML", "CAnnalsZlib": "AnnalsXML", "CAnnalsSQLite": "AnnalsStore",
        "ArgumentParser": "AnnalsCLI",
        "ZIPFoundation": "AnnalsOffice",
        "Hummingbird": "AnnalsWeb", "HummingbirdCore": "AnnalsWeb", "HummingbirdBcrypt": "AnnalsWeb",
        "HummingbirdAuth": "AnnalsWeb", "Mustache": "AnnalsWeb", "HTTPTypes": "AnnalsWeb", "Logging": "AnnalsWeb",
        "ServiceLifecycle": "AnnalsWeb",
    ]

    /// "folder/file.swift imports Module" for every import in Sources.
    static func imports() throws -> [(folder: String, file: String, module: String)] {
        var found: [(String, String, String)] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let folder = file.path.dropFirst(sources.path.count + 1).split(separator: "/").first.map(String.init) ?? ""
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                guard let at = words.firstIndex(of: "import"), at + 1 < words.count,
                    words[..<at].allSatisfy({
                        ["public", "internal", "package", "private", "fileprivate"].contains($0)
                    })
                else { continue }
                found.append((folder, file.lastPathComponent, String(words[at + 1].split(separator: ".").first!)))
            }
        }
        return found
    }

    @Test func eachForeignLibraryIsImportedByItsOwnerOnly() throws {
        let all = try Self.imports()
        #expect(all.count > 50, "the source folder was found: \(Self.sources.path)")
        for (folder, file, module) in all {
            if let owner = Self.owners[module] {
                #expect(folder == owner, "\(folder)/\(file) imports \(module), which only \(owner) may import")
            }
        }
    }

    /// The model sees Foundation and the diagnostics (plain values, Foundation only) and nothing else.
    @Test func theModelImportsNothingButFoundationAndTheDiagnostics() throws {
        for (folder, file, module) in try Self.imports() where folder == "AnnalsModel" {
            #expect(
                ["Foundation", "AnnalsDiagnostics"].contains(module),
                "AnnalsModel/\(file) imports \(module); the model is plain values")
        }
        for (folder, file, module) in try Self.imports() where folder == "AnnalsDiagnostics" {
            #expect(
                module == "Foundation",
                "AnnalsDiagnostics/\(file) imports \(module); every layer sees it, so it sees only Foundation")
        }
    }

    /// Curation (merging, crediting, review decisions, tally rules) is apart from the formats: it sees the model
    /// and the diagnostics only, so every front end and every format applies the same rules.
    @Test func curationImportsOnlyTheModelAndTheDiagnostics() throws {
        let curation = try Self.imports().filter { $0.folder == "AnnalsCuration" }
        #expect(curation.contains { $0.module == "AnnalsModel" }, "AnnalsCuration's sources were found")
        for (_, file, module) in curation {
            #expect(
                ["Foundation", "AnnalsModel", "AnnalsDiagnostics"].contains(module),
                "AnnalsCuration/\(file) imports \(module); curation rules see the model only")
        }
    }

    /// The web server is one module: Hummingbird, bcrypt and Mustache are imported there and nowhere else, and
    /// the server reaches the registry through AnnalsStore's reader and writer only.
    @Test func theWebModuleAloneImportsTheWebLibraries() throws {
        let all = try Self.imports()
        let web = all.filter { $0.folder == "AnnalsWeb" }
        #expect(web.contains { $0.module == "Hummingbird" }, "AnnalsWeb's sources were found and import Hummingbird")
        for (_, file, module) in web {
            #expect(
                !["GRDB", "PostgresNIO", "ArgumentParser", "CLibXML2", "AnnalsXML"].contains(module),
                "AnnalsWeb/\(file) imports \(module)")
        }
    }

    /// The CLI prints diagnostics with its one printer; XML is the formats' business, not the front end's.
    @Test func theCLIDoesNotImportAnnalsXML() throws {
        let all = try Self.imports()
        #expect(all.contains { $0.folder == "AnnalsCLI" }, "the CLI's sources were found")
        for (folder, file, module) in all where folder == "AnnalsCLI" {
            #expect(
                module != "AnnalsXML", "AnnalsCLI/\(file) imports AnnalsXML; diagnostics come through AnnalsDiagnostics"
            )
        }
    }
}
