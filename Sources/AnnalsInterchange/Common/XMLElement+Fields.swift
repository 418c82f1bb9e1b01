import AnnalsModel
import AnnalsXML

extension XMLElement {
    /// The content as inline markup for a title or an abstract: only the allowed elements
    /// (``InlineMarkup``), the rest as text.
    var inlineMarkup: String { InlineMarkup.sanitized(innerMarkup) }

    /// The trimmed texts of every child with this name.
    func texts(_ name: String) -> [String] {
        children(name).map { $0.text.trimmingXMLWhitespace() }.filter { !$0.isEmpty }
    }

    /// The `ref` attribute of every child with this name.
    func refs(_ name: String) -> [String] {
        children(name).compactMap { $0[attribute: "ref"] }
    }

    func contributors(_ name: String) -> [Contributor] {
        children(name).map { Contributor(name: $0.text.trimmingXMLWhitespace(), personID: $0[attribute: "person"]) }
    }
}
