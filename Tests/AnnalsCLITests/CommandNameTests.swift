import Foundation
import Testing

/// Every command names itself. Without `commandName:`, ArgumentParser derives a command's name from its
/// type with `String(describing:)`, and the dynamic casts behind it scan every protocol conformance of the
/// program: with the web server linked in, that was a third of `annals --help`'s time, paid by every
/// command at start (docs/benchmark.md, "start-up").
@Suite struct CommandNameTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/AnnalsCLI").standardizedFileURL

    @Test func everyCommandConfigurationNamesItsCommand() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.sources, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
        var configurations = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            var rest = text[...]
            while let found = rest.range(of: "CommandConfiguration(") {
                configurations += 1
                let after = rest[found.upperBound...].drop { $0.isWhitespace }
                let line = text[..<found.lowerBound].count { $0 == "\n" } + 1
                #expect(
                    after.hasPrefix("commandName:"),
                    "\(file.lastPathComponent):\(line): CommandConfiguration without commandName: first")
                rest = rest[found.upperBound...]
            }
        }
        #expect(configurations > 40, "the CLI's sources were found: \(Self.sources.path)")
    }
}
