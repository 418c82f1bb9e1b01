import AnnalsCuration
import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

@Suite(.serialized) struct CerifImportTests {
    let folder = TemporaryFolder()

    func export(_ store: RegistryStore) throws -> Data {
        var data = Data()
        try store.read { try CerifExporter.export($0, date: CerifExportTests.date) { data.append(contentsOf: $0) } }
        return data
    }

    func samples() throws -> RegistryStore { try CerifExportTests().samples() }

    // MARK: - Round trip

    @Test func samplesRegistryToCerifToAnEmptyRegistryGivesTheRecordsBack() throws {
        let original = try samples()
        let file = folder.url.appendingPathComponent("samples-cerif.xml")
        try export(original).write(to: file)
        let copy = try folder.newRegistry()
        let read = try CerifImporter.read(file: file, displayName: "samples-cerif.xml")
        let report = try copy.write { try CerifImporter.apply(read, to: $0) }
        #expect(report.notes.isEmpty, "\(report.notes)")
        let before = try original.read { try $0.content() }
        let after = try copy.read { try $0.content() }

        #expect(
            after.orgUnits.map { [$0.id, $0.kind.rawValue, $0.name, $0.nameZH ?? "", $0.parentID ?? ""] }
                == before.orgUnits.map { [$0.id, $0.kind.rawValue, $0.name, $0.nameZH ?? "", $0.parentID ?? ""] })
        #expect(
            after.people.map {
                [$0.id, $0.familyName, $0.givenName, $0.orcid ?? "", $0.chineseName ?? ""] + $0.departmentIDs
            }
                == before.people.map {
                    [$0.id, $0.familyName, $0.givenName, $0.orcid ?? "", $0.chineseName ?? ""] + $0.departmentIDs
                })

        #expect(after.projects.count == before.projects.count)
        for (a, b) in zip(after.projects, before.projects) {
            #expect(a.id == b.id && a.title == b.title && a.funder == b.funder && a.programme == b.programme)
            #expect(a.grantNumber == b.grantNumber && a.principalInvestigatorID == b.principalInvestigatorID)
            #expect(
                a.departments == b.departments && a.start == b.start && a.end == b.end && a.amount == b.amount,
                "\(b.id)")
            // CERIF has no funder level: it comes back as "other" (institutional as internal funding).
            #expect(a.level == (b.level == .institutional ? .institutional : .other))
            // CERIF has no project status either: a project that has ended is completed, otherwise ongoing.
            #expect(a.status == b.status, "\(b.id): \(b.status) came back as \(a.status)")
        }

        #expect(after.patents.count == before.patents.count)
        for (a, b) in zip(after.patents, before.patents) {
            #expect(
                a.id == b.id && a.kind == b.kind && a.title == b.title && a.inventors == b.inventors
                    && a.departmentIDs == b.departmentIDs)
            // CERIF's patent dates are whole days; the samples give years, which CERIF cannot hold.
            #expect(a.filed == (b.filed?.precision == .day ? b.filed : nil))
        }

        #expect(after.publications.count == before.publications.count)
        #expect(report.publications.added == before.publications.count)
        // The journals papers name come back as journal records (title, abbreviation, ISSNs; metrics stay behind).
        for journal in after.journals {
            let b = try #require(before.journals.first { $0.id == journal.id })
            #expect(
                journal.title == b.title && journal.isoAbbreviation == b.isoAbbreviation
                    && journal.issnPrint == b.issnPrint)
            #expect(journal.metrics.isEmpty)
        }
        #expect(!after.journals.isEmpty)
        let old = Dictionary(uniqueKeysWithValues: before.publications.map { ($0.id, $0) })
        for a in after.publications {
            let b = try #require(old[a.id])
            #expect(a.kind == (b.kind == .caseReport ? .journalArticle : b.kind), "\(a.id)")
            #expect(a.title.plain == b.title.plain)
            #expect(a.journal?.title == b.journal?.title && a.journal?.issnPrint == b.journal?.issnPrint)
            #expect(a.journal?.journalID == b.journal?.journalID, "\(a.id)")
            #expect(a.journal?.issnElectronic == b.journal?.issnElectronic)
            #expect(a.published == b.published && a.volume == b.volume && a.issue == b.issue)
            #expect(a.doi == b.doi && a.pmid == b.pmid && a.pmcid == b.pmcid, "\(a.id)")
            #expect(a.languages == Array(b.languages.prefix(1)))
            #expect(a.authors.map(\.familyName) == b.authors.map(\.familyName))
            #expect(a.authors.map(\.givenName) == b.authors.map { $0.givenName ?? $0.initials })
            #expect(a.authors.map(\.personID) == b.authors.map(\.personID), "\(a.id)")
            #expect(a.authors.map(\.affiliations) == b.authors.map(\.affiliations))
            #expect(Set(a.departmentIDs) == Set(b.departmentIDs), "\(a.id)")
            #expect(a.projectIDs == b.projectIDs && a.keywords == b.keywords)
            #expect(a.abstract?.plain == b.abstract?.plain)
            #expect(a.source?.kind == .cerif && a.source?.recordID == "Publications/\(a.id)")
            if let pages = b.pages {
                // Page ranges come back written out in full ("101-7" → "101-107").
                #expect(a.pages == pages || (a.pages ?? "").hasPrefix(pages.split(separator: "-")[0] + "-"), "\(a.id)")
            }
        }
    }

    @Test func importingTheExportIntoTheSameRegistryKeepsWhatCerifCannotCarry() throws {
        let store = try samples()
        let before = try store.read { try $0.content() }
        let file = folder.url.appendingPathComponent("again.xml")
        try export(store).write(to: file)
        let read = try CerifImporter.read(file: file)
        let report = try store.write { try CerifImporter.apply(read, to: $0) }
        let after = try store.read { try $0.content() }
        #expect(report.publications.added == 0 && report.publications.merged == 0)
        #expect(report.publications.unchanged == before.publications.count)
        #expect(report.replacements.isEmpty)
        #expect(after.publications == before.publications)
        #expect(after.journals == before.journals)
        #expect(after.people == before.people)
        #expect(after.orgUnits == before.orgUnits)
        #expect(after.projects.map(\.level) == before.projects.map(\.level))
        #expect(after.projects.map(\.status) == before.projects.map(\.status))
        #expect(after.patents == before.patents)
        #expect(after.tallies == before.tallies)
    }

    @Test func aProjectReplacedUnderItsIdIsNamedInTheReport() throws {
        let store = try samples()
        let title =
            "Illustrative project: clinical application of laparoscopy in children (General Surgery, ministerial 1)"
        let text = String(decoding: try export(store), as: UTF8.self)
        #expect(text.contains(title))
        let file = folder.write("renamed.xml", text.replacingOccurrences(of: title, with: "Another project"))
        let report = try store.write { try CerifImporter.apply(try CerifImporter.read(file: file), to: $0) }
        #expect(report.replacements.map(\.id) == ["proj-gs-moe-1"])
        #expect(
            report.description.contains(
                "project 'proj-gs-moe-1' (\"\(title)\"): title \"\(title)\" → \"Another project\""))
        #expect(try store.read { try $0.recordHistory(.project, id: "proj-gs-moe-1") }.count == 1)
    }

    @Test func everyKindComesBackAsTheMappingSays() throws {
        let store = try samples()
        try CerifExportTests.addOneOfEveryKind(to: store)
        let file = folder.url.appendingPathComponent("kinds.xml")
        try export(store).write(to: file)
        let copy = try folder.newRegistry()
        _ = try copy.write { try CerifImporter.apply(try CerifImporter.read(file: file), to: $0) }
        let back = try copy.read { try $0.content() }
        for kind in Publication.Kind.allCases {
            let p = try #require(back.publications.first { $0.id == "all-\(kind.rawValue)" })
            let expected: Publication.Kind =
                switch kind {
                case .caseReport: .journalArticle
                case .retractionNotice: .other
                default: kind
                }
            #expect(p.kind == expected, "\(kind)")
            #expect(p.title.plain == "H2O & everything \(Publication.Kind.allCases.firstIndex(of: kind)!)")
            #expect(p.pages == "401-409" && p.languages == ["chi"] && p.pmcid?.hasPrefix("PMC1000") == true)
            #expect(p.journal?.issnPrint == "0022-3468" && p.journal?.issnElectronic == "1531-5037")
            #expect(p.authors.map(\.collectiveName) == [nil, "Chinese Pediatric Surgery Group", nil])
            #expect(p.authors[2].familyName == "Initials" && p.authors[2].givenName == "AB")
            #expect(p.editors.map(\.familyName) == ["Editor"] && p.publisher == "Springer")
            #expect(p.authors[0].orcid == "0000-0002-1825-0097" && p.projectIDs == ["proj-all"])
            #expect(p.bookTitle == (kind == .bookChapter ? "Pediatric Surgery, 8th edition" : nil))
        }
        for kind in Patent.Kind.allCases {
            let p = try #require(back.patents.first { $0.id == "patent-all-\(kind.rawValue)" })
            #expect(p.kind == kind && p.grantNumber == "ZL2024100001.1" && p.status == .granted)
            #expect(p.inventors.map(\.personID) == ["gao-zhigang", nil])
        }
        let project = try #require(back.projects.first { $0.id == "proj-all" })
        #expect(project.level == .institutional && project.programme == "Young Investigator Fund")
        #expect(project.start == PartialDate("2024-01-01") && project.end == PartialDate("2025-06"))
        #expect(
            project.amount == Money(amount: DecimalNumber("150000.5")!, currency: "CNY")
                && project.grantNumber == "CH-2024-01")
        #expect(back.people.first { $0.id == "gao-zhigang" }?.orcid == "0000-0002-1825-0097")
    }

    @Test func aPersonWithARegistryPersonsORCIDIsThatPerson() throws {
        let store = try samples()
        _ = try store.write { tx in
            var gao = try #require(try tx.people().first { $0.id == "gao-zhigang" })
            gao.orcid = "0000-0002-1825-0097"
            try tx.upsert(gao)
        }
        let count = try store.read { try $0.counts()[.person] }
        let file = folder.write(
            "cris.xml",
            CerifImportErrorTests.document(
                [
                    CerifImportErrorTests.record(
                        #"<Person xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="Persons/77"><PersonName><FamilyNames>Gao</FamilyNames><FirstNames>Zhigang</FirstNames></PersonName><ORCID>https://orcid.org/0000-0002-1825-0097</ORCID></Person>"#
                    ),
                    CerifImportErrorTests.record(
                        #"<Publication xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="Publications/cris-1"><Type xmlns="https://www.openaire.eu/cerif-profile/vocab/COAR_Publication_Types">http://purl.org/coar/resource_type/c_6501</Type><Title>From the CRIS</Title><PublicationDate>2025</PublicationDate><Authors><Author><Person id="Persons/77"><PersonName><FamilyNames>Gao</FamilyNames><FirstNames>Zhigang</FirstNames></PersonName></Person></Author><Author><Person><PersonName><FamilyNames>GAO</FamilyNames></PersonName><ORCID>https://orcid.org/0000-0002-1825-0097</ORCID></Person></Author><Author><Person><PersonName><FamilyNames>Chen</FamilyNames></PersonName><ORCID>https://orcid.org/0000-0002-1825-0097</ORCID></Person></Author></Authors></Publication>"#
                    ),
                ].joined(separator: "\n")))
        let report = try store.write { try CerifImporter.apply(try CerifImporter.read(file: file), to: $0) }
        #expect(try store.read { try $0.counts()[.person] } == count)
        #expect(report.notes.contains { $0.contains("person '77' is the registry's 'gao-zhigang'") }, "\(report.notes)")
        let paper = try #require(try store.read { r in try r.content().publications.first { $0.id == "cris-1" } })
        // By ORCID iD only when the family name agrees: a "Chen" with Gao's iD is someone's typing error.
        #expect(paper.authors.map(\.personID) == ["gao-zhigang", "gao-zhigang", nil])
    }

    @Test func patentNumbersAndStatusSurviveWhereCerifCanHoldThem() throws {
        let store = try samples()
        let patents = [
            Patent(
                id: "patent-granted", kind: .invention, title: "Granted, grant date known to the day",
                applicationNumber: "CN201910012345.6", grantNumber: "ZL201910012345.6",
                inventors: [Contributor(name: "Wang Jinhu", personID: "wang-jinhu")], filed: PartialDate("2019-01-05"),
                granted: PartialDate("2021-06-18"), status: .granted, departmentIDs: ["oncology-surgery"]),
            Patent(
                id: "patent-lapsed", kind: .utilityModel, title: "Lapsed, grant year only",
                applicationNumber: "CN201820000001.X",
                grantNumber: "ZL201820000001.X", filed: PartialDate("2018"), granted: PartialDate("2019"),
                status: .lapsed),
        ]
        _ = try store.write { tx in try patents.map { try tx.upsert($0) } }
        let file = folder.url.appendingPathComponent("patents.xml")
        try export(store).write(to: file)

        // Into the same registry: nothing changes.
        _ = try store.write { try CerifImporter.apply(try CerifImporter.read(file: file), to: $0) }
        #expect(
            try store.read { try $0.patents() }.filter { $0.id.hasPrefix("patent-") && !$0.id.hasPrefix("patent-onc") }
                == patents)

        // Into an empty registry: what CERIF holds (one number, whole-day dates), nothing invented.
        let copy = try folder.newRegistry()
        _ = try copy.write { try CerifImporter.apply(try CerifImporter.read(file: file), to: $0) }
        let back = try copy.read { try $0.patents() }
        let granted = try #require(back.first { $0.id == "patent-granted" })
        #expect(granted.grantNumber == "ZL201910012345.6" && granted.applicationNumber == nil)
        #expect(
            granted.filed == PartialDate("2019-01-05") && granted.granted == PartialDate("2021-06-18")
                && granted.status == .granted)
        #expect(granted.inventors == patents[0].inventors && granted.departmentIDs == ["oncology-surgery"])
        let lapsed = try #require(back.first { $0.id == "patent-lapsed" })
        #expect(lapsed.kind == .utilityModel && lapsed.filed == nil && lapsed.granted == nil && lapsed.status == .filed)
        #expect(lapsed.applicationNumber == "ZL201820000001.X" && lapsed.grantNumber == nil)
    }
}

