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
        let scope = r.department?.name ?? l.hospitalWide
        out.append("# \(r.hospital) — \(scope): \(l.title) \(r.year)")
        out.append("")
        out.append("\(l.generated) \(r.generatedOn).")
        out.append("")
        out.append("## \(l.staffHeading)")
        out.append("")
        out.append(table([l.staffHeading, l.count], r.staff.map { [$0.label, "\($0.count)"] }, none: l.none))
        if !r.beds.isEmpty {
            out.append("")
            out.append(table([l.department, l.campus, l.bedsLabel, l.vipBeds], r.beds.map { [$0.department, $0.campus ?? "—", "\($0.beds)", "\($0.vipBeds)"] }, none: l.none))
        }
        out.append("")
        out.append("## \(l.projectsHeading)")
        out.append("")
        out.append(table([l.level, l.new, l.ongoing, l.funding], r.projects.byLevel.map { [$0.level, "\($0.new)", "\($0.ongoing)", $0.funding.joined(separator: "; ")] }, none: l.none))
        if !r.projects.byFunder.isEmpty {
            out.append("")
            out.append(table([l.funder, l.ongoing], r.projects.byFunder.map { [$0.label, "\($0.count)"] }, none: l.none))
        }
        if !r.projects.list.isEmpty {
            out.append("")
            for p in r.projects.list {
                out.append("- \(p.title). \(p.funder)\(p.programme.map { ", \($0)" } ?? ""); \(p.level); \(p.period)\(p.grantNumber.map { "; \($0)" } ?? "")\(p.amount.map { "; \($0)" } ?? "") (\(p.status))")
            }
        }
        out.append("")
        out.append("## \(l.publicationsHeading)")
        out.append("")
        let p = r.publications
        out.append(table([l.publicationsHeading, l.count], [
            [l.sciPapers, "\(p.sci)"], [l.nationalPapers, "\(p.national)"],
            [l.firstOrCorresponding, "\(p.firstOrCorresponding) (\(p.firstOrCorrespondingShare))"],
            [l.impactFactorSum, p.impactFactorSum], [l.impactFactorMedian, p.impactFactorMedian],
        ] + p.byQuartile.map { [$0.label, "\($0.count)"] } + p.byCASZone.map { [$0.label, "\($0.count)"] }, none: l.none))
        out.append("")
        out.append("### \(l.papersPerYear)")
        out.append("")
        out.append(table([l.year, l.sciPapers, l.nationalPapers], p.trend.map { ["\($0.year)", "\($0.sci)", "\($0.national)"] }, none: l.none))
        out.append("")
        out.append("### \(l.citationsHeading)")
        out.append("")
        if p.citations.isEmpty { out.append(l.none) }
        for (i, c) in p.citations.enumerated() { out.append("\(i + 1). \(c.text)\(c.sci ? " [SCI]" : "")") }
        if !p.retracted.isEmpty {
            out.append("")
            out.append("### \(l.retractedHeading)")
            out.append("")
            for c in p.retracted { out.append("- \(c)") }
        }
        out.append("")
        out.append("## \(l.patentsHeading)")
        out.append("")
        out.append("\(l.filed): \(r.patents.filed). \(l.granted): \(r.patents.granted)\(r.patents.byKind.isEmpty ? "" : " (" + r.patents.byKind.map { "\($0.label) \($0.count)" }.joined(separator: ", ") + ")").")
        for item in r.patents.list { out.append("- \(item)") }
        out.append("")
        out.append("## \(l.awardsHeading)")
        out.append("")
        if r.awards.isEmpty { out.append(l.none) }
        for a in r.awards {
            out.append("- \(a.name)\(a.grade.map { ", \($0)" } ?? "") (\(a.level))\(a.recipients.isEmpty ? "" : ": " + a.recipients.joined(separator: ", "))")
        }
        out.append("")
        out.append("## \(l.casesHeading)")
        out.append("")
        let c = r.cases
        out.append("\(l.totalOperations): \(c.total.figure) (\(l.previousYear): \(c.previousYear.figure)).")
        if let mi = c.minimallyInvasiveShare { out.append("\(l.minimallyInvasiveShare): \(mi).") }
        if let g4 = c.grade4Share { out.append("\(l.grade4Share): \(g4).") }
        out.append("")
        out.append(table([l.procedureLabel, l.approachLabel, "\(r.year)", l.previousYear, l.growth], c.top.map {
            [$0.procedure, $0.approach, $0.count.figure, $0.previousYear.figure, $0.growth ?? "—"]
        }, none: l.none))
        if !c.approaches.isEmpty {
            out.append("")
            out.append("### \(l.approachMix)")
            out.append("")
            out.append(table([l.approachLabel, l.count], c.approaches.map { [$0.label, "\($0.count)"] }, none: l.none))
        }
        if !c.milestones.isEmpty {
            out.append("")
            out.append("### \(l.milestonesHeading)")
            out.append("")
            for m in c.milestones { out.append("- \(m)") }
        }
        if !c.total.exact || c.top.contains(where: { !$0.count.exact }) {
            out.append("")
            out.append("_\(l.notExactNote)_")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func table(_ header: [String], _ rows: [[String]], none: String) -> String {
        guard !rows.isEmpty else { return none }
        func line(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        return ([line(header), line(header.map { _ in "---" })] + rows.map(line)).joined(separator: "\n")
    }

    // MARK: - HTML

    public static func html(_ r: AnnualReport) -> String {
        let l = Labels(r.language)
        let scope = r.department?.name ?? l.hospitalWide
        var body: [String] = []
        body.append("""
            <section class="title-page">
            <p class="hospital">\(e(r.hospital))</p>
            <h1>\(e(scope))</h1>
            <p class="subtitle">\(e(l.title)) \(r.year)</p>
            <p class="generated">\(e(l.generated)) \(e(r.generatedOn))</p>
            </section>
            """)
        // Staff and beds.
        var staff = "<section><h2>\(e(l.staffHeading))</h2>" + htmlTable([l.staffHeading, l.count], r.staff.map { [$0.label, "\($0.count)"] }, none: l.none)
        if !r.beds.isEmpty {
            staff += "<h3>\(e(l.bedsHeading))</h3>" + htmlTable([l.department, l.campus, l.bedsLabel, l.vipBeds], r.beds.map { [$0.department, $0.campus ?? "—", "\($0.beds)", "\($0.vipBeds)"] }, none: l.none)
        }
        body.append(staff + "</section>")
        // Projects.
        var projects = "<section><h2>\(e(l.projectsHeading))</h2>"
        projects += htmlTable([l.level, l.new, l.ongoing, l.funding], r.projects.byLevel.map { [$0.level, "\($0.new)", "\($0.ongoing)", $0.funding.joined(separator: "; ")] }, none: l.none)
        let funding = r.projects.byLevel.map { line -> (String, Double) in
            (line.level, line.funding.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +))
        }
        if funding.contains(where: { $0.1 > 0 }) {
            projects += "<h3>\(e(l.fundingByLevel))</h3>" + SVGChart.bars(funding.map { ($0.0, [$0.1]) }, series: [l.funding])
        }
        if !r.projects.byFunder.isEmpty {
            projects += htmlTable([l.funder, l.ongoing], r.projects.byFunder.map { [$0.label, "\($0.count)"] }, none: l.none)
        }
        if !r.projects.list.isEmpty {
            projects += "<ul class=\"list\">" + r.projects.list.map { p in
                "<li>\(e(p.title)). \(e(p.funder))\(p.programme.map { ", " + e($0) } ?? ""); \(e(p.level)); \(e(p.period))\(p.grantNumber.map { "; " + e($0) } ?? "")\(p.amount.map { "; " + e($0) } ?? "") (\(e(p.status)))</li>"
            }.joined() + "</ul>"
        }
        body.append(projects + "</section>")
        // Publications.
        let p = r.publications
        var papers = "<section><h2>\(e(l.publicationsHeading))</h2>"
        papers += htmlTable([l.publicationsHeading, l.count], [
            [l.sciPapers, "\(p.sci)"], [l.nationalPapers, "\(p.national)"],
            [l.firstOrCorresponding, "\(p.firstOrCorresponding) (\(p.firstOrCorrespondingShare))"],
            [l.impactFactorSum, p.impactFactorSum], [l.impactFactorMedian, p.impactFactorMedian],
        ] + p.byQuartile.map { [$0.label, "\($0.count)"] } + p.byCASZone.map { [$0.label, "\($0.count)"] }, none: l.none)
        papers += "<h3>\(e(l.papersPerYear))</h3>" + SVGChart.bars(p.trend.map { ("\($0.year)", [Double($0.sci), Double($0.national)]) }, series: [l.sciPapers, l.nationalPapers])
        papers += "<h3>\(e(l.citationsHeading))</h3>"
        papers += p.citations.isEmpty ? "<p>\(e(l.none))</p>" : "<ol class=\"citations\">" + p.citations.map { "<li>\(e($0.text))\($0.sci ? " <span class=\"tag\">SCI</span>" : "")</li>" }.joined() + "</ol>"
        if !p.retracted.isEmpty {
            papers += "<h3>\(e(l.retractedHeading))</h3><ul class=\"list\">" + p.retracted.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        }
        body.append(papers + "</section>")
        // Patents and awards.
        var patents = "<section><h2>\(e(l.patentsHeading))</h2><p>\(e(l.filed)): \(r.patents.filed). \(e(l.granted)): \(r.patents.granted).</p>"
        if !r.patents.list.isEmpty { patents += "<ul class=\"list\">" + r.patents.list.map { "<li>\(e($0))</li>" }.joined() + "</ul>" }
        patents += "<h2>\(e(l.awardsHeading))</h2>"
        patents += r.awards.isEmpty ? "<p>\(e(l.none))</p>" : "<ul class=\"list\">" + r.awards.map { a in
            "<li>\(e(a.name))\(a.grade.map { ", " + e($0) } ?? "") (\(e(a.level)))\(a.recipients.isEmpty ? "" : ": " + e(a.recipients.joined(separator: ", ")))</li>"
        }.joined() + "</ul>"
        body.append(patents + "</section>")
        // Cases.
        let c = r.cases
        var cases = "<section><h2>\(e(l.casesHeading))</h2>"
        cases += "<p>\(e(l.totalOperations)): <strong>\(e(c.total.figure))</strong> (\(e(l.previousYear)): \(e(c.previousYear.figure)))."
        if let mi = c.minimallyInvasiveShare { cases += " \(e(l.minimallyInvasiveShare)): \(e(mi))." }
        if let g4 = c.grade4Share { cases += " \(e(l.grade4Share)): \(e(g4))." }
        cases += "</p>"
        cases += htmlTable([l.procedureLabel, l.approachLabel, "\(r.year)", l.previousYear, l.growth], c.top.map {
            [$0.procedure, $0.approach, $0.count.figure, $0.previousYear.figure, $0.growth ?? "—"]
        }, none: l.none)
        if !c.trend.isEmpty, let years = c.trend.first?.years.map(\.label) {
            let groups = years.enumerated().map { i, year in (year, c.trend.map { Double($0.years[i].count) }) }
            cases += "<h3>\(e(l.caseTrend))</h3>" + SVGChart.bars(groups, series: c.trend.map(\.procedure))
        }
        if !c.approaches.isEmpty {
            cases += "<h3>\(e(l.approachMix))</h3>" + SVGChart.bars(c.approaches.map { ($0.label, [Double($0.count)]) }, series: [l.count])
        }
        if !c.milestones.isEmpty {
            cases += "<h3>\(e(l.milestonesHeading))</h3><ul class=\"list\">" + c.milestones.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        }
        if !c.total.exact || c.top.contains(where: { !$0.count.exact }) { cases += "<p class=\"note\">\(e(l.notExactNote))</p>" }
        body.append(cases + "</section>")

        return """
            <!DOCTYPE html>
            <html lang="\(r.language == .zh ? "zh-Hans" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(r.hospital)) — \(e(scope)): \(e(l.title)) \(r.year)</title>
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
        .citations li,.list li{margin:.25rem 0}.tag{font-size:.75rem;background:#2a6f97;color:#fff;border-radius:.2rem;padding:0 .25rem}
        .note{font-size:.85rem;color:#555}svg{max-width:100%;height:auto}
        @page{size:A4;margin:18mm}
        @media print{body{max-width:none;padding:0}section{break-before:page}.title-page{break-before:auto;padding-top:30%}table{display:table}}
        """

    private static func htmlTable(_ header: [String], _ rows: [[String]], none: String) -> String {
        guard !rows.isEmpty else { return "<p>\(e(none))</p>" }
        let head = "<tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        let body = rows.map { row in
            "<tr>" + row.map { cell in "<td\(cell.first?.isNumber == true || cell.hasPrefix("≥") ? " class=\"n\"" : "")>\(e(cell))</td>" }.joined() + "</tr>"
        }.joined()
        return "<table><thead>\(head)</thead><tbody>\(body)</tbody></table>"
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
enum SVGChart {
    static let colours = ["#2a6f97", "#f4a261", "#2a9d8f", "#e76f51", "#8d99ae", "#6a4c93"]

    static func bars(_ groups: [(label: String, values: [Double])], series: [String]) -> String {
        let width = 640.0
        let height = 260.0
        let bottom = 36.0
        let top = 12.0
        let plotHeight = height - bottom - top
        let maximum = max(1, groups.flatMap(\.values).max() ?? 1)
        let scale = niceCeiling(maximum)
        let left = 14 + 7 * Double(label(scale).count)
        let groupWidth = (width - left - 8) / Double(max(groups.count, 1))
        let barWidth = min(36, groupWidth * 0.8 / Double(max(series.count, 1)))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height + (series.count > 1 ? 24 : 0)))\" role=\"img\" font-size=\"11\">"
        for i in 0...4 {
            let value = scale * Double(i) / 4
            let y = top + plotHeight - plotHeight * Double(i) / 4
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - 4))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#dde\"/>"
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\" fill=\"#555\">\(label(value))</text>"
        }
        for (g, group) in groups.enumerated() {
            let groupLeft = left + Double(g) * groupWidth + (groupWidth - barWidth * Double(group.values.count)) / 2
            for (s, value) in group.values.enumerated() {
                let h = plotHeight * value / scale
                svg += "<rect x=\"\(f(groupLeft + Double(s) * barWidth))\" y=\"\(f(top + plotHeight - h))\" width=\"\(f(barWidth - 2))\" height=\"\(f(h))\" fill=\"\(colours[s % colours.count])\"><title>\(ReportRenderer.e(group.label)): \(label(value))</title></rect>"
            }
            svg += "<text x=\"\(f(left + (Double(g) + 0.5) * groupWidth))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\" fill=\"#333\">\(ReportRenderer.e(group.label))</text>"
        }
        if series.count > 1 {
            var x = left
            for (s, name) in series.enumerated() {
                svg += "<rect x=\"\(f(x))\" y=\"\(f(height + 6))\" width=\"10\" height=\"10\" fill=\"\(colours[s % colours.count])\"/>"
                svg += "<text x=\"\(f(x + 14))\" y=\"\(f(height + 15))\" fill=\"#333\">\(ReportRenderer.e(name))</text>"
                x += 14 + Double(name.count) * 6.5 + 16
            }
        }
        return svg + "</svg>"
    }

    static func niceCeiling(_ value: Double) -> Double {
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * magnitude >= value { return step * magnitude }
        return value
    }

    static func f(_ value: Double) -> String { Numbers.twoPlaces(value).replacingOccurrences(of: ".00", with: "") }

    static func label(_ value: Double) -> String {
        value == value.rounded() ? Numbers.grouped(Int(value)) : Numbers.twoPlaces(value)
    }
}
