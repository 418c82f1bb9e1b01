import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsReports

/// Issue 12, points 4 and 5: the report's charts show every series and label whole, on whole-number
/// axes; empty years say "—"; a grant is counted once.
@Suite struct ChartTests {
    /// The numbers of every `attribute="…"` in `svg` for one element name.
    static func values(_ attribute: String, of element: String, in svg: String) -> [Double] {
        svg.components(separatedBy: "<\(element) ").dropFirst().compactMap { tag in
            tag.components(separatedBy: "\(attribute)=\"").dropFirst().first?.split(separator: "\"").first.flatMap {
                Double($0)
            }
        }
    }

    static func viewBox(_ svg: String) -> (width: Double, height: Double) {
        let box = svg.components(separatedBy: "viewBox=\"").dropFirst().first!.split(separator: "\"").first!.split(
            separator: " ")
        return (Double(box[2])!, Double(box[3])!)
    }

    static let longSeries = [
        "laparoscopic Appendectomy", "laparoscopic Choledochal cyst excision", "open Neuroblastoma resection",
        "interventional Transarterial chemoembolisation (TACE)",
    ]

    @Test func everySeriesHasALegendEntryInsideTheViewBox() {
        let groups = (2020...2024).map { ("\($0)", [550.0, 29, 55, 40]) }
        let svg = SVGChart.bars(groups, series: Self.longSeries)
        let box = Self.viewBox(svg)
        // Legend swatches are the 10 × 10 squares.
        let swatches = svg.components(separatedBy: "<rect ").dropFirst().filter {
            $0.contains("width=\"10\" height=\"10\"")
        }
        #expect(swatches.count == 4)
        for swatch in swatches {
            let y = Double(swatch.components(separatedBy: "y=\"")[1].split(separator: "\"")[0])!
            #expect(y + 10 <= box.height, "a legend entry below the picture: \(swatch)")
        }
        for name in Self.longSeries { #expect(svg.contains(ReportRenderer.e(name))) }
        // Every legend text ends inside the width.
        for (i, name) in Self.longSeries.enumerated() {
            let entry = svg.components(separatedBy: ">\(ReportRenderer.e(name))<").first!
            let textX = Double(entry.components(separatedBy: "<text x=\"").last!.split(separator: "\"")[0])!
            #expect(textX + SVGChart.textWidth(name) <= box.width, "legend entry \(i) runs out of the picture")
        }
    }

    @Test func chineseLegendsWrapIntoTheViewBoxToo() {
        let names = [
            "腹腔镜 Choledochal cyst excision", "腹腔镜 Appendectomy", "开放 Neuroblastoma resection",
            "介入 Transarterial chemoembolisation",
        ]
        let svg = SVGChart.bars([("2024", [1, 2, 3, 4])], series: names)
        let box = Self.viewBox(svg)
        let swatchYs = svg.components(separatedBy: "<rect ").dropFirst().filter {
            $0.contains("width=\"10\" height=\"10\"")
        }
        .map { Double($0.components(separatedBy: "y=\"")[1].split(separator: "\"")[0])! }
        #expect(swatchYs.count == 4)
        #expect(swatchYs.allSatisfy { $0 + 10 <= box.height })
    }

    @Test func longGroupLabelsWrapAndAreNotCut() {
        let labels = ["converted to open", "laparoscopic", "interventional", "robotic", "endoscopic", "hybrid", "open"]
        let svg = SVGChart.bars(labels.map { ($0, [10.0]) }, series: ["Count"])
        let groupWidth = (640 - (14 + SVGChart.textWidth("10")) - 8) / Double(labels.count)
        for label in labels {
            let fitted = SVGChart.fit(label, width: groupWidth - 4)
            for line in fitted.lines {
                #expect(SVGChart.textWidth(line) * fitted.scale <= groupWidth - 4, "\(line) is wider than its group")
            }
            #expect(fitted.lines.joined(separator: " ") == label, "nothing of \(label) is left out, no word is broken")
            #expect(fitted.scale >= 7 / SVGChart.fontSize)
        }
        #expect(svg.contains("<tspan"), "the longest label takes two lines")
        #expect(
            SVGChart.wrap("Transarterial", width: 30).joined() == "Transarterial",
            "a word too long for any line is split, not cut")
    }

    @Test(arguments: [1.0, 2, 3, 7, 9, 10, 11, 25, 99, 555, 3_700_000])
    func countAxesHaveWholeNumberTicks(maximum: Double) {
        let svg = SVGChart.bars(
            [("2023", [maximum / 2]), ("2024", [maximum])], series: ["SCI papers", "National journal papers"])
        let ticks = svg.components(separatedBy: "text-anchor=\"end\" fill=\"#555\">").dropFirst().map {
            String($0.prefix { $0 != "<" })
        }
        #expect(ticks.count >= 2 && ticks.count <= 6, "\(ticks)")
        for tick in ticks { #expect(!tick.contains("."), "tick \(tick) for a maximum of \(maximum)") }
        let (step, count) = SVGChart.tickStep(maximum)
        #expect(step == step.rounded() && step * Double(count) >= maximum)
    }
}

@Suite(.serialized) struct EmptyYearAndFundingTests {
    let folder = TemporaryFolder()

    @Test func aYearWithoutImpactFactorsSaysDashNotZero() throws {
        let store = try folder.sampleRegistry()
        let report = try store.read { try AnnualReportBuilder.build(from: $0, year: 2012, generatedOn: "2025-01-15") }
        #expect(report.publications.impactFactorMedian == nil)
        #expect(report.publications.impactFactorSum == nil)
        let markdown = ReportRenderer.markdown(report)
        #expect(!markdown.contains("0.00"))
        #expect(markdown.contains("No staff census on or before 2012-12-31."))
    }

    @Test func aGrantRecordedTwiceIsCountedOnce() {
        func project(_ id: String, _ department: String, grant: String?, amount: String) -> Project {
            Project(
                id: id, title: "T", funder: "National Natural Science Foundation of China", level: .national,
                grantNumber: grant,
                departments: [.init(departmentID: department, role: .lead)], start: PartialDate("2022"),
                end: PartialDate("2024"),
                amount: Money(amount: DecimalNumber(amount)!, currency: "CNY"), status: .ongoing)
        }
        let twice = [
            project("a", "gs", grant: "81970001", amount: "500000"),
            project("b", "onc", grant: "81970001", amount: "500000"),
        ]
        #expect(AnnualReportBuilder.funding(twice).map(Labels(.en).amount) == ["CNY 500,000"])
        #expect(AnnualReportBuilder.funding(twice).map(Labels(.zh).amount) == ["50万元"])
        let two = [
            project("a", "gs", grant: "81970001", amount: "500000"),
            project("b", "onc", grant: "81970002", amount: "500000"),
        ]
        #expect(AnnualReportBuilder.funding(two).map(Labels(.en).amount) == ["CNY 1,000,000"])
        let unnumbered = [
            project("a", "gs", grant: nil, amount: "500000"), project("b", "onc", grant: nil, amount: "500000"),
        ]
        #expect(
            AnnualReportBuilder.funding(unnumbered).map(\.plain) == ["CNY 1000000"],
            "without a grant number, two records are two grants")
    }
}

extension ChartTests {
    @Test func aSingleNamedSeriesGetsItsLegendWhenAsked() {
        let svg = SVGChart.bars([("2024", [550])], series: ["laparoscopic Appendectomy"], legend: true)
        #expect(svg.contains(">laparoscopic Appendectomy</text>"))
        #expect(!SVGChart.bars([("2024", [550])], series: ["Count"]).contains(">Count</text>"))
    }
}
