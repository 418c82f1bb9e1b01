import AnnalsModel

/// The headline figures of one year, as `annals stats` lists them (drawn from the annual report, so
/// the two never disagree).
public struct YearStatistics: Codable, Sendable, Hashable {
    public var year: Int
    public var department: String?
    public var staff: Int
    public var namedStaff: Int
    public var projectsByFunder: [AnnualReport.Count]
    public var firstOrCorrespondingShare: String
    public var beds: Int
    public var vipBeds: Int
    public var projectsNew: Int
    public var projectsRunning: Int
    public var projectsByLevel: [AnnualReport.LevelLine]
    public var sciPapers: Int
    public var nationalPapers: Int
    public var firstOrCorresponding: Int
    public var impactFactorSum: String
    public var impactFactorMedian: String
    public var retracted: Int
    public var patentsFiled: Int
    public var patentsGranted: Int
    public var awards: Int
    public var operations: AnnualReport.CaseFigure
    public var minimallyInvasiveShare: String?
    public var grade4Share: String?
    public var milestones: [String]

    public init(_ r: AnnualReport) {
        year = r.year
        department = r.department?.id
        // Head counts by rank (degrees and roles overlap the ranks, so they are not added in).
        let ranks: Set<String> = Set(
            [StaffCategory.chiefPhysician, .deputyChiefPhysician, .attendingPhysician, .residentPhysician, .specialistDoctor,
             .supervisorNurse, .nursePractitioner, .nurse].map { Labels(r.language).staff($0) })
        staff = r.staff.filter { ranks.contains($0.label) }.reduce(0) { $0 + $1.count }
        namedStaff = r.staff.first { $0.label == Labels(r.language).namedStaff }?.count ?? 0
        projectsByFunder = r.projects.byFunder
        firstOrCorrespondingShare = r.publications.firstOrCorrespondingShare
        beds = r.beds.reduce(0) { $0 + $1.beds }
        vipBeds = r.beds.reduce(0) { $0 + $1.vipBeds }
        projectsNew = r.projects.new
        projectsRunning = r.projects.ongoing
        projectsByLevel = r.projects.byLevel
        sciPapers = r.publications.sci
        nationalPapers = r.publications.national
        firstOrCorresponding = r.publications.firstOrCorresponding
        impactFactorSum = r.publications.impactFactorSum
        impactFactorMedian = r.publications.impactFactorMedian
        retracted = r.publications.retracted.count
        patentsFiled = r.patents.filed
        patentsGranted = r.patents.granted
        awards = r.awards.count
        operations = r.cases.total
        minimallyInvasiveShare = r.cases.minimallyInvasiveShare
        grade4Share = r.cases.grade4Share
        milestones = r.cases.milestones
    }

    /// (label, value) pairs in a fixed order, for tables and CSV.
    public var lines: [(String, String)] {
        [
            ("staff (by rank)", "\(staff)"), ("named in the registry", "\(namedStaff)"), ("beds", "\(beds)"), ("VIP beds", "\(vipBeds)"), ("projects new", "\(projectsNew)"),
            ("projects running", "\(projectsRunning)"),
        ] + projectsByLevel.map { ("projects running, \($0.level.lowercased())", "\($0.ongoing)") }
            + projectsByLevel.map { ("funding, \($0.level.lowercased())", $0.funding.joined(separator: "; ")) } + [
            ("SCI papers", "\(sciPapers)"), ("national journal papers", "\(nationalPapers)"),
            ("first or corresponding author", "\(firstOrCorresponding)"), ("first or corresponding share", firstOrCorrespondingShare), ("impact factor sum", impactFactorSum),
            ("impact factor median", impactFactorMedian), ("retracted (not counted)", "\(retracted)"),
            ("patents filed", "\(patentsFiled)"), ("patents granted", "\(patentsGranted)"), ("awards", "\(awards)"),
            ("operations", operations.figure), ("minimally invasive share", minimallyInvasiveShare ?? "—"),
            ("grade-4 share", grade4Share ?? "—"),
        ]
    }
}
