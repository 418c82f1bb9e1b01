import AnnalsDiagnostics
import AnnalsModel
import AnnalsXML
import Foundation

/// Turns the OAI-PMH records of a CERIF file into Annals records, one `record` element at a time.
struct CerifParser {
    /// The funder of a project whose CERIF record names none.
    static let noFunder = "(funder not given)"

    /// Today in UTC: a project that ended before it is completed, otherwise ongoing.
    static var today: Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    let file: URL
    let displayName: String
    private var result: CerifFile
    private var diagnostics: [Diagnostic] = []
    /// Fundings given as records of their own, by CERIF id: projects name them.
    private var fundings: [String: XMLElement] = [:]
    /// Projects waiting for the fundings they name (which may come later in the file).
    private var projects: [(element: XMLElement, project: Project)] = []
    private var usedFundings: Set<String> = []

    init(file: URL, displayName: String) {
        self.file = file
        self.displayName = displayName
        result = CerifFile(displayName: displayName, url: file, sha256: "")
    }

    private mutating func problem(_ element: XMLElement, _ message: String) {
        diagnostics.append(
            .at(
                element: element.name, line: element.line, in: file, displayName: displayName,
                code: .cerifInvalidRecord, message: message))
    }

    /// One OAI-PMH `<record>`.
    mutating func record(_ record: XMLElement) {
        guard record.name == "record", record.namespaceURI == Cerif.oaiNamespace else { return }
        if record.child("header")?[attribute: "status"] == "deleted" {
            let id = record.child("header")?.childText("identifier") ?? "?"
            result.notes.append("\(id): deleted in the CRIS; Annals removes nothing on import")
            return
        }
        guard let metadata = record.child("metadata") else { return }
        guard let entity = metadata.elements.first else {
            problem(
                metadata,
                "this <metadata> is empty; a CERIF record holds one entity (Publication, Person, OrgUnit, Project, Funding or Patent)"
            )
            return
        }
        self.entity(entity)
    }

    /// One CERIF entity: inside an OAI-PMH record, or the whole document.
    mutating func entity(_ entity: XMLElement) {
        guard let ns = entity.namespaceURI, Cerif.namespaces.contains(ns) else {
            problem(
                entity,
                "<\(entity.qualifiedName)> is not a CERIF entity: expected an element in the namespace \(Cerif.namespace) (OpenAIRE CERIF 1.2) or https://www.openaire.eu/cerif-profile/1.1/"
            )
            return
        }
        guard checkNamespaces(entity) else { return }
        guard let kind = Cerif.Entity(rawValue: entity.name) else {
            result.notes.append(
                "\(entity[attribute: "id"] ?? entity.name): a CERIF \(entity.name); Annals keeps no such records")
            return
        }
        guard let cerifID = entity[attribute: "id"] else {
            problem(
                entity,
                "this \(entity.name) has no id attribute; Annals needs one to recognise the record when it is imported again"
            )
            return
        }
        if kind == .funding {
            fundings[cerifID] = entity
            return
        }
        guard let id = Cerif.annalsID(cerifID, kind) else {
            problem(entity, "the id '\(cerifID)' cannot be made into an Annals id (letters and digits are needed)")
            return
        }
        switch kind {
        case .orgUnit:
            if let unit = orgUnit(entity, id) { add(.orgUnit, id, entity) { $0.content.orgUnits.append(unit) } }
        case .person:
            if let person = person(entity, id) { add(.person, id, entity) { $0.content.people.append(person) } }
        case .project:
            if let project = project(entity, id) {
                add(.project, id, entity) { _ in }
                projects.append((entity, project))
            }
        case .publication:
            switch publication(entity, id, cerifID) {
            case .journal(let journal)?:
                add(.journal, id, entity) { $0.content.journals.append(journal) }
            case .publication(let p)?:
                add(.publication, id, entity) { $0.publications.append(p) }
            case nil:
                break
            }
        case .patent:
            if let patent = patent(entity, id) { add(.patent, id, entity) { $0.content.patents.append(patent) } }
        case .funding:
            break
        }
    }

