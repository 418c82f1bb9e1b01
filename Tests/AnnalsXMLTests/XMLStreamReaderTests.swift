import AnnalsDiagnostics
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

/// libxml2's error handler is per thread: suites that drive it run serialized.
@Suite(.serialized) struct XMLStreamReaderTests {
    let folder = TemporaryFolder()

    func records(_ xml: String, depth: Int = 1) throws -> [XMLElement] {
        let file = folder.write("doc.xml", xml)
        var result: [XMLElement] = []
        try XMLStreamReader.read(file: file, displayName: "doc.xml", recordDepth: depth) { result.append($0) }
        return result
    }

    func failure(_ xml: String, name: String = "bad.xml") throws -> [Diagnostic] {
        let file = folder.write(name, xml)
        let error = try #require(throws: DiagnosticError.self) {
            try XMLStreamReader.read(file: file, displayName: name) { _ in }
        }
        return error.diagnostics
    }

    @Test func handsOverEachRecordWithAttributesTextAndLine() throws {
        let xml = """
            <set xmlns="urn:x">
              <item id="a" n="1"><name>First</name></item>
              <item id="b"/>
            </set>
            """
        let items = try records(xml)
        #expect(items.map(\.name) == ["item", "item"])
        #expect(items[0][attribute: "id"] == "a")
        #expect(items[0].childText("name") == "First")
        #expect(items[0].namespaceURI == "urn:x")
        #expect(items.map(\.line) == [2, 3])
        #expect(items[1].children.isEmpty)
    }

    @Test func keepsInlineMarkupAndNamespacesLosslessly() throws {
        let xml = """
            <set><t>Variants at the <i>TERT</i> gene <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>x</mml:mi></mml:math> &amp; more</t></set>
            """
        let title = try #require(records(xml).first)
        #expect(
            title.innerMarkup
                == #"Variants at the <i>TERT</i> gene <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>x</mml:mi></mml:math> &amp; more"#
        )
        #expect(title.text == "Variants at the TERT gene x & more")
    }

    @Test func malformedFileIsRefusedWithLineAndColumn() throws {
        let diagnostics = try failure("<set>\n  <item>\n</set>\n")
        let first = try #require(diagnostics.first)
        #expect(first.file == "bad.xml")
        #expect(first.line == 3)
        #expect(first.column > 0)
        #expect(first.description.hasPrefix("bad.xml:3:"))
        #expect(first.description.contains(": error: "))
    }

    @Test func entityDeclarationIsRefusedWhereItIsDeclared() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE set [
              <!ENTITY who "Gao Zhigang">
            ]>
            <set><item>&who;</item></set>
            """
        let first = try #require(try failure(xml).first)
        #expect(first.line == 3)
        #expect(first.column == 3)
        #expect(first.message.contains("declares entities"))
    }

    @Test func externalEntityIsNeverRead() throws {
        let secret = folder.write("secret.txt", "TOP-SECRET-CONTENT")
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE set [ <!ENTITY leak SYSTEM "file://\(secret.path)"> ]>
            <set><item>&leak;</item></set>
            """
        let file = folder.write("xxe.xml", xml)
        var seen = ""
        let error = try #require(throws: DiagnosticError.self) {
            try XMLStreamReader.read(file: file, displayName: "xxe.xml") { seen += $0.text }
        }
        #expect(!seen.contains("TOP-SECRET"))
        #expect(error.diagnostics.contains { $0.message.contains("entities") })
    }

    @Test func entityExpansionBombIsRefusedQuickly() throws {
        var lines = ["<?xml version=\"1.0\"?>", "<!DOCTYPE lolz [", "<!ENTITY lol \"lol\">"]
        for i in 1...9 {
            lines.append(
                "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">")
        }
        lines.append("]>")
        lines.append("<lolz><a>&lol9;</a></lolz>")
        let start = Date()
        let diagnostics = try failure(lines.joined(separator: "\n"))
        #expect(!diagnostics.isEmpty)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func doctypeNamingANetworkDTDIsReadWithoutFetchingIt() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
            <PubmedArticleSet><PubmedArticle><PMID>1</PMID></PubmedArticle></PubmedArticleSet>
            """
        let items = try records(xml)
        #expect(items.first?.childText("PMID") == "1")
    }

    @Test func missingFileAndFolderGetPlainWords() throws {
        let missing = try #require(throws: DiagnosticError.self) {
            try XMLStreamReader.read(file: folder.url.appendingPathComponent("nope.xml"), displayName: "nope.xml") {
                _ in
            }
        }
        #expect(missing.description == "nope.xml: error: no such file. Check the path and try again.")
        let directory = try #require(throws: DiagnosticError.self) {
            try XMLStreamReader.read(file: folder.url, displayName: "folder") { _ in }
        }
        #expect(directory.description.contains("is a folder"))
    }

    @Test func emptyFileIsRefused() throws {
        let diagnostics = try failure("", name: "empty.xml")
        #expect(diagnostics.first?.file == "empty.xml")
    }

    @Test func errorThrownByTheRecordHandlerStopsTheRead() throws {
        struct Stop: Error {}
        let file = folder.write("three.xml", "<s><a/><a/><a/></s>")
        var seen = 0
        #expect(throws: Stop.self) {
            try XMLStreamReader.read(file: file) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }
}
