import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsOffice

/// A form is a row of its kind's sheet: the import's rules, the problems at their fields in both languages.
@Suite(.serialized) struct RecordFormTests {
    @Test func amountsWithChineseUnitsAreTakenByFormsAndSheets() throws {
        #expect(RowValues.shifted(DecimalNumber("52")!, by: 4).text == "520000")
        #expect(RowValues.shifted(DecimalNumber("52.5")!, by: 4).text == "525000")
        #expect(RowValues.shifted(DecimalNumber("1.23456")!, by: 4).text == "12345.6")
        #expect(RowValues.shifted(DecimalNumber("1.2")!, by: 8).text == "120000000")
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let url = try workbook(
            folder, "amounts.xlsx",
            [
                [.text("项目名称"), .text("资助机构"), .text("级别"), .text("状态"), .text("经费")],
                [.text("甲"), .text("省科技厅"), .text("省级"), .text("在研"), .text("52万")],
                [.text("乙"), .text("省科技厅"), .text("省级"), .text("在研"), .text("1.5亿元")],
            ])
        _ = try importWorkbooks([url], into: store)
        let amounts = Dictionary(
            try store.read { try $0.projects() }.filter { ["甲", "乙"].contains($0.title) }.map {
                ($0.title, $0.amount?.amount.text ?? "")
            }, uniquingKeysWith: { a, _ in a })
        #expect(amounts == ["甲": "520000", "乙": "150000000"])
    }

    @Test func aFormRowIsWrittenByTheImportsPath() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let importsBefore = try store.read { try $0.history().filter { $0.action.code == "import" } }.count
        let ids = try store.write { tx in
            try RecordForm.submit(
                .awards,
                rows: [
                    ["name": "浙江省医药卫生科技奖", "level": "省级", "year": "2025", "departments": "普外科", "recipients": "高志刚"]
                ],
                departments: ["general-surgery"], into: tx)
        }
        let id = try #require(ids.first?.first)
        let award = try store.read { try $0.awards().first { $0.id == id } }
        #expect(award?.level == .provincial)
        #expect(award?.recipients.first?.personID == "gao-zhigang")
        let values = try store.read { try RecordForm.values(of: .awards, id: id, in: $0, language: .zh) }
        #expect(values?["level"] == "省级" && values?["departments"] == "普外科" && values?["year"] == "2025")
        let imports = try store.read { try $0.history().filter { $0.action.code == "import" } }.count
        #expect(imports == importsBefore, "a form is not an import of a file")
    }

    @Test func problemsComeBackAtTheirFieldsInBothLanguagesAndNothingIsKept() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let before = try store.read { try $0.projects().count }
        #expect(throws: FormRejection.self) {
            try store.write { tx in
                try RecordForm.submit(
                    .projects,
                    rows: [
                        [
                            "title": "甲", "funder": "乙", "level": "国家", "status": "在研", "start": "2025/3/1",
                            "end": "2024",
                        ]
                    ],
                    departments: nil, into: tx)
            }
        }
        do {
            _ = try store.write { tx in
                try RecordForm.submit(
                    .projects,
                    rows: [
                        [
                            "title": "甲", "funder": "乙", "level": "国家级", "status": "在研", "start": "2025/3/1",
                            "end": "2024",
                        ]
                    ],
                    departments: nil, into: tx)
            }
            Issue.record("a project ending before it starts is refused")
        } catch let rejection as FormRejection {
            #expect(rejection.problems.map(\.field) == ["end"])
            #expect(rejection.problems.first?.chinese == "结束（2024）早于开始（2025-03-01）。")
        }
        for (degree, field) in [("博士后", "degree"), ("博士", "orcid")] {
            do {
                _ = try store.write { tx in
                    try RecordForm.submit(
                        .people, rows: [["chinese_name": "王小明", "orcid": "0000-0002-1825-009X", "degree": degree]],
                        departments: nil, into: tx)
                }
                Issue.record("refused")
            } catch let rejection as FormRejection {
                #expect(rejection.problems.map(\.field) == [field], "\(rejection.problems)")
                #expect(rejection.problems.allSatisfy { !$0.english.contains("facet") && !$0.chinese.isEmpty })
            }
        }
        #expect(try store.read { try $0.projects().count } == before)
    }

    @Test func aSecretaryCreditsOnlyTheirDepartmentsAndOverlapsAreRefused() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        do {
            _ = try store.write { tx in
                try RecordForm.submit(
                    .tallies,
                    rows: [
                        ["procedure": "阑尾切除术", "approach": "开放", "department": "肿瘤外科", "to": "2025-03", "count": "1"]
                    ],
                    departments: ["general-surgery"], into: tx)
            }
            Issue.record("refused")
        } catch let rejection as FormRejection {
            #expect(rejection.problems.map(\.field) == ["department"])
        }
        do {
            _ = try store.write { tx in
                try RecordForm.submit(
                    .tallies,
                    rows: [
                        [:],
                        [
                            "procedure": "胆总管囊肿切除术", "approach": "腹腔镜", "department": "普外科", "from": "2016-03",
                            "to": "2016-03",
                            "count": "2",
                        ],
                    ],
                    departments: ["general-surgery"], into: tx)
            }
            Issue.record("refused")
        } catch let rejection as FormRejection {
            #expect(rejection.problems.map(\.row) == [1], "the second row of the form")
            #expect(rejection.problems.first?.code == .tallyOverlap)
            #expect(rejection.problems.first?.chinese.contains("重复计算") == true)
        }
    }
}
