import AnnalsModel
import Foundation
internal import GRDB

/// Write access to the registry, inside `RegistryStore.write` (one transaction).
///
/// Records are written by id: a new id inserts, a known id replaces the record (and its lists),
/// and a record identical to the stored one changes nothing.
final class RegistryTransaction: RegistrySnapshot, RegistryWriting {
    /// The statement `upsertRow` writes for each table (the same columns every time).
    private var upsertSQL: [String: String] = [:]
    /// Who writes and why (set by `RegistryStore.write(as:doing:)`), for the change log.
    var change: ChangeContext?
    /// The statements that make the rollup triggers again, while `upsertTallies` has set them aside for the
    /// rest of this transaction (`finish()` makes them again before it commits).
    private var setAsideTriggers: [String]?
    /// While the triggers are set aside: the series that tallies were written to, and those that tallies moved
    /// away from, in this transaction, for `updateSeriesList()`.
    private var seriesWritten: Set<TallyBatch.SeriesKey> = []
    private var seriesLeft: Set<TallyBatch.SeriesKey> = []

    /// Writes this transaction's line of the change log, once; returns its number.
    func changeLineID() throws -> Int {
        guard let change else {
            throw StoreError(.other, "a change was written without saying who made it (an error in Annals)")
        }
        if let id = change.changeID { return id }
        try db.execute(
            sql: "INSERT INTO change_log (changed_at, actor, action, detail) VALUES (?, ?, ?, ?)",
            arguments: [ChangeEntry.timestamp(Date()), change.actor.name, change.action.code, change.action.detail])
        let id = Int(db.lastInsertedRowID)
        change.changeID = id
        return id
    }

    /// Logs records changed by this transaction, under its line of the change log.
    func logChanges(_ records: [RecordChange]) throws {
        guard !records.isEmpty else { return }
        let line = try changeLineID()
        // Up to 128 records a statement: a batch of tallies logs thousands at once.
        for start in stride(from: 0, to: records.count, by: 128) {
            let part = records[start..<min(records.count, start + 128)]
            var arguments: [DatabaseValueConvertible?] = []
            arguments.reserveCapacity(part.count * 6)
            for record in part {
                arguments += [
                    line, record.kind, record.recordID, record.operation.rawValue, record.before, record.after,
                ]
            }
            try db.cachedStatement(sql: Self.changeRecordInsertSQL[part.count]).execute(
                arguments: StatementArguments(arguments))
        }
    }

    /// `INSERT INTO change_record` for 1 to 128 records (index 0 unused).
    private static let changeRecordInsertSQL: [String] = (0...128).map { count in
        "INSERT INTO change_record (change_id, kind, record_id, operation, body_before, body_after) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: max(count, 1)).joined(separator: ", ")
    }

