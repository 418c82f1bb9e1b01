import AnnalsModel
import AnnalsRegistry
import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// The approval chain and closed years, as every front end meets them, on both backends.
@Suite struct WorkflowTests {
    let folder = TemporaryFolder()

    /// A registry with two departments and one account of each role.
    func registry(_ backend: TestBackend) throws -> Registry {
        let location = try folder.registryLocation(backend)
        let registry = try Registry.open(RegistryLocation(path: location), create: true, as: ChangeActor("cli"))
        try registry.write(.edit) { w in
            try w.upsert(OrgUnit(id: "hospital", kind: .hospital, name: "Hospital"))
            try w.upsert(OrgUnit(id: "gs", kind: .department, name: "General surgery", parentID: "hospital"))
            try w.upsert(OrgUnit(id: "uro", kind: .department, name: "Urology", parentID: "hospital"))
            for account in Self.accounts.values { try w.save(account) }
        }
        return registry
    }

    static let accounts: [String: Account] = [
        "sec": Account(name: "sec", role: .secretary, departments: ["gs"]),
        "sec2": Account(name: "sec2", role: .secretary, departments: ["uro"]),
        "head": Account(name: "head", role: .head, departments: ["gs"]),
        "head2": Account(name: "head2", role: .head, departments: ["uro"]),
        "office": Account(name: "office", role: .office),
        "admin": Account(name: "admin", role: .admin),
    ]

    static func account(_ name: String) -> Account { accounts[name]! }

    static func project(_ id: String, year: Int, title: String = "A project") -> Project {
        Project(
            id: id, title: title, funder: "NSFC", level: .national,
            departments: [.init(departmentID: "gs", role: .lead)], start: PartialDate(year: year, month: 3),
            status: .ongoing)
    }

    static func paper(_ id: String, year: Int) -> Publication {
        Publication(
            id: id, kind: .journalArticle, title: MarkupText(plain: "Paper \(id)"), published: PartialDate(year: year),
            departmentIDs: ["gs"])
    }

    /// Writes as the account `name` (a web form would).
    func enter(_ registry: Registry, as name: String, _ body: (RegistryWriter) throws -> Void) throws {
        try Registry(store: registry.store, actor: ChangeActor(name)).write(.edit, body)
    }

