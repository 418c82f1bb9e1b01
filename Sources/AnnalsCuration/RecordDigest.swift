/// A fast 128-bit digest of text (two independent 64-bit lanes), for recognising a record read again
/// unchanged. Not for secrets: `SHA256` is for those.
struct RecordDigest {
    private var first: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var second: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var length: UInt64 = 0

    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63

    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { x << n | x >> (64 - n) }

    private mutating func mix(_ word: UInt64) {
        first = Self.rotl(first &+ word &* Self.p2, 31) &* Self.p1
        second = Self.rotl(second ^ (word &* Self.p3), 27) &* Self.p4 &+ 0x27D4_EB2F_1656_67C5
    }

    mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index + 8 <= bytes.count {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(bytes[index + k]) << (UInt64(k) * 8) }
                mix(word)
                index += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            // The tail's length goes in with it, so "a" and "a\0" differ.
            mix(tail ^ (UInt64(bytes.count % 8) << 56))
        }
        length &+= UInt64(text.utf8.count)
        mix(0xFF ^ length)  // ends the text: ("ab", "c") and ("a", "bc") differ
    }

    private static func avalanche(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h &*= p2
        h ^= h >> 29
        h &*= p3
        h ^= h >> 32
        return h
    }

    /// The digest as 32 hex digits.
    func finalize() -> String {
        [Self.avalanche(first ^ length), Self.avalanche(second &+ length)].map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static func hex(of texts: String...) -> String {
        var digest = RecordDigest()
        for text in texts { digest.update(text) }
        return digest.finalize()
    }
}
