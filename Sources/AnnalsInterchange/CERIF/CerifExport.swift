public import AnnalsModel
public import AnnalsXML
public import Foundation

/// Writes the registry as OpenAIRE CERIF-XML 1.2 (Guidelines for CRIS Managers): each organisation
/// unit, person, project, funding, publication and patent as one OAI-PMH `record`, the way the
/// guidelines' samples wrap them. Every entity validates against `openaire-cerif-profile.xsd`.
///
/// What Annals holds that CERIF has no place for (funder level, case tallies, awards, beds, clinical
/// ranks, …) is left out; `docs/cerif-mapping.md` lists it.
public enum CerifExporter {
    /// Which records to write.
    public struct Selection: Sendable {
        /// Publications of this year, patents filed or granted in it, projects running in it.
        public var year: Int?
        /// Records credited to this department (with the people and units they name).
        public var department: String?

        public init(year: Int? = nil, department: String? = nil) {
            self.year = year
            self.department = department
        }
    }

    /// The records a selection writes, with every project, person and organisation unit they refer to.
    /// Publications are not held: a first pass notes what they name, and they are streamed when written.
    struct Records {
        var orgUnits: [OrgUnit] = []
        var people: [Person] = []
        var projects: [Project] = []
        /// The journals the publications appeared in, written as CERIF publications of type journal.
        var journals: [Journal] = []
        var patents: [Patent] = []
    }