    @Test(arguments: TestBackend.allCases)
    func aSecretarysEntryIsSubmittedAndTheOfficeValidatesIt(_ backend: TestBackend) throws {
        let registry = try registry(backend)
        try enter(registry, as: "sec") { try $0.upsert(Self.project("P-1", year: 2025)) }
        var view = try registry.workflow(kind: .project, id: "P-1", for: Self.account("office"))
        #expect(view.state == .submitted)
        #expect(view.mayValidate)
        #expect(view.history.map(\.event.transition) == [.submit])
        // The secretary sees it as waiting, and may not validate it.
        #expect(try registry.workflow(kind: .project, id: "P-1", for: Self.account("sec")).mayValidate == false)
        #expect(throws: WorkflowRefusal.self) {
            try registry.validate(kind: .project, id: "P-1", by: Self.account("sec"))
        }
        #expect(try registry.tasks(for: Self.account("office")).map(\.status.recordID) == ["P-1"])
        #expect(try registry.tasks(for: Self.account("sec")).isEmpty)
        #expect(try registry.validate(kind: .project, id: "P-1", by: Self.account("office")) == .validated)
        view = try registry.workflow(kind: .project, id: "P-1", for: Self.account("office"))
        #expect(view.state == .validated)
        #expect(view.history.map(\.event.transition) == [.submit, .validate])
        #expect(view.history.last?.actor == "office")
        // Changed after validation: back to submitted.
        try enter(registry, as: "sec") { try $0.upsert(Self.project("P-1", year: 2025, title: "Changed")) }
        #expect(try registry.workflow(kind: .project, id: "P-1", for: nil).state == .submitted)
    }

    @Test(arguments: TestBackend.allCases)
    func aReturnedRecordCarriesItsOpinionAndAChangeResubmitsIt(_ backend: TestBackend) throws {
        let registry = try registry(backend)
        try enter(registry, as: "sec") { try $0.upsert(Self.project("P-2", year: 2025)) }
        #expect(throws: WorkflowRefusal.self) {
            try registry.returnRecord(kind: .project, id: "P-2", by: Self.account("office"), opinion: "  ")
        }
        try registry.returnRecord(kind: .project, id: "P-2", by: Self.account("office"), opinion: "经费金额缺失")
        let view = try registry.workflow(kind: .project, id: "P-2", for: Self.account("sec"))
        #expect(view.state == .returned)
        #expect(view.status?.opinion == "经费金额缺失")
        #expect(view.lastOpinion == "经费金额缺失")
        let tasks = try registry.tasks(for: Self.account("sec"))
        #expect(tasks.map(\.status.opinion) == ["经费金额缺失"])
        #expect(try registry.tasks(for: Self.account("sec2")).isEmpty)
        #expect(try registry.tasks(for: Self.account("office")).isEmpty)
        // The history (the change log) holds the return with its opinion, for the API too.
        let history = try registry.read { try $0.history(recordID: "P-2") }
        #expect(history.flatMap(\.records).contains { $0.after?.contains("经费金额缺失") == true })
        try enter(registry, as: "sec") { try $0.upsert(Self.project("P-2", year: 2025, title: "Fixed")) }
        let again = try registry.workflow(kind: .project, id: "P-2", for: nil)
        #expect(again.state == .submitted)
        #expect(again.history.map(\.event.transition) == [.submit, .return, .resubmit])
    }

    @Test(arguments: TestBackend.allCases)
    func theOfficesOwnChangesAreValidatedAtOnce(_ backend: TestBackend) throws {
        let registry = try registry(backend)
        try enter(registry, as: "office") { try $0.upsert(Self.project("P-3", year: 2025)) }
        try registry.write(.edit) { try $0.upsert(Self.project("P-4", year: 2025)) }
        #expect(try registry.workflow(kind: .project, id: "P-3", for: nil).state == .validated)
        #expect(try registry.workflow(kind: .project, id: "P-4", for: nil).state == .validated)
        // A submitted record the office corrects is validated by the correction.
        try enter(registry, as: "sec") { try $0.upsert(Self.project("P-5", year: 2025)) }
        try enter(registry, as: "office") { try $0.upsert(Self.project("P-5", year: 2025, title: "Corrected")) }
        #expect(try registry.workflow(kind: .project, id: "P-5", for: nil).state == .validated)
    }

    @Test(arguments: TestBackend.allCases)
    func aConfiguredChainPassesEachStepByTheRightPerson(_ backend: TestBackend) throws {
        let registry = try registry(backend)
        #expect(throws: WorkflowRefusal.self) {
            try registry.setApprovalChain([ApprovalStep(role: .office, scope: .hospital)], by: Self.account("office"))
        }
        try registry.setApprovalChain(
            [
                ApprovalStep(role: .head, scope: .department, label: "科室主任"),
                ApprovalStep(role: .office, scope: .hospital, label: "科研处"),
                ApprovalStep(role: .admin, scope: .hospital, label: "分管院长"),
            ], by: Self.account("admin"))
        #expect(try registry.approvalChain().isConfigured)
        try enter(registry, as: "sec") { try $0.upsert(Self.project("P-6", year: 2025)) }
        // Another department's head may not act; the record's own head may.
        #expect(try registry.tasks(for: Self.account("head2")).isEmpty)
        do {
            try registry.validate(kind: .project, id: "P-6", by: Self.account("head2"))
            Issue.record("another department's head validated")
        } catch let refusal as WorkflowRefusal {
            #expect(refusal.reason == .forbidden)
        }
        #expect(try registry.tasks(for: Self.account("head")).map(\.status.recordID) == ["P-6"])
        #expect(try registry.validate(kind: .project, id: "P-6", by: Self.account("head")) == .submitted)
        // The head cannot take the office's step.
        #expect(throws: WorkflowRefusal.self) {
            try registry.validate(kind: .project, id: "P-6", by: Self.account("head"))
        }
        #expect(try registry.validate(kind: .project, id: "P-6", by: Self.account("office")) == .submitted)
        let view = try registry.workflow(kind: .project, id: "P-6", for: Self.account("admin"))
        #expect(view.step == 3)
        #expect(view.stepLabel == "分管院长")
        #expect(try registry.validate(kind: .project, id: "P-6", by: Self.account("admin")) == .validated)
        let steps = try registry.workflow(kind: .project, id: "P-6", for: nil).history.compactMap(\.event.step)
        #expect(steps == [1, 2, 3])
    }

    @Test(arguments: TestBackend.allCases)
    func aClosedYearRefusesEveryWriteAndWritesNothingUntilReopened(_ backend: TestBackend) throws {
        let registry = try registry(backend)
        try enter(registry, as: "sec") { try $0.upsert(Self.project("P-7", year: 2025)) }
        #expect(throws: WorkflowRefusal.self) { try registry.closeYear(2025, by: Self.account("sec")) }
        #expect(try registry.closeYear(2025, by: Self.account("office")))
        let linesBefore = try registry.read { try $0.history() }.count
        do {
            try enter(registry, as: "sec") {
                try $0.upsert(Self.project("P-7", year: 2025, title: "Late change"))
                try $0.upsert(Self.paper("W-1", year: 2024))
            }
            Issue.record("a closed year was written")
        } catch let refusal as ClosedYearRefusal {
            #expect(refusal.years == [2025])
            #expect(refusal.chinese.contains("2025年已由科研处关账"))
        }
        // Also the command line, and moving a record out of the closed year.
        #expect(throws: ClosedYearRefusal.self) {
            try registry.write(.edit) { try $0.upsert(Self.project("P-7", year: 2026)) }
        }
        #expect(throws: ClosedYearRefusal.self) {
            try registry.write(.edit) { try $0.upsert(Self.paper("W-2", year: 2025)) }
        }
        #expect(try registry.read { try $0.history() }.count == linesBefore)
        #expect(try registry.project(id: "P-7")?.title == "A project")
        #expect(try registry.publication(id: "W-1") == nil)
        // Validating a frozen record is refused too; another year is open.
        #expect(throws: ClosedYearRefusal.self) {
            try registry.validate(kind: .project, id: "P-7", by: Self.account("office"))
        }
        try registry.write(.edit) { try $0.upsert(Self.paper("W-3", year: 2026)) }
        #expect(try registry.reopenYear(2025, by: Self.account("office")))
        try enter(registry, as: "sec") { try $0.upsert(Self.project("P-7", year: 2025, title: "Late change")) }
        #expect(try registry.project(id: "P-7")?.title == "Late change")
        let kinds = try registry.read { try $0.history(recordID: "2025") }.flatMap(\.records).map(\.operation)
        #expect(kinds == [.added, .deleted])
    }

    @Test(arguments: TestBackend.allCases)
    func aReportOfValidatedRecordsOnlyCountsExactlyThose(_ backend: TestBackend) throws {
        let registry = try registry(backend)
        try enter(registry, as: "sec") {
            try $0.upsert(Self.project("P-8", year: 2025))
            try $0.upsert(Self.project("P-9", year: 2025))
            try $0.upsert(Self.paper("W-8", year: 2025))
            try $0.upsert(Self.paper("W-9", year: 2025))
        }
        try registry.validate(kind: .project, id: "P-8", by: Self.account("office"))
        try registry.validate(kind: .publication, id: "W-8", by: Self.account("office"))
        let all = try registry.statistics(years: [2025], department: nil).reports[0]
        let validated = try registry.statistics(years: [2025], department: nil, validatedOnly: true).reports[0]
        #expect(all.projects.new == 2)
        #expect(all.publications.total == 2)
        #expect(validated.projects.new == 1)
        #expect(validated.publications.total == 1)
        // The report says so on its title page, in both languages; a chain makes it the default.
        let zh = try registry.report(
            ReportRequest(year: 2025, language: .zh, asOf: "2026-01-05", validatedOnly: true), format: .markdown
        ).text
        #expect(zh.contains("仅统计已审核通过的记录"))
        let en = try registry.report(ReportRequest(year: 2025, asOf: "2026-01-05"), format: .markdown).text
        #expect(!en.contains("validated records only"))
        try registry.setApprovalChain([ApprovalStep(role: .office, scope: .hospital, label: "科研处")], by: nil)
        let byDefault = try registry.report(ReportRequest(year: 2025, asOf: "2026-01-05"), format: .json).text
        #expect(byDefault.contains("\"validatedOnly\""))
        let html = try registry.report(ReportRequest(year: 2025, asOf: "2026-01-05"), format: .html).text
        #expect(html.contains("Counts validated records only"))
    }
}
