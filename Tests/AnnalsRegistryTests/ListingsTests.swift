import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import Foundation
import Testing

/// The lists the web pages (and later the CLI and API) show: filtered, ordered and paged by the application layer.
@Suite struct ListingsTests {
    @Test func aPageIsCutFromTheWholeListAndSaysHowManyThereAre() {
        let page = ListPage(Array(1...45), page: 3, pageSize: 20)
        #expect(page.items == Array(41...45))
        #expect(page.total == 45 && page.pageCount == 3)
        let past = ListPage(Array(1...45), page: 9, pageSize: 20)
        #expect(past.page == 3 && past.items == Array(41...45))
        let empty = ListPage([Int](), page: 1, pageSize: 20)
        #expect(empty.items.isEmpty && empty.total == 0 && empty.pageCount == 1)
    }

    @Test func projectsAreFilteredByDepartmentLevelFunderAndYearAndOrdered() throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let all = try registry.projects(RecordFilter(pageSize: 1000)).items
        let oncology = try registry.projects(RecordFilter(department: "肿瘤外科", pageSize: 1000)).items
        let byID = try registry.projects(RecordFilter(department: "oncology-surgery", pageSize: 1000)).items
        #expect(oncology.map(\.id) == byID.map(\.id))
        let onlyOncology = oncology.allSatisfy { $0.departments.contains { $0.departmentID == "oncology-surgery" } }
        #expect(onlyOncology && !oncology.isEmpty && oncology.count < all.count)
        let nsfc = try registry.projects(RecordFilter(funder: "国家自然科学基金", pageSize: 1000)).items
        let nsfcEnglish = try registry.projects(
            RecordFilter(funder: "national natural science", pageSize: 1000)
        ).items
        #expect(!nsfc.isEmpty && nsfc.map(\.id) == nsfcEnglish.map(\.id))
        let year = try registry.projects(RecordFilter(year: 2020, pageSize: 1000)).items
        let allStarted2020 = year.allSatisfy { $0.start?.year == 2020 }
        #expect(!year.isEmpty && allStarted2020)
        let newest = all.compactMap { $0.start?.year }
        #expect(newest == newest.sorted(by: >))
        let oldest = try registry.projects(RecordFilter(order: .oldest, pageSize: 1000)).items.compactMap {
            $0.start?.year
        }
        #expect(oldest == oldest.sorted())
        #expect(throws: UnknownReference.self) { try registry.projects(RecordFilter(department: "no-such-unit")) }
    }

    @Test func peopleAreFoundByHanziPinyinOrAnyNameForm() throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        for search in ["高志刚", "志刚", "gaozhigang", "Zhigang Gao", "gao z", "ＧＡＯ"] {
            let ids = try registry.people(RecordFilter(search: search)).items.map(\.id)
            #expect(ids.contains("gao-zhigang"), "\(search)")
            #expect(!ids.contains("li-minju"), "\(search)")
        }
        let none = try registry.people(RecordFilter(search: "nobody"))
        #expect(none.total == 0)
    }

    @Test func aPersonsRecordHoldsWhatIsCreditedToThemAndTheCaseAnswers() throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = try #require(try registry.personRecord(id: "高志刚"))
        #expect(record.person.id == "gao-zhigang")
        let projects = try registry.projects(RecordFilter(pageSize: 1000)).items.filter {
            $0.principalInvestigatorID == "gao-zhigang"
        }
        #expect(Set(record.projects.map(\.id)) == Set(projects.map(\.id)))
        let papers = try registry.publications(person: "gao-zhigang")
        #expect(
            record.publications.map(\.id) == papers.sorted { ($0.year ?? 0, $1.id) > ($1.year ?? 0, $0.id) }.map(\.id))
        let answer = try registry.cases(CaseQuestion(surgeon: "gao-zhigang")).rendered(.json)
        #expect(record.operations?.rendered(.json) == answer)
        #expect(try registry.personRecord(id: "nobody") == nil)
    }

    @Test func theHistoryIsFilteredByActorAndDays() throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let all = try registry.history(record: nil, actor: nil, since: nil, until: nil, page: 1, pageSize: 1000)
        #expect(all.total > 0)
        let ids = all.items.map(\.id)
        #expect(ids == ids.sorted(by: >))
        let tester = try registry.history(record: nil, actor: "tester", since: nil, until: nil, page: 1, pageSize: 1000)
        #expect(tester.total == all.total)
        let other = try registry.history(record: nil, actor: "other", since: nil, until: nil, page: 1, pageSize: 1000)
        #expect(other.total == 0)
        let today = Calendar(identifier: .gregorian).startOfDay(for: Date())
        let yesterday = today.addingTimeInterval(-86_400 * 2)
        let old = try registry.history(record: nil, actor: nil, since: nil, until: yesterday, page: 1, pageSize: 10)
        #expect(old.total == 0)
        let paged = try registry.history(record: nil, actor: nil, since: nil, until: nil, page: 2, pageSize: 2)
        #expect(paged.items.map(\.id) == Array(ids.dropFirst(2).prefix(2)))
    }
}
