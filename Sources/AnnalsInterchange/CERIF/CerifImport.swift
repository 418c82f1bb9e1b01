public import AnnalsCuration
import AnnalsDiagnostics
public import AnnalsModel
import AnnalsXML
public import Foundation

/// One OpenAIRE CERIF-XML file (an OAI-PMH `ListRecords` response, as CRISs and `annals export
/// --format cerif` write them), read and converted, ready to be written in one transaction.
public struct CerifFile: Sendable {
    /// The file as the user named it.
    public var displayName: String
    public var url: URL
    public var sha256: String
    /// Organisation units, people, journals, projects and patents (publications are kept apart: they
    /// are matched against the registry's papers when written).
    var content = RegistryContent()
    var publications: [Publication] = []
    /// Records read but not kept, each with the reason, for the report.
    var notes: [String] = []
    /// Where each record starts.
    var locations: [RegistryFile.RecordKey: (element: String, line: Int)] = [:]
}

/// What a CERIF import did.
public struct CerifImportReport: Sendable, CustomStringConvertible {
    public var outcomes: [EntityKind: [UpsertOutcome: Int]] = [:]
    public var publications = PublicationImportReport()
    /// Records and links left out, with the reason for each.
    public var notes: [String] = []
    /// Records replaced under their own id with another title, name, principal investigator, funder or
    /// department (the earlier versions are kept in the registry's record history).
    public var replacements: [RecordReplacement] = []
    /// The registry's other papers credited again because departments, people or projects changed.
    public var recredited: RecreditReport?

    public var description: String {
        var lines: [String] = []
        for kind in EntityKind.allCases where kind != .publication {
            guard let o = outcomes[kind] else { continue }
            lines.append(
                "\(kind.pluralNoun): \(o[.inserted] ?? 0) added, \(o[.updated] ?? 0) updated, \(o[.unchanged] ?? 0) unchanged"
            )
        }
        if publications.added + publications.updated + publications.unchanged + publications.merged > 0
            || !publications.skipped.isEmpty
        {
            lines.append("publications: \(publications)")
        }
        if lines.isEmpty { lines.append("nothing Annals keeps was found in this file") }
        if !replacements.isEmpty {
            lines.append(
                "replaced under the same id by a record with other details (the earlier versions are kept in the registry's history):"
            )
            for replacement in replacements.prefix(50) { lines.append("  \(replacement)") }
            if replacements.count > 50 { lines.append("  … and \(replacements.count - 50) more") }
        }
        if let recredited, recredited.credited > 0 || recredited.forReview > 0 { lines.append(recredited.description) }
        if !notes.isEmpty {
            lines.append("left out (\(notes.count)):")
            for note in notes.prefix(20) { lines.append("  \(note)") }
            if notes.count > 20 { lines.append("  … and \(notes.count - 20) more") }
        }
        return lines.joined(separator: "\n")
    }
}

/// Imports OpenAIRE CERIF-XML 1.2: organisation units, persons, projects with their fundings,
/// publications (journals become journal records) and patents.
///
/// The file is read with Annals' secure streaming reader (no entities, no DTD, no network). Every
/// problem is reported as `FILE:LINE:COLUMN` and nothing is written; links to records that are
/// neither in the file nor in the registry are left out and listed. Records already in the registry
/// (same id) keep what CERIF cannot carry (clinical ranks, funder levels, beds, …).
public enum CerifImporter {
    /// Namespaces allowed inside a CERIF entity (the profile and its vocabularies).
    static let cerifNamespaces: Set<String> = Cerif.namespaces.union([
        Cerif.publicationTypes, Cerif.patentTypes, Cerif.fundingTypes,
        "https://www.openaire.eu/cerif-profile/vocab/COAR_Product_Types", "http://purl.org/coar/access_right",
    ])

    /// Reads and converts `file`; throws `DiagnosticError` with every problem found.
    public static func read(file: URL, displayName: String? = nil) throws -> CerifFile {
        let name = displayName ?? file.path
        var parser = CerifParser(file: file, displayName: name)
        var rootProblem: Diagnostic?
        struct Stop: Error {}
        do {
            try read(file, name, &parser, &rootProblem, Stop())
        } catch is Stop {}
        if let rootProblem { throw DiagnosticError(rootProblem) }
        return try parser.finish(sha256: try SHA256.hexDigest(ofFile: file))
    }

