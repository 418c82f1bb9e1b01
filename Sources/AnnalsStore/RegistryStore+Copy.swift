import AnnalsModel

/// What `RegistryStore.copy(from:)` copied: rows per table, read back from the destination.
public struct RegistryCopyReport: Sendable, CustomStringConvertible {
    /// Table name and the number of rows in the source and in the copy, in copying order.
    public var tables: [(table: String, source: Int, copy: Int)]

    /// True when every table holds as many rows in the copy as in the source.
    public var isComplete: Bool { tables.allSatisfy { $0.source == $0.copy } }

    public var description: String {
        tables.map { "\($0.table): \($0.copy) of \($0.source)" }.joined(separator: "\n")
    }
}

extension RegistryStore {
    /// Copies the whole of `source` into this registry, which must be empty (opened with `create: true`
    /// and nothing written yet), in one transaction: every record, its history, the import log, merges,
    /// rejected merges and review decisions, with their numbers. The source is read from one snapshot
    /// (others may go on using it), a thousand rows at a time, so memory stays flat. The case-count sums
    /// are rebuilt by the destination's own triggers. Then counts the rows of every table on both sides.
    public func copy(from source: RegistryStore) throws -> RegistryCopyReport {
        for table in StoreTable.all {
            if try backend.rowCount(of: table) > 0 {
                throw StoreError(
                    .other, "\(path) is not empty (its \(table.name) table has rows); copy into a new registry")
            }
        }
        var copied: [String: Int] = [:]
        try backend.copyIn { insert in
            try source.backend.forEachRowBatch(of: StoreTable.all) { table, rows in
                try insert(table, rows)
                copied[table.name, default: 0] += rows.count
            }
        }
        var report = RegistryCopyReport(tables: [])
        for table in StoreTable.all {
            report.tables.append((table.name, copied[table.name] ?? 0, try backend.rowCount(of: table)))
        }
        return report
    }
}