/// Import of the official OpenAIRE samples in ../shared: each file imports, with the values it holds.
@Suite(.serialized, .enabled(if: CerifReference.available, Comment(rawValue: CerifReference.absent)))
struct CerifSampleImportTests {
    let folder = TemporaryFolder()

    static var sampleFiles: [String] {
        guard let samples = CerifReference.samples,
            let names = try? FileManager.default.contentsOfDirectory(atPath: samples.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".xml") }.sorted()
    }

    func importSample(_ name: String, into store: RegistryStore? = nil) throws -> (RegistryStore, CerifImportReport) {
        let store = try store ?? folder.newRegistry()
        let read = try CerifImporter.read(file: CerifReference.samples!.appendingPathComponent(name), displayName: name)
        let report = try store.write { try CerifImporter.apply(read, to: $0) }
        return (store, report)
    }

    @Test(arguments: sampleFiles)
    func everySampleFileImports(_ name: String) throws {
        let (store, report) = try importSample(name)
        let counts = try store.read { try $0.counts() }
        // What each file holds, and what Annals keeps of it.
        switch name {
        case "openaire_cerif_xml_example_publications.xml":
            #expect(report.publications.added == 5 && counts[.journal] == 2)
        case "openaire_cerif_xml_example_persons.xml": #expect(counts[.person] == 19)
        case "openaire_cerif_xml_example_orgunits.xml": #expect(counts[.orgUnit] == 13)
        case "openaire_cerif_xml_example_projects.xml": #expect(counts[.project] == 4)
        case "openaire_cerif_xml_example_patents.xml": #expect(counts[.patent] == 2)
        case "openaire_cerif_xml_example_fundings.xml":
            // Fundings are kept with the projects that name them; this file has none.
            #expect(report.notes.filter { $0.contains("Annals keeps funding as part of a project") }.count == 11)
        case "openaire_cerif_xml_example_products.xml", "openaire_cerif_xml_example_equipments.xml",
            "openaire_cerif_xml_example_events.xml":
            #expect(report.notes.contains { $0.contains("Annals keeps no such records") })
        default:
            #expect(name.hasPrefix("openaire_oaipmh_example_"), "a sample file this test does not know: \(name)")
        }
    }

    @Test func publicationsComeWithTheirIdentifiersAuthorsAndJournals() throws {
        let (store, report) = try importSample("openaire_cerif_xml_example_publications.xml")
        let content = try store.read { try $0.content() }
        let paper = try #require(content.publications.first { $0.id == "812348" })
        #expect(paper.kind == .journalArticle)
        #expect(paper.title.plain == "Linking Data and Publications: Towards a Cross-Disciplinary Approach")
        #expect(paper.journal?.title == "The International Journal of Digital Curation")
        #expect(paper.journal?.issnPrint == "1746-8256")
        #expect(paper.journal?.journalID == "894490", "PublishedIn names the journal record of the same file")
        #expect(paper.published == PartialDate(year: 2013, month: 6, day: 14))
        #expect(paper.volume == "8" && paper.issue == "1" && paper.pages == "244-254")
        #expect(paper.doi == "10.2218/ijdc.v8i1.257")
        #expect(paper.languages == ["eng"])
        #expect(paper.authors.count == 8)
        #expect(
            paper.authors[0].familyName == "Hoogerwerf" && paper.authors[0].givenName == "Maarten"
                && paper.authors[0].isFirst)
        #expect(paper.authors[1].familyName == "Lösch")
        #expect(paper.authors.first { $0.familyName == "Manghi" }?.orcid == "0000-0001-7291-3210")
        #expect(paper.authors.allSatisfy { $0.personID == nil }, "the CRIS's persons are not registry people")
        #expect(paper.abstract?.plain.hasPrefix("In this paper, we tackle the challenge") == true)
        #expect(
            paper.source
                == Provenance(
                    kind: .cerif, file: "openaire_cerif_xml_example_publications.xml", recordID: "Publications/812348"))

        let conference = try #require(content.publications.first { $0.id == "4123451" })
        #expect(conference.kind == .conferencePaper)
        #expect(conference.bookTitle == "Metadata and Semantics Research")
        #expect(conference.authors[0].affiliations == ["CNR"])
        #expect(conference.keywords.contains("CERIF"))
        #expect(content.publications.first { $0.id == "894491" }?.kind == .editorial)
        #expect(content.publications.first { $0.id == "895501" }?.kind == .other)  // conference proceedings

        let journal = try #require(content.journals.first { $0.id == "894490" })
        #expect(journal.title == "The International Journal of Digital Curation" && journal.isoAbbreviation == "IJDC")
        #expect(content.journals.first { $0.id == "893204" }?.issnPrint == "1558-5646")
        #expect(report.notes.contains { $0.contains("Publications/899999") && $0.contains("deleted") })
    }

    @Test func personsOrgUnitsAndProjectsLinkUpWhenImportedInTurn() throws {
        let (store, _) = try importSample("openaire_cerif_xml_example_orgunits.xml")
        var units = try store.read { try $0.orgUnits() }
        #expect(units.first { $0.id == "312345" }?.name == "NATIONAL AND KAPODISTRIAN UNIVERSITY OF ATHENS")
        #expect(units.first { $0.id == "301248" }?.parentID == "329384")
        #expect(units.first { $0.id == "301248" }?.kind == .department)

        let (_, persons) = try importSample("openaire_cerif_xml_example_persons.xml", into: store)
        let people = try store.read { try $0.people() }
        let houssos = try #require(people.first { $0.id == "2123451" })
        #expect(
            houssos.familyName == "Houssos" && houssos.givenName == "Nikos" && houssos.orcid == "0000-0002-5277-285X")
        #expect(houssos.departmentIDs == ["312347"])
        // The samples' edge-case ORCIDs have wrong check digits: left out, and said so.
        #expect(persons.notes.contains { $0.contains("0009-0000-0000-0000") })

        let (_, projects) = try importSample("openaire_cerif_xml_example_projects.xml", into: store)
        let project = try #require(try store.read { try $0.projects() }.first { $0.id == "112345" })
        #expect(project.title == "2nd-Generation Open Access Infrastructure for Research in Europe")
        #expect(project.funder == "European Commission")
        #expect(project.programme == "Research infrastructures")
        #expect(project.grantNumber == "283595")
        #expect(
            project.start == PartialDate(year: 2011, month: 12, day: 1)
                && project.end == PartialDate(year: 2014, month: 5, day: 31))
        #expect(project.departments.first == Project.DepartmentRole(departmentID: "312345", role: .lead))
        #expect(project.level == .other && project.status == .completed)
        units = try store.read { try $0.orgUnits() }
        #expect(projects.notes.allSatisfy { !$0.contains("'312345'") })
    }

    @Test func patentsKeepTheirNumbersDatesAndInventors() throws {
        let (store, _) = try importSample("openaire_cerif_xml_example_patents.xml")
        let patents = try store.read { try $0.patents() }
        let filed = try #require(patents.first { $0.id == "712178" })
        #expect(
            filed.kind == .invention && filed.title == "MEDICAL DEVICE, IN PARTICULAR FOR THE SEPARATION OF A FLUID")
        #expect(filed.filed == PartialDate(year: 2013, month: 11, day: 14) && filed.status == .filed)
        #expect(filed.applicationNumber == "BR20161110203")
        #expect(filed.inventors.map(\.name) == ["Zanin Massimo", "Pizzi Marco", "Mazzucco Laura", "Bertoni Marco"])
        let granted = try #require(patents.first { $0.id == "712179" })
        #expect(granted.granted == PartialDate(year: 2014, month: 11, day: 13) && granted.status == .granted)
        #expect(granted.grantNumber == "WO2014IB66015")
    }
}

