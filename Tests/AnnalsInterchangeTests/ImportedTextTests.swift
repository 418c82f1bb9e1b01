import AnnalsInterchange
import AnnalsModel
import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

/// What imported text can do: markup is an allow-list from import onwards and text in every output;
/// what an import accepts survives the registry XML round trip byte for byte, and what it cannot keep
/// is refused with its place.
@Suite(.serialized) struct ImportedTextTests {
    let folder = TemporaryFolder()

    static let mathML = "http://www.w3.org/1998/Math/MathML"

    /// Real payloads (OWASP's XSS filter evasion cheat sheet, MathML and SVG tricks), each as it would
    /// stand inside a title read from XML, and the markup that is kept.
    static let payloads: [(String, String)] = [
        ("<script>alert(1)</script>Neuroblastoma", "alert(1)Neuroblastoma"),
        ("A <img src=\"x\" onerror=\"alert(document.cookie)\"/>study", "A study"),
        ("<a href=\"javascript:alert(1)\">click</a> here", "click here"),
        ("<iframe src=\"javascript:alert(1)\"></iframe>Title", "Title"),
        ("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>x", "alert(2)x"),
        ("<style>body{background:url(javascript:alert(1))}</style>T", "body{background:url(javascript:alert(1))}T"),
        ("<i onclick=\"alert(1)\" style=\"x\">TERT</i> promoter", "<i>TERT</i> promoter"),
        (
            "H<sub>2</sub>O and CO<sup>2+</sup>, <b>bold</b>, <u>u</u>, <sc>sc</sc>",
            "H<sub>2</sub>O and CO<sup>2+</sup>, <b>bold</b>, <u>u</u>, <sc>sc</sc>"
        ),
        ("<I>upper</I><SCRIPT>x</SCRIPT>", "<i>upper</i>x"),
        (
            "<em>a</em><strong>b</strong> <italic>c</italic><bold>d</bold><underline>e</underline>",
            "<i>a</i><b>b</b> <i>c</i><b>d</b><u>e</u>"
        ),
        ("<span><i>kept inside a dropped span</i></span>", "<i>kept inside a dropped span</i>"),
        (
            "<mml:math xmlns:mml=\"\(mathML)\"><mml:mi mathvariant=\"bold\" href=\"javascript:alert(1)\" onmouseover=\"alert(1)\">x</mml:mi><mml:mo stretchy=\"false\">=</mml:mo></mml:math>",
            "<mml:math xmlns:mml=\"\(mathML)\"><mml:mi mathvariant=\"bold\">x</mml:mi><mml:mo stretchy=\"false\">=</mml:mo></mml:math>"
        ),
        (
            "<math xmlns=\"\(mathML)\"><mtext><img src=\"x\" onerror=\"alert(1)\"/>t</mtext><mglyph src=\"javascript:alert(1)\"/></math>",
            "<math xmlns=\"\(mathML)\"><mtext>t</mtext></math>"
        ),
        (
            "<math xmlns=\"\(mathML)\"><semantics><mi>x</mi><annotation-xml encoding=\"text/html\"><script>alert(1)</script></annotation-xml></semantics></math>",
            "<math xmlns=\"\(mathML)\"><semantics><mi>x</mi><annotation-xml>alert(1)</annotation-xml></semantics></math>"
        ),
        (
            "<math xmlns=\"\(mathML)\"><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><mi>x</mi></maction><mi mathcolor=\"url(javascript:alert(1))\">y</mi></math>",
            "<math xmlns=\"\(mathML)\"><mi>x</mi><mi>y</mi></math>"
        ),
        // A MathML element whose prefix was declared on a dropped element gets its own declaration.
        (
            "<span xmlns:m=\"\(mathML)\"><m:math><m:mi>x</m:mi></m:math></span>",
            "<m:math xmlns:m=\"\(mathML)\"><m:mi>x</m:mi></m:math>"
        ),
        (
            "5 &lt; 6 &amp; &lt;script&gt;alert(1)&lt;/script&gt;",
            "5 &lt; 6 &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
        ),
        ("line\rbreak <i>x</i>", "line&#13;break <i>x</i>"),
        ("<i></i><b/>empty", "<i/><b/>empty"),
        ("<!-- a comment --><?pi x?>text", "text"),
        ("a < b", "a &lt; b"),
    ]

