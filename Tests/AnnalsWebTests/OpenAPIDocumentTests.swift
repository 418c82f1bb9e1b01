import Foundation
import Testing

@testable import AnnalsWeb

/// The API description is one JSON document whose shared parts are referenced (`$ref`): every reference must
/// name a part that exists, or a client generated from it breaks.
struct OpenAPIDocumentTests {
    /// Every `$ref` value in `value`, depth first.
    static func references(in value: Any) -> [String] {
        switch value {
        case let object as [String: Any]:
            object.flatMap { key, inner in key == "$ref" ? [inner as? String ?? "?"] : references(in: inner) }
        case let array as [Any]: array.flatMap(references)
        default: []
        }
    }

    @Test func everyReferenceNamesAPartOfTheDocument() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any])
        let references = Self.references(in: document)
        #expect(references.contains("#/components/schemas/RecordAction"))
        for reference in references {
            #expect(reference.hasPrefix("#/"), "\(reference) is not a reference inside the document")
            var here: Any? = document
            for part in reference.dropFirst(2).split(separator: "/") {
                here = (here as? [String: Any])?[String(part)]
            }
            #expect(here != nil, "\(reference) names nothing in the document")
        }
    }
}
