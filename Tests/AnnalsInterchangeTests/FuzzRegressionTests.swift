import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

/// Inputs the fuzzer found problems with (scripts/fuzz.sh, docs/fuzzing.md), kept in
/// `Fixtures/fuzz-regressions/IMPORTER/`: each is refused cleanly, naming the file, and leaves the
/// registry as it was. scripts/fuzz.sh also seeds every campaign with them, so a leak or crash coming
/// back is found by AddressSanitizer in the first seconds.
@Suite(.serialized) struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-regressions")

    static func inputs(_ importer: HostileInputTests.Importer) -> [URL] {
        let folder = Self.folder.appendingPathComponent(importer.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test func inputsTheFuzzerFoundAreRefused() throws {
        let hostile = HostileInputTests()
        var count = 0
        for importer in HostileInputTests.Importer.allCases {
            for file in Self.inputs(importer) {
                _ = try hostile.refusal(importer, file)
                count += 1
            }
        }
        #expect(count > 0, "the regression inputs are where this test looks for them")
    }

    /// libxml2 2.9.14 leaked about 1 KB whenever a schema-validated read stopped before the end of the
    /// document, so such a file is now found not well-formed before the schema is attached; it is
    /// still reported with its line and column, and only that problem.
    @Test func aRegistryFileEndingTooEarlyIsReportedWhereItEnds() throws {
        let file = Self.folder.appendingPathComponent("registry/validation-stopped-by-unclosed-root.xml")
        let problems = try RegistryImporter.validate(file: file, displayName: "unclosed.xml")
        let first = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(first.file == "unclosed.xml")
        // The file is the XML declaration and the root's start tag, each on a line of its own: it ends at
        // the start of line 3.
        #expect(first.line == 3)
        #expect(first.column == 1, "where the file ends, after the root's start tag")
        #expect(first.severity == .error)
    }
}
