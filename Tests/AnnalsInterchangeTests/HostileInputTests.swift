import AnnalsCuration
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

/// Hostile and broken files, given to every XML importer: each is refused with a clear error (file and,
/// where there is one, line), quickly, without reading anything outside the file, and the registry is
/// left exactly as it was.
@Suite(.serialized) struct HostileInputTests {
    let folder = TemporaryFolder()

    enum Importer: String, CaseIterable, Sendable {
        case registry, pubmed, endnote, cerif
    }

    /// A document whose body is `inner`, in the importer's own shape.
    static func document(_ importer: Importer, doctype: String = "", _ inner: String) -> String {
        switch importer {
        case .registry:
            return
                "<?xml version=\"1.0\"?>\n\(doctype)<registry xmlns=\"urn:annals:registry:1\" version=\"1\">\(inner)</registry>\n"
        case .pubmed:
            return
                "<?xml version=\"1.0\"?>\n\(doctype)<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>\(inner)</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n"
        case .endnote:
            return
                "<?xml version=\"1.0\"?>\n\(doctype)<xml><records><record><rec-number>1</rec-number><titles><title>\(inner)</title></titles></record></records></xml>\n"
        case .cerif:
            return
                "<?xml version=\"1.0\"?>\n\(doctype)<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords><record><metadata><Publication xmlns=\"https://www.openaire.eu/cerif-profile/1.2/\" id=\"Publications/1\"><Title>\(inner)</Title></Publication></metadata></record></ListRecords></OAI-PMH>\n"
        }
    }

    /// Imports `file` with `importer` into a registry holding the samples' vocabulary; returns the error's
    /// text, and checks that the registry did not change and that it took little time.
    func refusal(_ importer: Importer, _ file: URL, secret: String? = nil) throws -> String {
        let store = try folder.newRegistry()
        let before = try store.read { try $0.counts() }
        let start = Date()
        var message = ""
        do {
            switch importer {
            case .registry:
                let read = try RegistryImporter.read(file: file, displayName: file.lastPathComponent)
                _ = try store.write { try RegistryImporter.apply([read], to: $0) }
            case .pubmed, .endnote:
                _ = try store.write { tx in
                    var publications = try PublicationImporter(registry: tx)
                    if importer == .pubmed {
                        try publications.importPubMed(file: file, displayName: file.lastPathComponent)
                    } else {
                        try publications.importEndNote(file: file, displayName: file.lastPathComponent)
                    }
                    return publications.report
                }
            case .cerif:
                let read = try CerifImporter.read(file: file, displayName: file.lastPathComponent)
                _ = try store.write { try CerifImporter.apply(read, to: $0) }
            }
            Issue.record("\(importer) accepted \(file.lastPathComponent)")
        } catch {
            message = "\(error)"
        }
        #expect(Date().timeIntervalSince(start) < 10, "\(importer) took too long on \(file.lastPathComponent)")
        #expect(
            try store.read { try $0.counts() } == before,
            "\(importer) changed the registry for \(file.lastPathComponent)")
        #expect(message.contains(file.lastPathComponent), "the error names the file: \(message.prefix(200))")
        if let secret { #expect(!message.contains(secret), "the error must not show what a hostile entity pointed at") }
        return message
    }

    func write(_ name: String, _ text: String) -> URL { folder.write(name, text) }

    @Test(arguments: Importer.allCases)
    func externalEntityReadingALocalFile(_ importer: Importer) throws {
        let secret = write("secret.txt", "SECRET-PASSWORD-123")
        let file = write(
            "xxe-\(importer).xml",
            Self.document(
                importer, doctype: "<!DOCTYPE x [<!ENTITY leak SYSTEM \"file://\(secret.path)\">]>\n", "&leak;"))
        let message = try refusal(importer, file, secret: "SECRET-PASSWORD-123")
        #expect(message.contains("declares entities"))
    }

    @Test(arguments: Importer.allCases)
    func externalParameterEntity(_ importer: Importer) throws {
        let secret = write("secret.dtd", "<!ENTITY stolen \"SECRET-DTD-CONTENT\">")
        let file = write(
            "xpe-\(importer).xml",
            Self.document(
                importer, doctype: "<!DOCTYPE x [<!ENTITY % remote SYSTEM \"file://\(secret.path)\"> %remote;]>\n",
                "&stolen;"))
        _ = try refusal(importer, file, secret: "SECRET-DTD-CONTENT")
    }

    @Test(arguments: Importer.allCases)
    func entityExpansionBombs(_ importer: Importer) throws {
        var laughs = "<!ENTITY a0 \"lol\">"
        for i in 1...12 { laughs += "<!ENTITY a\(i) \"" + String(repeating: "&a\(i - 1);", count: 10) + "\">" }
        _ = try refusal(
            importer,
            write("laughs-\(importer).xml", Self.document(importer, doctype: "<!DOCTYPE x [\(laughs)]>\n", "&a12;")))
        let big = String(repeating: "x", count: 50_000)
        let quadratic = Self.document(
            importer, doctype: "<!DOCTYPE x [<!ENTITY q \"\(big)\">]>\n", String(repeating: "&q;", count: 20_000))
        _ = try refusal(importer, write("quadratic-\(importer).xml", quadratic))
    }

