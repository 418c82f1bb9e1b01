import AnnalsModel
import AnnalsXML

/// A record that breaks a rule the schema cannot express (a 30 February, a bad ORCID check digit).
struct RecordConversionError: Error {
    var line: Int
    var element: String
    var message: String
}

/// Turns the record elements of a schema-valid registry file into model values: the inverse of
/// `RegistryExporter`'s writers.
enum RegistryParser {
    /// Adds the record in `element` to `content`; returns its kind and id.
    static func add(_ element: XMLElement, to content: inout RegistryContent) throws -> (EntityKind, String) {
        let r = Fields(element)
        switch element.name {
        case "orgUnit":
            let unit = try orgUnit(r)
            content.orgUnits.append(unit)
            return (.orgUnit, unit.id)
        case "person":
            let person = try person(r)
            content.people.append(person)
            return (.person, person.id)
        case "journal":
            let journal = try journal(r)
            content.journals.append(journal)
            return (.journal, journal.id)
        case "procedure":
            let procedure = try procedure(r)
            content.procedures.append(procedure)
            return (.procedure, procedure.id)
        case "project":
            let project = try project(r)
            content.projects.append(project)
            return (.project, project.id)
        case "publication":
            let publication = try publication(r)
            content.publications.append(publication)
            return (.publication, publication.id)
        case "patent":
            let patent = try patent(r)
            content.patents.append(patent)
            return (.patent, patent.id)
        case "award":
            let award = try award(r)
            content.awards.append(award)
            return (.award, award.id)
        case "staffCensus":
            let census = try staffCensus(r)
            content.staffCensus.append(census)
            return (.staffCensus, census.id)
        case "tally":
            let tally = try tally(r)
            content.tallies.append(tally)
            return (.tally, tally.id)
        default:
            throw r.error("'\(element.name)' is not a registry record")
        }
    }

    static func orgUnit(_ r: Fields) throws -> OrgUnit {
        let e = r.element
        return OrgUnit(
            id: try r.attribute("id"), kind: try r.enumeration("kind"), name: try r.text("name"),
            nameZH: e.childText("nameZH"),
            parentID: e[attribute: "parent"], established: try e.child("established").map { try r.approximateYear($0) },
            campuses: try e.children("campus").map {
                let c = Fields($0)
                return Campus(id: try c.attribute("id"), name: try c.text("name"), nameZH: $0.childText("nameZH"))
            },
            beds: try e.children("beds").map {
                let b = Fields($0)
                return BedCount(
                    campusID: $0[attribute: "campus"], beds: try b.integer("count"),
                    vipBeds: try b.integer("vip", default: 0))
            },
            history: try e.children("event").map {
                HistoryEvent(
                    when: try r.approximateYear($0), text: $0.text.trimmingXMLWhitespace(),
                    textZH: $0[attribute: "textZH"])
            },
            collaborations: try e.children("collaboration").map {
                let c = Fields($0)
                return Collaboration(
                    partner: try c.text("partner"), since: try $0.child("since").map { try r.approximateYear($0) },
                    text: $0.childText("description"), partnerZH: $0.childText("partnerZH"),
                    textZH: $0.childText("descriptionZH"))
            },
            researchDirections: e.texts("researchDirection"), clinicalScope: e.texts("clinicalScope"),
            equipment: e.texts("equipment"), affiliationPatterns: e.texts("affiliationPattern"),
            researchDirectionsZH: Self.list(e.texts("researchDirectionZH")),
            clinicalScopeZH: Self.list(e.texts("clinicalScopeZH")),
            equipmentZH: Self.list(e.texts("equipmentZH")))
    }

    /// Nil for no items: a list the file does not give.
    static func list(_ items: [String]) -> [String]? {
        items.isEmpty ? nil : items
    }

