import AnnalsInterchange
import AnnalsModel
import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// Funders as a vocabulary: one funder however a project writes it, named in the report's language;
/// a funder name the vocabulary does not know kept as written, counted apart and listed for mapping.
@Suite(.serialized) struct FunderVocabularyTests {
    let folder = TemporaryFolder()

    @Test func everyNameOfAFunderIsThatFunder() {
        let v = FunderVocabulary.shared
        for name in [
            "国家自然科学基金", "NSFC", "nsfc", "National Natural Science Foundation of China",
            "the National Natural Science Foundation of China.", "国家自然科学基金委员会",
        ] {
            #expect(v.funder(for: name)?.id == "nsfc", "\(name)")
        }
        #expect(v.funder(for: "Zhejiang Provincial Natural Science Foundation")?.id == "zj-nsf")
        #expect(v.funder(for: "浙江省自然科学基金")?.id == "zj-nsf")
        #expect(v.funder(for: "Natural Science Foundation of Zhejiang Province")?.id == "zj-nsf")
        #expect(v.funder(for: "Some Charitable Trust") == nil)
        #expect(v.suggestions(for: "浙江省自然科学基金会").first?.id == "zj-nsf")
    }

    @Test func theNamesAreUniqueAcrossFunders() {
        var seen: [String: String] = [:]
        for f in FunderVocabulary.builtIn {
            for name in f.names {
                let key = TextKey.fold(name).filter { $0 != " " }
                #expect(seen[key] == nil || seen[key] == f.id, "\(name) names both \(seen[key] ?? "") and \(f.id)")
                seen[key] = f.id
            }
        }
    }

    func project(_ id: String, _ funder: String, grant: String?, amount: String = "500000") -> Project {
        Project(
            id: id, title: "T \(id)", funder: funder, level: .national, grantNumber: grant,
            departments: [.init(departmentID: "general-surgery", role: .lead)], start: PartialDate("2024"),
            end: PartialDate("2026"),
            amount: Money(amount: DecimalNumber(amount)!, currency: "CNY"), status: .ongoing)
    }

    @Test func byFunderCountsOneFunderOnceWhateverItsNameAndListsTheUnknown() throws {
        let store = try folder.sampleRegistry()
        try store.write { tx in
            _ = try tx.upsert(project("f1", "NSFC", grant: "82400001"))
            _ = try tx.upsert(project("f2", "国家自然科学基金", grant: "82400002"))
            _ = try tx.upsert(project("f3", "National Natural Science Foundation of China", grant: "82400003"))
            // The same grant recorded twice, under two names of its funder: one grant.
            _ = try tx.upsert(project("f4", "NSFC", grant: "82400003"))
            _ = try tx.upsert(project("f5", "Some Charitable Trust", grant: nil))
        }
        for language in ReportLanguage.allCases {
            let r = try store.read {
                try AnnualReportBuilder.build(
                    from: $0, year: 2024, department: "general-surgery", language: language, generatedOn: "2025-01-15")
            }
            let name = language == .zh ? "国家自然科学基金" : "National Natural Science Foundation of China"
            #expect(r.projects.byFunder.filter { $0.label == name }.map(\.count) == [4], "\(r.projects.byFunder)")
            #expect(!r.projects.byFunder.contains { $0.label == "NSFC" })
            #expect(r.projects.byFunder.contains { $0.label == "Some Charitable Trust" && $0.count == 1 })
            #expect(r.projects.unmappedFunders.contains("Some Charitable Trust"))
            #expect(!r.projects.unmappedFunders.contains("NSFC"))
            let national = try #require(r.projects.byLevel.first { $0.level == .national })
            // 82400001, 82400002, 82400003 (once) and the trust's grant: 4 × 500,000.
            #expect(national.awarded.map(\.plain) == ["CNY 2000000"])
            #expect(
                ReportRenderer.markdown(r).contains(language == .zh ? "以下资助方不在资助方名录中" : "Not in the funder vocabulary"))
        }
    }
}
