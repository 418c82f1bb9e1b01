import AnnalsModel

/// The headline figures of one year, as `annals stats` lists them (drawn from the annual report, so
/// the two never disagree).
public struct YearStatistics: Codable, Sendable, Hashable {
    public var year: Int
    public var department: String?
    /// The date of the latest staff census used; nil: no census on or before the year's end.
    public var staffCensusAsOf: String?
    /// Head counts (each person once; ranks, degrees and roles are not added together).
    public var doctors: AnnualReport.HeadCount
    public var nurses: AnnualReport.HeadCount
    public var namedStaff: Int
    public var projectsByFunder: [AnnualReport.Count]
    /// First or corresponding papers as a share of the year's papers (0.625); nil without papers.
    public var firstOrCorrespondingShare: Double?
    public var beds: Int
    public var vipBeds: Int
    public var projectsNew: Int
    public var projectsRunning: Int
    public var projectsByLevel: [AnnualReport.LevelLine]
    public var sciPapers: Int
    public var nationalPapers: Int
    public var firstOrCorresponding: Int
    /// Nil when no SCI paper of the year has an impact factor.
    public var impactFactorSum: Double?
    public var impactFactorMedian: Double?
    public var retracted: Int
    public var patentsFiled: Int
    public var patentsGranted: Int
    public var awards: Int
    public var operations: AnnualReport.CaseFigure
    /// Shares of all the year's operations; nil when not given (see `sharesWithheld`).
    public var minimallyInvasiveShare: AnnualReport.Share?
    public var grade4Share: AnnualReport.Share?
    /// The year's operations are not all tallied, so no share of them is given.
    public var sharesWithheld: Bool
    public var milestones: [AnnualReport.MilestoneLine]

    public init(_ r: AnnualReport) {
        year = r.year
        department = r.department?.id
        staffCensusAsOf = r.staffCensusAsOf
        doctors = r.doctors
        nurses = r.nurses
        namedStaff = r.namedStaffCount
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
        sharesWithheld = r.cases.sharesWithheld
        milestones = r.cases.milestones
    }

    /// (label, value) pairs in a fixed order, for tables and CSV. Labels are unique within a year; a
    /// figure a year does not have (a level with no project running) has no line.
    public var lines: [(String, String)] {
        let l = Labels(.en)
        var lines: [(String, String)] = [
            ("staff census as of", staffCensusAsOf ?? "no census"),
            ("doctors (head count)", l.figure(doctors)), ("nurses (head count)", l.figure(nurses)),
            ("named in the registry", "\(namedStaff)"), ("beds", "\(beds)"), ("VIP beds", "\(vipBeds)"),
            ("projects new", "\(projectsNew)"), ("projects running", "\(projectsRunning)"),
        ]
        lines += projectsByLevel.map { ("projects running, \(l.level($0.level).lowercased())", "\($0.ongoing)") }
        lines += projectsByLevel.map {
            (
                "grants awarded in the year, \(l.level($0.level).lowercased())",
                $0.awarded.isEmpty ? "none" : $0.awarded.map(\.plain).joined(separator: "; ")
            )
        }
        lines += projectsByLevel.map {
            (
                "whole value of grants running in the year, \(l.level($0.level).lowercased())",
                $0.runningValue.isEmpty ? "none" : $0.runningValue.map(\.plain).joined(separator: "; ")
            )
        }
        lines += [
            ("SCI papers", "\(sciPapers)"), ("national journal papers", "\(nationalPapers)"),
            ("first or corresponding author", "\(firstOrCorresponding)"),
            (
                "first or corresponding share of the year's papers",
                firstOrCorrespondingShare.map(Numbers.percent) ?? "—"
            ),
            ("impact factor sum", impactFactorSum.map(Numbers.twoPlaces) ?? "—"),
            ("impact factor median", impactFactorMedian.map(Numbers.twoPlaces) ?? "—"),
            ("retracted (not counted)", "\(retracted)"),
            ("patents filed", "\(patentsFiled)"), ("patents granted", "\(patentsGranted)"), ("awards", "\(awards)"),
            ("operations", l.figure(operations)),
            (
                "minimally invasive share of all the year's operations",
                minimallyInvasiveShare.map { Numbers.percent($0.ratio) } ?? "—"
            ),
            ("grade-4 share of all the year's operations", grade4Share.map { Numbers.percent($0.ratio) } ?? "—"),
        ]
        return lines
    }

    /// The figures of several years side by side, lined up by label (never by position): each label
    /// once, in the years' order (a label only a later year has goes after the line it follows there); a year without that figure has nil in its place.
    public static func table(_ years: [YearStatistics]) -> [(label: String, values: [String?])] {
        let byYear = years.map { Dictionary($0.lines, uniquingKeysWith: { first, _ in first }) }
        var labels: [String] = []
        for year in years {
            var after = -1
            for (label, _) in year.lines {
                if let known = labels.firstIndex(of: label) {
                    after = known
                } else {
                    after += 1
                    labels.insert(label, at: after)
                }
            }
        }
        return labels.map { label in (label, byYear.map { $0[label] }) }
    }
}
