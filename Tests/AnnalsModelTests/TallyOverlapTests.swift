import AnnalsModel
import Testing

/// The rule against counting twice as one streaming pass: exactly the pairs a comparison of every
/// tally with every other finds.
@Suite struct TallyOverlapTests {
    static let units = [
        OrgUnit(id: "hospital", kind: .hospital, name: "Hospital"),
        OrgUnit(id: "surgery", kind: .department, name: "Surgery", parentID: "hospital"),
        OrgUnit(id: "oncology", kind: .department, name: "Oncology", parentID: "hospital"),
        OrgUnit(id: "other-hospital", kind: .hospital, name: "Another hospital"),
        OrgUnit(id: "other-surgery", kind: .department, name: "Surgery there", parentID: "other-hospital"),
    ]

    static func entry(
        _ id: String, _ procedure: String = "p", _ approach: String = "open", unit: String = "surgery",
        campus: String? = nil,
        surgeon: String? = nil, from: String?, to: String
    ) -> TallyPeriodEntry {
        TallyPeriodEntry(
            id: id,
            identity: TallyIdentity(
                procedureID: procedure, approach: approach, departmentID: unit, campusID: campus, surgeonID: surgeon,
                fromDay: from,
                toDay: to))
    }

    /// Every pair the sweep reports, as "a|b" with the lower id first, for entries given in the order the store gives them.
    static func sweep(_ entries: [TallyPeriodEntry]) -> Set<String> {
        let ordered = entries.sorted {
            ($0.identity.procedureID, $0.identity.fromDay ?? "", $0.identity.toDay)
                < ($1.identity.procedureID, $1.identity.fromDay ?? "", $1.identity.toDay)
        }
        var sweep = TallyOverlapSweep(orgUnits: units)
        var pairs: Set<String> = []
        for entry in ordered {
            sweep.add(entry) { other in pairs.insert(min(entry.id, other.id) + "|" + max(entry.id, other.id)) }
        }
        #expect(sweep.inOrder)
        return pairs
    }

    static func bruteForce(_ entries: [TallyPeriodEntry]) -> Set<String> {
        let rule = TallyOverlapSweep(orgUnits: units)
        var pairs: Set<String> = []
        for (i, a) in entries.enumerated() {
            for b in entries[(i + 1)...] where rule.overlap(a.identity, b.identity) {
                pairs.insert(min(a.id, b.id) + "|" + max(a.id, b.id))
            }
        }
        return pairs
    }

    @Test func aHospitalTallyOverlapsItsOwnDepartmentsOnly() {
        let pairs = Self.sweep([
            Self.entry("dept", unit: "surgery", from: "2019-01-01", to: "2019-12-31"),
            Self.entry("onc", unit: "oncology", from: "2019-01-01", to: "2019-12-31"),
            Self.entry("whole", unit: "hospital", from: "2019-06-01", to: "2019-06-30"),
            Self.entry("elsewhere", unit: "other-surgery", from: "2019-01-01", to: "2019-12-31"),
        ])
        #expect(pairs == ["dept|whole", "onc|whole"])
    }

    @Test func campusAndSurgeonLevelsNestAsTheyDo() {
        let pairs = Self.sweep([
            Self.entry("binjiang", campus: "binjiang", from: "2020-01-01", to: "2020-12-31"),
            Self.entry("hubin", campus: "hubin", from: "2020-01-01", to: "2020-12-31"),
            Self.entry("all-campuses-by-gao", surgeon: "gao", from: "2020-03-01", to: "2020-03-31"),
            Self.entry("hubin-by-li", campus: "hubin", surgeon: "li", from: "2021-01-01", to: "2021-12-31"),
            Self.entry("binjiang-by-li", campus: "binjiang", surgeon: "li", from: "2021-01-01", to: "2021-12-31"),
        ])
        #expect(pairs == ["all-campuses-by-gao|binjiang", "all-campuses-by-gao|hubin"])
    }

    @Test func aLongTallyIsFoundBehindShorterOnesAndBaselinesOverlapEverythingEarlier() {
        // The year overlaps the November tally although the June one comes between them.
        let pairs = Self.sweep([
            Self.entry("year", campus: "binjiang", from: "2018-01-01", to: "2018-12-31"),
            Self.entry("june", campus: "hubin", from: "2018-06-01", to: "2018-06-30"),
            Self.entry("november", campus: "binjiang", from: "2018-11-01", to: "2018-11-30"),
            Self.entry("baseline", from: nil, to: "2015-12-31"),
            Self.entry("older-baseline", campus: "hubin", from: nil, to: "2010-12-31"),
            Self.entry("after", campus: "hubin", from: "2016-01-01", to: "2016-12-31"),
        ])
        #expect(pairs == ["november|year", "baseline|older-baseline"])
    }

    @Test func otherProceduresAndApproachesNeverOverlap() {
        let pairs = Self.sweep([
            Self.entry("a", "p", "open", from: "2019-01-01", to: "2019-12-31"),
            Self.entry("b", "p", "laparoscopic", from: "2019-01-01", to: "2019-12-31"),
            Self.entry("c", "q", "open", from: "2019-01-01", to: "2019-12-31"),
        ])
        #expect(pairs.isEmpty)
    }

    /// Random registries: the sweep finds exactly the pairs that comparing every tally with every other finds.
    @Test(arguments: 1...40) func theSweepFindsExactlyThePairsOfAComparisonOfAll(_ seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        let unitIDs = ["hospital", "surgery", "oncology", "other-hospital", "other-surgery"]
        var entries: [TallyPeriodEntry] = []
        for index in 0..<120 {
            let start = Int.random(in: 0..<60, using: &random)
            let length = Int.random(in: 0..<(random.next() % 4 == 0 ? 30 : 3), using: &random)
            func day(_ month: Int) -> String { "\(2000 + month / 12)-\(month % 12 < 9 ? "0" : "")\(month % 12 + 1)-01" }
            entries.append(
                Self.entry(
                    "t\(index)", ["p", "q"].randomElement(using: &random)!,
                    ["open", "laparoscopic"].randomElement(using: &random)!,
                    unit: unitIDs.randomElement(using: &random)!,
                    campus: [nil, "binjiang", "hubin"].randomElement(using: &random)!,
                    surgeon: [nil, nil, "gao", "li"].randomElement(using: &random)!,
                    from: random.next() % 10 == 0 ? nil : day(start), to: day(start + length)))
        }
        let expected = Self.bruteForce(entries)
        #expect(Self.sweep(entries) == expected)
        #expect(!expected.isEmpty)
    }

    @Test func tallyIdentityIsTheSeriesAndThePeriodInDays() {
        let year = CaseTally(
            id: "a", procedureID: "p", approach: .open, departmentID: "surgery", from: PartialDate("2019"),
            to: PartialDate("2019")!, count: 1)
        var days = year
        days.id = "b"
        days.from = PartialDate("2019-01-01")
        days.to = PartialDate("2019-12-31")!
        days.count = 2
        #expect(year.identity == days.identity)
        var campus = year
        campus.campusID = "binjiang"
        #expect(year.identity != campus.identity)
    }

    @Test func theCountBoundIsTheSchemasInt() {
        #expect(CountLimit.maximum == Int(Int32.max))
        #expect(CountLimit.allows(0) && CountLimit.allows(2_147_483_647))
        #expect(!CountLimit.allows(2_147_483_648) && !CountLimit.allows(-1))
    }
}

/// A small deterministic generator (SplitMix64), so that a failing seed can be run again.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
