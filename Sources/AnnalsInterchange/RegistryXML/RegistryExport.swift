public import AnnalsDiagnostics
public import AnnalsModel
public import AnnalsXML
import Foundation

/// The registry interchange format (`Schemas/annals-registry.xsd`).
public enum RegistryFormat {
    /// The XML namespace of registry files.
    public static let namespace = "urn:annals:registry:1"
    /// The format version this Annals writes when a registry holds Chinese fields; it reads 1 and 2.
    public static let version = "2"
    /// The version written for a registry without any field of version 2: the same bytes as before it.
    public static let version1 = "1"

    /// The version `records` need: 2 when one of them has a Chinese field of version 2, else 1.
    static func version(
        orgUnits: [OrgUnit], people: [Person], journals: [Journal], procedures: [Procedure], projects: [Project],
        awards: [Award],
        patents: [Patent]
    ) -> String {
        let needs2 =
            orgUnits.contains {
                $0.researchDirectionsZH != nil || $0.clinicalScopeZH != nil || $0.equipmentZH != nil
                    || $0.history.contains { $0.textZH != nil }
                    || $0.collaborations.contains { $0.partnerZH != nil || $0.textZH != nil }
            }
            || people.contains { $0.academicTitleZH != nil } || journals.contains { $0.titleZH != nil }
            || procedures.contains { $0.preferredTermZH != nil }
            || projects.contains { $0.titleZH != nil || $0.funderZH != nil || $0.programmeZH != nil }
            || awards.contains { $0.nameZH != nil || $0.gradeZH != nil } || patents.contains { $0.titleZH != nil }
        return needs2 ? version : version1
    }
}

/// A registry record holding a count outside 0 to 2,147,483,647, met while exporting.
public struct CountOutOfBound: Error, Sendable, CustomStringConvertible, DiagnosticConvertible {
    public var kind: String
    public var id: String
    public var count: Int

    public var description: String {
        "cannot export: \(kind) '\(id)' has a count of \(count), outside 0 to \(CountLimit.maximumText) that the registry format holds; "
            + "correct that record (`annals check` lists every such count) and export again. Nothing was written."
    }

    /// The refusal as a `registry.countOutOfBound` diagnostic located at the record.
    public var diagnostics: [Diagnostic] {
        [Diagnostic(.registryCountOutOfBound, at: .record(kind, id), message: description)]
    }
}

/// Writes a whole registry as one registry XML document: streaming, deterministic (records in a fixed
/// kind order and by id, two-space indentation), valid against the registry schema.
public enum RegistryExporter {
    /// Streams the registry seen by `snapshot` to `sink`.
    public static func export(_ snapshot: some RegistryReading, to sink: @escaping XMLStreamWriter.Sink) throws {
        let (units, people, journals, procedures, projects, awards, patents) = (
            try snapshot.orgUnits(), try snapshot.people(), try snapshot.journals(), try snapshot.procedures(),
            try snapshot.projects(),
            try snapshot.awards(), try snapshot.patents()
        )
        let version = RegistryFormat.version(
            orgUnits: units, people: people, journals: journals, procedures: procedures, projects: projects,
            awards: awards,
            patents: patents)
        try document(sink, version: version) { w in
            for unit in units { try write(unit, w) }
            for person in people { try write(person, w) }
            for journal in journals { try write(journal, w) }
            for procedure in procedures { try write(procedure, w) }
            for project in projects { try write(project, w) }
            try snapshot.forEachPublication { try write($0, w) }
            for patent in patents { try write(patent, w) }
            for award in awards { try write(award, w) }
            for census in try snapshot.staffCensus() { try write(census, w) }
            try snapshot.forEachTally { try write($0, w) }
        }
    }

    /// Writes `content` (records in the order given) as a registry document; for tests and tools.
    public static func export(_ content: RegistryContent, to sink: @escaping XMLStreamWriter.Sink) throws {
        let version = RegistryFormat.version(
            orgUnits: content.orgUnits, people: content.people, journals: content.journals,
            procedures: content.procedures,
            projects: content.projects, awards: content.awards, patents: content.patents)
        try document(sink, version: version) { w in
            for x in content.orgUnits { try write(x, w) }
            for x in content.people { try write(x, w) }
            for x in content.journals { try write(x, w) }
            for x in content.procedures { try write(x, w) }
            for x in content.projects { try write(x, w) }
            for x in content.publications { try write(x, w) }
            for x in content.patents { try write(x, w) }
            for x in content.awards { try write(x, w) }
            for x in content.staffCensus { try write(x, w) }
            for x in content.tallies { try write(x, w) }
        }
    }

