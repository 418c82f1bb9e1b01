/// The kinds of record a registry holds.
public enum EntityKind: String, Sendable, Hashable, Codable, CaseIterable {
    case orgUnit = "org-unit"
    case campus
    case person
    case journal
    case procedure
    case project
    case publication
    case patent
    case award
    case staffCensus = "staff-census"
    case tally

    /// For people, plural: "case tallies".
    public var pluralNoun: String {
        switch self {
        case .person: "people"
        case .campus: "campuses"
        case .staffCensus: "staff census counts"
        case .tally: "case tallies"
        default: noun + "s"
        }
    }

    /// For people: "department", "case tally".
    public var noun: String {
        switch self {
        case .orgUnit: "organisation unit"
        case .campus: "campus"
        case .person: "person"
        case .journal: "journal"
        case .procedure: "procedure"
        case .project: "project"
        case .publication: "publication"
        case .patent: "patent"
        case .award: "award"
        case .staffCensus: "staff census"
        case .tally: "case tally"
        }
    }
}

/// A set of registry records: what one registry file holds, or a whole registry.
public struct RegistryContent: Sendable, Hashable {
    public var orgUnits: [OrgUnit] = []
    public var people: [Person] = []
    public var journals: [Journal] = []
    public var procedures: [Procedure] = []
    public var projects: [Project] = []
    public var publications: [Publication] = []
    public var patents: [Patent] = []
    public var awards: [Award] = []
    public var staffCensus: [StaffCensus] = []
    public var tallies: [CaseTally] = []

    public init() {}

    /// How many records of each kind (campuses not counted apart).
    public var counts: [EntityKind: Int] {
        [
            .orgUnit: orgUnits.count, .person: people.count, .journal: journals.count, .procedure: procedures.count,
            .project: projects.count, .publication: publications.count, .patent: patents.count, .award: awards.count,
            .staffCensus: staffCensus.count, .tally: tallies.count,
        ]
    }

    /// Every id this content defines, by kind (campuses included).
    public var definedIDs: [EntityKind: Set<String>] {
        [
            .orgUnit: Set(orgUnits.map(\.id)), .campus: Set(orgUnits.flatMap { $0.campuses.map(\.id) }),
            .person: Set(people.map(\.id)), .journal: Set(journals.map(\.id)), .procedure: Set(procedures.map(\.id)),
            .project: Set(projects.map(\.id)), .publication: Set(publications.map(\.id)),
            .patent: Set(patents.map(\.id)),
            .award: Set(awards.map(\.id)), .staffCensus: Set(staffCensus.map(\.id)), .tally: Set(tallies.map(\.id)),
        ]
    }
}

/// A reference from one record to another.
public struct RecordReference: Sendable, Hashable {
    /// The record that refers.
    public var kind: EntityKind
    public var id: String
    /// The field that holds the reference ("department", "author 3 person").
    public var field: String
    /// What it refers to.
    public var targetKind: EntityKind
    public var targetID: String
}

/// A rule a record breaks that a schema cannot express, said for people.
public struct RecordProblem: Sendable, Hashable, CustomStringConvertible {
    public var kind: EntityKind
    public var id: String
    public var message: String

    public init(kind: EntityKind, id: String, message: String) {
        self.kind = kind
        self.id = id
        self.message = message
    }

    public var description: String { message }
}

extension RegistryContent {
    /// Every reference between records, in a stable order.
    public var references: [RecordReference] {
        var refs: [RecordReference] = []
        func add(_ kind: EntityKind, _ id: String, _ field: String, _ target: EntityKind, _ targetID: String?) {
            guard let targetID else { return }
            refs.append(RecordReference(kind: kind, id: id, field: field, targetKind: target, targetID: targetID))
        }
        for unit in orgUnits {
            add(.orgUnit, unit.id, "parent", .orgUnit, unit.parentID)
            for bed in unit.beds { add(.orgUnit, unit.id, "beds campus", .campus, bed.campusID) }
        }
        for person in people {
            for d in person.departmentIDs { add(.person, person.id, "department", .orgUnit, d) }
        }
        for project in projects {
            add(.project, project.id, "principal investigator", .person, project.principalInvestigatorID)
            for d in project.departments { add(.project, project.id, "department", .orgUnit, d.departmentID) }
        }
        for publication in publications {
            add(.publication, publication.id, "journal", .journal, publication.journal?.journalID)
            for (n, author) in publication.authors.enumerated() {
                add(.publication, publication.id, "author \(n + 1)", .person, author.personID)
            }
            for (n, editor) in publication.editors.enumerated() {
                add(.publication, publication.id, "editor \(n + 1)", .person, editor.personID)
            }
            for p in publication.projectIDs { add(.publication, publication.id, "project", .project, p) }
            for d in publication.departmentIDs { add(.publication, publication.id, "department", .orgUnit, d) }
        }
        for patent in patents {
            for c in patent.inventors { add(.patent, patent.id, "inventor", .person, c.personID) }
            for d in patent.departmentIDs { add(.patent, patent.id, "department", .orgUnit, d) }
        }
        for award in awards {
            for c in award.recipients { add(.award, award.id, "recipient", .person, c.personID) }
            add(.award, award.id, "project", .project, award.projectID)
            for d in award.departmentIDs { add(.award, award.id, "department", .orgUnit, d) }
        }
        for census in staffCensus { add(.staffCensus, census.id, "department", .orgUnit, census.departmentID) }
        for tally in tallies {
            add(.tally, tally.id, "procedure", .procedure, tally.procedureID)
            add(.tally, tally.id, "department", .orgUnit, tally.departmentID)
            add(.tally, tally.id, "campus", .campus, tally.campusID)
            add(.tally, tally.id, "surgeon", .person, tally.surgeonID)
        }
        return refs
    }

    /// Rules within single records: periods that end before they start, a cycle of parents.
    public var recordProblems: [RecordProblem] {
        var problems: [RecordProblem] = []
        for tally in tallies where !tally.hasValidPeriod {
            problems.append(
                RecordProblem(
                    kind: .tally, id: tally.id,
                    message: "case tally '\(tally.id)' ends (\(tally.to)) before it starts (\(tally.from!))"))
        }
        for project in projects {
            if let start = project.start, let end = project.end, start.firstDay > end.lastDay {
                problems.append(
                    RecordProblem(
                        kind: .project, id: project.id,
                        message: "project '\(project.id)' ends (\(end)) before it starts (\(start))"))
            }
        }
        for unit in orgUnits where unit.parentID == unit.id {
            problems.append(
                RecordProblem(kind: .orgUnit, id: unit.id, message: "organisation unit '\(unit.id)' is its own parent"))
        }
        for unit in orgUnits where unit.kind == .department && unit.parentID == nil {
            problems.append(
                RecordProblem(
                    kind: .orgUnit, id: unit.id,
                    message: "department '\(unit.id)' names no hospital: add parent=\"HOSPITAL-ID\""))
        }
        return problems
    }
}
