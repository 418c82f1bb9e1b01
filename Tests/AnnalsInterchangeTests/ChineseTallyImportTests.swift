import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// Tally CSV written entirely in Chinese: a Chinese header row and Chinese values (procedure terms,
/// approaches, departments, campuses, surgeons), as a department's own spreadsheet is.
@Suite(.serialized) struct ChineseTallyImportTests {
    let folder = TemporaryFolder()

    /// The sample registry (departments, campuses, people) with the built-in vocabulary.
    func store() throws -> RegistryStore {
        let store = try folder.newRegistry()
        let file = try RegistryImporter.read(file: Fixtures.sampleRegistry)
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        return store
    }

    static let fixture = Fixtures.repository.appendingPathComponent(
        "Tests/AnnalsInterchangeTests/Fixtures/tallies-zh.csv")

    @Test func aCSVWrittenEntirelyInChineseImports() throws {
        let store = try store()
        let before = try store.read { try $0.content().tallies.count }
        let report = try store.write {
            try TallyImporter.importFile(Self.fixture, displayName: "tallies-zh.csv", into: $0)
        }
        #expect(report.count(.inserted) == 6)
        let tallies = try store.read { try $0.content().tallies }
        #expect(tallies.count == before + 6)
        let added = tallies.filter { $0.from == PartialDate("2025-01") }.sorted { $0.id < $1.id }
        let rows = added.map {
            [
                $0.procedureID, $0.approach.rawValue, $0.departmentID, $0.campusID ?? "", $0.surgeonID ?? "",
                String($0.count),
            ]
        }
        #expect(rows.contains(["choledochal-cyst-excision", "laparoscopic", "general-surgery", "binjiang", "", "9"]))
        #expect(
            rows.contains(["choledochal-cyst-excision", "robotic", "general-surgery", "binjiang", "gao-zhigang", "3"]))
        #expect(rows.contains(["hirschsprung-pull-through", "laparoscopic", "general-surgery", "hubin", "", "7"]))
        #expect(rows.contains(["meso-rex-bypass", "open", "general-surgery", "", "", "2"]))
        #expect(rows.contains(["tace", "interventional", "oncology-surgery", "", "", "5"]))
        #expect(
            rows.contains(["intestinal-duplication-resection", "laparoscopic", "general-surgery", "binjiang", "", "1"]))
        let first = try #require(
            added.first { $0.procedureID == "choledochal-cyst-excision" && $0.approach == .laparoscopic })
        #expect(first.source == "手术室登记")
        #expect(first.note == "上半年")
        #expect(first.to == PartialDate("2025-06"))
    }

    @Test func theSameRowsInEnglishAndInChineseAreTheSameTallies() throws {
        let english = folder.write(
            "tallies-en.csv",
            """
            procedure,approach,department,campus,surgeon,from,to,count,source,note
            laparoscopic choledochal cyst excision,,general-surgery,binjiang,,2025-01,2025-06,9,手术室登记,上半年

            """)
        let chinese = folder.write(
            "tallies-zh.csv",
            """
            手术名称,手术入路,科室,院区,主刀医生,开始日期,结束日期,例数,数据来源,说明
            腹腔镜下胆总管囊肿切除术,腹腔镜,普外科,滨江院区,,2025-01,2025-06,9,手术室登记,上半年

            """)
        let store = try store()
        let a = try store.read { try TallyImporter.read(file: english, displayName: "tallies-en.csv", registry: $0) }
        let b = try store.read { try TallyImporter.read(file: chinese, displayName: "tallies-zh.csv", registry: $0) }
        #expect(a.map(\.tally) == b.map(\.tally))
        #expect(
            a.first?.tally.id == "choledochal-cyst-excision.laparoscopic.general-surgery.binjiang.all.2025-01.2025-06")
    }

    @Test func chineseMistakesAreNamedAtTheirCell() throws {
        let file = folder.write(
            "bad.csv",
            """
            术式,入路,科室,院区,术者,开始,结束,例数
            胆总管囊肿切除术,腔镜,普外,滨江院区,高志钢,2025-01,2025-06,9
            开腹介入胆总管囊肿切除术,,普外科,滨江,,2025-01,2025-06,1
            胆总管囊肿切除术,腹腔镜,普外科,,,2025-01,2025-06,x

            """)
        let store = try store()
        let failure = try #require(
            #expect(throws: DiagnosticError.self) {
                try store.read { try TallyImporter.read(file: file, displayName: "bad.csv", registry: $0) }
            })
        let messages = failure.diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        #expect(
            messages.contains { $0.hasPrefix("2:") && $0.contains(": unknown approach '腔镜'") && $0.contains("腹腔镜") },
            "\(messages)")
        #expect(
            messages.contains {
                $0.hasPrefix("2:")
                    && $0.contains(": no department '普外' in the registry. Did you mean 'general-surgery' (普外科)?")
            }, "\(messages)")
        #expect(
            messages.contains {
                $0.hasPrefix("2:") && $0.contains("no person '高志钢'") && $0.contains("Did you mean 'gao-zhigang' (高志刚)?")
            }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("3:1: '开腹介入胆总管囊肿切除术' names more than one approach") }, "\(messages)")
        #expect(
            messages.contains { $0.hasPrefix("3:") && $0.contains("Did you mean 'binjiang' (滨江院区)?") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("4:") && $0.contains("'x' is not a count") }, "\(messages)")
    }

    @Test func excelsUTF8WithByteOrderMarkReadsTheChineseHeader() throws {
        // Excel's "CSV UTF-8" starts the file with a byte-order mark, just before 术式.
        let file = folder.write("excel.csv", "\u{FEFF}术式,入路,科室,结束,例数\r\n脾肾分流术,开放,普外科,2025,2\r\n")
        let store = try store()
        let rows = try store.read { try TallyImporter.read(file: file, displayName: "excel.csv", registry: $0) }
        #expect(rows.map(\.tally.procedureID) == ["splenorenal-shunt"])
        #expect(rows.map(\.tally.approach) == [.open])
    }

    @Test func anUnknownChineseColumnListsTheChineseNames() throws {
        let file = folder.write("cols.csv", "术式,科室,结束,例数,医院\n胆总管囊肿切除术,普外科,2025,1\n")
        let store = try store()
        let failure = try #require(
            #expect(throws: DiagnosticError.self) {
                try store.read { try TallyImporter.read(file: file, displayName: "cols.csv", registry: $0) }
            })
        #expect(
            failure.diagnostics.map { $0.message }.contains {
                $0.hasPrefix("unknown column '医院'") && $0.contains("术式, 入路, 科室")
            })
    }

    @Test func headerNamesMapToAnnalsColumns() {
        #expect(TallyColumnNames.canonical("术式") == "procedure")
        #expect(TallyColumnNames.canonical(" 手术名称 ") == "procedure")
        #expect(TallyColumnNames.canonical("手术方式") == "procedure")
        #expect(TallyColumnNames.canonical("入路") == "approach")
        #expect(TallyColumnNames.canonical("科室") == "department")
        #expect(TallyColumnNames.canonical("院区") == "campus")
        #expect(TallyColumnNames.canonical("术者") == "surgeon")
        #expect(TallyColumnNames.canonical("开始") == "from")
        #expect(TallyColumnNames.canonical("结束") == "to")
        #expect(TallyColumnNames.canonical("例数") == "count")
        #expect(TallyColumnNames.canonical("来源") == "source")
        #expect(TallyColumnNames.canonical("备注") == "note")
        #expect(TallyColumnNames.canonical("Procedure") == "procedure")
        #expect(TallyColumnNames.canonical("医院") == "医院")
    }
}