    /// The `<registry>` document around the records `body` writes.
    private static func document(
        _ sink: @escaping XMLStreamWriter.Sink, version: String, _ body: (XMLStreamWriter) throws -> Void
    ) throws {
        let w = try XMLStreamWriter(sink: sink)
        try w.startDocument()
        try w.startElement("registry")
        try w.defaultNamespace(RegistryFormat.namespace)
        try w.attribute("version", version)
        try body(w)
        try w.endElement()
        try w.endDocument()
    }

    // MARK: - One writer per record kind; RegistryParser reads each back.

    private static func approximateYear(_ year: ApproximateYear, _ w: XMLStreamWriter) throws {
        try w.attribute("from", String(year.earliest))
        try w.attribute("to", String(year.latest))
        try w.attribute("when", year.text)
    }

    static func write(_ unit: OrgUnit, _ w: XMLStreamWriter) throws {
        try w.startElement("orgUnit")
        try w.attribute("id", unit.id)
        try w.attribute("kind", unit.kind.rawValue)
        try w.attribute("parent", unit.parentID)
        try w.element("name", unit.name)
        try w.element("nameZH", unit.nameZH)
        if let established = unit.established {
            try w.startElement("established")
            try approximateYear(established, w)
            try w.endElement()
        }
        for campus in unit.campuses {
            try w.startElement("campus")
            try w.attribute("id", campus.id)
            try w.element("name", campus.name)
            try w.element("nameZH", campus.nameZH)
            try w.endElement()
        }
        for beds in unit.beds {
            try w.element(
                "beds", nil,
                attributes: ["campus": beds.campusID, "count": String(beds.beds), "vip": String(beds.vipBeds)])
        }
        for event in unit.history {
            try w.startElement("event")
            try approximateYear(event.when, w)
            try w.attribute("textZH", event.textZH)
            try w.text(event.text)
            try w.endElement()
        }
        for collaboration in unit.collaborations {
            try w.startElement("collaboration")
            try w.element("partner", collaboration.partner)
            try w.element("partnerZH", collaboration.partnerZH)
            if let since = collaboration.since {
                try w.startElement("since")
                try approximateYear(since, w)
                try w.endElement()
            }
            try w.element("description", collaboration.text)
            try w.element("descriptionZH", collaboration.textZH)
            try w.endElement()
        }
        for x in unit.researchDirections { try w.element("researchDirection", x) }
        for x in unit.researchDirectionsZH ?? [] { try w.element("researchDirectionZH", x) }
        for x in unit.clinicalScope { try w.element("clinicalScope", x) }
        for x in unit.clinicalScopeZH ?? [] { try w.element("clinicalScopeZH", x) }
        for x in unit.equipment { try w.element("equipment", x) }
        for x in unit.equipmentZH ?? [] { try w.element("equipmentZH", x) }
        for x in unit.affiliationPatterns { try w.element("affiliationPattern", x) }
        try w.endElement()
    }

    static func write(_ person: Person, _ w: XMLStreamWriter) throws {
        try w.startElement("person")
        try w.attribute("id", person.id)
        try w.element("familyName", person.familyName)
        try w.element("givenName", person.givenName)
        for variant in person.nameVariants {
            try w.element("nameVariant", variant.value, attributes: ["kind": variant.kind.rawValue])
        }
        try w.element("orcid", person.orcid)
        try w.element("clinicalRank", person.clinicalRank?.rawValue)
        try w.element("academicTitle", person.academicTitle)
        try w.element("academicTitleZH", person.academicTitleZH)
        try w.element("degree", person.degree?.rawValue)
        for role in person.supervisorRoles { try w.element("supervisor", nil, attributes: ["role": role.rawValue]) }
        for committee in person.committees {
            try w.element(
                "committee", committee.body,
                attributes: ["role": committee.role, "since": committee.since.map(String.init)])
        }
        for department in person.departmentIDs { try w.element("department", nil, attributes: ["ref": department]) }
        try w.endElement()
    }

