import AnnalsXML
import Testing

@Suite struct TrimmingTests {
    @Test(arguments: [
        ("  \t\nabc é \r\n", "abc é"), ("\u{A0}x\u{A0}", "\u{A0}x\u{A0}"), ("", ""), (" \r\n\t ", ""), ("x", "x"),
        ("\r\n中文\r\n", "中文"), ("a b", "a b"),
    ])
    func onlyXMLWhitespaceIsTrimmed(_ text: String, _ trimmed: String) {
        #expect(text.trimmingXMLWhitespace() == trimmed)
    }
}
