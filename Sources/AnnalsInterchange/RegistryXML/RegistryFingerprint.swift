public import AnnalsModel
import AnnalsXML

extension RegistryExporter {
    /// The SHA-256 (hex) of the registry's export: the same for the same records, different as soon as one
    /// record is added, changed or removed. `annals demo` uses it to know that a registry is still exactly the
    /// one it built.
    public static func fingerprint(of registry: some RegistryReading) throws -> String {
        var digest = SHA256()
        try export(registry) { bytes in digest.update(bytes) }
        return digest.finalize()
    }
}
