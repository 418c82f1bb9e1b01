/// A value whose JSON is its text: encoded as `description`, decoded with `init?(_:)`, and refused with what it
/// should have been when the text is not one (`textKind`). Dates, days and exact decimals are kept so.
public protocol TextCoded: Codable, CustomStringConvertible {
    init?(_ text: String)
    /// What the text should be, for the error: "a date", "a day (YYYY-MM-DD)", "a number".
    static var textKind: String { get }
}

extension TextCoded {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not \(Self.textKind): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