/// Files that are not acceptable CERIF: every problem as FILE:LINE:COLUMN, and nothing written.
@Suite(.serialized) struct CerifImportErrorTests {
    let folder = TemporaryFolder()

    static func document(_ records: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
          <ListRecords>
        \(records)
          </ListRecords>
        </OAI-PMH>

        """
    }

    static func record(_ entity: String) -> String {
        "    <record><header><identifier>x</identifier></header><metadata>\n\(entity)\n    </metadata></record>"
    }

    /// Reads and applies `text`; returns the diagnostics, having checked that the registry did not change.
    func refused(_ name: String, _ text: String) throws -> [String] {
        let file = folder.write(name, text)
        let store = try folder.newRegistry()
        let before = try store.read { try $0.counts() }
        var lines: [String] = []
        do {
            let read = try CerifImporter.read(file: file, displayName: name)
            _ = try store.write { try CerifImporter.apply(read, to: $0) }
            Issue.record("\(name) was imported")
        } catch let failure as DiagnosticError {
            lines = failure.diagnostics.map(\.description)
        }
        #expect(try store.read { try $0.counts() } == before)
        return lines
    }

    @Test func badValuesAreReportedWithLineAndColumnAndNothingIsWritten() throws {
        let text = Self.document(
            [
                Self.record(
                    #"<OrgUnit xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="OrgUnits/ok"><Name>Fine</Name></OrgUnit>"#
                ),
                Self.record(
                    #"<Publication xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="Publications/p1"><Title>T</Title>"#
                        + "\n" + #"      <PublicationDate>2024-13-45</PublicationDate></Publication>"#),
                Self.record(
                    #"<Person xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="Persons/a"><PersonName><FirstNames>Ann</FirstNames></PersonName></Person>"#
                ),
                Self.record(
                    #"<Project xmlns="https://www.openaire.eu/cerif-profile/1.2/"><Title>No id</Title></Project>"#),
            ].joined(separator: "\n"))
        let lines = try refused("bad.xml", text)
        #expect(
            lines.contains(
                "bad.xml:9:7: error: the publication date '2024-13-45' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
            ), "\(lines)")
        #expect(
            lines.contains { $0.hasPrefix("bad.xml:12:1: error: person 'a' has no <PersonName><FamilyNames>") },
            "\(lines)")
        #expect(lines.contains { $0.hasPrefix("bad.xml:15:1: error: this Project has no id attribute") }, "\(lines)")
        #expect(lines.count == 3)
    }

    @Test func aFileThatIsNotCerifIsRefusedAtItsFirstElement() throws {
        let lines = try refused(
            "registry.xml", "<?xml version=\"1.0\"?>\n  <registry xmlns=\"urn:annals:registry:1\" version=\"1\"/>\n")
        #expect(lines.count == 1)
        #expect(
            lines.first?.hasPrefix("registry.xml:2:3: error: this is not an OpenAIRE CERIF file") == true, "\(lines)")
        let file = folder.write(
            "registry-again.xml", "<?xml version=\"1.0\"?>\n<registry xmlns=\"urn:annals:registry:1\"/>\n")
        let error = try #require(throws: DiagnosticError.self) { try CerifImporter.read(file: file) }
        #expect(error.code == .cerifNotCerif)
        let foreign = try refused(
            "foreign.xml",
            Self.document(Self.record(#"<Publication xmlns="urn:other"><Title>x</Title></Publication>"#)))
        #expect(foreign.first?.contains("is not a CERIF entity") == true, "\(foreign)")
    }

    @Test func elementsFromOutsideCerifAndRepeatedIdsAreRefused() throws {
        let lines = try refused(
            "mixed.xml",
            Self.document(
                [
                    Self.record(
                        #"<Patent xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="Patents/x"><Title>A</Title><evil:script xmlns:evil="urn:evil"/></Patent>"#
                    ),
                    Self.record(
                        #"<Patent xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="Patents/y"><Title>A</Title></Patent>"#
                    ),
                    Self.record(
                        #"<Patent xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="Patents/y"><Title>B</Title></Patent>"#
                    ),
                ].joined(separator: "\n")))
        #expect(
            lines.contains { $0.hasPrefix("mixed.xml:5:91: error: <evil:script> is not part of OpenAIRE CERIF 1.2") },
            "\(lines)")
        #expect(
            lines.contains { $0.hasPrefix("mixed.xml:11:1: error: patent 'y' is also defined on line 8") }, "\(lines)")
    }
}
