import AnnalsModel
import Foundation

/// The annual report as JSON, Markdown or one self-contained HTML page (inline CSS and SVG charts,
/// no network, A4 print layout, readable on a phone).
public enum ReportRenderer {
    public static func json(_ r: AnnualReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(r), as: UTF8.self) + "\n"
    }

    // MARK: - Markdown

    public static func markdown(_ report: AnnualReport) -> String {
        // Every text from the registry is escaped, so that imported markup stays text (MarkdownText).
        let r = MarkdownText.escapingEveryText(in: report)
        let l = Labels(r.language)
        var out: [String] = []
        out.append("# \(l.heading(hospital: r.hospital, department: r.department?.name, year: r.year))")
        out.append("")
        out.append(l.generated(r.generatedOn))
        out.append("")
        if r.validatedOnly == true {
            out.append(l.validatedOnly)
            out.append("")
        }
        out.append("## \(l.staffHeading)")
        out.append("")
        out.append(contentsOf: staffMarkdown(r, l))
        if !r.namedStaff.isEmpty {
            out.append("")
            out.append("### \(l.namedStaff)")
            out.append("")
            out.append(table([l.name, l.rankLabel, l.academicTitle], staffListRows(r, l), none: l.none))
        }
        if !r.beds.isEmpty {
            out.append("")
            out.append(
                table(
                    [l.department, l.campus, l.bedsLabel, l.vipBeds],
                    r.beds.map { [$0.department, $0.campus ?? "—", "\($0.beds)", "\($0.vipBeds)"] }, none: l.none))
        }
        out.append("")
        out.append("## \(l.projectsHeading)")
        out.append("")
        out.append(
            table(
                [l.level, l.new, l.ongoing, l.awardedInYear, l.runningValue],
                r.projects.byLevel.map { fundingCells($0, l) }, none: l.none))
        if r.projects.byLevel.contains(where: { !$0.runningValue.isEmpty }) {
            out.append("")
            out.append("_\(l.runningValueNote)_")
        }
        if !r.projects.byFunder.isEmpty {
            out.append("")
            out.append(
                table([l.funder, l.ongoing], r.projects.byFunder.map { [$0.label, "\($0.count)"] }, none: l.none))
            if !r.projects.unmappedFunders.isEmpty {
                out.append("")
                out.append("_\(l.unmappedFunders(r.projects.unmappedFunders))_")
            }
        }
        if !r.projects.list.isEmpty {
            out.append("")
            out.append("### \(l.projectList)")
            out.append("")
            out.append(table(projectHeader(l), projectRows(r, l), none: l.none))
        }
        out.append("")
        out.append("## \(l.publicationsHeading)")
        out.append("")
        let p = r.publications
        out.append(table([l.publicationsHeading, l.count], publicationRows(p, l), none: l.none))
        out.append("")
        out.append("### \(l.papersPerYear)")
        out.append("")
        out.append(
            table(
                [l.year, l.sciPapers, l.nationalPapers], p.trend.map { ["\($0.year)", "\($0.sci)", "\($0.national)"] },
                none: l.none))
        out.append("")
        out.append("### \(l.citationsHeading)")
        out.append("")
        if p.citations.isEmpty { out.append(l.none) }
        for (i, c) in p.citations.enumerated() { out.append("\(i + 1). \(c.text)\(citationTag(c, l))") }
        if !p.retracted.isEmpty {
            out.append("")
            out.append("### \(l.retractedHeading)")
            out.append("")
            for c in p.retracted { out.append("- \(c)") }
        }
        out.append("")
        out.append("## \(l.patentsHeading)")
        out.append("")
        out.append(patentLine(r, l))
        for item in r.patents.list { out.append("- \(l.patent(item))") }
        out.append("")
        out.append("## \(l.awardsHeading)")
        out.append("")
        if r.awards.isEmpty { out.append(l.none) }
        for a in r.awards { out.append("- \(awardLine(a, l))") }
        out.append("")
        out.append("## \(l.casesHeading)")
        out.append("")
        let c = r.cases
        out.append(l.operations(l.figure(c.total), l.figure(c.previousYear)))
        if !c.incomplete.isEmpty {
            out.append("")
            out.append(l.incompleteHeading)
            out.append("")
            for line in incompleteLines(c, l) { out.append("- \(line)") }
            out.append("")
        }
        if let mi = l.share(c.minimallyInvasiveShare, withheld: c.sharesWithheld, year: r.year) {
            out.append("\(l.minimallyInvasiveShare)\(l.colon)\(mi)\(l.stop)")
        }
        if let g4 = l.share(c.grade4Share, withheld: c.sharesWithheld, year: r.year) {
            out.append("\(l.grade4Share)\(l.colon)\(g4)\(l.stop)")
        }
        out.append("")
        out.append(
            table(
                [l.procedureLabel, l.approachLabel, "\(r.year)", l.previousYear, l.growth],
                c.top.map { topRow($0, l) }, none: l.none))
        if !c.approaches.isEmpty {
            out.append("")
            out.append("### \(l.approachMix)")
            out.append("")
            out.append(
                table(
                    [l.approachLabel, l.count], c.approaches.map { [l.approach($0.approach), "\($0.count)"] },
                    none: l.none))
        }
        if !c.milestones.isEmpty {
            out.append("")
            out.append("### \(l.milestonesHeading)")
            out.append("")
            for m in c.milestones { out.append("- \(l.milestone(m))") }
        }
        if !c.total.exact || c.top.contains(where: { !$0.count.exact }) {
            out.append("")
            out.append("_\(l.notExactNote)_")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The series short of the year, at most ten of them.
    static func incompleteLines(_ c: AnnualReport.Cases, _ l: Labels) -> [String] {
        c.incomplete.prefix(10).map(l.incomplete)
            + (c.incomplete.count > 10 ? [l.andMore(c.incomplete.count - 10)] : [])
    }

    /// A line of the top procedures: procedure, approach, the year, the year before, growth.
    static func topRow(_ line: AnnualReport.ProcedureLine, _ l: Labels) -> [String] {
        [
            line.procedure, l.approach(line.approach), l.figure(line.count), l.figure(line.previousYear),
            l.growth(line.growth),
        ]
    }

    /// A level's cells: level, new, running, awarded in the year, whole value of the running grants.
    static func fundingCells(_ line: AnnualReport.LevelLine, _ l: Labels) -> [String] {
        [
            l.level(line.level), "\(line.new)", "\(line.ongoing)",
            line.awarded.isEmpty ? "—" : line.awarded.map(l.amount).joined(separator: "; "),
            line.runningValue.isEmpty ? "—" : line.runningValue.map(l.amount).joined(separator: "; "),
        ]
    }

    static func projectHeader(_ l: Labels) -> [String] {
        [
            l.projectTitle, l.principalInvestigator, l.funder, l.programme, l.level, l.grantNumber, l.period, l.amount,
            l.statusLabel,
        ]
    }

    /// The running projects: title, principal investigator (负责人), funder, programme, level, grant number, period, amount, status.
    static func projectRows(_ r: AnnualReport, _ l: Labels) -> [[String]] {
        r.projects.list.map { p in
            [
                p.title, p.principalInvestigator ?? "—", p.funder, p.programme ?? "—", l.level(p.level),
                p.grantNumber ?? "—", Numbers.period(p.start, p.end, r.language), p.amount.map(l.amount) ?? "—",
                l.status(p.status),
            ]
        }
    }

    static func staffListRows(_ r: AnnualReport, _ l: Labels) -> [[String]] {
        r.namedStaff.map { [$0.name, $0.rank.map(l.rank) ?? "—", $0.academicTitle ?? "—"] }
    }

    static func publicationRows(_ p: AnnualReport.Publications, _ l: Labels) -> [[String]] {
        [
            [l.sciPapers, "\(p.sci)"], [l.nationalPapers, "\(p.national)"],
            [
                l.firstOrCorresponding,
                "\(p.firstOrCorresponding)\(l.parenthesized(p.firstOrCorrespondingShare.map(Numbers.percent) ?? "—"))",
            ],
            [l.impactFactorSum, p.impactFactorSum.map(Numbers.twoPlaces) ?? "—"],
            [l.impactFactorMedian, p.impactFactorMedian.map(Numbers.twoPlaces) ?? "—"],
        ] + p.byQuartile.map { ["JCR Q\($0.value)", "\($0.count)"] }
            + p.byCASZone.map { [l.zone($0.value), "\($0.count)"] }
    }

    /// " [SCI; IF 2.40; JCR Q2; CAS zone 3]"; " [SCI，影响因子2.40，JCR Q2，中科院3区]"; "" for a paper not in SCI.
    static func citationTag(_ c: AnnualReport.Citation, _ l: Labels) -> String {
        guard c.sci else { return "" }
        return " [SCI" + (l.journalMetrics(c).map { (l.language == .zh ? "，" : "; ") + $0 } ?? "") + "]"
    }

    static func patentLine(_ r: AnnualReport, _ l: Labels) -> String {
        var line = l.patentCounts(r.patents.filed, r.patents.granted)
        if !r.patents.byKind.isEmpty {
            let kinds = r.patents.byKind.map {
                l.language == .zh ? "\(l.patentKind($0.kind))\($0.count)项" : "\(l.patentKind($0.kind)) \($0.count)"
            }
            line +=
                l.language == .zh
                ? "授权专利中\(kinds.joined(separator: "、"))。" : " Granted by kind: \(kinds.joined(separator: ", "))."
        }
        return line
    }

    /// "Name, second prize (Provincial): A, B"; "名称二等奖（省级）：甲、乙".
    static func awardLine(_ a: AnnualReport.AwardLine, _ l: Labels) -> String {
        let name = l.language == .zh ? a.name + (a.grade ?? "") : a.name + (a.grade.map { ", \($0)" } ?? "")
        return name + l.parenthesized(l.level(a.level))
            + (a.recipients.isEmpty ? "" : l.colon + a.recipients.joined(separator: l.listSeparator))
    }

    /// The head counts, then each census category (which overlap, and are said to).
    static func staffRows(_ r: AnnualReport, _ l: Labels) -> (
        headcounts: [[String]], categories: [[String]], notes: [String]
    ) {
        // Each census category, then the people the registry names.
        let categories =
            r.staff.map { [l.staff($0.category), "\($0.count)"] }
            + (r.namedStaffCount > 0 ? [[l.namedStaff, "\(r.namedStaffCount)"]] : [])
        guard let asOf = r.staffCensusAsOf else {
            return ([], categories, [l.noStaffCensus(r.year)])
        }
        var notes: [String] = []
        for count in [r.doctors, r.nurses] where !count.missing.isEmpty && count.given {
            notes.append(l.headcountMissing(count.missing))
        }
        notes.append(l.staffCensusNote(asOf))
        return (
            [[l.doctorsHeadcount, l.figure(r.doctors)], [l.nursesHeadcount, l.figure(r.nurses)]], categories, notes
        )
    }

    static func staffMarkdown(_ r: AnnualReport, _ l: Labels) -> [String] {
        let rows = staffRows(r, l)
        var out: [String] = []
        if !rows.headcounts.isEmpty {
            out.append(table([l.staffHeading, l.count], rows.headcounts, none: l.none))
            out.append("")
        }
        if !rows.categories.isEmpty {
            out.append(table([l.staffByCategory, l.count], rows.categories, none: l.none))
            out.append("")
        }
        for (i, note) in rows.notes.enumerated() {
            if i > 0 { out.append("") }
            out.append("_\(note)_")
        }
        return out
    }

    private static func table(_ header: [String], _ rows: [[String]], none: String) -> String {
        guard !rows.isEmpty else { return none }
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        return ([line(header), line(header.map { _ in "---" })] + rows.map(line)).joined(separator: "\n")
    }

    // MARK: - HTML

    public static func html(_ r: AnnualReport) -> String {
        let l = Labels(r.language)
        let scope = r.department?.name ?? l.hospitalWide
        var body: [String] = []
        body.append(
            """
            <section class="title-page">
            <p class="hospital">\(e(r.hospital))</p>
            <h1>\(e(scope))</h1>
            <p class="subtitle">\(e(l.title(r.year)))</p>
            <p class="generated">\(e(l.generated(r.generatedOn)))</p>\(r.validatedOnly == true ? "\n<p class=\"generated\">\(e(l.validatedOnly))</p>" : "")
            </section>
            """)
        // Staff and beds.
        let staffParts = staffRows(r, l)
        var staff = "<section><h2>\(e(l.staffHeading))</h2>"
        if !staffParts.headcounts.isEmpty {
            staff += htmlTable([l.staffHeading, l.count], staffParts.headcounts, none: l.none)
        }
        if !staffParts.categories.isEmpty {
            staff += htmlTable([l.staffByCategory, l.count], staffParts.categories, none: l.none)
        }
        staff += staffParts.notes.map { "<p class=\"note\">\(e($0))</p>" }.joined()
        if !r.namedStaff.isEmpty {
            staff +=
                "<h3>\(e(l.namedStaff))</h3>"
                + htmlTable([l.name, l.rankLabel, l.academicTitle], staffListRows(r, l), none: l.none)
        }
        if !r.beds.isEmpty {
            staff +=
                "<h3>\(e(l.bedsHeading))</h3>"
                + htmlTable(
                    [l.department, l.campus, l.bedsLabel, l.vipBeds],
                    r.beds.map { [$0.department, $0.campus ?? "—", "\($0.beds)", "\($0.vipBeds)"] }, none: l.none)
        }
        body.append(staff + "</section>")
        // Projects.
        var projects = "<section><h2>\(e(l.projectsHeading))</h2>"
        projects += htmlTable(
            [l.level, l.new, l.ongoing, l.awardedInYear, l.runningValue],
            r.projects.byLevel.map { fundingCells($0, l) },
            none: l.none)
        if r.projects.byLevel.contains(where: { !$0.runningValue.isEmpty }) {
            projects += "<p class=\"note\">\(e(l.runningValueNote))</p>"
        }
        // The chart adds amounts up, so it shows one currency only, and what was awarded in the year;
        // in Chinese yuan in 万元.
        let currencies = Set(r.projects.byLevel.flatMap(\.awarded).map(\.currency))
        if currencies.count == 1, let currency = currencies.first {
            let wan = r.language == .zh && (currency == "CNY" || currency == "RMB")
            let funding = r.projects.byLevel.map { line -> (String, Double) in
                (l.level(line.level), line.awarded.compactMap { Double($0.amount) }.reduce(0, +) / (wan ? 10000 : 1))
            }
            if funding.contains(where: { $0.1 > 0 }) {
                projects +=
                    "<h3>\(e(l.fundingByLevel))\(e(l.parenthesized(wan ? "万元" : currency)))</h3>"
                    + SVGChart.bars(funding.map { ($0.0, [$0.1]) }, series: [l.awardedInYear])
            }
        }
        if !r.projects.byFunder.isEmpty {
            projects += htmlTable(
                [l.funder, l.ongoing], r.projects.byFunder.map { [$0.label, "\($0.count)"] }, none: l.none)
            if !r.projects.unmappedFunders.isEmpty {
                projects += "<p class=\"note\">\(e(l.unmappedFunders(r.projects.unmappedFunders)))</p>"
            }
        }
        if !r.projects.list.isEmpty {
            projects +=
                "<h3>\(e(l.projectList))</h3>"
                + htmlTable(projectHeader(l), projectRows(r, l), none: l.none, class: "projects")
        }
        body.append(projects + "</section>")
        // Publications.
        let p = r.publications
        var papers = "<section><h2>\(e(l.publicationsHeading))</h2>"
        papers += htmlTable([l.publicationsHeading, l.count], publicationRows(p, l), none: l.none)
        papers +=
            "<h3>\(e(l.papersPerYear))</h3>"
            + SVGChart.bars(
                p.trend.map { ("\($0.year)", [Double($0.sci), Double($0.national)]) },
                series: [l.sciPapers, l.nationalPapers])
        papers += "<h3>\(e(l.citationsHeading))</h3>"
        papers +=
            p.citations.isEmpty
            ? "<p>\(e(l.none))</p>"
            : "<ol class=\"citations\">"
                + p.citations.map { c in
                    "<li>\(e(c.text))\(c.sci ? " <span class=\"tag\">SCI</span>" + (l.journalMetrics(c).map { " <span class=\"metrics\">\(e($0))</span>" } ?? "") : "")</li>"
                }.joined() + "</ol>"
        if !p.retracted.isEmpty {
            papers +=
                "<h3>\(e(l.retractedHeading))</h3><ul class=\"list\">"
                + p.retracted.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        }
        body.append(papers + "</section>")
        // Patents and awards.
        var patents = "<section><h2>\(e(l.patentsHeading))</h2><p>\(e(patentLine(r, l)))</p>"
        if !r.patents.list.isEmpty {
            patents += "<ul class=\"list\">" + r.patents.list.map { "<li>\(e(l.patent($0)))</li>" }.joined() + "</ul>"
        }
        patents += "<h2>\(e(l.awardsHeading))</h2>"
        patents +=
            r.awards.isEmpty
            ? "<p>\(e(l.none))</p>"
            : "<ul class=\"list\">" + r.awards.map { "<li>\(e(awardLine($0, l)))</li>" }.joined() + "</ul>"
        body.append(patents + "</section>")
        // Cases.
        let c = r.cases
        var cases = "<section><h2>\(e(l.casesHeading))</h2>"
        cases += "<p>\(e(l.operations(l.figure(c.total), l.figure(c.previousYear))))"
        let space = r.language == .zh ? "" : " "
        if let mi = l.share(c.minimallyInvasiveShare, withheld: c.sharesWithheld, year: r.year) {
            cases += "\(space)\(e(l.minimallyInvasiveShare))\(l.colon)\(e(mi))\(l.stop)"
        }
        if let g4 = l.share(c.grade4Share, withheld: c.sharesWithheld, year: r.year) {
            cases += "\(space)\(e(l.grade4Share))\(l.colon)\(e(g4))\(l.stop)"
        }
        cases += "</p>"
        if !c.incomplete.isEmpty {
            cases +=
                "<p>\(e(l.incompleteHeading))</p><ul class=\"list\">"
                + incompleteLines(c, l).map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        }
        cases += htmlTable(
            [l.procedureLabel, l.approachLabel, "\(r.year)", l.previousYear, l.growth],
            c.top.map { topRow($0, l) }, none: l.none)
        if !c.trend.isEmpty, let years = c.trend.first?.years.map({ "\($0.year)" }) {
            // A year some bar of which is a lower bound says so under it ("2025 ≥").
            let groups = years.enumerated().map { i, year in
                (
                    c.trend.allSatisfy { $0.years[i].exact } ? year : "\(year) ≥",
                    c.trend.map { Double($0.years[i].count) }
                )
            }
            cases +=
                "<h3>\(e(l.caseTrend))</h3>"
                + SVGChart.bars(groups, series: c.trend.map { l.series($0.approach, $0.procedure) }, legend: true)
        }
        if !c.approaches.isEmpty {
            cases +=
                "<h3>\(e(l.approachMix))</h3>"
                + SVGChart.bars(c.approaches.map { (l.approach($0.approach), [Double($0.count)]) }, series: [l.count])
        }
        if !c.milestones.isEmpty {
            cases +=
                "<h3>\(e(l.milestonesHeading))</h3><ul class=\"list\">"
                + c.milestones.map { "<li>\(e(l.milestone($0)))</li>" }.joined() + "</ul>"
        }
        if !c.total.exact || c.top.contains(where: { !$0.count.exact }) {
            cases += "<p class=\"note\">\(e(l.notExactNote))</p>"
        }
        body.append(cases + "</section>")

        return """
            <!DOCTYPE html>
            <html lang="\(r.language == .zh ? "zh-Hans" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(l.heading(hospital: r.hospital, department: r.department?.name, year: r.year)))</title>
            <style>\(css)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    static let css = """
        body{font-family:"Noto Sans","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",Arial,sans-serif;color:#1d2327;margin:0 auto;max-width:56rem;padding:1rem;line-height:1.45}
        h1{font-size:1.8rem;margin:.2rem 0}h2{font-size:1.35rem;border-bottom:2px solid #2a6f97;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;margin-top:1.2rem}
        .title-page{text-align:center;padding:3rem 0}.hospital{font-size:1.1rem;color:#2a6f97}.subtitle{font-size:1.3rem}.generated{color:#666}
        table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.92rem;display:block;overflow-x:auto}
        th,td{border:1px solid #ccd;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eef4f8}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        .projects td:nth-child(n+4),.projects th{white-space:nowrap}.projects td:first-child{min-width:14rem}
        .citations li,.list li{margin:.25rem 0}.tag{font-size:.75rem;background:#2a6f97;color:#fff;border-radius:.2rem;padding:0 .25rem}.metrics{font-size:.8rem;color:#2a6f97}
        .note{font-size:.85rem;color:#555}svg{max-width:100%;height:auto}
        @page{size:A4;margin:18mm}
        @media print{body{max-width:none;padding:0}section{break-before:page}.title-page{break-before:auto;padding-top:30%}table{display:table}}
        """

    private static func htmlTable(_ header: [String], _ rows: [[String]], none: String, class name: String? = nil)
        -> String
    {
        guard !rows.isEmpty else { return "<p>\(e(none))</p>" }
        let head = "<tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        let body = rows.map { row in
            "<tr>"
                + row.map { cell in
                    "<td\(cell.first?.isNumber == true || cell.hasPrefix("≥") ? " class=\"n\"" : "")>\(e(cell))</td>"
                }.joined() + "</tr>"
        }.joined()
        return "<table\(name.map { " class=\"\($0)\"" } ?? "")><thead>\(head)</thead><tbody>\(body)</tbody></table>"
    }

    /// Escapes text for HTML.
    static func e(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Bar charts as inline SVG: groups along the x axis, one bar per series in each group, a legend.
///
/// Everything is drawn inside the view box: group labels too wide for their group wrap onto more
/// lines, legend entries wrap onto more rows (an entry wider than the chart wraps within itself), and
/// the box grows to hold them. The value axis has whole-number ticks (bars count papers, operations
/// or currency units), at most five of them.
enum SVGChart {
    static let colours = ["#2a6f97", "#f4a261", "#2a9d8f", "#e76f51", "#8d99ae", "#6a4c93"]
    static let fontSize = 11.0
    static let lineHeight = 13.0

    /// A legend is drawn when there is more than one series, or when `legend` says so (a single named series).
    static func bars(_ groups: [(label: String, values: [Double])], series: [String], legend showLegend: Bool = false)
        -> String
    {
        let width = 640.0
        let top = 12.0
        let plotHeight = 212.0
        let maximum = groups.flatMap(\.values).max() ?? 0
        let (step, ticks) = tickStep(maximum)
        let scale = step * Double(ticks)
        let left = 14 + textWidth(label(scale))
        let groupWidth = (width - left - 8) / Double(max(groups.count, 1))
        let barWidth = min(36, groupWidth * 0.8 / Double(max(series.count, 1)))
        // Group labels, wrapped to the group's width (in a smaller type when one word is wider than that).
        let groupLabels = groups.map { fit($0.label, width: groupWidth - 4) }
        let labelLines = Double(groupLabels.map(\.lines.count).max() ?? 1)
        let plotBottom = top + plotHeight
        var y = plotBottom + 6 + labelLines * lineHeight
        // Legend rows: entries side by side while they fit, wrapped within themselves when one is too wide.
        var legend: [(x: Double, y: Double, lines: [String], colour: String)] = []
        if series.count > 1 || (showLegend && !series.isEmpty) {
            var x = left
            y += 8
            var rowHeight = 0.0
            let available = width - left - 4
            for (s, name) in series.enumerated() {
                let lines = wrap(name, width: available - 14)
                let entryWidth = 14 + (lines.map(textWidth).max() ?? 0)
                if x > left && x + entryWidth > width - 4 {
                    x = left
                    y += rowHeight + 4
                    rowHeight = 0
                }
                legend.append((x, y, lines, colours[s % colours.count]))
                rowHeight = max(rowHeight, Double(lines.count) * lineHeight)
                x += entryWidth + 16
            }
            y += rowHeight
        }
        let height = (y + 6).rounded(.up)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" font-size=\"\(Int(fontSize))\">"
        for i in 0...ticks {
            let value = step * Double(i)
            let y = top + plotHeight - plotHeight * Double(i) / Double(ticks)
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - 4))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#dde\"/>"
            svg +=
                "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\" fill=\"#555\">\(label(value))</text>"
        }
        for (g, group) in groups.enumerated() {
            let groupLeft = left + Double(g) * groupWidth + (groupWidth - barWidth * Double(group.values.count)) / 2
            for (s, value) in group.values.enumerated() {
                let h = plotHeight * value / scale
                let name = (series.count > 1 || showLegend) && s < series.count ? "\(series[s]), " : ""
                svg +=
                    "<rect x=\"\(f(groupLeft + Double(s) * barWidth))\" y=\"\(f(top + plotHeight - h))\" width=\"\(f(barWidth - 2))\" height=\"\(f(h))\" fill=\"\(colours[s % colours.count])\"><title>\(ReportRenderer.e(name + group.label)): \(label(value))</title></rect>"
            }
            svg += text(
                groupLabels[g].lines, x: left + (Double(g) + 0.5) * groupWidth, y: plotBottom + 4 + lineHeight - 2,
                anchor: "middle", fill: "#333",
                scale: groupLabels[g].scale)
        }
        for entry in legend {
            svg +=
                "<rect x=\"\(f(entry.x))\" y=\"\(f(entry.y + 1))\" width=\"10\" height=\"10\" fill=\"\(entry.colour)\"/>"
            svg += text(entry.lines, x: entry.x + 14, y: entry.y + 10, anchor: nil, fill: "#333")
        }
        return svg + "</svg>"
    }

    /// One `<text>` of one or more lines, in the chart's type size times `scale`.
    static func text(_ lines: [String], x: Double, y: Double, anchor: String?, fill: String, scale: Double = 1)
        -> String
    {
        let size = scale < 1 ? " font-size=\"\(f(fontSize * scale))\"" : ""
        var out =
            "<text x=\"\(f(x))\" y=\"\(f(y))\"\(anchor.map { " text-anchor=\"\($0)\"" } ?? "")\(size) fill=\"\(fill)\">"
        for (i, line) in lines.enumerated() {
            out +=
                i == 0
                ? ReportRenderer.e(line)
                : "<tspan x=\"\(f(x))\" dy=\"\(f(lineHeight * scale))\">\(ReportRenderer.e(line))</tspan>"
        }
        return out + "</text>"
    }

    /// `text` fitted to `width`: wrapped at spaces, in type made smaller (down to 7/11 of the chart's)
    /// when a single word is wider than `width`; only a word too wide even then is broken.
    static func fit(_ text: String, width: Double) -> (lines: [String], scale: Double) {
        let widest = pieces(text).map { textWidth($0.trimmingTrailingSpace) }.max() ?? 0
        let scale = widest > width ? max(7 / fontSize, width / widest) : 1
        return (wrap(text, width: width / scale), scale)
    }

    /// A whole-number tick step and the number of steps (at most five) whose top is at least `maximum`.
    static func tickStep(_ maximum: Double) -> (step: Double, ticks: Int) {
        guard maximum > 0, maximum.isFinite else { return (1, 1) }
        var magnitude = 1.0
        while magnitude * 10 <= maximum / 5 { magnitude *= 10 }
        for m in [magnitude, magnitude * 10] {
            for step in [1.0, 2.0, 5.0].map({ $0 * m }) where (maximum / step).rounded(.up) <= 5 {
                return (step, max(1, Int((maximum / step).rounded(.up))))
            }
        }
        return (magnitude * 10, max(1, Int((maximum / (magnitude * 10)).rounded(.up))))
    }

    /// An estimate of how wide `text` is drawn at the chart's font size: CJK characters are about a full
    /// em, Latin letters and digits a little over half.
    static func textWidth(_ text: String) -> Double {
        text.unicodeScalars.reduce(0) { width, scalar in
            width
                + (scalar.value >= 0x2E80
                    ? fontSize : scalar.properties.isUppercase ? fontSize * 0.68 : fontSize * 0.58)
        }
    }

    /// `text` in lines no wider than `width`, broken at spaces (or between CJK characters); a word wider
    /// than a line is broken where it must. Nothing is left out.
    static func wrap(_ text: String, width: Double) -> [String] {
        guard textWidth(text) > width, width > fontSize else { return [text] }
        var lines: [String] = []
        var line = ""
        for piece in pieces(text) {
            if !line.isEmpty && textWidth(line + piece.trimmingTrailingSpace) > width {
                lines.append(line.trimmingTrailingSpace)
                line = ""
            }
            // A piece too wide on its own is cut into lines character by character.
            if line.isEmpty && textWidth(piece.trimmingTrailingSpace) > width {
                var part = ""
                for c in piece.trimmingTrailingSpace {
                    if !part.isEmpty && textWidth(part + String(c)) > width {
                        lines.append(part)
                        part = ""
                    }
                    part.append(c)
                }
                line = part + (piece.hasSuffix(" ") ? " " : "")
                continue
            }
            line += piece
        }
        if !line.trimmingTrailingSpace.isEmpty { lines.append(line.trimmingTrailingSpace) }
        return lines
    }

    /// The pieces a line may break between: words with their trailing space, and each CJK character.
    static func pieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for c in text {
            let cjk = c.unicodeScalars.first.map { $0.value >= 0x2E80 } ?? false
            if cjk, !current.isEmpty, current.last != " " {
                pieces.append(current)
                current = ""
            }
            current.append(c)
            if c == " " || cjk {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    static func f(_ value: Double) -> String { Numbers.twoPlaces(value).replacingOccurrences(of: ".00", with: "") }

    static func label(_ value: Double) -> String {
        value == value.rounded() ? Numbers.grouped(Int(value)) : Numbers.twoPlaces(value)
    }
}

extension String {
    fileprivate var trimmingTrailingSpace: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
