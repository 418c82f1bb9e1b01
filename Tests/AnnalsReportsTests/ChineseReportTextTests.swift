import AnnalsInterchange
import AnnalsModel
import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// The Chinese report and profile as a Chinese hospital hands them in, checked on golden files that were
/// read by eye: Chinese frame words and punctuation, money in 万元, periods by month, GB/T 7714 citations,
/// and no Latin-script prose anywhere except names, codes, DOIs, journal titles and the reference
/// entries of foreign papers.
@Suite(.serialized) struct ChineseReportTextTests {
    let folder = TemporaryFolder()
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func report(_ year: Int, format: (AnnualReport) throws -> String) throws -> String {
        let store = try folder.sampleRegistry()
        let report = try store.read {
            try AnnualReportBuilder.build(
                from: $0, year: year, department: "general-surgery", language: .zh, generatedOn: "2025-01-15")
        }
        return try format(report)
    }

    func profile(_ department: String) throws -> String {
        let store = try folder.sampleRegistry()
        let content = try store.read { try $0.content() }
        return try DepartmentProfile.text(department: department, in: content, language: .zh)
    }

    func check(_ text: String, against name: String) throws {
        let file = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ANNALS_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line =
                zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record(
                "\(name) differs from the golden file at line \(line + 1): got «\(line < got.count ? got[line] : "")», expected «\(line < want.count ? want[line] : "")»"
            )
        }
    }

    @Test func goldenFiles() throws {
        try check(try report(2024, format: ReportRenderer.markdown), against: "report-2024-general-surgery-zh.md")
        try check(try report(2024, format: ReportRenderer.html), against: "report-2024-general-surgery-zh.html")
        try check(try report(2023, format: ReportRenderer.markdown), against: "report-2023-general-surgery-zh.md")
        try check(try profile("general-surgery"), against: "profile-general-surgery-zh.txt")
        try check(try profile("oncology-surgery"), against: "profile-oncology-surgery-zh.txt")
    }

    @Test func theReportIsWrittenAsAChineseReport() throws {
        let md = try report(2024, format: ReportRenderer.markdown)
        #expect(md.hasPrefix("# 浙江大学医学院附属儿童医院普外科2024年度科研工作报告\n"))
        #expect(md.contains("万元"))
        #expect(!md.contains("CNY"))
        #expect(md.contains("负责人"))
        #expect(md.contains("2021.01–至今"))
        #expect(md.contains("手术总量：640例（上一年：621例）。"))
        #expect(md.contains("腹腔镜胆总管囊肿切除术累计突破500例（2024年）"))
        // SCI papers first, with the journal's impact factor, JCR quartile and CAS zone.
        let citations = md.components(separatedBy: "### 本年度论文\n\n")[1].components(separatedBy: "\n\n")[0].split(
            separator: "\n")
        #expect(citations.first?.contains("[SCI，影响因子") == true)
        #expect(citations.first?.contains("JCR Q") == true && citations.first?.contains("中科院") == true)
        let firstNational = try #require(citations.firstIndex { !$0.contains("[SCI") })
        #expect(citations[firstNational...].allSatisfy { !$0.contains("[SCI") })
    }

    @Test func the2023ReportCitesGaoZhigangsPaperInGBT7714WithTheChineseJournalTitle() throws {
        let md = try report(2023, format: ReportRenderer.markdown)
        // (Markdown writes the brackets of "[J]" escaped, so that they stay text.)
        #expect(md.contains("高志刚, 示例作者. 示例记录：腹腔镜胆总管囊肿切除术的学习曲线\\[J\\]. 中华小儿外科杂志, 2023, 44(3): 201-205."))
        let html = try report(2023, format: ReportRenderer.html)
        #expect(html.contains("高志刚, 示例作者. 示例记录：腹腔镜胆总管囊肿切除术的学习曲线[J]. 中华小儿外科杂志, 2023, 44(3): 201-205."))
        #expect(!md.contains("Zhonghua Xiao Er Wai Ke Za Zhi"))
    }

    // MARK: No Latin-script prose

    /// Every zh golden file: what is left after the allowed Latin-script text is taken out holds no Latin word.
    @Test func noLatinProseInAnyChineseGoldenFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.golden.path).filter { $0.contains("-zh.") }
            .sorted()
        #expect(files.count >= 5)
        let allowed = try allowedLatin()
        for name in files {
            let text = try String(contentsOf: Self.golden.appendingPathComponent(name), encoding: .utf8)
            let prose = Self.latinWords(in: Self.readableText(text, html: name.hasSuffix(".html")), allowed: allowed)
            #expect(prose.isEmpty, "\(name) has Latin-script prose: \(prose.prefix(12).joined(separator: " | "))")
        }
    }

    @Test func theLatinProseCheckFindsEnglishFrameWordsAndNames() {
        let allowed = Set(["Gao", "Zhigang"])
        #expect(Self.latinWords(in: "手术总量: 640 (Previous year: 621)", allowed: allowed) == ["Previous year"])
        #expect(
            Self.latinWords(in: "腹腔镜Choledochal cyst excision累计突破500例（in 2024）", allowed: allowed) == [
                "Choledochal cyst excision", "in",
            ])
        #expect(
            Self.latinWords(in: "Gao Zhigang — 主任医师；SCI论文3篇，JCR Q2，VIP床位2张，DOI:10.5555/x", allowed: allowed).isEmpty)
        let reference = "1. GAO Z, CHEN Q. Laparoscopy in children\\[J\\]. Journal of Pediatric Surgery, 2024."
        #expect(!Self.latinWords(in: reference, allowed: allowed).isEmpty)
        #expect(
            Self.latinWords(in: Self.readableText(reference, html: false), allowed: allowed).isEmpty,
            "a reference entry is not prose")
    }

    /// People's names, journal titles and the Latin words inside Chinese procedure terms (Rex手术) are not prose.
    func allowedLatin() throws -> Set<String> {
        let store = try folder.sampleRegistry()
        let content = try store.read { try $0.content() }
        var words: Set<String> = []
        func add(_ text: String) { for w in Self.words(text) { words.insert(w) } }
        for p in content.people {
            add(p.familyName)
            add(p.givenName)
            for variant in p.nameVariants { add(variant.value) }
        }
        for j in content.journals { add(j.title) }
        // A command the reader types is a code, not prose.
        add("annals funders")
        for p in content.procedures {
            for term in [p.preferredTermZH].compactMap({ $0 }) + p.synonyms where ChineseText.containsHan(term) {
                add(term)
            }
        }
        return words
    }

    /// The text a reader sees: HTML without its head, tags and SVG markup; reference entries (GB/T 7714,
    /// marked by their document type "[J]", "[M]" …) left out, since a foreign paper is cited in its language.
    static func readableText(_ text: String, html: Bool) -> String {
        var t = text
        if html {
            if let body = t.range(of: "<body>") { t = String(t[body.upperBound...]) }
            t = t.replacingOccurrences(of: "<[^>]*>", with: "\n", options: .regularExpression)
            t = t.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"")
        }
        return t.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0.range(of: "\\\\?\\[(J|M|C|D|Z)\\\\?\\]", options: .regularExpression) == nil }
            .joined(separator: "\n")
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0 == "'" || $0 == "-")) }).map(String.init).filter
        { $0.contains(where: \.isLetter) }
    }

    /// Runs of Latin words that are prose: not all capitals (SCI, JCR, VIP, DOI), not a code with digits
    /// (Q2), not one of `allowed`, and not inside a DOI.
    static func latinWords(in text: String, allowed: Set<String>) -> [String] {
        var runs: [String] = []
        for line in text.split(separator: "\n") {
            var current: [String] = []
            let cleaned = line.replacingOccurrences(of: "DOI:\\S+", with: " ", options: .regularExpression)
            // Words, with the spaces between them kept so that a run reads as written.
            var word = ""
            var pieces: [(String, Bool)] = []  // (text, isWord)
            for c in cleaned {
                if c.isASCII && (c.isLetter || c == "'" || c == "-") {
                    word.append(c)
                } else {
                    if !word.isEmpty {
                        pieces.append((word, true))
                        word = ""
                    }
                    pieces.append((String(c), false))
                }
            }
            if !word.isEmpty { pieces.append((word, true)) }
            func flush() {
                if !current.isEmpty { runs.append(current.joined(separator: " ")) }
                current = []
            }
            for (piece, isWord) in pieces {
                if isWord {
                    let letters = piece.filter(\.isLetter)
                    let isCode =
                        letters.isEmpty || letters.allSatisfy(\.isUppercase) || piece.contains(where: \.isNumber)
                    if isCode || allowed.contains(piece)
                        || allowed.contains(piece.trimmingCharacters(in: CharacterSet(charactersIn: "-'")))
                    {
                        flush()
                    } else {
                        current.append(piece)
                    }
                } else if piece != " " {
                    flush()
                }
            }
            flush()
        }
        return runs
    }
}
