public import AnnalsModel
public import AnnalsStatistics

/// Everything the annual research report states, as plain values: rendered to HTML, Markdown and
/// JSON by `ReportRenderer`, so the three always say the same.
///
/// Figures are numbers, enums and ids; the words and number formats ("+2.8%", "CNY 1,100,000", "≥ 32",
/// "2019年3月") are chosen when it is rendered (`Labels`, one place per language). Names from the registry
/// (departments, procedures, titles) are in the report's language, as the registry records them.
public struct AnnualReport: Codable, Sendable, Hashable {
    public var year: Int
    public var language: ReportLanguage
    /// The stated generation date (`--as-of`); nothing else in a report depends on "now".
    public var generatedOn: String
    /// True when the report counts only validated projects, papers, patents and awards (the approval chain's
    /// records still waiting are left out); nil or false: every record.
    public var validatedOnly: Bool?
    public var hospital: String
    /// The department reported on; nil for the whole hospital.
    public var department: Unit?
    /// The departments the figures cover.
    public var departments: [Unit]
    /// Each census category as counted (ranks, degrees and roles overlap: they are not added together).
    public var staff: [StaffCount]
    /// How many people the registry names in the departments (whether or not a census counts them).
    public var namedStaffCount: Int
    /// The date of the latest census used; nil when no department had a census by the year's end.
    public var staffCensusAsOf: String?
    /// The people the registry names in the departments, by rank: name, rank and academic title.
    public var namedStaff: [StaffLine]
    /// Doctors and nurses, head counts (each person once).
    public var doctors: HeadCount
    public var nurses: HeadCount
    public var beds: [Beds]
    public var projects: Projects
    public var publications: Publications
    public var patents: Patents
    public var awards: [AwardLine]
    public var cases: Cases
    /// The records behind each figure, by figure ("SCI papers" → publication ids), for `annals stats --explain`.
    public var sources: [Source]

    /// The records a figure counts.
    public struct Source: Codable, Sendable, Hashable {
        public var figure: SourceFigure
        public var kind: String
        public var ids: [String]
    }

    /// The figures whose records `annals stats --explain` lists.
    public enum SourceFigure: String, Codable, Sendable, Hashable, CaseIterable {
        case sciPapers, nationalPapers, firstOrCorresponding, retracted, projectsRunning, projectsNew, patentsFiled
        case patentsGranted, awards, operations
    }

