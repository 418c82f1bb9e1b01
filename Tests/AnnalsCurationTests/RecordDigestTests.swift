import Testing

@testable import AnnalsCuration

/// The digest that import keys are made of tells apart texts that differ anywhere, and how the texts are cut.
@Suite struct RecordDigestTests {
    @Test func differentTextsHaveDifferentDigests() {
        let base = String(repeating: "{\"title\":\"A paper\",\"year\":2021}", count: 40)
        var digests: Set<String> = [RecordDigest.hex(of: base)]
        // One byte changed at every place (in the 8-byte words and in the tail), one byte more, one less.
        let bytes = Array(base.utf8)
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 0x01
            digests.insert(RecordDigest.hex(of: String(decoding: changed, as: UTF8.self)))
        }
        digests.insert(RecordDigest.hex(of: base + "\u{0}"))
        digests.insert(RecordDigest.hex(of: String(base.dropLast())))
        #expect(digests.count == bytes.count + 3)
        #expect(RecordDigest.hex(of: base) == RecordDigest.hex(of: base))
        #expect(RecordDigest.hex(of: base).count == 32)
    }

    @Test func whereTextsAreCutCounts() {
        let cuts = [RecordDigest.hex(of: "ab", "c"), RecordDigest.hex(of: "a", "bc"), RecordDigest.hex(of: "abc")]
        #expect(Set(cuts).count == 3)
    }
}
