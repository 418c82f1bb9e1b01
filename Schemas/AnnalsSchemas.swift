public import Foundation

/// The XML schemas Annals ships.
public enum AnnalsSchemas {
    /// `annals-registry.xsd`: the registry interchange format (namespace `urn:annals:registry:1`).
    public static var registry: URL {
        if let url = Bundle.module.url(forResource: "annals-registry", withExtension: "xsd") {
            return url
        }
        // A build that lost its resource bundle still finds the schema beside this source file.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("annals-registry.xsd")
    }
}