    public struct Unit: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
    }

    /// A labelled number (the label is a name from the registry, such as a funder's).
    public struct Count: Codable, Sendable, Hashable {
        public var label: String
        public var count: Int
    }

    /// One census category's count.
    public struct StaffCount: Codable, Sendable, Hashable {
        public var category: StaffCategory
        public var count: Int
    }

    /// How many in one bucket of a numbered scale: JCR quartile 1–4, CAS zone 1–4.
    public struct Bucket: Codable, Sendable, Hashable {
        public var value: Int
        public var count: Int
    }

    /// How many operations by one approach.
    public struct ApproachCount: Codable, Sendable, Hashable {
        public var approach: Approach
        public var count: Int
    }

    /// How many patents of one kind.
    public struct PatentKindCount: Codable, Sendable, Hashable {
        public var kind: Patent.Kind
        public var count: Int
    }

    /// A named member of staff.
    public struct StaffLine: Codable, Sendable, Hashable {
        public var name: String
        public var rank: ClinicalRank?
        public var academicTitle: String?
    }

    /// An amount of money: its currency and exact amount as a decimal ("1500000"); the report writes it
    /// "CNY 1,500,000" or "150万元".
    public struct Amount: Codable, Sendable, Hashable {
        public var currency: String
        public var amount: String
        /// "CNY 1500000": the figure as `annals stats` lists it (for spreadsheets: no digit grouping).
        public var plain: String { "\(currency) \(amount)" }
    }

    public struct Beds: Codable, Sendable, Hashable {
        public var department: String
        public var campus: String?
        public var beds: Int
        public var vipBeds: Int
    }

    public struct Projects: Codable, Sendable, Hashable {
        /// Projects starting in the year.
        public var new: Int
        /// Projects running at some point in the year.
        public var ongoing: Int
        public var byLevel: [LevelLine]
        /// Running projects per funder.
        public var byFunder: [Count]
        public var list: [ProjectLine]
        /// Funder names as the projects write them (in Chinese reports their Chinese form, where recorded)
        /// that the funder vocabulary does not know: counted as written, each apart, and listed so that they can be mapped.
        public var unmappedFunders: [String]
    }

    public struct LevelLine: Codable, Sendable, Hashable {
        public var level: Level
        public var new: Int
        public var ongoing: Int
        /// Awarded in the year: the amounts of the grants starting in it, per currency.
        public var awarded: [Amount]
        /// The whole value of the grants running in the year, per currency: a grant running three
        /// years is in this figure in each of them, so these figures are not added over years.
        public var runningValue: [Amount]
    }

    /// A head count over the departments reported on, from their latest census.
    public struct HeadCount: Codable, Sendable, Hashable {
        /// The sum over the departments whose census gives it.
        public var count: Int
        /// Every department reported on has a census giving it.
        public var exact: Bool
        /// Some department's census gives it (false: no figure at all).
        public var given: Bool
        /// The departments whose census does not give it.
        public var missing: [String]
    }

    public struct ProjectLine: Codable, Sendable, Hashable {
        public var title: String
        public var funder: String
        public var programme: String?
        public var level: Level
        public var grantNumber: String?
        /// The principal investigator (负责人), by name.
        public var principalInvestigator: String?
        /// The project's start and end as recorded (the report writes them by month: "2022.01–2025.12").
        public var start: PartialDate?
        public var end: PartialDate?
        public var amount: Amount?
        public var status: Project.Status
    }

    public struct Publications: Codable, Sendable, Hashable {
        public var total: Int
        public var sci: Int
        public var national: Int
        /// Papers where one of the departments' people is first or corresponding author.
        public var firstOrCorresponding: Int
        /// That number as a share of the year's papers (0.625); nil when the year has no paper.
        public var firstOrCorrespondingShare: Double?
        /// Over the SCI papers whose journal has an impact factor for the year; nil when none has.
        public var impactFactorSum: Double?
        public var impactFactorMedian: Double?
        public var byQuartile: [Bucket]
        public var byCASZone: [Bucket]
        /// Retracted papers of the year: left out of every count above and listed here.
        public var retracted: [String]
        /// The year's papers, SCI first (by impact factor, highest first): in Vancouver style in English
        /// reports, in GB/T 7714-2015 in Chinese ones.
        public var citations: [Citation]
        /// The year and the four before: SCI and national papers.
        public var trend: [YearPapers]
    }

    public struct Citation: Codable, Sendable, Hashable {
        public var text: String
        public var sci: Bool
        /// The journal's impact factor, JCR quartile and CAS zone (中科院分区) for the paper's year, where the registry has them.
        public var impactFactor: Double?
        public var jcrQuartile: Int?
        public var casZone: Int?
    }

    public struct YearPapers: Codable, Sendable, Hashable {
        public var year: Int
        public var sci: Int
        public var national: Int
    }

    public struct Patents: Codable, Sendable, Hashable {
        public var filed: Int
        public var granted: Int
        /// The patents granted in the year, by kind.
        public var byKind: [PatentKindCount]
        /// The patents filed or granted in the year, each once.
        public var list: [PatentLine]
    }

    public struct PatentLine: Codable, Sendable, Hashable {
        public var title: String
        public var kind: Patent.Kind
        /// The grant number, else the application number; nil when neither is recorded (the status is then shown).
        public var number: String?
        public var status: Patent.Status
    }

    public struct AwardLine: Codable, Sendable, Hashable {
        public var name: String
        public var grade: String?
        public var level: Level
        public var recipients: [String]
    }

    public struct Cases: Codable, Sendable, Hashable {
        /// All operations tallied for the year: exact only when every series (procedure × approach ×
        /// department, × campus × surgeon where tallied apart) the registry holds covers the whole year.
        public var total: CaseFigure
        public var previousYear: CaseFigure
        /// The series that do not cover the year ("robotic … (General Surgery): not tallied in this year").
        public var incomplete: [IncompleteSeries]
        /// How many series do not cover the previous year.
        public var previousIncomplete: Int
        public var top: [ProcedureLine]
        /// Minimally invasive operations as a share of all the year's operations; nil when not given.
        public var minimallyInvasiveShare: Share?
        public var grade4Share: Share?
        /// The year's operations are not all tallied, so no share of them is given.
        public var sharesWithheld: Bool
        public var approaches: [ApproachCount]
        public var milestones: [MilestoneLine]
        /// Operations per year, for the five years to the report's, for the top procedures.
        public var trend: [ProcedureTrend]
    }

    /// A count with whether it is exact (written "≥ 512" when not).
    public struct CaseFigure: Codable, Sendable, Hashable {
        public var count: Int
        public var exact: Bool
        /// With tallies running over the year's edges and nothing else missing: the most it can be
        /// (written "between 512 and 530").
        public var atMost: Int?
    }

    /// `part` of `whole` operations (the year's).
    public struct Share: Codable, Sendable, Hashable {
        public var part: Int
        public var whole: Int
        public var ratio: Double { whole == 0 ? 0 : Double(part) / Double(whole) }
    }

    /// A series that does not cover the year, and what it misses.
    public struct IncompleteSeries: Codable, Sendable, Hashable {
        public var procedure: String
        public var approach: Approach
        /// Department, campus and surgeon, as far as the series names them.
        public var place: [String]
        /// Nothing of it is tallied within the year.
        public var absent: Bool
        /// The first gaps (at most three): `from` nil for "nothing tallied before `to` + 1 day".
        public var gaps: [Gap]

        public struct Gap: Codable, Sendable, Hashable {
            public var from: Day?
            public var to: Day
        }
    }

    /// A cumulative total of one procedure by one approach passing a threshold in the year.
    public struct MilestoneLine: Codable, Sendable, Hashable {
        public var threshold: Int
        public var procedure: String
        public var approach: Approach
        public var placement: MilestonePlacement
    }

    public struct ProcedureLine: Codable, Sendable, Hashable {
        public var procedure: String
        public var approach: Approach
        public var count: CaseFigure
        public var previousYear: CaseFigure
        /// Growth on the previous year (0.125 for +12.5%); nil when either year is not exact or zero.
        public var growth: Double?
    }

    public struct ProcedureTrend: Codable, Sendable, Hashable {
        public var procedure: String
        public var approach: Approach
        public var years: [TrendPoint]
    }

    /// One year of a trend: the count, and whether it is exact (a lower bound otherwise).
    public struct TrendPoint: Codable, Sendable, Hashable {
        public var year: Int
        public var count: Int
        public var exact: Bool
    }
}