    static func person(_ r: Fields) throws -> Person {
        let e = r.element
        var orcid: String?
        if let written = e.childText("orcid") {
            guard let normalized = ORCID.normalize(written) else {
                throw r.error("the ORCID \(written) has a wrong check digit; copy it again from orcid.org")
            }
            orcid = normalized
        }
        return Person(
            id: try r.attribute("id"), familyName: try r.text("familyName"), givenName: try r.text("givenName"),
            nameVariants: try e.children("nameVariant").map {
                let v = Fields($0)
                return NameVariant(kind: try v.enumeration("kind"), value: $0.text.trimmingXMLWhitespace())
            },
            orcid: orcid, clinicalRank: try r.optionalEnumeration(child: "clinicalRank"),
            academicTitle: e.childText("academicTitle"), degree: try r.optionalEnumeration(child: "degree"),
            supervisorRoles: try e.children("supervisor").map {
                let s = Fields($0)
                return try s.enumeration("role")
            },
            committees: try e.children("committee").map {
                let c = Fields($0)
                return CommitteeMembership(
                    body: $0.text.trimmingXMLWhitespace(), role: $0[attribute: "role"],
                    since: try c.optionalInteger("since"))
            },
            departmentIDs: e.refs("department"), academicTitleZH: e.childText("academicTitleZH"))
    }

    static func journal(_ r: Fields) throws -> Journal {
        let e = r.element
        return Journal(
            id: try r.attribute("id"), title: try r.text("title"), isoAbbreviation: e.childText("isoAbbreviation"),
            issnPrint: e.childText("issnPrint"), issnElectronic: e.childText("issnElectronic"),
            issnLinking: e.childText("issnLinking"),
            metrics: try e.children("metrics").map {
                let m = Fields($0)
                return JournalMetrics(
                    year: try m.integer("year"),
                    indexes: try $0.children("index").map { index in
                        guard let value = JournalIndex(rawValue: index.text.trimmingXMLWhitespace()) else {
                            throw m.error("unknown journal index '\(index.text)'")
                        }
                        return value
                    },
                    impactFactor: try m.optionalDecimal("impactFactor"),
                    jcrQuartile: try m.optionalInteger("jcrQuartile"),
                    casZone: try m.optionalInteger("casZone"))
            }, titleZH: e.childText("titleZH"))
    }

    static func procedure(_ r: Fields) throws -> Procedure {
        let e = r.element
        return Procedure(
            id: try r.attribute("id"), preferredTerm: try r.text("preferredTerm"), synonyms: e.texts("synonym"),
            category: try r.attribute("category"), grade: try r.optionalInteger("grade"),
            codes: try e.children("code").map {
                let c = Fields($0)
                return Procedure.Code(system: try c.attribute("system"), value: $0.text.trimmingXMLWhitespace())
            }, preferredTermZH: e.childText("preferredTermZH"))
    }

    static func project(_ r: Fields) throws -> Project {
        let e = r.element
        var amount: Money?
        if let a = e.child("amount") {
            let m = Fields(a)
            guard let value = DecimalNumber(a.text.trimmingXMLWhitespace()) else {
                throw m.error("'\(a.text)' is not an amount")
            }
            amount = Money(amount: value, currency: try m.attribute("currency"))
        }
        return Project(
            id: try r.attribute("id"), title: try r.text("title"), funder: try r.text("funder"),
            programme: e.childText("programme"), level: try r.enumeration("level"),
            grantNumber: e.childText("grantNumber"),
            principalInvestigatorID: e.child("principalInvestigator")?[attribute: "ref"],
            departments: try e.children("department").map {
                let d = Fields($0)
                return Project.DepartmentRole(departmentID: try d.attribute("ref"), role: try d.enumeration("role"))
            },
            start: try r.optionalDate(child: "start"), end: try r.optionalDate(child: "end"), amount: amount,
            status: try r.enumeration("status"), titleZH: e.childText("titleZH"), funderZH: e.childText("funderZH"),
            programmeZH: e.childText("programmeZH"))
    }

