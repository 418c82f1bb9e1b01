import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsReports
import AnnalsStatistics
import AnnalsStore
import Foundation
import Testing

/// The application layer as a front end calls it: the demo registry built from Samples, asked questions.
@Suite struct RegistryTests {
    /// A demo registry in a fresh folder (removed by the caller).
    static func demo() throws -> (Registry, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "annals-registry-\(UUID().uuidString)")
        let registry = try DemoRegistry.build(
            in: folder, samples: try DemoRegistry.locateSamples(nil), as: ChangeActor("tester")
        ) { _ in }
        return (registry, folder)
    }

    @Test func locationComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        #expect(
            RegistryLocation.resolve("x.sqlite", environment: ["ANNALS_DB": "y.sqlite"])
                == RegistryLocation(path: "x.sqlite"))
        #expect(
            RegistryLocation.resolve(nil, environment: ["ANNALS_DB": "y.sqlite"])
                == RegistryLocation(path: "y.sqlite", source: " (from ANNALS_DB)"))
        #expect(RegistryLocation.resolve(nil, environment: [:]).source == " (the default)")
    }

    @Test func aQuestionInChineseIsTheSameQuestionAsInEnglish() throws {
        let (registry, folder) = try Self.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let chinese = try registry.cases(CaseQuestion(procedure: "腹腔镜胆总管囊肿切除术", department: "普外科"))
        let english = try registry.cases(
            CaseQuestion(procedure: "laparoscopic choledochal cyst excision", department: "general-surgery"))
        guard case .total(let zh, _, let zhScope) = chinese, case .total(let en, _, let enScope) = english else {
            Issue.record("expected totals")
            return
        }
        #expect(zh.count == en.count)
        #expect(zh.count > 0)
        #expect(zhScope.department == "general-surgery")
        #expect(zhScope.approach == "laparoscopic")
        // The JSON a script reads is the same, whichever language the question was asked in (apart from the
        // echo of the question itself, which is by id in both).
        #expect(chinese.rendered(.json) == english.rendered(.json))
    }

    @Test func aBreakdownThatCannotBeAnsweredIsRefusedBeforeAnythingIsRead() throws {
        let (registry, folder) = try Self.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: RegistryFailure.self) { try registry.cases(CaseQuestion(), by: .department, cumulative: true) }
        #expect(throws: RegistryFailure.self) { try registry.cases(CaseQuestion(from: "2024-13")) }
        #expect(throws: RegistryFailure.self) { try registry.cases(CaseQuestion(procedure: "no such operation")) }
    }

    @Test func aReportOfAnEmptyYearIsRefusedAndANamedOneIsWritten() throws {
        let (registry, folder) = try Self.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try registry.report(ReportRequest(year: 1990), format: .markdown)
            Issue.record("a report of a year with no records was written")
        } catch let failure as RegistryFailure {
            #expect(failure.message.contains("nothing dated 1990"))
        }
        let report = try registry.report(
            ReportRequest(year: 2024, department: "普外科", language: .zh, asOf: "2025-01-01"), format: .markdown)
        #expect(report.departmentID == "general-surgery")
        #expect(report.fileName == "annual-report-2024-general-surgery-zh.md")
        #expect(!report.text.isEmpty)
    }

    @Test func statisticsAndPublicationsAnswerFromTheSameRegistry() throws {
        let (registry, folder) = try Self.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stats = try registry.statistics(years: [2023, 2024], department: nil)
        #expect(stats.statistics.map(\.year) == [2023, 2024])
        let csv = try stats.rendered(.csv)
        #expect(csv.hasPrefix("figure,2023,2024"))
        let papers = try registry.publications(year: 2023)
        #expect(!papers.isEmpty)
        #expect(papers.allSatisfy { $0.year == 2023 })
    }
}

@Suite struct AsyncRegistryTests {
    @Test func asyncCallersGetTheSameAnswersAsBlockingOnes() async throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let question = CaseQuestion(procedure: "laparoscopic choledochal cyst excision", department: "general-surgery")
        let blocking = try registry.cases(question).rendered(.json)
        // Many at once, as a server's requests come.
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { try await registry.perform { try $0.cases(question).rendered(.json) } } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 16)
        #expect(answers.allSatisfy { $0 == blocking })
        let departments = try await registry.read { try $0.orgUnits().count }
        #expect(departments > 0)
    }
}
