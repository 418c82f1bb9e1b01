public import AnnalsDiagnostics
public import AnnalsModel
import AnnalsStatistics

/// Gathers the annual report's figures from a registry, for one year and the whole hospital or one department.
public enum AnnualReportBuilder {
    /// A department id that is not in the registry.
    public struct UnknownDepartment: Error, CustomStringConvertible, DiagnosticConvertible {
        public var id: String
        public var known: [String]
        public var description: String { "no department '\(id)'; the departments are \(known.joined(separator: ", "))" }
        /// One `query.unknownDepartment` error.
        public var diagnostics: [Diagnostic] { [Diagnostic(.unknownDepartment, at: .init(), message: description)] }
    }

    public static func build(
        from registry: some TallyReading, year: Int, department: String? = nil, language: ReportLanguage = .en,
        generatedOn: String, explain: Bool = false, leavingOut unvalidated: UnvalidatedRecords? = nil,
        citations withCitations: Bool = true
    ) throws -> AnnualReport {
        // Without citations (`withCitations` false: the dashboard's figures), the year's papers are counted from
        // their summaries like the years before, not read whole; the report then lists no citations and no
        // retracted papers by name, and every figure is the same.
        // With `unvalidated`, the report counts validated projects, papers, patents and awards only.
        func counts(_ kind: EntityKind, _ id: String) -> Bool { !(unvalidated?.contains(kind, id) ?? false) }
        let l = Labels(language)
        let units = try registry.orgUnits()
        let allDepartments = units.filter { $0.kind == .department }
        if let department, !allDepartments.contains(where: { $0.id == department }) {
            throw UnknownDepartment(id: department, known: allDepartments.map(\.id))
        }
        let departments = allDepartments.filter { department == nil || $0.id == department }
        let ids = Set(departments.map(\.id))
        let hospital = units.first { $0.kind == .hospital }
        let campusNames = Dictionary(
            units.flatMap(\.campuses).map { ($0.id, l.name($0.name, $0.nameZH)) }, uniquingKeysWith: { a, _ in a })
        let people = try registry.people()
        let ourPeople = Set(people.filter { !$0.departmentIDs.filter(ids.contains).isEmpty }.map(\.id))
        let journals = try registry.journals()
        let lookup = JournalLookup(journals)
        // Chinese reports cite in GB/T 7714-2015, English ones in Vancouver.
        func cite(_ p: Publication) -> String {
            language == .zh ? GBT7714.citation(p, in: lookup) : Vancouver.citation(p, in: lookup)
        }

        // Staff: the latest census on or before the year's end, per department and category.
        let census = try registry.staffCensus().filter {
            ids.contains($0.departmentID) && $0.asOf.firstDay.year <= year
        }
        var latest: [String: [StaffCategory: StaffCensus]] = [:]
        for entry in census {
            if let current = latest[entry.departmentID]?[entry.category],
                (current.asOf, current.id) > (entry.asOf, entry.id)
            {
                continue
            }
            latest[entry.departmentID, default: [:]][entry.category] = entry
        }
        var staffTotals: [StaffCategory: Int] = [:]
        for categories in latest.values {
            for (category, entry) in categories { staffTotals[category, default: 0] += entry.count }
        }
        let staff = StaffCategory.allCases.compactMap { c in
            staffTotals[c].map { AnnualReport.StaffCount(category: c, count: $0) }
        }
        let named = people.filter { !Set($0.departmentIDs).isDisjoint(with: ids) }
        func personName(_ p: Person) -> String { language == .zh ? p.chineseName ?? p.displayName : p.displayName }
        let namedStaff = named.sorted { a, b in
            let ra = a.clinicalRank.flatMap { ClinicalRank.allCases.firstIndex(of: $0) } ?? ClinicalRank.allCases.count
            let rb = b.clinicalRank.flatMap { ClinicalRank.allCases.firstIndex(of: $0) } ?? ClinicalRank.allCases.count
            return (ra, a.displayName, a.id) < (rb, b.displayName, b.id)
        }.map {
            AnnualReport.StaffLine(
                name: personName($0), rank: $0.clinicalRank,
                academicTitle: l.name($0.academicTitle, $0.academicTitleZH))
        }
        let peopleByID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let headcounts = StaffHeadcount.of(latest, departments: departments.map { ($0.id, l.name($0.name, $0.nameZH)) })
        let beds = departments.flatMap { unit in
            unit.beds.map {
                AnnualReport.Beds(
                    department: l.name(unit.name, unit.nameZH), campus: $0.campusID.map { campusNames[$0] ?? $0 },
                    beds: $0.beds, vipBeds: $0.vipBeds)
            }
        }

        // Projects running in the year, and those starting in it.
        let projects = try registry.projects().filter { p in
            p.departments.contains { ids.contains($0.departmentID) } && counts(.project, p.id)
        }
        func runs(_ p: Project) -> Bool {
            (p.start.map { $0.firstDay.year <= year } ?? true) && (p.end.map { $0.lastDay.year >= year } ?? true)
                && p.status != .applied
        }
        let running = projects.filter(runs).sorted { ($0.level, $0.title) < ($1.level, $1.title) }
        let starting = running.filter { $0.start?.year == year }
        let byLevel = Level.allCases.compactMap { level -> AnnualReport.LevelLine? in
            let these = running.filter { $0.level == level }
            guard !these.isEmpty else { return nil }
            let new = these.filter { $0.start?.year == year }
            return AnnualReport.LevelLine(
                level: level, new: new.count, ongoing: these.count, awarded: Self.funding(new),
                runningValue: Self.funding(these))
        }
        // Funders through the funder vocabulary: "国家自然科学基金", "NSFC" and "National Natural Science
        // Foundation of China" are one funder, named in the report's language; a funder the vocabulary
        // does not know is kept as written (its Chinese form where the project has one) and listed apart.
        let funders = FunderVocabulary()
        func funderName(_ p: Project) -> String {
            funders.funder(for: p.funder).map { l.name($0.name, $0.nameZH) } ?? l.name(p.funder, p.funderZH)
        }
        func funderKey(_ p: Project) -> String {
            funders.funder(for: p.funder).map { "funder:" + $0.id } ?? "text:" + p.funder
        }
        // As the projects write them (their Chinese form in a Chinese report, where recorded).
        let unmappedFunders = Set(running.filter { funders.funder(for: $0.funder) == nil }.map(funderName)).sorted()
        let projectLines = running.map { p in
            AnnualReport.ProjectLine(
                title: l.name(p.title, p.titleZH), funder: funderName(p), programme: l.name(p.programme, p.programmeZH),
                level: p.level, grantNumber: p.grantNumber,
                principalInvestigator: p.principalInvestigatorID.map { id in peopleByID[id].map(personName) ?? id },
                start: p.start, end: p.end,
                amount: p.amount.map { AnnualReport.Amount(currency: $0.currency, amount: $0.amount.text) },
                status: p.status)
        }

        // Publications of the year, and counts for the four years before.
        var trend: [AnnualReport.YearPapers] = []
        var citations: [AnnualReport.Citation] = []
        var retracted: [String] = []
        var firstOrCorresponding = 0
        var impactFactors: [Double] = []
        var sciIDs: [String] = []
        var nationalIDs: [String] = []
        var retractedIDs: [String] = []
        var firstOrCorrespondingIDs: [String] = []
        var quartiles: [Int: Int] = [:]
        var zones: [Int: Int] = [:]
        let departmentFilters: [String?] = department.map { [$0] } ?? [nil]
        for y in (year - 4)...year {
            var sci = 0
            var national = 0
            var seen: Set<String> = []
            for id in departmentFilters where y != year {
                // The years before: counts only, from each paper's summary.
                try registry.forEachPublicationSummary(year: y, department: id) { p in
                    guard seen.insert(p.id).inserted, department != nil || !Set(p.departmentIDs).isDisjoint(with: ids),
                        !p.isRetracted, counts(.publication, p.id)
                    else { return }
                    if SCIRule.isSCI(p, in: lookup) == true { sci += 1 } else { national += 1 }
                }
            }
            // The year itself: every figure from the paper's summary; the citation from the whole paper, when asked.
            func countYearPaper(_ p: PublicationSummary, citation cite: () -> String?) {
                guard seen.insert(p.id).inserted, department != nil || !Set(p.departmentIDs).isDisjoint(with: ids),
                    counts(.publication, p.id)
                else { return }
                if p.isRetracted {
                    if let text = cite() { retracted.append(text) }
                    retractedIDs.append(p.id)
                    return
                }
                let isSCI = SCIRule.isSCI(p, in: lookup) == true
                if isSCI { sci += 1 } else { national += 1 }
                if isSCI { sciIDs.append(p.id) } else { nationalIDs.append(p.id) }
                var citation = cite().map { AnnualReport.Citation(text: $0, sci: isSCI) }
                if p.leadAuthorIDs.contains(where: ourPeople.contains) {
                    firstOrCorresponding += 1
                    firstOrCorrespondingIDs.append(p.id)
                }
                if isSCI, let metrics = p.journal.flatMap({ lookup.journals(for: $0).first })?.metrics(applyingTo: year)
                {
                    if let factor = metrics.impactFactor {
                        impactFactors.append(factor.doubleValue)
                        citation?.impactFactor = factor.doubleValue
                    }
                    if let q = metrics.jcrQuartile {
                        quartiles[q, default: 0] += 1
                        citation?.jcrQuartile = q
                    }
                    if let z = metrics.casZone {
                        zones[z, default: 0] += 1
                        citation?.casZone = z
                    }
                }
                if let citation { citations.append(citation) }
            }
            for id in departmentFilters where y == year {
                if withCitations {
                    try registry.forEachPublication(year: y, department: id, person: nil) { p in
                        countYearPaper(PublicationSummary(p)) { cite(p) }
                    }
                } else {
                    try registry.forEachPublicationSummary(year: y, department: id) { countYearPaper($0) { nil } }
                }
            }
            trend.append(AnnualReport.YearPapers(year: y, sci: sci, national: national))
        }
        // SCI first, by impact factor (highest first), then the rest; ties by the citation's text.
        citations.sort { a, b in
            let (fa, fb) = (a.impactFactor ?? -1, b.impactFactor ?? -1)
            return (a.sci ? 0 : 1, -fa, a.text) < (b.sci ? 0 : 1, -fb, b.text)
        }
        let thisYear = trend.last!
        let sortedFactors = impactFactors.sorted()
        let median =
            sortedFactors.isEmpty
            ? 0
            : sortedFactors.count % 2 == 1
                ? sortedFactors[sortedFactors.count / 2]
                : (sortedFactors[sortedFactors.count / 2 - 1] + sortedFactors[sortedFactors.count / 2]) / 2

        // Patents and awards.
        let patents = try registry.patents().filter {
            !Set($0.departmentIDs).isDisjoint(with: ids) && counts(.patent, $0.id)
        }
        let filed = patents.filter { $0.filed?.year == year }
        let granted = patents.filter { $0.granted?.year == year }
        let awards = try registry.awards().filter {
            $0.year == year && !Set($0.departmentIDs).isDisjoint(with: ids) && counts(.award, $0.id)
        }
        .sorted { ($0.level, $0.name) < ($1.level, $1.name) }

        // Cases.
        let procedures = try registry.procedures()
        let procedureByID = Dictionary(procedures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func procedureName(_ id: String) -> String { l.procedure(procedureByID[id], id: id) }
        func sums(_ filter: TallyFilter, by key: TallyKey?) throws -> [String?: [TallyPeriodSum]] {
            var merged: [String?: [TallyPeriodSum]] = [:]
            for id in departmentFilters {
                var f = filter
                f.departmentID = id
                for (k, v) in try registry.tallySums(matching: f, by: key) { merged[k, default: []] += v }
            }
            return merged
        }
        func figure(_ c: CaseCount) -> AnnualReport.CaseFigure {
            .init(count: c.count, exact: c.exact, atMost: c.atMost)
        }
        // Every series of the departments, summed over each of the five years shown: each figure below
        // is exact only when every series in it covers the year (see `CaseStatistics.count(series:in:)`).
        let caseFilter = TallyFilter(departmentID: department)
        let firstYear = year - 4
        var counter = try SeriesWindowCounter(
            in: registry, matching: caseFilter, windows: (firstYear...year).map { .year($0) }
        ) { procedures in
            var narrowed = caseFilter
            narrowed.procedureIDs = procedures
            return try registry.tallySeriesSums(
                matching: narrowed, from: Day(year: firstYear, month: 1, day: 1),
                to: Day(year: year, month: 12, day: 31))
        }
        func cases(_ include: (TallySeries) -> Bool = { _ in true }, in y: Int) throws -> CaseCount {
            try counter.count(include, in: y - firstYear)
        }
        let total = try cases(in: year)
        let previous = try cases(in: year - 1)
        let lines = Set(counter.series.map { Line(procedure: $0.procedureID, approach: $0.approach) })
        let ranked = try lines.map { line in (line, try cases(line.contains, in: year)) }
            .filter { $0.1.count > 0 }
            .sorted {
                ($1.1.count, $0.0.procedure, $0.0.approach.rawValue) < (
                    $0.1.count, $1.0.procedure, $1.0.approach.rawValue
                )
            }
            .prefix(8)
        let top = try ranked.map { item, count -> AnnualReport.ProcedureLine in
            let before = try cases(item.contains, in: year - 1)
            let growth: Double? =
                count.exact && before.exact && before.count > 0
                ? Double(count.count - before.count) / Double(before.count) : nil
            return AnnualReport.ProcedureLine(
                procedure: procedureName(item.procedure), approach: item.approach, count: figure(count),
                previousYear: figure(before), growth: growth)
        }
        let grades = Dictionary(uniqueKeysWithValues: procedures.map { ($0.id, $0.grade) })
        // A share of the year's operations only when all of them are tallied: a share of a part-year
        // or of a few series is no share of the year.
        let sharesWithheld = total.count > 0 && !total.exact
        func share(_ include: (TallySeries) -> Bool) throws -> AnnualReport.Share? {
            guard total.count > 0, total.exact else { return nil }
            return AnnualReport.Share(part: try cases(include, in: year).count, whole: total.count)
        }
        let minimallyInvasiveShare = try share { $0.approach.isMinimallyInvasive }
        let grade4Share = try share { grades[$0.procedureID] == 4 }
        // The approach mix, like the shares, only for a year whose operations are all tallied.
        let approaches =
            !total.exact
            ? []
            : try Approach.allCases.compactMap { a -> AnnualReport.ApproachCount? in
                let c = try cases({ $0.approach == a }, in: year).count
                return c > 0 ? AnnualReport.ApproachCount(approach: a, count: c) : nil
            }
        // The running totals of each procedure by approach, over every period (one pass per department filter).
        var lineSums: [TallyLine: [TallyPeriodSum]] = [:]
        for id in departmentFilters {
            for (line, list) in try registry.tallyLineSums(matching: TallyFilter(departmentID: id)) {
                lineSums[line, default: []] += list
            }
        }
        let series = lineSums.map { (procedure: $0.key.procedureID, approach: $0.key.approach, sums: $0.value) }
        var milestones: [AnnualReport.MilestoneLine] = []
        for item in series.sorted(by: { ($0.procedure, $0.approach.rawValue) < ($1.procedure, $1.approach.rawValue) }) {
            for m in CaseStatistics.milestones(item.sums) where m.by.year == year && m.placement.precision != .baseline
            {
                milestones.append(
                    .init(
                        threshold: m.threshold, procedure: procedureName(item.procedure), approach: item.approach,
                        placement: m.placement))
            }
        }
        let trendSeries = try ranked.prefix(4).map { item, _ in
            AnnualReport.ProcedureTrend(
                procedure: procedureName(item.procedure), approach: item.approach,
                years: try (firstYear...year).map {
                    let c = try cases(item.contains, in: $0)
                    return AnnualReport.TrendPoint(year: $0, count: c.count, exact: c.exact)
                })
        }
        let departmentNames = Dictionary(
            allDepartments.map { ($0.id, l.name($0.name, $0.nameZH)) }, uniquingKeysWith: { a, _ in a })
        func describe(_ shortfall: SeriesShortfall) -> AnnualReport.IncompleteSeries {
            let s = shortfall.series
            let place = [
                departmentNames[s.departmentID] ?? s.departmentID, s.campusID.map { campusNames[$0] ?? $0 },
                s.surgeonID,
            ].compactMap { $0 }
            return AnnualReport.IncompleteSeries(
                procedure: procedureName(s.procedureID), approach: s.approach, place: place,
                absent: shortfall.absent,
                gaps: shortfall.gaps.prefix(3).map { gap in
                    .init(
                        from: gap.lowerBound == Int.min ? nil : Day(ordinal: gap.lowerBound),
                        to: Day(ordinal: gap.upperBound))
                })
        }

        // The records behind the figures, when asked for (`annals stats --explain`): the tallies lying
        // within the year, as the year's operations count them.
        let tallyIDs =
            explain
            ? try departments.flatMap { try registry.tallies(matching: TallyFilter(departmentID: $0.id)) }.filter { t in
                t.from.map { $0.firstDay >= Day(year: year, month: 1, day: 1) } == true
                    && t.to.lastDay <= Day(year: year, month: 12, day: 31)
            }.map(\.id) : []
        let sources: [AnnualReport.Source] =
            !explain
            ? []
            : [
                .init(figure: .sciPapers, kind: "publication", ids: sciIDs.sorted()),
                .init(figure: .nationalPapers, kind: "publication", ids: nationalIDs.sorted()),
                .init(figure: .firstOrCorresponding, kind: "publication", ids: firstOrCorrespondingIDs.sorted()),
                .init(figure: .retracted, kind: "publication", ids: retractedIDs.sorted()),
                .init(figure: .projectsRunning, kind: "project", ids: running.map(\.id).sorted()),
                .init(figure: .projectsNew, kind: "project", ids: starting.map(\.id).sorted()),
                .init(figure: .patentsFiled, kind: "patent", ids: filed.map(\.id).sorted()),
                .init(figure: .patentsGranted, kind: "patent", ids: granted.map(\.id).sorted()),
                .init(figure: .awards, kind: "award", ids: awards.map(\.id).sorted()),
                .init(figure: .operations, kind: "tally", ids: tallyIDs.sorted()),
            ]
        return AnnualReport(
            year: year, language: language, generatedOn: generatedOn,
            hospital: hospital.map { l.name($0.name, $0.nameZH) } ?? "",
            department: department.flatMap { id in departments.first { $0.id == id } }.map {
                .init(id: $0.id, name: l.name($0.name, $0.nameZH))
            },
            departments: departments.map { .init(id: $0.id, name: l.name($0.name, $0.nameZH)) },
            staff: staff, namedStaffCount: named.count,
            staffCensusAsOf: latest.values.flatMap(\.values).map(\.asOf).max()?.description,
            namedStaff: namedStaff, doctors: headcounts.doctors, nurses: headcounts.nurses, beds: beds,
            projects: .init(
                new: starting.count, ongoing: running.count, byLevel: byLevel,
                byFunder: Dictionary(grouping: running, by: funderKey).map {
                    .init(label: funderName($0.value[0]), count: $0.value.count)
                }
                .sorted { ($1.count, $0.label) < ($0.count, $1.label) },
                list: projectLines, unmappedFunders: unmappedFunders),
            publications: .init(
                total: thisYear.sci + thisYear.national, sci: thisYear.sci, national: thisYear.national,
                firstOrCorresponding: firstOrCorresponding,
                firstOrCorrespondingShare: thisYear.sci + thisYear.national == 0
                    ? nil : Double(firstOrCorresponding) / Double(thisYear.sci + thisYear.national),
                // No SCI paper with an impact factor: no sum and no median, not 0.00.
                impactFactorSum: impactFactors.isEmpty ? nil : impactFactors.reduce(0, +),
                impactFactorMedian: impactFactors.isEmpty ? nil : median,
                byQuartile: quartiles.keys.sorted().map { .init(value: $0, count: quartiles[$0]!) },
                byCASZone: zones.keys.sorted().map { .init(value: $0, count: zones[$0]!) },
                retracted: retracted.sorted(), citations: citations, trend: trend),
            patents: .init(
                filed: filed.count, granted: granted.count,
                byKind: Patent.Kind.allCases.compactMap { k in
                    let n = granted.filter { $0.kind == k }.count
                    return n > 0 ? .init(kind: k, count: n) : nil
                },
                list: (filed + granted).map {
                    AnnualReport.PatentLine(
                        title: l.name($0.title, $0.titleZH), kind: $0.kind,
                        number: $0.grantNumber ?? $0.applicationNumber, status: $0.status)
                }
                .reduce(into: [AnnualReport.PatentLine]()) { if !$0.contains($1) { $0.append($1) } }),
            awards: awards.map { award in
                .init(
                    name: l.name(award.name, award.nameZH), grade: l.name(award.grade, award.gradeZH),
                    level: award.level,
                    recipients: award.recipients.map { r in
                        language == .zh
                            ? (r.personID.flatMap { id in people.first { $0.id == id }?.chineseName } ?? r.name)
                            : r.name
                    })
            },
            cases: .init(
                total: figure(total), previousYear: figure(previous), incomplete: total.shortfalls.map(describe),
                previousIncomplete: previous.shortfalls.count, top: top,
                minimallyInvasiveShare: minimallyInvasiveShare, grade4Share: grade4Share,
                sharesWithheld: sharesWithheld, approaches: approaches, milestones: milestones,
                trend: Array(trendSeries)),
            sources: sources)
    }

    /// The amounts of `projects` added up per currency, each grant once: projects with the same funder and
    /// grant number are one grant, counted with the largest amount recorded.
    static func funding(_ projects: [Project]) -> [AnnualReport.Amount] {
        var grants: [String: (currency: String, amount: String)] = [:]
        for p in projects {
            guard let amount = p.amount else { continue }
            // One funder however it is written: a grant recorded as "NSFC" and as "国家自然科学基金" is one grant.
            let funder = FunderVocabulary.shared.funder(for: p.funder)?.id ?? p.funder
            let key = p.grantNumber.map { "\(funder)\u{1F}\($0)" } ?? "id\u{1F}\(p.id)"
            if let known = grants[key], known.currency == amount.currency,
                (Double(known.amount) ?? 0) >= (Double(amount.amount.text) ?? 0)
            {
                continue
            }
            grants[key] = (amount.currency, amount.amount.text)
        }
        var byCurrency: [String: [String]] = [:]
        for grant in grants.values { byCurrency[grant.currency, default: []].append(grant.amount) }
        return byCurrency.keys.sorted().map { currency in
            AnnualReport.Amount(currency: currency, amount: sum(byCurrency[currency]!))
        }
    }

    /// Sums decimal texts exactly (amounts are kept as written).
    static func sum(_ amounts: [String]) -> String {
        var whole = 0
        var cents = 0
        for a in amounts {
            let parts = a.split(separator: ".")
            whole += Int(parts[0]) ?? 0
            if parts.count > 1 { cents += Int((parts[1] + "00").prefix(2)) ?? 0 }
        }
        whole += cents / 100
        cents %= 100
        return cents == 0 ? "\(whole)" : "\(whole).\(cents < 10 ? "0" : "")\(cents)"
    }
}

extension AnnualReportBuilder {
    /// One line of the report's case table: a procedure by one approach, in every department asked about.
    struct Line: Hashable {
        var procedure: String
        var approach: Approach

        func contains(_ series: TallySeries) -> Bool { series.procedureID == procedure && series.approach == approach }
    }
}
