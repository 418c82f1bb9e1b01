/// A short account of what a registry holds about one department: the figures `annals demo` prints.
public struct DepartmentOverview: Sendable, Hashable {
    public var department: OrgUnit
    public var staff: [StaffCategory: Int]
    public var namedPeople: Int
    public var projectsByLevel: [Level: Int]
    /// Papers in journals listed by SCIE or SSCI in their publication year (or the nearest earlier list).
    public var sciPapers: Int
    public var otherPapers: Int
    public var patents: Int
    public var awards: Int
    /// Operations per procedure and approach, over every tally of the department.
    public var cases: [ProcedureApproach: Int]

    /// A procedure id and an approach.
    public struct ProcedureApproach: Sendable, Hashable {
        public var procedureID: String
        public var approach: Approach
    }

    /// The department's figures in `content`; nil when there is no such department.
    public init?(department id: String, in content: RegistryContent) {
        guard let unit = content.orgUnits.first(where: { $0.id == id }) else { return nil }
        department = unit
        staff = [:]
        for census in content.staffCensus where census.departmentID == id {
            staff[census.category] = census.count
        }
        namedPeople = content.people.filter { $0.departmentIDs.contains(id) }.count
        projectsByLevel = [:]
        for project in content.projects where project.departments.contains(where: { $0.departmentID == id }) {
            projectsByLevel[project.level, default: 0] += 1
        }
        sciPapers = 0
        otherPapers = 0
        let journals = JournalLookup(content.journals)
        for paper in content.publications where paper.departmentIDs.contains(id) && !paper.isRetracted {
            if SCIRule.isSCI(paper, in: journals) == true { sciPapers += 1 } else { otherPapers += 1 }
        }
        patents = content.patents.filter { $0.departmentIDs.contains(id) }.count
        awards = content.awards.filter { $0.departmentIDs.contains(id) }.count
        cases = [:]
        for tally in content.tallies where tally.departmentID == id {
            cases[ProcedureApproach(procedureID: tally.procedureID, approach: tally.approach), default: 0] +=
                tally.count
        }
    }
}
