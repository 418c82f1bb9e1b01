import AnnalsDiagnostics
import Foundation
import Testing

@Suite struct DiagnosticTests {
    @Test func printsLikeACompilerWithFileLineAndColumn() {
        let d = Diagnostic(
            .csvControlCharacter, file: "tallies.csv", line: 3, column: 7, message: "this field holds U+0007")
        #expect(d.description == "tallies.csv:3:7: error: this field holds U+0007")
    }

    @Test func aKnownLineWithoutColumnPrintsColumnOne() {
        let d = Diagnostic(.xmlSchema, file: "r.xml", line: 12, column: 0, severity: .warning, message: "m")
        #expect(d.description == "r.xml:12:1: warning: m")
        #expect(d.column == 0)
    }

    @Test func withoutALinePrintsTheFileOnly() {
        let d = Diagnostic(.fileMissing, file: "gone.csv", line: 0, column: 0, message: "no such file.")
        #expect(d.description == "gone.csv: error: no such file.")
        #expect(d.line == 0 && d.location.line == nil)
    }

    @Test func otherLocationsPrintSheetCellAndRecord() {
        let cell = Diagnostic(.tallyInvalidValue, at: .init(file: "t.xlsx", sheet: "2024", cell: "B12"), message: "m")
        #expect(cell.description == "t.xlsx:2024!B12: error: m")
        let record = Diagnostic(.registryCountOutOfBound, at: .record("tally", "t1"), severity: .note, message: "m")
        #expect(record.description == "tally 't1': note: m")
        #expect(Diagnostic(.unexpected, at: .init(), message: "m").description == "error: m")
    }

    @Test func anErrorPrintsEachDiagnosticOnItsLine() {
        let error = DiagnosticError([
            Diagnostic(.csvUnclosedQuote, file: "a.csv", line: 2, column: 3, message: "one"),
            Diagnostic(.csvStrayQuote, file: "a.csv", line: 4, column: 1, message: "two"),
        ])
        #expect(error.description == "a.csv:2:3: error: one\na.csv:4:1: error: two")
        #expect(error.code == .csvUnclosedQuote)
    }

    /// The shape the web API sends with 422 (docs/diagnostics.md): parts not known are left out.
    @Test func encodesToTheDocumentedJSON() throws {
        let error = DiagnosticError([
            Diagnostic(
                .tallyInvalidValue, file: "tallies.csv", line: 2, column: 1,
                message: "unknown procedure 'Choledochal cyst excison'", suggestions: ["Choledochal cyst excision"]),
            Diagnostic(.tallyOverlap, at: .record("tally", "t1"), severity: .warning, message: "m"),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(error), as: UTF8.self)
        #expect(
            json == """
                {"diagnostics":[{"code":"tally.invalidValue","location":{"column":1,"file":"tallies.csv","line":2},\
                "message":"unknown procedure 'Choledochal cyst excison'","severity":"error",\
                "suggestions":["Choledochal cyst excision"]},{"code":"tally.overlap","location":{"record":\
                {"id":"t1","kind":"tally"}},"message":"m","severity":"warning","suggestions":[]}]}
                """)
        #expect(try JSONDecoder().decode(DiagnosticError.self, from: Data(json.utf8)) == error)
    }

    @Test func codesAreUniqueAndDotted() {
        let names = Diagnostic.Code.all.map(\.rawValue)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.split(separator: ".").count == 2 })
    }

    @Test func anyErrorBecomesDiagnostics() {
        struct Plain: Error, CustomStringConvertible { var description: String { "plain words" } }
        #expect(Diagnostic.from(Plain()).map(\.description) == ["error: plain words"])
        #expect(Diagnostic.from(Plain()).first?.code == .unexpected)
        let error = DiagnosticError(Diagnostic(.storeBusy, at: .init(), message: "busy"))
        #expect(Diagnostic.from(error) == error.diagnostics)
    }
}

@Suite struct DiagnosticDocumentationTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/diagnostics.md").standardizedFileURL

    @Test func docsListEveryCodeOnce() throws {
        let text = try String(contentsOf: Self.document, encoding: .utf8)
        for code in Diagnostic.Code.all {
            #expect(
                text.components(separatedBy: "| `\(code.rawValue)` |").count == 2,
                "docs/diagnostics.md lists \(code) once")
        }
        let listed = text.split(separator: "\n").filter { $0.hasPrefix("| `") }.count
        #expect(listed == Diagnostic.Code.all.count, "every code row in docs/diagnostics.md is a code Annals has")
    }
}