    @Test func onlyAllowedInlineMarkupIsKept() {
        for (markup, expected) in Self.payloads {
            let kept = InlineMarkup.sanitized(markup)
            #expect(kept == expected, "\(markup)")
            // Sanitising what was sanitised changes nothing.
            #expect(InlineMarkup.sanitized(kept) == kept)
            // The plain text (and so the keys that find a paper again) does not change.
            #expect(MarkupText(markup: kept).plain == MarkupText(markup: markup).plain, "\(markup)")
            #expect(!kept.lowercased().contains("<script"))
            #expect(
                !kept.contains("href") && !kept.contains("src=") && !kept.contains("onerror")
                    && !kept.contains("style="))
        }
        // A title without markup is not copied or changed.
        let plain = "Robotic-assisted excision of choledochal cysts in 80 children"
        #expect(InlineMarkup.sanitized(plain) == plain)
    }

    /// The same markup, whatever XML reader builds it: through the tree reader and innerMarkup.
    @Test func sanitisedMarkupIsWhatTheXMLReaderGivesBack() throws {
        for (markup, expected) in Self.payloads where !markup.contains("\r") && !markup.hasPrefix("a <") {
            let file = folder.write("t.xml", "<r><t>\(expected)</t></r>")
            var inner: String?
            try XMLStreamReader.read(file: file, displayName: "t.xml", recordDepth: 1) { inner = $0.innerMarkup }
            #expect(inner == expected, "\(markup)")
        }
    }

    func export(_ store: RegistryStore) throws -> Data {
        var data = Data()
        try store.read { try RegistryExporter.export($0) { data.append(contentsOf: $0) } }
        return data
    }

    /// Exports `store`, imports the export into an empty registry, exports that: the two are identical.
    @discardableResult
    func roundTrip(_ store: RegistryStore) throws -> (Data, RegistryStore) {
        let first = try export(store)
        let file = folder.url.appendingPathComponent("export-\(UUID().uuidString).xml")
        try first.write(to: file)
        let second = try folder.newRegistry()
        let read = try RegistryImporter.read(file: file, displayName: file.lastPathComponent)
        _ = try second.write { try RegistryImporter.apply([read], to: $0) }
        #expect(try export(second) == first, "export → import → export must give the same bytes")
        return (first, second)
    }

    @Test func hostileTitlesFromRegistryXMLAreTextInTheRegistryAndInEveryOutput() throws {
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        var sample = try String(contentsOf: Fixtures.sampleRegistry, encoding: .utf8)
        let hostile =
            "Illustrative SCI paper 1 of General Surgery<script>alert(1)</script><img src=\"x\" onerror=\"alert(2)\"/><iframe src=\"javascript:alert(3)\"/><i onclick=\"alert(4)\">ok</i>"
        sample = sample.replacingOccurrences(
            of: "<title>Illustrative SCI paper 1 of General Surgery</title>", with: "<title>\(hostile)</title>")
        let file = folder.write("hostile.xml", sample)
        let read = try RegistryImporter.read(file: file, displayName: "hostile.xml")
        _ = try store.write { try RegistryImporter.apply([read], to: $0) }
        var stored: Publication?
        try store.read { try $0.forEachPublication { if $0.id == "pub-gs-sci-001" { stored = $0 } } }
        #expect(stored?.title.markup == "Illustrative SCI paper 1 of General Surgeryalert(1)<i>ok</i>")

        // A registry holding such markup from before (written straight into it) exports it sanitised.
        try store.write { tx in
            var p = try #require(stored)
            p.title = MarkupText(markup: hostile)
            p.abstract = MarkupText(
                markup: "<b>Background:</b> <a href=\"javascript:alert(1)\">x</a><script>alert(5)</script>")
            try tx.upsert(p)
        }
        let (exported, _) = try roundTrip(store)
        let text = String(decoding: exported, as: UTF8.self)
        for needle in ["<script", "onerror", "onclick", "<iframe", "<img", "javascript:", "<a "] {
            #expect(!text.contains(needle), "the export holds \(needle)")
        }
        #expect(text.contains("<title>Illustrative SCI paper 1 of General Surgeryalert(1)<i>ok</i></title>"))
    }

    @Test func hostileTitlesFromPubMedAreSanitisedAtImport() throws {
        let store = try folder.newRegistry()
        let title =
            "Neuroblastoma <i onmouseover=\"alert(1)\">MYCN</i><script>alert(2)</script><img src=\"x\" onerror=\"alert(3)\"/> <mml:math xmlns:mml=\"\(Self.mathML)\"><mml:mi href=\"javascript:alert(4)\">x</mml:mi></mml:math>&#13;end"
        let file = folder.write(
            "pubmed.xml",
            "<?xml version=\"1.0\"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>424242</PMID><Article><Journal><Title>J</Title></Journal><ArticleTitle>\(title)</ArticleTitle><Abstract><AbstractText Label=\"&lt;script&gt;\">Text<iframe src=\"javascript:alert(5)\"></iframe></AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n"
        )
        _ = try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(file: file, displayName: "pubmed.xml")
            return importer.report
        }
        var found: Publication?
        try store.read { try $0.forEachPublication { if $0.id == "pmid-424242" { found = $0 } } }
        let paper = try #require(found)
        #expect(
            paper.title.markup
                == "Neuroblastoma <i>MYCN</i>alert(2) <mml:math xmlns:mml=\"\(Self.mathML)\"><mml:mi>x</mml:mi></mml:math>&#13;end"
        )
        #expect(paper.abstract?.markup == "<b>&lt;script&gt;:</b> Text")
        try roundTrip(store)
    }

    @Test func markdownReportAndProfileKeepImportedMarkupAsText() throws {
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let payload =
            "<script>alert(1)</script><img src=x onerror=alert(2)>[click](javascript:alert(3))<iframe src=\"javascript:alert(4)\"></iframe>"
        try store.write { tx in
            var stored: Publication?
            try tx.forEachPublication { if $0.id == "pub-gs-sci-001" { stored = $0 } }
            var p = try #require(stored)
            p.title = MarkupText(plain: "Paper " + payload)
            try tx.upsert(p)
            var unit = try #require(try tx.orgUnits().first { $0.id == "general-surgery" })
            unit.name = "General Surgery " + payload
            unit.equipment.append(payload)
            try tx.upsert(unit)
        }
        let content = try store.read { try $0.content() }
        let report = try store.read {
            try AnnualReportBuilder.build(
                from: $0, year: 2022, department: "general-surgery", generatedOn: "2026-01-01")
        }
        let markdown = ReportRenderer.markdown(report)
        let profile = try DepartmentProfile.text(department: "general-surgery", in: content, language: .en)
        for (name, text) in [("report", markdown), ("profile", profile)] {
            #expect(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(name)")
            for live in ["<script", "<img", "<iframe", "[click](javascript:"] {
                #expect(!text.contains(live), "the Markdown \(name) holds \(live)")
            }
        }
        // Escaped text reads back as the text itself in a Markdown tool's rules.
        #expect(
            MarkdownText.escaped("R&D *p* < 0.05 [a](b) &amp; \\") == "R&D \\*p\\* &lt; 0.05 \\[a\\](b) &amp;amp; \\\\")
    }

    // MARK: - Text an import accepts, and what it refuses (13.8)

    func importTallies(_ store: RegistryStore, _ csv: String) throws -> ImportReport {
        let file = folder.write("tallies.csv", csv)
        return try store.write { tx in
            let rows = try TallyImporter.read(file: file, displayName: "tallies.csv", registry: tx)
            return try TallyImporter.apply(rows, file: "tallies.csv", to: tx)
        }
    }

    static let header = "procedure,approach,department,campus,surgeon,from,to,count,source,note\n"

    @Test(arguments: [
        ("\u{01}", "U+0001"), ("\u{1B}[31m", "ESC"), ("\u{00}", "NUL"), ("\u{0B}", "U+000B"), ("\u{FFFF}", "U+FFFF"),
    ])
    func controlCharactersAreRefusedWithTheirPlace(_ character: String, _ named: String) throws {
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let before = try export(store)
        let csv =
            Self.header
            + "choledochal cyst excision,open,general-surgery,,,1990,1990,3,log,\"before\(character)after\"\n"
        #expect {
            try importTallies(store, csv)
        } throws: { error in
            let text = "\(error)"
            return text.contains("tallies.csv:2:73:") && text.contains(named)
        }
        #expect(try export(store) == before)
    }

    @Test func aFieldLongerThanTheExportCanCarryIsRefused() throws {
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let note = String(repeating: "x", count: ImportedText.maximumBytes + 1)
        let csv = Self.header + "choledochal cyst excision,open,general-surgery,,,1990,1990,3,log,\(note)\n"
        #expect {
            try importTallies(store, csv)
        } throws: { error in
            "\(error)".contains("tallies.csv:2:66:") && "\(error)".contains("1 MB")
        }
    }

    /// The longest field accepted, with characters the export must escape (`&` is written `&amp;`), comes
    /// back whole.
    @Test func theLongestFieldAcceptedSurvivesTheRoundTrip() throws {
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let piece = String(repeating: "x", count: 999) + "&"
        let note =
            String(
                String(repeating: piece, count: ImportedText.maximumBytes / piece.utf8.count + 1).prefix(
                    ImportedText.maximumBytes - 1)) + "y"
        let csv = Self.header + "choledochal cyst excision,open,general-surgery,,,1990,1990,3,log,\(note)\n"
        _ = try importTallies(store, csv)
        let (_, second) = try roundTrip(store)
        var again: CaseTally?
        try second.read { try $0.forEachTally { if $0.from == PartialDate(year: 1990) { again = $0 } } }
        #expect(again?.note?.utf8.count == ImportedText.maximumBytes)
        #expect(again?.note == note)
    }

    @Test func whatAnImportAcceptsSurvivesTheRoundTripByteForByte() throws {
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        // Carriage returns, tabs, line breaks, markup characters, C1 controls, no-break and ideographic
        // spaces, characters outside the BMP: all accepted, all kept.
        let note = "a\r\nb\rc\td &amp; <i>x</i> > \u{85}\u{9F}\u{A0}\u{3000}\u{1F600} \u{7F}end"
        let csv =
            Self.header + "choledochal cyst excision,open,general-surgery,,,1990,1990,3,\"src\rline\",\"\(note)\"\n"
        _ = try importTallies(store, csv)
        var stored: CaseTally?
        try store.read { try $0.forEachTally { if $0.from == PartialDate(year: 1990) { stored = $0 } } }
        #expect(stored?.note == note)
        #expect(stored?.source == "src\rline")
        let (_, second) = try roundTrip(store)
        var again: CaseTally?
        try second.read { try $0.forEachTally { if $0.from == PartialDate(year: 1990) { again = $0 } } }
        #expect(again?.note == note)
        #expect(again?.source == "src\rline")
    }

    @Test func aCarriageReturnInTitleMarkupSurvivesExportAndImport() throws {
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let sample = try String(contentsOf: Fixtures.sampleRegistry, encoding: .utf8).replacingOccurrences(
            of: "<title>Illustrative SCI paper 1 of General Surgery</title>",
            with: "<title>Illustrative&#13;SCI <i>paper</i>&#13;1</title>")
        let file = folder.write("cr.xml", sample)
        let read = try RegistryImporter.read(file: file, displayName: "cr.xml")
        _ = try store.write { try RegistryImporter.apply([read], to: $0) }
        let (_, second) = try roundTrip(store)
        var paper: Publication?
        try second.read { try $0.forEachPublication { if $0.id == "pub-gs-sci-001" { paper = $0 } } }
        #expect(paper?.title.markup == "Illustrative&#13;SCI <i>paper</i>&#13;1")
    }
}
