import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsOffice

/// Template → filled by openpyxl (an independent writer) → imported → exported → read back by openpyxl and
/// compared, for every kind. Skipped, with a message, where python3 with openpyxl is missing.
@Suite(.serialized) struct OfficeRoundTripTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Scripts/openpyxl_roundtrip.py")

    /// A python3 that can import openpyxl: Debian's (python3-openpyxl) first, then the one on PATH.
    static let python: String? = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3", "python3"] {
            if (try? run(candidate, ["-c", "import openpyxl"]))?.status == 0 { return candidate }
        }
        return nil
    }()

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errors, as: UTF8.self)
        )
    }

    static func python(_ arguments: [String]) throws -> String {
        let result = try run(python!, [script.path] + arguments)
        guard result.status == 0 else {
            throw DiagnosticError(Diagnostic(.unexpected, at: .init(), message: "openpyxl: \(result.err)"))
        }
        return result.out
    }

    @Test(arguments: SheetKind.allCases)
    func templateFilledByOpenpyxlImportsAndExportsTheSameValues(kind: SheetKind) throws {
        guard Self.python != nil else {
            print("skipped: python3 with openpyxl is missing (apt-get install python3-openpyxl)")
            return
        }
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        if kind != .people {
            // 李明, whom several kinds name, comes from the people template first.
            let people = folder.url.appendingPathComponent("people.xlsx")
            try OfficeTables.template(.people, language: .zh, units: store.read { try $0.orgUnits() }).write(to: people)
            _ = try Self.python(["fill", "people", people.path, people.path])
            _ = try importWorkbooks([people], into: store)
        }
        let template = folder.url.appendingPathComponent("template.xlsx")
        try OfficeTables.template(kind, language: .zh, units: store.read { try $0.orgUnits() }).write(to: template)
        let filled = folder.url.appendingPathComponent("filled.xlsx")
        _ = try Self.python(["fill", kind.rawValue, template.path, filled.path])
        let report = try importWorkbooks([filled], into: store)
        let expected =
            try JSONSerialization.jsonObject(with: Data(try Self.python(["rows", kind.rawValue]).utf8))
            as! [[String: Any]]
        #expect(report.count(.inserted) == expected.count, "\(report)")
        // Importing the same filled template again changes nothing.
        #expect(try importWorkbooks([filled], into: store).count(.inserted) == 0)

        let export = folder.url.appendingPathComponent("export.xlsx")
        try store.read { try OfficeTables.export(kind, from: $0, selection: .init(), language: .zh) }.write(to: export)
        let dump =
            try JSONSerialization.jsonObject(with: Data(try Self.python(["dump", export.path]).utf8))
            as! [String: [String: Any]]
        let sheet = try #require(dump[kind.sheetName(.zh)])
        #expect(sheet["freeze"] as? String == "A2")
        #expect((sheet["autofilter"] as? String)?.hasPrefix("A1:") == true)
        let rows = sheet["rows"] as! [[Any]]
        let header = rows[0].map { "\($0)" }
        for wanted in expected {
            // The exported row holding this row's first value (its title or name).
            let matches = rows.dropFirst().filter { row in
                wanted.allSatisfy { key, value in
                    guard let column = header.firstIndex(of: key) else { return false }
                    return Self.same(row[column], value, key: key)
                }
            }
            #expect(matches.count == 1, "\(kind): no exported row equals \(wanted); exported \(rows)")
        }
    }

    /// A value as exported equals the value typed: numbers as numbers, dates as dates, lists in order.
    static func same(_ exported: Any, _ typed: Any, key: String) -> Bool {
        // A procedure is exported by its id, whatever name was typed.
        if key == "术式" { return exported as? String == "adhesiolysis" }
        switch (exported, typed) {
        case (let a as NSNumber, let b as NSNumber): return a.doubleValue == b.doubleValue
        case (let a as String, let b as String):
            return a == b || a.replacingOccurrences(of: "；", with: "、") == b
        default:
            return false
        }
    }

    @Test func theTemplateHasAFrozenHeaderDropDownsDateFormatsAndNotes() throws {
        guard Self.python != nil else {
            print("skipped: python3 with openpyxl is missing (apt-get install python3-openpyxl)")
            return
        }
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let template = folder.url.appendingPathComponent("projects.xlsx")
        try OfficeTables.template(.projects, language: .zh, units: store.read { try $0.orgUnits() }).write(to: template)
        let dump =
            try JSONSerialization.jsonObject(with: Data(try Self.python(["dump", template.path]).utf8))
            as! [String: [String: Any]]
        #expect(Set(dump.keys) == ["科研项目", "填写说明", "选项"])
        let main = dump["科研项目"]!
        #expect(main["freeze"] as? String == "A2")
        #expect(
            (main["rows"] as! [[Any]])[0].map { "\($0)" } == [
                "编号", "项目名称", "资助机构", "项目类别", "级别", "项目编号", "负责人", "科室", "开始日期", "结束日期", "经费", "币种", "状态",
            ])
        #expect((main["validations"] as! [String]) == ["E2:E501", "M2:M501"])
        #expect(dump["选项"]!["hidden"] as? Bool == true)
        #expect(((dump["选项"]!["rows"] as! [[Any]]).map { "\($0[0])" }).prefix(2) == ["国家级", "部级"])
        let widths = main["widths"] as! [String: Double]
        #expect((widths["B"] ?? 0) >= 12, "项目名称 is four Chinese characters wide: \(widths)")
        let notes = dump["填写说明"]!["rows"] as! [[Any]]
        #expect(notes.count > 13)
    }

    @Test func thePapersExportHasWhatTheOfficeReports() throws {
        guard Self.python != nil else {
            print("skipped: python3 with openpyxl is missing (apt-get install python3-openpyxl)")
            return
        }
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let export = folder.url.appendingPathComponent("sci.xlsx")
        try store.read { try OfficeTables.export(.papers, from: $0, selection: .init(), language: .zh) }.write(
            to: export)
        let dump =
            try JSONSerialization.jsonObject(with: Data(try Self.python(["dump", export.path]).utf8))
            as! [String: [String: Any]]
        let rows = dump["论文"]!["rows"] as! [[Any]]
        #expect(
            rows[0].map { "\($0)" } == [
                "序号", "编号", "题目", "期刊", "ISSN", "年份", "发表日期", "卷", "期", "页码", "DOI", "PMID", "作者", "第一作者", "通讯作者", "科室",
                "类型", "SCI", "影响因子", "JCR分区", "中科院分区",
            ])
    }
}
