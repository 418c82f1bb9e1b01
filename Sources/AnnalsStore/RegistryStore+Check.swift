import Foundation
internal import GRDB

extension RegistryStore {
    /// How many of this Annals' migrations the SQLite registry at `path` lacks (0: up to date), found by reading
    /// only: nothing is migrated, locked or written. Throws what opening it would: no file, not a registry, a
    /// registry of a newer Annals, no permission to read. For `annals serve --check`.
    public static func pendingMigrations(sqlite path: String) throws(StoreError) -> Int {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw StoreError(.missing, SQLiteBackend.missingMessage(path))
        }
        guard !isFolder.boolValue else {
            throw StoreError(.notARegistry, "\(path) is a folder; name a registry file such as \(path)/annals.sqlite")
        }
        let identity: Identity
        do {
            identity = try SQLiteBackend.read(path) { db in try Identity(db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(wrapping: error, path: path)
        }
        let known = migrator.migrations
        switch identity.verdict(known: known) {
        case .registry:
            return Set(known).subtracting(identity.migrations ?? []).count
        case .emptyDatabase:
            throw StoreError(.notARegistry, "\(path) is an empty SQLite database, not an Annals registry")
        case .foreign(let detail):
            throw StoreError(.notARegistry, "\(path) is an SQLite database of another program (\(detail))")
        case .newer:
            throw StoreError(.tooNew, "\(path) was written by a newer Annals than this one; update Annals to open it")
        }
    }
}