    static func publication(_ r: Fields) throws -> Publication {
        let e = r.element
        guard let title = e.child("title") else { throw r.error("a publication needs a title") }
        var source: Provenance?
        if let s = e.child("source") {
            let f = Fields(s)
            source = Provenance(
                kind: try f.enumeration("kind"), file: s[attribute: "file"], recordID: s[attribute: "record"])
        }
        return Publication(
            id: try r.attribute("id"), kind: try r.enumeration("kind"), title: MarkupText(markup: title.inlineMarkup),
            vernacularTitle: e.childText("vernacularTitle"),
            journal: e.child("journal").map {
                JournalReference(
                    journalID: $0[attribute: "ref"], title: $0.text.trimmingXMLWhitespace(),
                    issnPrint: $0[attribute: "issnPrint"],
                    issnElectronic: $0[attribute: "issnElectronic"], issnLinking: $0[attribute: "issnLinking"])
            },
            published: try r.optionalDate(child: "published"), volume: e.childText("volume"),
            issue: e.childText("issue"),
            pages: e.childText("pages"), doi: e.childText("doi"), pmid: e.childText("pmid"),
            pmcid: e.childText("pmcid"),
            languages: e.texts("language"), authors: try e.children("author").map(Self.author),
            editors: try e.children("editor").map(Self.author), bookTitle: e.childText("bookTitle"),
            publisher: e.childText("publisher"),
            abstract: e.child("abstract").map { MarkupText(markup: $0.inlineMarkup) },
            publicationTypes: e.texts("publicationType"), keywords: e.texts("keyword"),
            meshHeadings: e.texts("meshHeading"),
            grants: e.children("grant").map {
                Publication.Grant(
                    id: $0[attribute: "id"], agency: $0[attribute: "agency"], country: $0[attribute: "country"])
            },
            projectIDs: e.refs("project"),
            departmentIDs: e.refs("department"),
            notices: try e.children("notice").map {
                let n = Fields($0)
                return Publication.Notice(kind: try n.enumeration("kind"), reference: $0.text.trimmingXMLWhitespace())
            },
            revised: try r.optionalDate(child: "revised"), source: source,
            supervisors: try e.children("supervisor").map(Self.author).nilIfEmpty, notes: e.texts("note").nilIfEmpty)
    }

    static func author(_ a: XMLElement) throws -> Author {
        let f = Fields(a)
        var orcid: String?
        if let written = a.childText("orcid") {
            guard let normalized = ORCID.normalize(written) else {
                throw f.error("the ORCID \(written) has a wrong check digit")
            }
            orcid = normalized
        }
        return Author(
            familyName: a.childText("familyName"), givenName: a.childText("givenName"),
            initials: a.childText("initials"),
            collectiveName: a.childText("collectiveName"), orcid: orcid, affiliations: a.texts("affiliation"),
            personID: a[attribute: "person"], isFirst: f.boolean("first"), isCorresponding: f.boolean("corresponding"),
            equalContribution: f.boolean("equalContribution"))
    }

    static func patent(_ r: Fields) throws -> Patent {
        let e = r.element
        return Patent(
            id: try r.attribute("id"), kind: try r.enumeration("kind"), title: try r.text("title"),
            applicationNumber: e.childText("applicationNumber"), grantNumber: e.childText("grantNumber"),
            inventors: e.contributors("inventor"), filed: try r.optionalDate(child: "filed"),
            granted: try r.optionalDate(child: "granted"), status: try r.enumeration("status"),
            departmentIDs: e.refs("department"),
            titleZH: e.childText("titleZH"))
    }

    static func award(_ r: Fields) throws -> Award {
        let e = r.element
        return Award(
            id: try r.attribute("id"), name: try r.text("name"), grade: e.childText("grade"),
            level: try r.enumeration("level"),
            year: try r.integer("year"), recipients: e.contributors("recipient"),
            projectID: e.child("project")?[attribute: "ref"],
            departmentIDs: e.refs("department"), nameZH: e.childText("nameZH"), gradeZH: e.childText("gradeZH"))
    }