    /// Streams the selected records of `registry` to `sink`. `date` is written as the OAI-PMH
    /// response date and record datestamps, so the same registry and date give the same bytes.
    public static func export(
        _ registry: some RegistryReading, selection: Selection = .init(), date: Date = Date(),
        to sink: @escaping XMLStreamWriter.Sink
    ) throws {
        let records = try select(registry, selection)
        let stamp = timestamp(date)
        let peopleByID = Dictionary(records.people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let journalIDs = Set(records.journals.map(\.id))
        let w = try XMLStreamWriter(sink: sink)
        try w.startDocument()
        try w.startElement("OAI-PMH")
        try w.defaultNamespace(Cerif.oaiNamespace)
        try w.element("responseDate", stamp)
        try w.element(
            "request", "urn:annals:export",
            attributes: ["verb": "ListRecords", "metadataPrefix": "oai_cerif_openaire_v1_2"])
        try w.startElement("ListRecords")
        func record(_ entity: Cerif.Entity, _ id: String, _ body: () throws -> Void) throws {
            try w.startElement("record")
            try w.startElement("header")
            try w.element("identifier", "oai:annals:" + Cerif.id(entity, id))
            try w.element("datestamp", stamp)
            try w.element("setSpec", entity.set)
            try w.endElement()
            try w.startElement("metadata")
            try body()
            try w.endElement()
            try w.endElement()
        }
        for unit in records.orgUnits { try record(.orgUnit, unit.id) { try write(unit, w) } }
        for person in records.people { try record(.person, person.id) { try write(person, w) } }
        for project in records.projects { try record(.project, project.id) { try write(project, w) } }
        for project in records.projects { try record(.funding, project.id) { try writeFunding(of: project, w) } }
        for journal in records.journals { try record(.publication, journal.id) { try write(journal, w) } }
        try registry.forEachPublication(year: selection.year, department: selection.department, person: nil) {
            publication in
            try record(.publication, publication.id) {
                try write(publication, people: peopleByID, journals: journalIDs, w)
            }
        }
        for patent in records.patents { try record(.patent, patent.id) { try write(patent, people: peopleByID, w) } }
        try w.endElement()
        try w.endElement()
        try w.endDocument()
    }

    /// `2024-12-31T08:00:00Z`.
    static func timestamp(_ date: Date) -> String { ChangeEntry.timestamp(date) }

    static func select(_ registry: some RegistryReading, _ selection: Selection) throws -> Records {
        var records = Records()
        let department = selection.department
        let year = selection.year
        // What the selected papers name (the papers themselves are read again when written).
        var paperIDs: Set<String> = []
        var paperPeople: Set<String> = []
        var paperProjects: Set<String> = []
        var paperJournals: Set<String> = []
        try registry.forEachPublication(year: year, department: department, person: nil) { p in
            paperIDs.insert(p.id)
            paperPeople.formUnion((p.authors + p.editors).compactMap(\.personID))
            paperProjects.formUnion(p.projectIDs)
            if let journal = p.journal?.journalID { paperJournals.insert(journal) }
        }
        records.patents = try registry.patents().filter { patent in
            (department.map { patent.departmentIDs.contains($0) } ?? true)
                && (year.map { patent.filed?.year == $0 || patent.granted?.year == $0 } ?? true)
        }
        records.projects = try registry.projects().filter { project in
            (department.map { d in project.departments.contains { $0.departmentID == d } } ?? true)
                && (year.map { y in (project.start?.year ?? .min) <= y && y <= (project.end?.year ?? .max) } ?? true)
        }
        // Projects the selected papers come from travel with them.
        let named = paperProjects.subtracting(records.projects.map(\.id))
        if !named.isEmpty {
            let wanted = named.union(records.projects.map(\.id))
            records.projects = try registry.projects().filter { wanted.contains($0.id) }
        }
        let allPeople = try registry.people()
        let allUnits = try registry.orgUnits()
        // People: the department's (or everyone), and everyone the selected records name.
        var personIDs = Set(allPeople.filter { p in department.map { p.departmentIDs.contains($0) } ?? true }.map(\.id))
        personIDs.formUnion(paperPeople)
        for p in records.patents { personIDs.formUnion(p.inventors.compactMap(\.personID)) }
        for p in records.projects { if let pi = p.principalInvestigatorID { personIDs.insert(pi) } }
        records.people = allPeople.filter { personIDs.contains($0.id) }
        // Units: the department (or all), every unit named, and their parents up to the hospital.
        var unitIDs = Set(allUnits.filter { u in department.map { u.id == $0 } ?? true }.map(\.id))
        for p in records.people { unitIDs.formUnion(p.departmentIDs) }
        for p in records.projects { unitIDs.formUnion(p.departments.map(\.departmentID)) }
        let parents = Dictionary(allUnits.map { ($0.id, $0.parentID) }, uniquingKeysWith: { a, _ in a })
        var pending = Array(unitIDs)
        while let id = pending.popLast() {
            if let parent = parents[id] ?? nil, unitIDs.insert(parent).inserted { pending.append(parent) }
        }
        records.orgUnits = allUnits.filter { unitIDs.contains($0.id) }
        // Journals share CERIF's Publications/ ids with papers: one whose id a paper has is not written.
        let journalIDs = paperJournals.subtracting(paperIDs)
        records.journals = try registry.journals().filter { journalIDs.contains($0.id) }
        return records
    }

    // MARK: - Entities

    /// `<Name>` for a name in English and in Chinese characters.
    private static func names(_ english: String, _ chinese: String?, _ w: XMLStreamWriter) throws {
        try w.element("Name", english, attributes: ["xml:lang": "en"])
        if let chinese { try w.element("Name", chinese, attributes: ["xml:lang": "zh"]) }
    }

    /// An OrgUnit known only by its name (a funder, an affiliation as printed).
    private static func namedOrgUnit(_ name: String, _ w: XMLStreamWriter) throws {
        try w.startElement("OrgUnit")
        try w.element("Name", name)
        try w.endElement()
    }

    private static func reference(_ entity: Cerif.Entity, _ id: String, _ w: XMLStreamWriter) throws {
        try w.element(entity.rawValue, nil, attributes: ["id": Cerif.id(entity, id)])
    }

    private static func startEntity(_ entity: Cerif.Entity, _ id: String, _ w: XMLStreamWriter) throws {
        try w.startElement(entity.rawValue)
        try w.defaultNamespace(Cerif.namespace)
        try w.attribute("id", Cerif.id(entity, id))
    }

    private static func type(_ uri: String, vocabulary: String, _ w: XMLStreamWriter) throws {
        try w.startElement("Type")
        try w.defaultNamespace(vocabulary)
        try w.text(uri)
        try w.endElement()
    }

    static func write(_ unit: OrgUnit, _ w: XMLStreamWriter) throws {
        try startEntity(.orgUnit, unit.id, w)
        try names(unit.name, unit.nameZH, w)
        if let parent = unit.parentID {
            try w.startElement("PartOf")
            try reference(.orgUnit, parent, w)
            try w.endElement()
        }
        try w.endElement()
    }

    static func write(_ person: Person, _ w: XMLStreamWriter) throws {
        try startEntity(.person, person.id, w)
        try w.startElement("PersonName")
        try w.element("FamilyNames", person.familyName)
        try w.element("FirstNames", person.givenName)
        try w.element("OtherNames", person.chineseName)
        try w.endElement()
        try w.element("ORCID", person.orcid.flatMap(Cerif.orcidURI))
        for department in person.departmentIDs {
            try w.startElement("Affiliation")
            try reference(.orgUnit, department, w)
            try w.endElement()
        }
        try w.endElement()
    }

    static func write(_ project: Project, _ w: XMLStreamWriter) throws {
        try startEntity(.project, project.id, w)
        try w.element("Title", project.title)
        if let grant = project.grantNumber {
            try w.element("Identifier", grant, attributes: ["type": Cerif.projectReference])
        }
        // StartDate and EndDate are whole days in CERIF; a year or a month goes in the funding's Duration.
        try w.element("StartDate", project.start.flatMap { $0.precision == .day ? $0.description : nil })
        try w.element("EndDate", project.end.flatMap { $0.precision == .day ? $0.description : nil })
        if !project.departments.isEmpty {
            try w.startElement("Consortium")
            for d in project.departments where d.role == .lead {
                try w.startElement("Coordinator")
                try reference(.orgUnit, d.departmentID, w)
                try w.endElement()
            }
            for d in project.departments where d.role == .participant {
                try w.startElement("Partner")
                try reference(.orgUnit, d.departmentID, w)
                try w.endElement()
            }
            try w.endElement()
        }
        if let pi = project.principalInvestigatorID {
            try w.startElement("Team")
            try w.startElement("PrincipalInvestigator")
            try reference(.person, pi, w)
            try w.endElement()
            try w.endElement()
        }
        try w.startElement("Funded")
        try w.startElement("By")
        try namedOrgUnit(project.funder, w)
        try w.endElement()
        try w.startElement("As")
        try reference(.funding, project.id, w)
        try w.endElement()
        try w.endElement()
        try w.endElement()
    }

    /// The funding of one project: a grant (internal funding for a project the institution funds
    /// itself), part of the funder's programme, with the amount, grant number, funder and duration.
    static func writeFunding(of project: Project, _ w: XMLStreamWriter) throws {
        try startEntity(.funding, project.id, w)
        try type(
            Cerif.fundingTypes + (project.level == .institutional ? "#InternalFunding" : "#Grant"),
            vocabulary: Cerif.fundingTypes, w)
        if let amount = project.amount {
            try w.element("Amount", amount.amount.text, attributes: ["currency": amount.currency])
        }
        if let grant = project.grantNumber {
            try w.element("Identifier", grant, attributes: ["type": Cerif.projectReference])
        }
        try w.startElement("Funder")
        try namedOrgUnit(project.funder, w)
        try w.endElement()
        if let programme = project.programme {
            try w.startElement("PartOf")
            try w.startElement("Funding")
            try type(Cerif.fundingTypes + "#FundingProgramme", vocabulary: Cerif.fundingTypes, w)
            try w.element("Name", programme)
            try w.endElement()
            try w.endElement()
        }
        if project.start != nil || project.end != nil {
            try w.element(
                "Duration", nil,
                attributes: ["startDate": project.start?.description, "endDate": project.end?.description])
        }
        try w.endElement()
    }

    /// A journal, as the guidelines' samples write one: a publication of COAR type journal.
    static func write(_ journal: Journal, _ w: XMLStreamWriter) throws {
        try startEntity(.publication, journal.id, w)
        try type(Cerif.coar + "c_0640", vocabulary: Cerif.publicationTypes, w)
        try w.element("Title", journal.title)
        try w.element("NameAbbreviation", journal.isoAbbreviation)
        try issns(print: journal.issnPrint, electronic: journal.issnElectronic, linking: journal.issnLinking, w)
        try w.endElement()
    }

    private static func issns(print: String?, electronic: String?, linking: String?, _ w: XMLStreamWriter) throws {
        if let issn = print, Cerif.isISSN(issn) { try w.element("ISSN", issn, attributes: ["medium": Cerif.issnPrint]) }
        if let issn = electronic, Cerif.isISSN(issn) {
            try w.element("ISSN", issn, attributes: ["medium": Cerif.issnOnline])
        }
        if print == nil, electronic == nil, let issn = linking, Cerif.isISSN(issn) { try w.element("ISSN", issn) }
    }

    static func write(_ publication: Publication, people: [String: Person], journals: Set<String>, _ w: XMLStreamWriter)
        throws
    {
        let p = publication
        try startEntity(.publication, p.id, w)
        try type(Cerif.coarType(p.kind), vocabulary: Cerif.publicationTypes, w)
        try w.element("Language", p.languages.first.map(Self.languageCode))
        try w.element("Title", p.title.plain)
        if let journal = p.journal {
            try w.startElement("PublishedIn")
            try w.startElement("Publication")
            if let id = journal.journalID, journals.contains(id) { try w.attribute("id", Cerif.id(.publication, id)) }
            try type(Cerif.coar + "c_0640", vocabulary: Cerif.publicationTypes, w)
            try w.element("Title", journal.title)
            try issns(print: journal.issnPrint, electronic: journal.issnElectronic, linking: journal.issnLinking, w)
            try w.endElement()
            try w.endElement()
        }
        if let book = p.bookTitle, p.kind == .bookChapter {
            try w.startElement("PartOf")
            try w.startElement("Publication")
            try type(Cerif.coar + "c_2f33", vocabulary: Cerif.publicationTypes, w)
            try w.element("Title", book)
            try w.endElement()
            try w.endElement()
        }
        try w.element("PublicationDate", p.published?.description)
        try w.element("Volume", p.volume)
        try w.element("Issue", p.issue)
        if let pages = p.pages {
            let (start, end) = Self.pageRange(pages)
            try w.element("StartPage", start)
            try w.element("EndPage", end)
        }
        try w.element("DOI", p.doi.flatMap { Cerif.isDOI($0) ? $0 : nil })
        try w.element("PMCID", p.pmcid)
        // CERIF has no PMID element: the PubMed address carries it (read back by `annals import cerif`).
        try w.element("URL", p.pmid.map { Cerif.pubmedURL + $0 + "/" })
        let credited = Set(p.departmentIDs)
        func contributors(_ list: [Author], _ group: String, _ item: String) throws {
            guard !list.isEmpty else { return }
            try w.startElement(group)
            for author in list {
                try w.startElement(item)
                if let collective = author.collectiveName {
                    try w.element("DisplayName", collective)
                    try namedOrgUnit(collective, w)
                } else {
                    try w.element(
                        "DisplayName",
                        author.chineseName
                            ?? [author.givenName ?? author.initials, author.familyName].compactMap { $0 }.joined(
                                separator: " "))
                    try w.startElement("Person")
                    try w.attribute("id", author.personID.map { Cerif.id(.person, $0) })
                    try w.startElement("PersonName")
                    try w.element("FamilyNames", author.familyName)
                    try w.element("FirstNames", author.givenName ?? author.initials)
                    try w.endElement()
                    try w.element("ORCID", author.orcid.flatMap(Cerif.orcidURI))
                    try w.endElement()
                    for affiliation in author.affiliations {
                        try w.startElement("Affiliation")
                        try namedOrgUnit(affiliation, w)
                        try w.endElement()
                    }
                    // The departments the paper is credited to through this author.
                    for department in people[author.personID ?? ""]?.departmentIDs ?? []
                    where credited.contains(department) {
                        try w.startElement("Affiliation")
                        try reference(.orgUnit, department, w)
                        try w.endElement()
                    }
                }
                try w.endElement()
            }
            try w.endElement()
        }
        try contributors(p.authors, "Authors", "Author")
        try contributors(p.editors, "Editors", "Editor")
        if let publisher = p.publisher {
            try w.startElement("Publishers")
            try w.startElement("Publisher")
            try namedOrgUnit(publisher, w)
            try w.endElement()
            try w.endElement()
        }
        for keyword in p.keywords { try w.element("Keyword", keyword) }
        try w.element("Abstract", p.abstract?.plain)
        for project in p.projectIDs {
            try w.startElement("OriginatesFrom")
            try reference(.project, project, w)
            try w.endElement()
        }
        try w.endElement()
    }

    static func write(_ patent: Patent, people: [String: Person], _ w: XMLStreamWriter) throws {
        try startEntity(.patent, patent.id, w)
        try type(Cerif.coarType(patent.kind), vocabulary: Cerif.patentTypes, w)
        try w.element("Title", patent.title)
        // Whole days only: CERIF's patent dates have no year-only form.
        try w.element("RegistrationDate", patent.filed.flatMap { $0.precision == .day ? $0.description : nil })
        try w.element("ApprovalDate", patent.granted.flatMap { $0.precision == .day ? $0.description : nil })
        try w.element("CountryCode", "CN")
        try w.startElement("Issuer")
        try namedOrgUnit("China National Intellectual Property Administration", w)
        try w.endElement()
        try w.element("PatentNumber", patent.grantNumber ?? patent.applicationNumber)
        if !patent.inventors.isEmpty {
            let credited = Set(patent.departmentIDs)
            try w.startElement("Inventors")
            for inventor in patent.inventors {
                try w.startElement("Inventor")
                try w.element("DisplayName", inventor.name)
                if let id = inventor.personID, let person = people[id] {
                    try w.startElement("Person")
                    try w.attribute("id", Cerif.id(.person, id))
                    try w.startElement("PersonName")
                    try w.element("FamilyNames", person.familyName)
                    try w.element("FirstNames", person.givenName)
                    try w.endElement()
                    try w.endElement()
                    for department in person.departmentIDs where credited.contains(department) {
                        try w.startElement("Affiliation")
                        try reference(.orgUnit, department, w)
                        try w.endElement()
                    }
                } else {
                    try w.startElement("Person")
                    try w.attribute("id", inventor.personID.map { Cerif.id(.person, $0) })
                    try w.endElement()
                }
                try w.endElement()
            }
            try w.endElement()
        }
        try w.endElement()
    }

    // MARK: - Helpers

    /// ISO 639-1 where it exists for the languages Annals meets most ("eng" → "en"), else as recorded.
    static func languageCode(_ code: String) -> String {
        languages.first { $0.iso6392 == code }?.iso6391 ?? code
    }

    static let languages: [(iso6392: String, iso6391: String)] = [
        ("eng", "en"), ("chi", "zh"), ("jpn", "ja"), ("ger", "de"), ("fre", "fr"), ("spa", "es"), ("rus", "ru"),
        ("kor", "ko"), ("ita", "it"), ("por", "pt"),
    ]

    /// "101-7" → ("101", "107"): the first and last page, the last written out in full.
    static func pageRange(_ pages: String) -> (String, String?) {
        let parts = pages.split(separator: "-", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return (pages, nil) }
        let start = parts[0]
        var end = parts[1]
        if end.count < start.count, start.allSatisfy(\.isNumber), end.allSatisfy(\.isNumber) {
            end = String(start.prefix(start.count - end.count)) + end
        }
        return (start, end)
    }
}