    private mutating func add(
        _ kind: EntityKind, _ id: String, _ element: XMLElement, _ body: (inout CerifFile) -> Void
    ) {
        let key = RegistryFile.RecordKey(kind: kind, id: id)
        if let earlier = result.locations[key] {
            problem(element, "\(kind.noun) '\(id)' is also defined on line \(earlier.line); keep one of the two")
            return
        }
        result.locations[key] = (element.name, element.line)
        body(&result)
    }

    /// Refuses elements from outside CERIF (an XInclude, another format's markup) inside an entity.
    private mutating func checkNamespaces(_ element: XMLElement) -> Bool {
        for child in element.elements {
            guard let ns = child.namespaceURI, CerifImporter.cerifNamespaces.contains(ns) else {
                problem(
                    child,
                    "<\(child.qualifiedName)> is not part of OpenAIRE CERIF 1.2 (nor 1.1) and is not read; remove it")
                return false
            }
            if !checkNamespaces(child) { return false }
        }
        return true
    }

    /// Finishes the file: projects get their fundings; fundings no project names are listed.
    mutating func finish(sha256: String) throws -> CerifFile {
        for (element, var project) in projects {
            complete(&project, element)
            result.content.projects.append(project)
        }
        for (id, funding) in fundings.sorted(by: { $0.key < $1.key }) where !usedFundings.contains(id) {
            let type = funding.childText("Type").map { String($0.split(separator: "#").last ?? "") } ?? "funding"
            let name = mlang(funding, "Name") ?? funding.childText("Acronym") ?? ""
            result.notes.append(
                "\(id) (\(type)\(name.isEmpty ? "" : ": \(name)")): Annals keeps funding as part of a project, and no project in this file names it"
            )
        }
        for problem in result.content.recordProblems {
            let place = result.locations[.init(kind: problem.kind, id: problem.id)]
            diagnostics.append(
                .at(
                    element: place?.element ?? "", line: place?.line ?? 0, in: file, displayName: displayName,
                    code: .registryInvalidRecord, message: problem.message))
        }
        if !diagnostics.isEmpty { throw DiagnosticError(diagnostics.sorted { $0.line < $1.line }) }
        result.sha256 = sha256
        return result
    }

    // MARK: - Values

    /// The text of the first `name` child in English (or without a language), else the first of any language.
    private func mlang(_ element: XMLElement, _ name: String) -> String? {
        let all = element.children(name).filter { !$0.text.trimmingXMLWhitespace().isEmpty }
        let english = all.first { ($0[attribute: "lang"] ?? "en").lowercased().hasPrefix("en") }
        return (english ?? all.first)?.text.trimmingXMLWhitespace()
    }

    private func chineseName(_ element: XMLElement, _ name: String) -> String? {
        element.children(name).first { ($0[attribute: "lang"] ?? "").lowercased().hasPrefix("zh") }?.text
            .trimmingXMLWhitespace()
    }

    /// A date as CERIF writes it (`2024`, `2024-03`, `2024-03-15`, or a date and time): the date part.
    private mutating func date(_ element: XMLElement?, _ what: String) -> PartialDate? {
        guard let element else { return nil }
        return date(text: element.text.trimmingXMLWhitespace(), at: element, what)
    }

