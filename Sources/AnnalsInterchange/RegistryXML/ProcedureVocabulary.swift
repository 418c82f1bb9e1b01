public import AnnalsModel
public import Foundation

/// The procedure vocabulary that ships with Annals (`Resources/procedures.xml`, registry format).
///
/// Installed into every registry Annals creates; `install` adds only the procedures a registry does
/// not have yet, so a user's own edits and additions are never overwritten.
public enum ProcedureVocabulary {
    /// The file, inside Annals' resources.
    public static var url: URL {
        Bundle.module.url(forResource: "procedures", withExtension: "xml")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "Resources/procedures.xml")
    }

    /// The built-in procedures, read and checked against the registry schema.
    public static func builtIn() throws -> [Procedure] {
        try RegistryImporter.read(file: url, displayName: "procedures.xml (built in)").content.procedures
    }

    /// Adds the built-in procedures the registry lacks; returns how many were added.
    @discardableResult
    public static func install(into registry: some RegistryWriting) throws -> Int {
        let procedures = try builtIn()
        let present = try registry.existing(.procedure, among: Set(procedures.map(\.id)))
        var added = 0
        for procedure in procedures where !present.contains(procedure.id) {
            try registry.upsert(procedure)
            added += 1
        }
        return added
    }
}