    private static func read(
        _ file: URL, _ name: String, _ parser: inout CerifParser, _ rootProblem: inout Diagnostic?, _ stop: some Error
    ) throws {
        // An OAI-PMH response holds its entities in ListRecords/record/metadata; a CRIS exporting one record
        // (DSpace-CRIS's per-item CERIF) writes the entity itself as the whole document.
        let rootName = try XMLStreamReader.rootElementName(of: file, displayName: name)
        let entityRoot = rootName != "OAI-PMH"
        try XMLStreamReader.read(
            file: file, displayName: name, recordDepth: entityRoot ? 0 : 2,
            root: { root in
                if root.name == "OAI-PMH", root.namespaceURI == Cerif.oaiNamespace { return }
                if let ns = root.namespaceURI, Cerif.namespaces.contains(ns) { return }
                rootProblem = .at(
                    element: root.name, line: root.line, in: file, displayName: name, code: .cerifNotCerif,
                    message: "this is not an OpenAIRE CERIF file: it starts with <\(root.qualifiedName)>"
                        + (root.namespaceURI.map { " in the namespace \($0)" } ?? " without a namespace")
                        + ". CERIF files from a CRIS start with <OAI-PMH> (records in <ListRecords>), or with one entity "
                        + "such as <Publication xmlns=\"https://www.openaire.eu/cerif-profile/1.1/\">")
                throw stop
            },
            record: { element in
                if entityRoot { parser.entity(element) } else { parser.record(element) }
            })
    }