    static func write(_ journal: Journal, _ w: XMLStreamWriter) throws {
        try w.startElement("journal")
        try w.attribute("id", journal.id)
        try w.element("title", journal.title)
        try w.element("titleZH", journal.titleZH)
        try w.element("isoAbbreviation", journal.isoAbbreviation)
        try w.element("issnPrint", journal.issnPrint)
        try w.element("issnElectronic", journal.issnElectronic)
        try w.element("issnLinking", journal.issnLinking)
        for m in journal.metrics {
            try w.startElement("metrics")
            try w.attribute("year", String(m.year))
            try w.attribute("impactFactor", m.impactFactor?.text)
            try w.attribute("jcrQuartile", m.jcrQuartile.map(String.init))
            try w.attribute("casZone", m.casZone.map(String.init))
            for index in m.indexes { try w.element("index", index.rawValue) }
            try w.endElement()
        }
        try w.endElement()
    }

    static func write(_ procedure: Procedure, _ w: XMLStreamWriter) throws {
        try w.startElement("procedure")
        try w.attribute("id", procedure.id)
        try w.attribute("category", procedure.category)
        try w.attribute("grade", procedure.grade.map(String.init))
        try w.element("preferredTerm", procedure.preferredTerm)
        try w.element("preferredTermZH", procedure.preferredTermZH)
        for synonym in procedure.synonyms { try w.element("synonym", synonym) }
        for code in procedure.codes { try w.element("code", code.value, attributes: ["system": code.system]) }
        try w.endElement()
    }

    static func write(_ project: Project, _ w: XMLStreamWriter) throws {
        try w.startElement("project")
        try w.attribute("id", project.id)
        try w.attribute("level", project.level.rawValue)
        try w.attribute("status", project.status.rawValue)
        try w.element("title", project.title)
        try w.element("titleZH", project.titleZH)
        try w.element("funder", project.funder)
        try w.element("funderZH", project.funderZH)
        try w.element("programme", project.programme)
        try w.element("programmeZH", project.programmeZH)
        try w.element("grantNumber", project.grantNumber)
        try w.element("principalInvestigator", nil, attributes: ["ref": project.principalInvestigatorID])
        for d in project.departments {
            try w.element("department", nil, attributes: ["ref": d.departmentID, "role": d.role.rawValue])
        }
        try w.element("start", project.start?.description)
        try w.element("end", project.end?.description)
        if let amount = project.amount {
            try w.element("amount", amount.amount.text, attributes: ["currency": amount.currency])
        }
        try w.endElement()
    }

    static func write(_ publication: Publication, _ w: XMLStreamWriter) throws {
        try w.startElement("publication")
        try w.attribute("id", publication.id)
        try w.attribute("kind", publication.kind.rawValue)
        try w.startElement("title")
        try w.raw(InlineMarkup.sanitized(publication.title.markup))
        try w.endElement()
        try w.element("vernacularTitle", publication.vernacularTitle)
        if let journal = publication.journal {
            try w.element(
                "journal", journal.title,
                attributes: [
                    "ref": journal.journalID, "issnPrint": journal.issnPrint, "issnElectronic": journal.issnElectronic,
                    "issnLinking": journal.issnLinking,
                ])
        }
        try w.element("bookTitle", publication.bookTitle)
        try w.element("publisher", publication.publisher)
        try w.element("published", publication.published?.description)
        try w.element("volume", publication.volume)
        try w.element("issue", publication.issue)
        try w.element("pages", publication.pages)
        try w.element("doi", publication.doi)
        try w.element("pmid", publication.pmid)
        try w.element("pmcid", publication.pmcid)
        for language in publication.languages { try w.element("language", language) }
        for author in publication.authors { try write(author, as: "author", w) }
        for editor in publication.editors { try write(editor, as: "editor", w) }
        for supervisor in publication.supervisors ?? [] { try write(supervisor, as: "supervisor", w) }
        if let abstract = publication.abstract {
            try w.startElement("abstract")
            try w.raw(InlineMarkup.sanitized(abstract.markup))
            try w.endElement()
        }
        for x in publication.publicationTypes { try w.element("publicationType", x) }
        for x in publication.keywords { try w.element("keyword", x) }
        for x in publication.meshHeadings { try w.element("meshHeading", x) }
        for grant in publication.grants {
            try w.element("grant", nil, attributes: ["id": grant.id, "agency": grant.agency, "country": grant.country])
        }
        for project in publication.projectIDs { try w.element("project", nil, attributes: ["ref": project]) }
        for d in publication.departmentIDs { try w.element("department", nil, attributes: ["ref": d]) }
        for notice in publication.notices {
            try w.element("notice", notice.reference, attributes: ["kind": notice.kind.rawValue])
        }
        for note in publication.notes ?? [] { try w.element("note", note) }
        try w.element("revised", publication.revised?.description)
        if let source = publication.source {
            try w.element(
                "source", nil,
                attributes: ["kind": source.kind.rawValue, "file": source.file, "record": source.recordID])
        }
        try w.endElement()
    }