    private mutating func date(text: String?, at element: XMLElement, _ what: String) -> PartialDate? {
        guard let text, !text.isEmpty else { return nil }
        let day = String(text.prefix { $0 != "T" })
        guard let date = PartialDate(day) else {
            problem(element, "the \(what) '\(text)' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
            return nil
        }
        return date
    }

    private mutating func orcid(_ element: XMLElement) -> String? {
        guard let orcid = element.child("ORCID") else { return nil }
        let text = orcid.text.trimmingXMLWhitespace()
        guard let bare = ORCID.normalize(text) else {
            // The profile's pattern does not check the check digit; Annals keeps only iDs that pass it.
            result.notes.append(
                "line \(orcid.line): '\(text)' is not a valid ORCID iD (its check digit does not match)")
            return nil
        }
        return bare
    }

    /// The Annals id of the entity inside `element` (`<Person id="Persons/x">` → "x").
    private func ref(_ element: XMLElement?, _ kind: Cerif.Entity) -> String? {
        guard let element, let id = element[attribute: "id"] else { return nil }
        return Cerif.annalsID(id, kind)
    }

    // MARK: - Entities

    private mutating func orgUnit(_ e: XMLElement, _ id: String) -> OrgUnit? {
        guard let name = mlang(e, "Name") ?? e.childText("Acronym") else {
            problem(e, "organisation unit '\(id)' has neither a <Name> nor an <Acronym>")
            return nil
        }
        let parent = ref(e.child("PartOf")?.child("OrgUnit"), .orgUnit)
        return OrgUnit(
            id: id, kind: parent == nil ? .hospital : .department, name: name, nameZH: chineseName(e, "Name"),
            parentID: parent)
    }

    private mutating func person(_ e: XMLElement, _ id: String) -> Person? {
        let name = e.child("PersonName")
        guard let family = name?.childText("FamilyNames") else {
            problem(e, "person '\(id)' has no <PersonName><FamilyNames>; Annals needs a family name")
            return nil
        }
        var variants: [NameVariant] = []
        if let other = name?.childText("OtherNames") {
            variants.append(
                NameVariant(
                    kind: other.unicodeScalars.contains { $0.properties.isIdeographic } ? .chinese : .other,
                    value: other))
        }
        let departments = e.children("Affiliation").compactMap { ref($0.child("OrgUnit"), .orgUnit) }
        return Person(
            id: id, familyName: family, givenName: name?.childText("FirstNames") ?? "", nameVariants: variants,
            orcid: orcid(e),
            departmentIDs: departments)
    }

    private mutating func project(_ e: XMLElement, _ id: String) -> Project? {
        guard let title = mlang(e, "Title") ?? e.childText("Acronym") else {
            problem(e, "project '\(id)' has no <Title>")
            return nil
        }
        var departments: [Project.DepartmentRole] = []
        if let consortium = e.child("Consortium") {
            for c in consortium.children("Coordinator") {
                if let d = ref(c.child("OrgUnit"), .orgUnit) { departments.append(.init(departmentID: d, role: .lead)) }
            }
            for c in consortium.children("Partner") {
                if let d = ref(c.child("OrgUnit"), .orgUnit) {
                    departments.append(.init(departmentID: d, role: .participant))
                }
            }
        }
        let grant = e.children("Identifier").first { $0[attribute: "type"] == Cerif.projectReference }?.text
            .trimmingXMLWhitespace()
        let pi = ref(e.child("Team")?.children("PrincipalInvestigator").first?.child("Person"), .person)
        return Project(
            id: id, title: title, funder: Self.noFunder, level: .other, grantNumber: grant, principalInvestigatorID: pi,
            departments: departments, start: date(e.child("StartDate"), "start date"),
            end: date(e.child("EndDate"), "end date"),
            status: .ongoing)
    }

    /// Funder, programme, amount, grant number and dates from the project's funding; status from its end.
    private mutating func complete(_ project: inout Project, _ e: XMLElement) {
        let funded = e.children("Funded").first
        var funder = funded?.child("By")?.child("OrgUnit").flatMap { mlang($0, "Name") ?? $0.childText("Acronym") }
        if var funding = funded?.child("As")?.child("Funding") {
            if let id = funding[attribute: "id"], let full = fundings[id] {
                usedFundings.insert(id)
                funding = full
            }
            let type = funding.childText("Type") ?? ""
            if type.hasSuffix("#InternalFunding") { project.level = .institutional }
            if let amount = funding.child("Amount") {
                let text = amount.text.trimmingXMLWhitespace()
                if let value = DecimalNumber(text), let currency = amount[attribute: "currency"] {
                    project.amount = Money(amount: value, currency: currency)
                } else {
                    problem(
                        amount,
                        "the amount '\(text)' is not a plain number with a currency (write 550000 and currency=\"CNY\")"
                    )
                }
            }
            if project.grantNumber == nil {
                project.grantNumber = funding.children("Identifier").first {
                    $0[attribute: "type"] == Cerif.projectReference
                }?
                .text.trimmingXMLWhitespace()
            }
            funder =
                funder
                ?? funding.child("Funder")?.child("OrgUnit").flatMap { mlang($0, "Name") ?? $0.childText("Acronym") }
            if let part = funding.child("PartOf")?.child("Funding") {
                let partID = part[attribute: "id"]
                let full = partID.flatMap { fundings[$0] } ?? part
                project.programme = mlang(full, "Name") ?? full.childText("Acronym")
                funder =
                    funder
                    ?? full.child("Funder")?.child("OrgUnit").flatMap { mlang($0, "Name") ?? $0.childText("Acronym") }
            }
            if let duration = funding.child("Duration") {
                project.start =
                    project.start ?? date(text: duration[attribute: "startDate"], at: duration, "start date")
                project.end = project.end ?? date(text: duration[attribute: "endDate"], at: duration, "end date")
            }
        }
        project.funder = funder ?? Self.noFunder
        if let end = project.end, end.lastDay < Self.today { project.status = .completed }
    }

    enum Output {
        case publication(Publication)
        case journal(Journal)
    }

    private mutating func publication(_ e: XMLElement, _ id: String, _ cerifID: String) -> Output? {
        let type = Cerif.publicationType(e.childText("Type") ?? "")
        let title = mlang(e, "Title")
        var issnPrint: String?
        var issnOnline: String?
        var issnOther: String?
        for issn in e.children("ISSN") {
            let text = issn.text.trimmingXMLWhitespace()
            switch issn[attribute: "medium"] {
            case Cerif.issnPrint?: issnPrint = issnPrint ?? text
            case Cerif.issnOnline?: issnOnline = issnOnline ?? text
            default: issnOther = issnOther ?? text
            }
        }
        if type == .journal {
            guard let title else {
                problem(e, "journal '\(id)' has no <Title>")
                return nil
            }
            return .journal(
                Journal(
                    id: id, title: title, isoAbbreviation: mlang(e, "NameAbbreviation"),
                    issnPrint: issnPrint ?? issnOther,
                    issnElectronic: issnOnline))
        }
        guard case .publication(let kind) = type else { return nil }
        var p = Publication(id: id, kind: kind, title: MarkupText(plain: title ?? ""))
        if let language = e.childText("Language") {
            p.languages = [CerifExporter.languages.first { $0.iso6391 == language.lowercased() }?.iso6392 ?? language]
        }
        if let container = e.child("PublishedIn")?.child("Publication") {
            if Cerif.publicationType(container.childText("Type") ?? "") == .journal || container.child("ISSN") != nil {
                var journal = JournalReference(title: mlang(container, "Title") ?? "")
                for issn in container.children("ISSN") {
                    let text = issn.text.trimmingXMLWhitespace()
                    if issn[attribute: "medium"] == Cerif.issnOnline {
                        journal.issnElectronic = journal.issnElectronic ?? text
                    } else {
                        journal.issnPrint = journal.issnPrint ?? text
                    }
                }
                journal.journalID = ref(container, .publication)
                p.journal = journal
            } else {
                p.bookTitle = mlang(container, "Title")
            }
        }
        if let book = e.child("PartOf")?.child("Publication") { p.bookTitle = mlang(book, "Title") }
        p.published = date(e.child("PublicationDate"), "publication date")
        p.volume = e.childText("Volume")
        p.issue = e.childText("Issue")
        if let start = e.childText("StartPage") {
            p.pages = e.childText("EndPage").map { "\(start)-\($0)" } ?? start
        }
        if let doi = e.childText("DOI") {
            p.doi = DOI.normalize(doi)
            if p.doi == nil { p.notes = ["DOI (not a DOI): \(doi)"] }  // kept as written, never stored as a DOI
        }
        p.pmcid = e.childText("PMCID")
        if let url = e.childText("URL"), url.hasPrefix(Cerif.pubmedURL) {
            let pmid = url.dropFirst(Cerif.pubmedURL.count).prefix { $0 != "/" }
            if !pmid.isEmpty, pmid.allSatisfy(\.isNumber) { p.pmid = String(pmid) }
        }
        var departments: [String] = []
        p.authors = contributors(e.child("Authors")?.children("Author") ?? [], departments: &departments)
        p.editors = contributors(e.child("Editors")?.children("Editor") ?? [], departments: &departments)
        if let first = p.authors.indices.first { p.authors[first].isFirst = true }
        p.departmentIDs = departments
        p.publisher = e.child("Publishers")?.children("Publisher").first.flatMap { publisher in
            publisher.child("OrgUnit").flatMap { mlang($0, "Name") ?? $0.childText("Acronym") }
                ?? publisher.childText("DisplayName")
        }
        p.keywords = e.texts("Keyword")
        p.abstract = mlang(e, "Abstract").map { MarkupText(plain: $0) }
        p.projectIDs = e.children("OriginatesFrom").compactMap { ref($0.child("Project"), .project) }
        p.source = Provenance(kind: .cerif, file: file.lastPathComponent, recordID: cerifID)
        return .publication(p)
    }

    /// Authors or editors; organisation units they are affiliated with by id are collected in `departments`.
    private mutating func contributors(_ list: [XMLElement], departments: inout [String]) -> [Author] {
        var authors: [Author] = []
        for item in list {
            if let person = item.child("Person") {
                let name = person.child("PersonName")
                let given = name?.childText("FirstNames")
                var author = Author(
                    familyName: name?.childText("FamilyNames") ?? item.childText("DisplayName"), givenName: given,
                    initials: given.map(Self.initials), orcid: orcid(person), personID: ref(person, .person))
                for affiliation in item.children("Affiliation") {
                    guard let unit = affiliation.child("OrgUnit") else { continue }
                    if let text = mlang(unit, "Name") ?? unit.childText("Acronym") {
                        author.affiliations.append(text)
                    } else if let d = ref(unit, .orgUnit), !departments.contains(d) {
                        departments.append(d)
                    }
                }
                authors.append(author)
            } else if let unit = item.child("OrgUnit") {
                authors.append(
                    Author(
                        collectiveName: mlang(unit, "Name") ?? unit.childText("Acronym")
                            ?? item.childText("DisplayName")))
            } else if let name = item.childText("DisplayName") {
                authors.append(Author(familyName: name))
            }
        }
        return authors
    }

    /// "Illustrative A" → "IA"; "Qingjiang" → "Q".
    static func initials(_ given: String) -> String {
        given.split(whereSeparator: { $0 == " " || $0 == "-" }).compactMap(\.first).map { String($0).uppercased() }
            .joined()
    }

    private mutating func patent(_ e: XMLElement, _ id: String) -> Patent? {
        guard let title = mlang(e, "Title") else {
            problem(e, "patent '\(id)' has no <Title>")
            return nil
        }
        let filed = date(e.child("RegistrationDate"), "registration date")
        let granted = date(e.child("ApprovalDate"), "approval date")
        let number = e.childText("PatentNumber")
        var departments: [String] = []
        var inventors: [Contributor] = []
        for inventor in e.child("Inventors")?.children("Inventor") ?? [] {
            let person = inventor.child("Person")
            let name = person?.child("PersonName")
            let written = [name?.childText("FamilyNames"), name?.childText("FirstNames")].compactMap { $0 }.joined(
                separator: " ")
            inventors.append(
                Contributor(name: inventor.childText("DisplayName") ?? written, personID: ref(person, .person)))
            for affiliation in inventor.children("Affiliation") {
                if let d = ref(affiliation.child("OrgUnit"), .orgUnit), !departments.contains(d) {
                    departments.append(d)
                }
            }
        }
        return Patent(
            id: id, kind: Cerif.patentKind(e.childText("Type") ?? ""), title: title,
            applicationNumber: granted == nil ? number : nil, grantNumber: granted == nil ? nil : number,
            inventors: inventors,
            filed: filed, granted: granted, status: granted == nil ? .filed : .granted, departmentIDs: departments)
    }
}