    /// Writes `file` into `registry`; call it inside one transaction.
    public static func apply(_ file: CerifFile, to registry: some PublicationWriting) throws -> CerifImportReport {
        var report = CerifImportReport()
        report.notes = file.notes
        var content = file.content
        var publications = file.publications
        try matchPeopleByORCID(&content, &publications, registry, &report)
        let defined = content.definedIDs
        func known(_ kind: EntityKind, _ ids: [String]) throws -> Set<String> {
            let inFile = defined[kind] ?? []
            let missing = Set(ids).subtracting(inFile)
            return inFile.union(missing.isEmpty ? [] : try registry.existing(kind, among: missing))
        }
        let refs = content.references.filter { $0.targetKind != .journal }
        let people = try known(
            .person,
            refs.filter { $0.targetKind == .person }.map(\.targetID)
                + publications.flatMap { p in
                    (p.authors + p.editors).compactMap(\.personID)
                })
        let units = try known(
            .orgUnit, refs.filter { $0.targetKind == .orgUnit }.map(\.targetID) + publications.flatMap(\.departmentIDs))
        let projects = try known(.project, publications.flatMap(\.projectIDs))
        let journals = try known(.journal, publications.compactMap { $0.journal?.journalID })
        /// The id when it resolves; otherwise nil, and a note unless only a name's link is lost (authors
        /// and inventors keep their names, and most co-authors are not registry people).
        func keep(_ id: String?, in set: Set<String>, _ what: String, _ owner: String, quiet: Bool = false) -> String? {
            guard let id else { return nil }
            if set.contains(id) { return id }
            if quiet { return nil }
            report.notes.append(
                "\(owner): \(what) '\(id)' is neither in the file nor in the registry; that link was left out")
            return nil
        }
        for i in content.orgUnits.indices {
            let unit = content.orgUnits[i]
            content.orgUnits[i].parentID = keep(
                unit.parentID, in: units, "parent organisation unit", "organisation unit '\(unit.id)'")
            if content.orgUnits[i].parentID == nil { content.orgUnits[i].kind = .hospital }
        }
        for i in content.people.indices {
            let p = content.people[i]
            content.people[i].departmentIDs = p.departmentIDs.compactMap {
                keep($0, in: units, "affiliation", "person '\(p.id)'")
            }
        }
        for i in content.projects.indices {
            let p = content.projects[i]
            content.projects[i].principalInvestigatorID = keep(
                p.principalInvestigatorID, in: people, "principal investigator", "project '\(p.id)'")
            content.projects[i].departments = p.departments.filter {
                keep($0.departmentID, in: units, "organisation unit", "project '\(p.id)'") != nil
            }
        }
        for i in content.patents.indices {
            let p = content.patents[i]
            for j in p.inventors.indices {
                content.patents[i].inventors[j].personID = keep(
                    p.inventors[j].personID, in: people, "inventor", "patent '\(p.id)'", quiet: true)
            }
            content.patents[i].departmentIDs = p.departmentIDs.filter {
                keep($0, in: units, "affiliation", "patent '\(p.id)'") != nil
            }
        }

        // Records already in the registry keep what CERIF cannot carry.
        let oldUnits = Dictionary(try registry.orgUnits().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        content.orgUnits = content.orgUnits.map { oldUnits[$0.id]?.updated(from: $0) ?? $0 }
        let oldPeople = Dictionary(try registry.people().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        content.people = content.people.map { oldPeople[$0.id]?.updated(from: $0) ?? $0 }
        let oldProjects = Dictionary(try registry.projects().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        content.projects = content.projects.map { oldProjects[$0.id]?.updated(from: $0) ?? $0 }
        let oldPatents = Dictionary(try registry.patents().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        content.patents = content.patents.map { oldPatents[$0.id]?.updated(from: $0) ?? $0 }
        let oldJournals = Dictionary(try registry.journals().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        content.journals = content.journals.map { oldJournals[$0.id]?.updated(from: $0) ?? $0 }

        report.replacements = try RecordReplacement.find(content, in: registry)
        report.outcomes = try registry.upsert(content)

        var importer = try PublicationImporter(registry: registry)
        for var publication in publications {
            let owner = "publication '\(publication.id)'"
            for j in publication.authors.indices {
                publication.authors[j].personID = keep(
                    publication.authors[j].personID, in: people, "author", owner, quiet: true)
            }
            for j in publication.editors.indices {
                publication.editors[j].personID = keep(
                    publication.editors[j].personID, in: people, "editor", owner, quiet: true)
            }
            publication.departmentIDs = publication.departmentIDs.filter {
                keep($0, in: units, "affiliation", owner) != nil
            }
            publication.projectIDs = publication.projectIDs.filter { keep($0, in: projects, "project", owner) != nil }
            if let id = publication.journal?.journalID, !journals.contains(id) { publication.journal?.journalID = nil }
            if let existing = try registry.publication(id: publication.id) {
                publication = existing.updated(from: publication)
            }
            try importer.store(publication, sourceFile: file.url.lastPathComponent)
        }
        report.publications = importer.report
        // Papers imported before these departments, people or projects are credited now.
        let changesCredit = [EntityKind.orgUnit, .person, .project].contains {
            (report.outcomes[$0]?[.inserted] ?? 0) + (report.outcomes[$0]?[.updated] ?? 0) > 0
        }
        if changesCredit {
            report.recredited = try Recrediting.run(in: registry, skipping: Set(publications.map(\.id)))
        }
        try registry.logImport(
            kind: "cerif", file: file.url.lastPathComponent, sha256: file.sha256,
            summary: "\(content.counts.values.reduce(0, +) + publications.count) records")
        return report
    }

    /// A person of the file who is not in the registry under the file's id but has the ORCID iD and the
    /// family name of a registry person is that person: the file's id is replaced by the registry's
    /// everywhere, and an author with that ORCID iD and family name is credited to the person.
    static func matchPeopleByORCID(
        _ content: inout RegistryContent, _ publications: inout [Publication], _ registry: some RegistryReading,
        _ report: inout CerifImportReport
    ) throws {
        let registryPeople = try registry.people()
        let byORCID = Dictionary(
            registryPeople.compactMap { p in p.orcid.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        guard !byORCID.isEmpty else { return }
        /// The registry person with this ORCID iD, when the family name agrees too.
        func match(_ orcid: String?, _ familyName: String?) -> String? {
            guard let orcid, let person = byORCID[orcid], let familyName,
                TextKey.compact(person.familyName) == TextKey.compact(familyName)
            else { return nil }
            return person.id
        }
        let registryIDs = Set(registryPeople.map(\.id))
        var rename: [String: String] = [:]
        for person in content.people where !registryIDs.contains(person.id) {
            if let id = match(person.orcid, person.familyName), !content.people.contains(where: { $0.id == id }) {
                rename[person.id] = id
                report.notes.append(
                    "person '\(person.id)' is the registry's '\(id)' (same ORCID iD and family name): imported as '\(id)'"
                )
            }
        }
        func renamed(_ id: String?) -> String? { id.map { rename[$0] ?? $0 } }
        for i in content.people.indices { content.people[i].id = rename[content.people[i].id] ?? content.people[i].id }
        for i in content.projects.indices {
            content.projects[i].principalInvestigatorID = renamed(content.projects[i].principalInvestigatorID)
        }
        for i in content.patents.indices {
            for j in content.patents[i].inventors.indices {
                content.patents[i].inventors[j].personID = renamed(content.patents[i].inventors[j].personID)
            }
        }
        func credit(_ authors: inout [Author]) {
            for j in authors.indices {
                authors[j].personID = renamed(authors[j].personID)
                if authors[j].personID == nil { authors[j].personID = match(authors[j].orcid, authors[j].familyName) }
            }
        }
        for i in publications.indices {
            credit(&publications[i].authors)
            credit(&publications[i].editors)
        }
    }
}

// MARK: - Keeping what CERIF cannot carry

extension OrgUnit {
    func updated(from cerif: OrgUnit) -> OrgUnit {
        var unit = self
        unit.name = cerif.name
        unit.nameZH = cerif.nameZH ?? nameZH
        unit.parentID = cerif.parentID ?? parentID
        return unit
    }
}

extension Person {
    func updated(from cerif: Person) -> Person {
        var person = self
        person.familyName = cerif.familyName
        person.givenName = cerif.givenName
        person.orcid = cerif.orcid ?? orcid
        for variant in cerif.nameVariants where !person.nameVariants.contains(variant) {
            if variant.kind == .chinese { person.nameVariants.removeAll { $0.kind == .chinese } }
            person.nameVariants.append(variant)
        }
        for d in cerif.departmentIDs where !person.departmentIDs.contains(d) { person.departmentIDs.append(d) }
        return person
    }
}

extension Project {
    func updated(from cerif: Project) -> Project {
        var project = self
        project.title = cerif.title
        if cerif.funder != CerifParser.noFunder { project.funder = cerif.funder }
        project.programme = cerif.programme ?? programme
        project.grantNumber = cerif.grantNumber ?? grantNumber
        project.principalInvestigatorID = cerif.principalInvestigatorID ?? principalInvestigatorID
        if !cerif.departments.isEmpty { project.departments = cerif.departments }
        project.start = cerif.start ?? start
        project.end = cerif.end ?? end
        project.amount = cerif.amount ?? amount
        if cerif.level != .other { project.level = cerif.level }
        return project
    }
}

extension Patent {
    func updated(from cerif: Patent) -> Patent {
        var patent = self
        patent.kind = cerif.kind
        patent.title = cerif.title
        // CERIF has one patent number: when it is one of the two the registry has, both stay.
        let number = cerif.grantNumber ?? cerif.applicationNumber
        if number != nil, number != grantNumber, number != applicationNumber {
            patent.applicationNumber = cerif.applicationNumber ?? applicationNumber
            patent.grantNumber = cerif.grantNumber ?? grantNumber
        }
        if !cerif.inventors.isEmpty { patent.inventors = cerif.inventors }
        patent.filed = cerif.filed ?? filed
        patent.granted = cerif.granted ?? granted
        if cerif.granted != nil { patent.status = .granted }
        for d in cerif.departmentIDs where !patent.departmentIDs.contains(d) { patent.departmentIDs.append(d) }
        return patent
    }
}

extension Journal {
    func updated(from cerif: Journal) -> Journal {
        var journal = self
        journal.title = cerif.title
        journal.isoAbbreviation = cerif.isoAbbreviation ?? isoAbbreviation
        journal.issnPrint = cerif.issnPrint ?? issnPrint
        journal.issnElectronic = cerif.issnElectronic ?? issnElectronic
        journal.issnLinking = cerif.issnLinking ?? issnLinking
        return journal
    }
}

extension Publication {
    /// The registry's record of this paper brought up to date from its CERIF version: the fields CERIF
    /// carries come from `cerif`, the rest (markup, author roles, MeSH headings, notices, …) stay.
    func updated(from cerif: Publication) -> Publication {
        var p = cerif
        p.source = source
        p.vernacularTitle = vernacularTitle
        if title.plain == cerif.title.plain { p.title = title }
        if abstract?.plain == cerif.abstract?.plain { p.abstract = abstract }
        if Cerif.coarType(kind) == Cerif.coarType(cerif.kind) { p.kind = kind }
        if languages.first.map(CerifExporter.languageCode) == cerif.languages.first.map(CerifExporter.languageCode) {
            p.languages = languages
        }
        if let old = pages, let new = cerif.pages, CerifExporter.pageRange(old) == CerifExporter.pageRange(new) {
            p.pages = old
        }
        if var journal = p.journal, let old = self.journal, old.title == journal.title {
            journal.journalID = journal.journalID ?? old.journalID
            journal.issnPrint = journal.issnPrint ?? old.issnPrint
            journal.issnElectronic = journal.issnElectronic ?? old.issnElectronic
            journal.issnLinking = old.issnLinking
            p.journal = journal
        }
        p.publicationTypes = publicationTypes
        p.meshHeadings = meshHeadings
        p.grants = grants
        p.revised = revised
        for notice in notices where !p.notices.contains(notice) { p.notices.append(notice) }
        if p.authors.count == authors.count {
            for i in p.authors.indices where p.authors[i].familyName == authors[i].familyName {
                let old = authors[i]
                p.authors[i].initials = old.initials
                p.authors[i].givenName = p.authors[i].givenName == old.initials ? old.givenName : p.authors[i].givenName
                p.authors[i].isFirst = old.isFirst
                p.authors[i].isCorresponding = old.isCorresponding
                p.authors[i].equalContribution = old.equalContribution
                p.authors[i].personID = p.authors[i].personID ?? old.personID
            }
        }
        if p.editors.count == editors.count {
            for i in p.editors.indices where p.editors[i].familyName == editors[i].familyName {
                p.editors[i].initials = editors[i].initials
                p.editors[i].givenName =
                    p.editors[i].givenName == editors[i].initials ? editors[i].givenName : p.editors[i].givenName
            }
        }
        return p
    }
}