    @Test(arguments: Importer.allCases)
    func xIncludeIsNeverFollowed(_ importer: Importer) throws {
        let secret = write("included.txt", "INCLUDED-SECRET")
        let xml = Self.document(
            importer,
            "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file://\(secret.path)\" parse=\"text\"/>")
        let file = write("xinclude-\(importer).xml", xml)
        if importer == .registry || importer == .cerif {
            // Registry: not in the schema. CERIF: not a CERIF element. Refused either way.
            _ = try refusal(importer, file, secret: "INCLUDED-SECRET")
            return
        }
        // Elsewhere the element is only an unknown element: the file imports, and nothing was included.
        let store = try folder.newRegistry()
        let (titles, report) = try store.write { tx -> ([String], PublicationImportReport) in
            var publications = try PublicationImporter(registry: tx)
            if importer == .pubmed {
                try publications.importPubMed(file: file, displayName: file.lastPathComponent)
            } else {
                try publications.importEndNote(file: file, displayName: file.lastPathComponent)
            }
            return (try tx.content().publications.map(\.title.markup), publications.report)
        }
        #expect(titles.allSatisfy { !$0.contains("INCLUDED-SECRET") })
        #expect(!report.description.contains("INCLUDED-SECRET"))
        if importer == .endnote {
            // The title is then empty: the record cannot be a paper, so it is left out and listed, not included.
            #expect(titles.isEmpty && report.skipped.count == 1 && report.skipped[0].contains("has no title"))
            #expect(try store.read { try $0.skippedRecords() }.allSatisfy { !$0.reason.contains("INCLUDED-SECRET") })
        }
    }

    @Test(arguments: Importer.allCases)
    func deepNestingHasALimit(_ importer: Importer) throws {
        let deep = String(repeating: "<b>", count: 5000) + String(repeating: "</b>", count: 5000)
        let message = try refusal(importer, write("deep-\(importer).xml", Self.document(importer, deep)))
        #expect(message.lowercased().contains("depth"))
    }

    @Test(arguments: Importer.allCases)
    func hugeTextNodesAndAttributesHaveLimits(_ importer: Importer) throws {
        let huge = String(repeating: "a", count: 11_000_000)
        _ = try refusal(importer, write("huge-text-\(importer).xml", Self.document(importer, huge)))
        let attribute = Self.document(importer, "<i title=\"\(huge)\">x</i>")
        _ = try refusal(importer, write("huge-attribute-\(importer).xml", attribute))
    }

    @Test(arguments: Importer.allCases)
    func invalidUTF8AndNULBytes(_ importer: Importer) throws {
        var bytes = Data(Self.document(importer, "caf\u{E9}").utf8)
        let e = bytes.firstIndex(of: 0xC3)!
        bytes.replaceSubrange(e...e + 1, with: [0xFF, 0xFE])
        let invalid = folder.url.appendingPathComponent("invalid-utf8-\(importer).xml")
        try bytes.write(to: invalid)
        let message = try refusal(importer, invalid)
        #expect(message.contains(":2:"), "the line of the bad bytes: \(message.prefix(200))")

        var nul = Data(Self.document(importer, "before after").utf8)
        nul[nul.firstRange(of: Data("after".utf8))!.lowerBound] = 0
        let withNUL = folder.url.appendingPathComponent("nul-\(importer).xml")
        try nul.write(to: withNUL)
        _ = try refusal(importer, withNUL)
    }

    @Test(arguments: Importer.allCases)
    func emptyFilesFoldersAndGarbage(_ importer: Importer) throws {
        _ = try refusal(importer, write("empty-\(importer).xml", ""))
        let garbage = folder.url.appendingPathComponent("garbage-\(importer).xml.gz")
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x01, 0x02]).write(to: garbage)
        _ = try refusal(importer, garbage)
        let directory = folder.url.appendingPathComponent("a-folder-\(importer).xml")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let message = try refusal(importer, directory)
        #expect(message.contains("folder"))
    }

    @Test(arguments: Importer.allCases)
    func utf16AndByteOrderMarksAreReadAsTheXMLStandardSays(_ importer: Importer) throws {
        // Not hostile: UTF-16 and a UTF-8 BOM are well-formed XML, so they are read, not refused.
        let text = Self.document(importer, "").replacingOccurrences(
            of: "<?xml version=\"1.0\"?>", with: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>")
        var utf16 = Data([0xFF, 0xFE])
        utf16.append(text.data(using: .utf16LittleEndian)!)
        let file = folder.url.appendingPathComponent("utf16-\(importer).xml")
        try utf16.write(to: file)
        #expect(try XMLStreamReader.rootElementName(of: file) != nil)
        let bom = folder.url.appendingPathComponent("bom-\(importer).xml")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(Self.document(importer, "").utf8)).write(to: bom)
        #expect(try XMLStreamReader.rootElementName(of: bom) != nil)
    }
}