    static func staffCensus(_ r: Fields) throws -> StaffCensus {
        StaffCensus(
            id: try r.attribute("id"), departmentID: try r.attribute("department"),
            category: try r.enumeration("category"),
            count: try r.integer("count"), asOf: try r.date("asOf"), note: r.element.childText("note"))
    }

    static func tally(_ r: Fields) throws -> CaseTally {
        let from = try r.element[attribute: "from"].map { try r.parseDate($0, "from") }
        return CaseTally(
            id: try r.attribute("id"), procedureID: try r.attribute("procedure"),
            approach: try r.enumeration("approach"),
            departmentID: try r.attribute("department"), campusID: r.element[attribute: "campus"],
            surgeonID: r.element[attribute: "surgeon"], from: from, to: try r.date("to"), count: try r.integer("count"),
            source: r.element[attribute: "source"], note: r.element.childText("note"))
    }
}

/// Typed access to one element's attributes and children, with errors that name the line.
struct Fields {
    let element: XMLElement

    init(_ element: XMLElement) {
        self.element = element
    }

    func error(_ message: String) -> RecordConversionError {
        RecordConversionError(line: element.line, element: element.name, message: message)
    }

    func attribute(_ name: String) throws -> String {
        guard let value = element[attribute: name] else { throw error("<\(element.name)> needs the attribute \(name)") }
        return value
    }

    func text(_ child: String) throws -> String {
        guard let value = element.childText(child) else { throw error("<\(element.name)> needs a <\(child)>") }
        return value
    }

    func enumeration<T: RawRepresentable>(_ name: String) throws -> T where T.RawValue == String {
        let raw = try attribute(name)
        guard let value = T(rawValue: raw) else { throw error("'\(raw)' is not a valid \(name)") }
        return value
    }

    func optionalEnumeration<T: RawRepresentable>(child: String) throws -> T? where T.RawValue == String {
        guard let raw = element.childText(child) else { return nil }
        guard let value = T(rawValue: raw) else { throw error("'\(raw)' is not a valid \(child)") }
        return value
    }

    func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
        guard let raw = element[attribute: name] else {
            if let fallback { return fallback }
            throw error("<\(element.name)> needs the attribute \(name)")
        }
        guard let value = Int(raw.trimmingXMLWhitespace()) else {
            throw error("\(name) '\(raw)' is not a whole number")
        }
        return value
    }

    func optionalInteger(_ name: String) throws -> Int? {
        element[attribute: name] == nil ? nil : try integer(name)
    }

    func optionalDecimal(_ name: String) throws -> DecimalNumber? {
        guard let raw = element[attribute: name] else { return nil }
        guard let value = DecimalNumber(raw) else { throw error("\(name) '\(raw)' is not a number") }
        return value
    }

    func boolean(_ name: String) -> Bool {
        let raw = element[attribute: name]?.trimmingXMLWhitespace()
        return raw == "true" || raw == "1"
    }

    func parseDate(_ raw: String, _ what: String) throws -> PartialDate {
        guard let date = PartialDate(raw.trimmingXMLWhitespace()) else {
            throw error("\(what) '\(raw)' is not a date in the calendar (write YYYY, YYYY-MM or YYYY-MM-DD)")
        }
        return date
    }

    func date(_ attributeName: String) throws -> PartialDate {
        try parseDate(try attribute(attributeName), attributeName)
    }

    func optionalDate(child: String) throws -> PartialDate? {
        try element.childText(child).map { try parseDate($0, child) }
    }

    func approximateYear(_ e: XMLElement) throws -> ApproximateYear {
        let f = Fields(e)
        let from = try f.integer("from")
        let to = try f.optionalInteger("to") ?? from
        guard let year = ApproximateYear(earliest: from, latest: to, text: e[attribute: "when"]) else {
            throw f.error("the years run backwards: from \(from) to \(to)")
        }
        return year
    }
}

extension Array {
    /// Nil for an empty array: optional lists are absent, not empty, when a source gives nothing.
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