    func execute(_ sql: String, _ arguments: [String?]) throws {
        try db.execute(sql: sql, arguments: StatementArguments(arguments))
    }
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    @discardableResult
    public func upsert(_ unit: OrgUnit) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "org_unit", unit.id, ["kind": unit.kind.rawValue, "name": unit.name, "parent_id": unit.parentID], body: unit
        )
        guard outcome != .unchanged else { return outcome }
        try db.execute(sql: "DELETE FROM campus WHERE org_unit_id = ?", arguments: [unit.id])
        for campus in unit.campuses {
            try db.execute(
                sql: "INSERT INTO campus (id, org_unit_id, name) VALUES (?, ?, ?)",
                arguments: [campus.id, unit.id, campus.name])
        }
        return outcome
    }

    @discardableResult
    public func upsert(_ person: Person) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "person", person.id,
            [
                "family_name": person.familyName, "given_name": person.givenName, "orcid": person.orcid,
                "clinical_rank": person.clinicalRank?.rawValue, "degree": person.degree?.rawValue,
            ], body: person)
        guard outcome != .unchanged else { return outcome }
        try db.execute(sql: "DELETE FROM person_name WHERE person_id = ?", arguments: [person.id])
        try db.execute(sql: "DELETE FROM person_department WHERE person_id = ?", arguments: [person.id])
        let names =
            [("family-given", "\(person.familyName) \(person.givenName)")]
            + person.nameVariants.map { ($0.kind.rawValue, $0.value) }
        for (kind, value) in names {
            try db.execute(
                sql: "INSERT INTO person_name (person_id, kind, value, folded) VALUES (?, ?, ?, ?)",
                arguments: [person.id, kind, value, Self.fold(value)])
        }
        for department in Set(person.departmentIDs) {
            try db.execute(
                sql: "INSERT INTO person_department (person_id, department_id) VALUES (?, ?)",
                arguments: [person.id, department])
        }
        return outcome
    }

    @discardableResult
    public func upsert(_ journal: Journal) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "journal", journal.id,
            ["title": journal.title, "issn_print": journal.issnPrint, "issn_electronic": journal.issnElectronic],
            body: journal)
        guard outcome != .unchanged else { return outcome }
        try db.execute(sql: "DELETE FROM journal_metrics WHERE journal_id = ?", arguments: [journal.id])
        for m in journal.metrics {
            try db.execute(
                sql: """
                    INSERT INTO journal_metrics (journal_id, year, indexes, is_sci, impact_factor, jcr_quartile, cas_zone)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    journal.id, m.year, m.indexes.map(\.rawValue).joined(separator: " "), m.isSCI, m.impactFactor?.text,
                    m.jcrQuartile, m.casZone,
                ])
        }
        return outcome
    }

    @discardableResult
    public func upsert(_ procedure: Procedure) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "procedure", procedure.id,
            ["preferred_term": procedure.preferredTerm, "category": procedure.category, "grade": procedure.grade],
            body: procedure)
        guard outcome != .unchanged else { return outcome }
        try db.execute(sql: "DELETE FROM procedure_term WHERE procedure_id = ?", arguments: [procedure.id])
        for term in procedure.terms {
            try db.execute(
                sql: "INSERT INTO procedure_term (procedure_id, term, folded) VALUES (?, ?, ?)",
                arguments: [procedure.id, term, Self.fold(term)])
        }
        return outcome
    }

    @discardableResult
    public func upsert(_ project: Project) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "project", project.id,
            [
                "title": project.title, "funder": project.funder, "level": project.level.rawValue,
                "status": project.status.rawValue, "start": project.start?.description, "end": project.end?.description,
                "principal_investigator_id": project.principalInvestigatorID, "amount": project.amount?.amount.text,
                "currency": project.amount?.currency,
            ], body: project)
        guard outcome != .unchanged else { return outcome }
        try db.execute(sql: "DELETE FROM project_department WHERE project_id = ?", arguments: [project.id])
        for d in project.departments {
            try db.execute(
                sql: "INSERT OR REPLACE INTO project_department (project_id, department_id, role) VALUES (?, ?, ?)",
                arguments: [project.id, d.departmentID, d.role.rawValue])
        }
        return outcome
    }

    @discardableResult
    public func upsert(_ publication: Publication) throws -> UpsertOutcome {
        try upsert(publication, importKey: nil)
    }

    /// Stores a publication; `importKey` is kept with it (a write without one forgets the earlier key, so a
    /// record changed by anything but the import that keyed it is never taken for unchanged by its key).
    @discardableResult
    public func upsert(_ publication: Publication, importKey: String?) throws -> UpsertOutcome {
        let plainTitle = publication.title.plain
        let outcome = try upsertRow(
            "publication", publication.id,
            [
                "kind": publication.kind.rawValue, "title": plainTitle, "year": publication.published?.year,
                "published": publication.published?.description, "journal_id": publication.journal?.journalID,
                "doi": publication.doi, "pmid": publication.pmid, "pmcid": publication.pmcid,
                "retracted": publication.isRetracted, "source_kind": publication.source?.kind.rawValue,
                "title_key": Self.fold(plainTitle), "first_author_key": Self.firstAuthorKey(publication),
                "import_key": importKey,
            ], body: publication)
        if outcome == .unchanged {
            // The same record from a new key (the registry's people or patterns changed, and the crediting
            // came out the same): the key only, no change to log.
            if let importKey {
                try db.cachedStatement(
                    sql: "UPDATE publication SET import_key = ? WHERE id = ? AND import_key IS NOT ?"
                ).execute(arguments: [importKey, publication.id, importKey])
            }
            return outcome
        }
        if outcome == .updated {
            // A new row has none yet: every reference to a publication is a foreign key, so no row can
            // be left over from an earlier one with the same id.
            try db.cachedStatement(sql: "DELETE FROM publication_author WHERE publication_id = ?").execute(arguments: [
                publication.id
            ])
            try db.cachedStatement(sql: "DELETE FROM publication_department WHERE publication_id = ?").execute(
                arguments: [publication.id])
        }
        try insertAuthors(of: publication)
        // The year beside each credit orders the department's paper list (migration v15-paper-list-order).
        let insert = try db.cachedStatement(
            sql: "INSERT INTO publication_department (publication_id, department_id, year) VALUES (?, ?, ?)")
        for department in Set(publication.departmentIDs).sorted() {
            try insert.execute(arguments: [publication.id, department, publication.published?.year])
        }
        return outcome
    }

    /// The authors' rows, up to `authorsPerStatement` to a statement (a baseline file has a million authors).
    private func insertAuthors(of publication: Publication) throws {
        let authors = publication.authors
        var start = 0
        while start < authors.count {
            let end = min(start + Self.authorsPerStatement, authors.count)
            var values: [DatabaseValueConvertible?] = []
            values.reserveCapacity((end - start) * 5)
            for position in start..<end {
                let author = authors[position]
                values += [publication.id, position + 1, author.personID, author.isFirst, author.isCorresponding]
            }
            try db.cachedStatement(sql: Self.authorInsertSQL[end - start]).execute(
                arguments: StatementArguments(values))
            start = end
        }
    }

    private static let authorsPerStatement = 32

    /// `INSERT INTO publication_author … VALUES (…), (…)` for 1 to `authorsPerStatement` rows (index 0 unused).
    private static let authorInsertSQL: [String] = (0...authorsPerStatement).map { rows in
        "INSERT INTO publication_author (publication_id, position, person_id, is_first, is_corresponding) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    @discardableResult
    public func upsert(_ patent: Patent) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "patent", patent.id,
            [
                "kind": patent.kind.rawValue, "status": patent.status.rawValue, "filed": patent.filed?.description,
                "granted": patent.granted?.description,
            ], body: patent)
        guard outcome != .unchanged else { return outcome }
        try db.execute(sql: "DELETE FROM patent_department WHERE patent_id = ?", arguments: [patent.id])
        try db.execute(sql: "DELETE FROM patent_inventor WHERE patent_id = ?", arguments: [patent.id])
        try insertDepartments("patent_department", "patent_id", patent.id, patent.departmentIDs)
        for (position, inventor) in patent.inventors.enumerated() {
            try db.execute(
                sql: "INSERT INTO patent_inventor (patent_id, position, person_id) VALUES (?, ?, ?)",
                arguments: [patent.id, position + 1, inventor.personID])
        }
        return outcome
    }

    @discardableResult
    public func upsert(_ award: Award) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "award", award.id, ["level": award.level.rawValue, "year": award.year, "project_id": award.projectID],
            body: award)
        guard outcome != .unchanged else { return outcome }
        try db.execute(sql: "DELETE FROM award_department WHERE award_id = ?", arguments: [award.id])
        try db.execute(sql: "DELETE FROM award_recipient WHERE award_id = ?", arguments: [award.id])
        try insertDepartments("award_department", "award_id", award.id, award.departmentIDs)
        for (position, recipient) in award.recipients.enumerated() {
            try db.execute(
                sql: "INSERT INTO award_recipient (award_id, position, person_id) VALUES (?, ?, ?)",
                arguments: [award.id, position + 1, recipient.personID])
        }
        return outcome
    }

    @discardableResult
    public func upsert(_ census: StaffCensus) throws -> UpsertOutcome {
        guard CountLimit.allows(census.count) else {
            throw StoreError(
                .other,
                "staff census '\(census.id)' has a count of \(census.count); a count must be a whole number from 0 to \(CountLimit.maximumText)"
            )
        }
        let existing = try Row.fetchOne(
            db, sql: "SELECT department_id, category, count, as_of, note FROM staff_census WHERE id = ?",
            arguments: [census.id])
        if let existing,
            existing[0] == census.departmentID, existing[1] == census.category.rawValue, existing[2] == census.count,
            existing[3] == census.asOf.description, existing[4] == census.note
        {
            return .unchanged
        }
        let before = try existing.flatMap { _ in try staffCensus().first { $0.id == census.id } }.map(Self.encode)
        try logChange(
            RecordChange(
                kind: EntityKind.staffCensus.rawValue, recordID: census.id,
                operation: before == nil ? .added : .replaced,
                before: before, after: before == nil ? nil : try Self.encode(census)))
        try db.execute(
            sql: """
                INSERT INTO staff_census (id, department_id, category, count, as_of, note) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET department_id = excluded.department_id, category = excluded.category,
                    count = excluded.count, as_of = excluded.as_of, note = excluded.note
                """,
            arguments: [
                census.id, census.departmentID, census.category.rawValue, census.count, census.asOf.description,
                census.note,
            ])
        return existing == nil ? .inserted : .updated
    }

    /// Writes a tally. A tally is the same tally as one in the registry with its id or, failing that, with
    /// its series and period (`TallyIdentity`): then it replaces that one, under the registry's id, and
    /// the replaced version goes into the tally's history.
    @discardableResult
    public func upsert(_ tally: CaseTally) throws -> UpsertOutcome {
        try upsertTallies([tally])[0]
    }

    /// Writes tallies in order, each as `upsert(_:)` describes, up to `talliesPerStatement` to a statement:
    /// one look-up of the rows they replace, one insert of their history, one insert of the rows (a
    /// tally that may depend on one before it waits for the next statement: `TallyBatch.Statement`).
    /// From `rollupOnceFrom` tallies on, the triggers that keep `tally_rollup` and `tally_series` are set aside
    /// for the batch and its sums are added once at the end. Every tally write of Annals on SQLite is made here.
    @discardableResult
    public func upsertTallies(_ tallies: [CaseTally]) throws -> [UpsertOutcome] {
        for tally in tallies { try Self.checkCount(tally) }
        guard !tallies.isEmpty else { return [] }
        var outcomes: [UpsertOutcome] = []
        outcomes.reserveCapacity(tallies.count)
        // Set aside once for the rest of the transaction, not once per call: dropping and making a trigger
        // again changes the schema, after which SQLite prepares every statement again (the long multi-row ones
        // of this function too). No other connection ever sees the registry without them: `finish()` makes
        // them again before the transaction commits, and a rollback brings them back.
        if setAsideTriggers == nil, tallies.count >= Self.rollupOnceFrom {
            setAsideTriggers = try setAsideRollupTriggers()
        }
        let addSums = setAsideTriggers != nil
        try db.inSavepoint {
            var changes: [TallyBatch.RollupKey: TallyBatch.RollupChange] = [:]
            var lineChanges: [TallyBatch.LineKey: TallyBatch.RollupChange] = [:]
            var logged: [RecordChange] = []
            let replacedAt = Self.now()
            var start = tallies.startIndex
            while start < tallies.endIndex {
                let window = tallies[start..<min(tallies.endIndex, start + Self.talliesPerStatement)]
                let identities = window.map(\.identity)
                let matches = try storedTallies(window, identities: identities)
                var statement = TallyBatch.Statement()
                var rows: [DatabaseValueConvertible?] = []
                var history: [DatabaseValueConvertible?] = []
                for (offset, tally) in window.enumerated() {
                    let stored = matches[offset]
                    let identity = identities[offset]
                    guard statement.admit(tally, identity: identity, replacing: stored) else { break }
                    start += 1
                    let columns = TallyBatch.columns(of: tally, identity: identity)
                    if let stored, stored.columns == columns {
                        outcomes.append(.unchanged)
                        continue
                    }
                    if let stored {
                        let before = try Self.encode(stored.tally)
                        history += [stored.tally.id, before, replacedAt]
                        changes[TallyBatch.RollupKey(stored.identity), default: .init()].remove(stored.tally.count)
                        lineChanges[TallyBatch.LineKey(stored.identity), default: .init()].remove(stored.tally.count)
                        if addSums {
                            let left = TallyBatch.SeriesKey(stored.identity)
                            if left != TallyBatch.SeriesKey(identity) { seriesLeft.insert(left) }
                        }
                        var replacement = tally
                        replacement.id = stored.tally.id
                        logged.append(
                            RecordChange(
                                kind: "tally", recordID: stored.tally.id, operation: .replaced, before: before,
                                after: try Self.encode(replacement)))
                    } else {
                        logged.append(RecordChange(kind: "tally", recordID: tally.id, operation: .added))
                    }
                    changes[TallyBatch.RollupKey(identity), default: .init()].add(tally.count)
                    lineChanges[TallyBatch.LineKey(identity), default: .init()].add(tally.count)
                    if addSums { seriesWritten.insert(TallyBatch.SeriesKey(identity)) }
                    rows.append(stored?.tally.id ?? tally.id)
                    for (index, column) in columns.enumerated() {
                        if index == TallyBatch.countColumn { rows.append(tally.count) } else { rows.append(column) }
                    }
                    outcomes.append(stored == nil ? .inserted : .updated)
                }
                if !history.isEmpty {
                    try db.cachedStatement(sql: Self.tallyHistoryInsertSQL[history.count / 3]).execute(
                        arguments: StatementArguments(history))
                }
                if !rows.isEmpty {
                    try db.cachedStatement(sql: Self.tallyInsertSQL[rows.count / TallyBatch.insertColumns.count])
                        .execute(arguments: StatementArguments(rows))
                }
            }
            try logChanges(logged)
            if addSums {
                try addToRollup(changes, \.values, table: "tally_rollup", columns: TallyBatch.rollupColumns)
                try addToRollup(lineChanges, \.values, table: "tally_line_rollup", columns: TallyBatch.lineColumns)
            }
            return .commit
        }
        return outcomes
    }

    /// Adds a batch's `changes` to the sums of rollup `table` (whose key is `columns`) once; a sum left with no tally
    /// goes, as the delete triggers do it.
    private func addToRollup<Key: Hashable>(
        _ changes: [Key: TallyBatch.RollupChange], _ values: (Key) -> [String], table: String, columns: [String]
    ) throws {
        let added = Array(changes.filter { $0.value.count != 0 || $0.value.tallies != 0 })
        let row = "(" + Array(repeating: "?", count: columns.count + 2).joined(separator: ", ") + ")"
        for chunk in stride(from: 0, to: added.count, by: Self.talliesPerStatement) {
            let part = added[chunk..<min(added.count, chunk + Self.talliesPerStatement)]
            var arguments: [DatabaseValueConvertible?] = []
            for (key, change) in part { arguments += values(key) + [change.count, change.tallies] }
            try db.cachedStatement(
                sql: "INSERT INTO \(table) (\(columns.joined(separator: ", ")), count, tallies) VALUES "
                    + Array(repeating: row, count: part.count).joined(separator: ", ")
                    + " ON CONFLICT DO UPDATE SET count = count + excluded.count, tallies = tallies + excluded.tallies"
            ).execute(arguments: StatementArguments(arguments))
        }
        let emptied =
            "DELETE FROM \(table) WHERE "
            + columns.map { "\($0) = ?" }.joined(separator: " AND ") + " AND tallies = 0"
        for (key, change) in added where change.tallies < 0 {
            try db.cachedStatement(sql: emptied).execute(arguments: StatementArguments(values(key)))
        }
    }

    /// Makes again what this transaction set aside (the rollup triggers), after bringing the list of series
    /// up to date; called before it commits.
    func finish() throws {
        try updateSeriesList()
        seriesWritten = []
        seriesLeft = []
        if let triggers = setAsideTriggers {
            for sql in triggers { try db.execute(sql: sql) }
            setAsideTriggers = nil
        }
    }

    /// Brings `tally_series` up to date with the batches written while its triggers were set aside: a series
    /// written to is added if it has a tally, and one that tallies moved away from goes if it has none left.
    /// Once per transaction (and before the list is read in it), not once per batch: an import touches the
    /// same few hundred series in every batch. Each step asks the tallies themselves, so running it again is
    /// harmless, and neither a delete in between (whose trigger keeps the list) nor a savepoint rolled back
    /// (whose tallies are gone again) can leave the list wrong at the commit.
    private func updateSeriesList() throws {
        let written = Array(seriesWritten)
        for chunk in stride(from: 0, to: written.count, by: Self.talliesPerStatement) {
            let part = written[chunk..<min(written.count, chunk + Self.talliesPerStatement)]
            try db.cachedStatement(sql: Self.tallySeriesAddSQL[part.count]).execute(
                arguments: StatementArguments(part.flatMap(\.values)))
        }
        for key in seriesLeft {
            try db.cachedStatement(
                sql: """
                    DELETE FROM tally_series
                    WHERE procedure_id = ?1 AND approach = ?2 AND department_id = ?3 AND campus_id = ?4 AND surgeon_id = ?5
                      AND NOT EXISTS (
                          SELECT 1 FROM tally
                          WHERE procedure_id = ?1 AND approach = ?2 AND department_id = ?3
                            AND campus_id IS NULLIF(?4, '') AND surgeon_id IS NULLIF(?5, ''))
                    """
            ).execute(arguments: StatementArguments(key.values))
        }
    }

    override func willReadSeriesList() throws { try updateSeriesList() }

    /// Tallies looked up and written per statement (13 values each: far below SQLite's 32,766 a statement).
    static let talliesPerStatement = 128
    /// From this many tallies on, `upsertTallies` adds its sums to the rollups and `tally_series` once.
    static let rollupOnceFrom = 256
    /// The triggers that keep `tally_rollup`, `tally_line_rollup` and `tally_series` as tallies are inserted or
    /// replaced (the delete triggers never fire here), in name order.
    static let rollupTriggers = [
        "tally_line_rollup_insert", "tally_line_rollup_update", "tally_rollup_insert", "tally_rollup_update",
        "tally_series_insert", "tally_series_update",
    ]

    /// Drops the rollup triggers and returns the statements that make them again; nil, with nothing changed,
    /// when they cannot be dropped now (a statement of this connection still reading) or are not as expected.
    private func setAsideRollupTriggers() throws -> [String]? {
        let triggers = try Row.fetchAll(
            db,
            sql:
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tally' AND name IN (?, ?, ?, ?, ?, ?) ORDER BY name",
            arguments: StatementArguments(Self.rollupTriggers))
        guard triggers.count == Self.rollupTriggers.count else { return nil }
        do {
            try db.inSavepoint {
                for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)") }
                return .commit
            }
        } catch let error as DatabaseError where [.SQLITE_LOCKED, .SQLITE_BUSY].contains(error.resultCode) {
            return nil
        }
        return triggers.map { $0["sql"] }
    }

    /// The rows `window`'s tallies replace (see `TallyBatch.Matches`), by position in the window, in one statement.
    private func storedTallies(_ window: ArraySlice<CaseTally>, identities: [TallyIdentity]) throws
        -> TallyBatch.Matches
    {
        var arguments: [DatabaseValueConvertible?] = []
        arguments.reserveCapacity(window.count * 9)
        for (index, tally) in window.enumerated() {
            let identity = identities[index]
            arguments += [
                index, tally.id, tally.procedureID, tally.approach.rawValue, tally.departmentID, identity.fromDay,
                identity.toDay,
                tally.campusID, tally.surgeonID,
            ]
        }
        var matches = TallyBatch.Matches()
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: Self.tallyLookupSQL[window.count]), arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            let values: [String?] = (0..<13).map { i in
                switch (row[i] as DatabaseValue).storage {
                case .null: nil
                case .int64(let n): String(n)
                case .double(let x): String(x)
                case .string(let text): text
                case .blob(let data): String(decoding: data, as: UTF8.self)
                }
            }
            let stored = TallyBatch.stored(try RegistrySnapshot.tally(row), values: values)
            matches.add(stored, for: row[13], byID: row[14])
        }
        return matches
    }

    /// The look-up for 1 to `talliesPerStatement` tallies (index 0 unused): the stored rows with a tally's id, and
    /// those with its series and period, each with the tally's position and whether it was found by id.
    private static let tallyLookupSQL: [String] = (0...talliesPerStatement).map { count in
        let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: max(count, 1)).joined(separator: ", ")
        return """
            WITH batch(i, b_id, b_procedure, b_approach, b_department, b_from, b_to, b_campus, b_surgeon) AS (VALUES \(values))
            SELECT \(TallyBatch.storedColumns), i, 1 FROM batch JOIN tally ON id = b_id
            UNION ALL
            SELECT \(TallyBatch.storedColumns), i, 0 FROM batch JOIN tally
              ON procedure_id = b_procedure AND approach = b_approach AND department_id = b_department AND from_day IS b_from
             AND to_day = b_to AND campus_id IS b_campus AND surgeon_id IS b_surgeon
            """
    }

    /// `INSERT INTO tally … ON CONFLICT (id) DO UPDATE …` for 1 to `talliesPerStatement` rows (index 0 unused).
    private static let tallyInsertSQL: [String] = (0...talliesPerStatement).map { count in
        let row = "(" + TallyBatch.insertColumns.map { _ in "?" }.joined(separator: ", ") + ")"
        return "INSERT INTO tally (\(TallyBatch.insertColumns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: max(count, 1)).joined(separator: ", ") + " " + TallyBatch.replaceOnConflict
    }

    /// `INSERT INTO tally_history` for 1 to `talliesPerStatement` rows (index 0 unused).
    private static let tallyHistoryInsertSQL: [String] = (0...talliesPerStatement).map { count in
        "INSERT INTO tally_history (tally_id, body, replaced_at) VALUES "
            + Array(repeating: "(?, ?, ?)", count: max(count, 1)).joined(separator: ", ")
    }

    /// Adds those of 1 to `talliesPerStatement` series (index 0 unused) that have a tally to `tally_series`.
    private static let tallySeriesAddSQL: [String] = (0...talliesPerStatement).map { count in
        """
        WITH written(p, a, d, c, u) AS (VALUES \(Array(repeating: "(?, ?, ?, ?, ?)", count: max(count, 1)).joined(separator: ", ")))
        INSERT INTO tally_series (procedure_id, approach, department_id, campus_id, surgeon_id)
        SELECT p, a, d, c, u FROM written
        WHERE EXISTS (
            SELECT 1 FROM tally
            WHERE procedure_id = p AND approach = a AND department_id = d AND campus_id IS NULLIF(c, '')
              AND surgeon_id IS NULLIF(u, ''))
        ON CONFLICT DO NOTHING
        """
    }

    /// Refuses a count outside 0 … `CountLimit.maximum`, naming the tally.
    static func checkCount(_ tally: CaseTally) throws {
        guard CountLimit.allows(tally.count) else {
            throw StoreError(
                .other,
                "case tally '\(tally.id)' has a count of \(tally.count); a count must be a whole number from 0 to \(CountLimit.maximumText)"
            )
        }
    }

    /// Notes an import run in the registry's import log.
    public func logImport(kind: String, file: String, sha256: String, summary: String) throws {
        _ = try changeLineID()
        try db.execute(
            sql: "INSERT INTO import_log (kind, file, sha256, imported_at, summary) VALUES (?, ?, ?, ?, ?)",
            arguments: [kind, file, sha256, ChangeEntry.timestamp(Date()), summary])
    }

    // MARK: - Helpers

    /// Inserts or replaces one row whose full record is kept as canonical JSON in `body`.
    private func upsertRow<T: Encodable>(
        _ table: String, _ id: String, _ columns: KeyValuePairs<String, DatabaseValueConvertible?>, body record: T
    ) throws -> UpsertOutcome {
        let body = try Self.encode(record)
        let existing = try String.fetchOne(
            db.cachedStatement(sql: "SELECT body FROM \(table) WHERE id = ?"), arguments: [id])
        if existing == body { return .unchanged }
        if let existing, Self.keepsHistory(of: record, replacing: existing) {
            try db.cachedStatement(
                sql:
                    "INSERT INTO record_history (kind, record_id, body, replaced_at, replaced_by) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [Self.historyKind(table), id, existing, Self.now(), change?.actor.name ?? Self.actor])
        }
        try logChange(
            RecordChange(
                kind: Self.historyKind(table), recordID: id, operation: existing == nil ? .added : .replaced,
                before: existing,
                after: existing == nil ? nil : body))
        let sql: String
        if let known = upsertSQL[table] {
            sql = known
        } else {
            let names = ["id"] + columns.map(\.key) + ["body"]
            let quoted = names.map { "\"\($0)\"" }
            let updates = quoted.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            sql = """
                INSERT INTO \(table) (\(quoted.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))
                ON CONFLICT(id) DO UPDATE SET \(updates)
                """
            upsertSQL[table] = sql
        }
        var values: [DatabaseValueConvertible?] = [id]
        values.reserveCapacity(columns.count + 2)
        for column in columns { values.append(column.value) }
        values.append(body)
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(values))
        return existing == nil ? .inserted : .updated
    }

    private func insertDepartments(_ table: String, _ column: String, _ id: String, _ departments: [String]) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO \(table) (\(column), department_id) VALUES (?, ?)")
        for department in Set(departments).sorted() { try insert.execute(arguments: [id, department]) }
    }

    /// The record kind a table's history rows name, as the registry format names it.
    static func historyKind(_ table: String) -> String { table == "org_unit" ? EntityKind.orgUnit.rawValue : table }

    /// True when replacing `old` (a body) by `record` keeps the earlier version in `record_history`:
    /// always, except for a publication whose title and credited departments stay the same (PubMed
    /// revises tens of thousands of records a year in ways that change neither; those revisions are
    /// PubMed's to keep).
    static func keepsHistory<T>(of record: T, replacing old: String) -> Bool {
        guard let publication = record as? Publication else { return true }
        guard let earlier = try? RegistrySnapshot.decode(Publication.self, from: old) else { return true }
        return earlier.title != publication.title || Set(earlier.departmentIDs) != Set(publication.departmentIDs)
    }

    /// Who is writing: the login name of the user running Annals, for the record history.
    static let actor: String = {
        let name = ProcessInfo.processInfo.userName
        return name.isEmpty ? "unknown" : name
    }()

    /// The record as canonical JSON (sorted keys), as it is kept in `body` columns.
    static func encode<T: Encodable>(_ record: T) throws -> String {
        // Publications come by the ten thousand; their canonical form is written without the encoder.
        if let publication = record as? Publication { return publication.canonicalJSON }
        do {
            return String(decoding: try encoder.encode(record), as: UTF8.self)
        } catch {
            throw StoreError(.other, "could not store a \(T.self) record: \(error)")
        }
    }

    /// The folded family (or collective) name of the first author, for finding the same paper again.
    static func firstAuthorKey(_ publication: Publication) -> String? {
        guard let first = publication.authors.first else { return nil }
        return (first.familyName ?? first.collectiveName).map(fold)
    }

    /// A key for matching names and terms: case, accents, punctuation and spacing ignored.
    static func fold(_ text: String) -> String { TextKey.fold(text) }
}
