import AnnalsDiagnostics
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

@Suite(.serialized) struct XMLSchemaTests {
    let folder = TemporaryFolder()

    var schema: XMLSchema {
        get throws {
            let xsd = folder.write(
                "s.xsd",
                """
                <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
                  <xs:element name="set">
                    <xs:complexType><xs:sequence>
                      <xs:element name="item" maxOccurs="unbounded">
                        <xs:complexType><xs:attribute name="n" type="xs:int" use="required"/></xs:complexType>
                      </xs:element>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                </xs:schema>
                """)
            return try XMLSchema(contentsOf: xsd)
        }
    }

    @Test func validDocumentHasNoProblems() throws {
        let file = folder.write("ok.xml", "<set><item n=\"1\"/></set>")
        #expect(try schema.validate(file: file).isEmpty)
    }

    @Test func everyInvalidElementIsReportedWithLineAndColumn() throws {
        let file = folder.write("bad.xml", "<set>\n  <item n=\"x\"/>\n  <item/>\n</set>\n")
        let problems = try schema.validate(file: file, displayName: "bad.xml")
        #expect(problems.count == 2)
        #expect(problems.map(\.line) == [2, 3])
        #expect(problems.map(\.column) == [3, 3])
        #expect(problems[0].description.hasPrefix("bad.xml:2:3: error: Element 'item'"))
        #expect(problems.allSatisfy { !$0.message.hasSuffix("\n") })
    }

    @Test func brokenSchemaIsRefused() throws {
        let xsd = folder.write(
            "broken.xsd", "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element/></xs:schema>")
        #expect(throws: DiagnosticError.self) { try XMLSchema(contentsOf: xsd) }
    }

    @Test func oneCompiledSchemaValidatesFromManyThreads() async throws {
        let schema = try schema
        let good = folder.write("good.xml", "<set><item n=\"1\"/></set>")
        let bad = folder.write("bad2.xml", "<set><item/></set>")
        let results = await withTaskGroup(of: Int.self) { group in
            for i in 0..<64 {
                group.addTask { schema.validate(file: i % 2 == 0 ? good : bad).count }
            }
            var counts: [Int] = []
            for await count in group { counts.append(count) }
            return counts
        }
        #expect(results.filter { $0 == 0 }.count == 32)
        #expect(results.filter { $0 == 1 }.count == 32)
    }
}

@Suite(.serialized) struct XMLStreamWriterTests {
    func write(_ body: (XMLStreamWriter) throws -> Void) throws -> String {
        var bytes: [UInt8] = []
        let writer = try XMLStreamWriter { bytes.append(contentsOf: $0) }
        try writer.startDocument()
        try body(writer)
        try writer.endDocument()
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func writesIndentedEscapedUTF8() throws {
        let xml = try write { w in
            try w.startElement("set")
            try w.defaultNamespace("urn:x")
            try w.element("name", "Gao & <高志刚>", attributes: ["kind": "a\"b", "skip": nil])
            try w.element("empty", nil)
            try w.endElement()
        }
        #expect(
            xml == """
                <?xml version="1.0" encoding="UTF-8"?>
                <set xmlns="urn:x">
                  <name kind="a&quot;b">Gao &amp; &lt;高志刚&gt;</name>
                </set>

                """)
    }

    @Test func rawMarkupStaysInlineAndReadsBackTheSame() throws {
        let markup = #"Variants at the <i>TERT</i> gene <sup>18</sup>F"#
        let xml = try write { w in
            try w.startElement("set")
            try w.startElement("title")
            try w.raw(markup)
            try w.endElement()
            try w.endElement()
        }
        #expect(xml.contains("<title>\(markup)</title>"))
        let folder = TemporaryFolder()
        let file = folder.write("t.xml", xml)
        var read: [String] = []
        try XMLStreamReader.read(file: file) { read.append($0.innerMarkup) }
        #expect(read == [markup])
    }

    @Test func sinkFailureIsReported() throws {
        struct DiskFull: Error {}
        let writer = try XMLStreamWriter { _ in throw DiskFull() }
        try writer.startDocument()
        try writer.startElement("a")
        #expect(throws: DiskFull.self) { try writer.endDocument() }
    }
}