    private static func write(_ author: Author, as name: String, _ w: XMLStreamWriter) throws {
        try w.startElement(name)
        try w.attribute("person", author.personID)
        if author.isFirst { try w.attribute("first", "true") }
        if author.isCorresponding { try w.attribute("corresponding", "true") }
        if author.equalContribution { try w.attribute("equalContribution", "true") }
        if let collective = author.collectiveName {
            try w.element("collectiveName", collective)
        } else {
            try w.element("familyName", author.familyName)
            try w.element("givenName", author.givenName)
            try w.element("initials", author.initials)
        }
        try w.element("orcid", author.orcid)
        for affiliation in author.affiliations { try w.element("affiliation", affiliation) }
        try w.endElement()
    }

    static func write(_ patent: Patent, _ w: XMLStreamWriter) throws {
        try w.startElement("patent")
        try w.attribute("id", patent.id)
        try w.attribute("kind", patent.kind.rawValue)
        try w.attribute("status", patent.status.rawValue)
        try w.element("title", patent.title)
        try w.element("titleZH", patent.titleZH)
        try w.element("applicationNumber", patent.applicationNumber)
        try w.element("grantNumber", patent.grantNumber)
        for inventor in patent.inventors {
            try w.element("inventor", inventor.name, attributes: ["person": inventor.personID])
        }
        try w.element("filed", patent.filed?.description)
        try w.element("granted", patent.granted?.description)
        for d in patent.departmentIDs { try w.element("department", nil, attributes: ["ref": d]) }
        try w.endElement()
    }

    static func write(_ award: Award, _ w: XMLStreamWriter) throws {
        try w.startElement("award")
        try w.attribute("id", award.id)
        try w.attribute("level", award.level.rawValue)
        try w.attribute("year", String(award.year))
        try w.element("name", award.name)
        try w.element("nameZH", award.nameZH)
        try w.element("grade", award.grade)
        try w.element("gradeZH", award.gradeZH)
        for recipient in award.recipients {
            try w.element("recipient", recipient.name, attributes: ["person": recipient.personID])
        }
        try w.element("project", nil, attributes: ["ref": award.projectID])
        for d in award.departmentIDs { try w.element("department", nil, attributes: ["ref": d]) }
        try w.endElement()
    }

    /// A count the registry format cannot hold (written by hand, or before the bound was kept) stops the export
    /// rather than writing a file that no registry will read back.
    static func checkBound(_ count: Int, of kind: String, _ id: String) throws {
        guard !CountLimit.allows(count) else { return }
        throw CountOutOfBound(kind: kind, id: id, count: count)
    }

    static func write(_ census: StaffCensus, _ w: XMLStreamWriter) throws {
        try checkBound(census.count, of: "staff census", census.id)
        try w.startElement("staffCensus")
        try w.attribute("id", census.id)
        try w.attribute("department", census.departmentID)
        try w.attribute("category", census.category.rawValue)
        try w.attribute("count", String(census.count))
        try w.attribute("asOf", census.asOf.description)
        try w.element("note", census.note)
        try w.endElement()
    }

    static func write(_ tally: CaseTally, _ w: XMLStreamWriter) throws {
        try checkBound(tally.count, of: "case tally", tally.id)
        try w.startElement("tally")
        try w.attribute("id", tally.id)
        try w.attribute("procedure", tally.procedureID)
        try w.attribute("approach", tally.approach.rawValue)
        try w.attribute("department", tally.departmentID)
        try w.attribute("campus", tally.campusID)
        try w.attribute("surgeon", tally.surgeonID)
        try w.attribute("from", tally.from?.description)
        try w.attribute("to", tally.to.description)
        try w.attribute("count", String(tally.count))
        try w.attribute("source", tally.source)
        try w.element("note", tally.note)
        try w.endElement()
    }
}
