import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStore

/// The two backends' migrations are written twice, once per SQL dialect; they must make the same schema.
/// A migration added to one dialect only (or a column, index or trigger forgotten in one) fails here.
@Suite struct SchemaParityTests {
    @Test func sqliteAndPostgresMigrationsMakeTheSameSchema() throws {
        let folder = TemporaryFolder()
        let sqlite = try RegistryStore(path: folder.path("parity.sqlite"), create: true).schemaForTesting()
        let postgres = try RegistryStore(path: try TestPostgres.newDatabaseURL("parity"), create: true)
            .schemaForTesting()
        #expect(!sqlite.columns.isEmpty && !sqlite.indexes.isEmpty && !sqlite.triggers.isEmpty)
        let onlySQLite = Set(sqlite.description.split(separator: "\n")).subtracting(
            postgres.description.split(separator: "\n"))
        let onlyPostgres = Set(postgres.description.split(separator: "\n")).subtracting(
            sqlite.description.split(separator: "\n"))
        #expect(onlySQLite.isEmpty, "in SQLite's schema only:\n\(onlySQLite.sorted().joined(separator: "\n"))")
        #expect(onlyPostgres.isEmpty, "in PostgreSQL's schema only:\n\(onlyPostgres.sorted().joined(separator: "\n"))")
    }

    @Test func bothDialectsHaveTheSameMigrationsInTheSameOrder() {
        #expect(RegistryStore.migrationIdentifiersForTesting == PostgresMigrations.all.map(\.identifier))
    }

    @Test func typesAreComparedInTheWordsBothDialectsShare() {
        #expect(SchemaDescription.kind("INTEGER") == SchemaDescription.kind("bigint"))
        #expect(SchemaDescription.kind("INTEGER") == SchemaDescription.kind("boolean"))
        #expect(SchemaDescription.kind("TEXT") == SchemaDescription.kind("text"))
        #expect(SchemaDescription.kind("TEXT") != SchemaDescription.kind("bigint"))
    }
}
