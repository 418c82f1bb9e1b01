import AnnalsModel
import Foundation

/// Write access to a PostgreSQL registry, inside `RegistryStore.write` (one transaction, holding the
/// writers' lock). Writes the same rows as `RegistryTransaction` does in SQLite.
///
/// Statements whose outcome is not needed to go on (the inserts of a record's lists, its own insert) are
/// sent without waiting, so a record costs one round trip to the server, not one per row; their errors
/// surface at the next statement that waits, or at commit.
final class PostgresTransaction: PostgresSnapshot, StoreWriting {
    /// Lookups of papers by key this transaction has made so far, and the keys of all papers once it has
    /// made `keysAfterLookups` of them (see `PublicationKeys`).
    private var lookups = 0
    private(set) var keys: PublicationKeys?
    static let keysAfterLookups = 64
    /// Who writes and why (set by `RegistryStore.write(as:doing:)`), for the change log.
    var change: ChangeContext?

    /// Writes this transaction's line of the change log, once; returns its number.
    func changeLineID() throws -> Int {
        guard let change else {
            throw StoreError(.other, "a change was written without saying who made it (an error in Annals)")
        }
        if let id = change.changeID { return id }
        guard
            let id = try session.query(
                "INSERT INTO change_log (changed_at, actor, action, detail) VALUES ($1, $2, $3, $4) RETURNING id",
                [
                    .text(ChangeEntry.timestamp(Date())), .text(change.actor.name), .text(change.action.code),
                    .text(change.action.detail),
                ]
            ).first?.int(0)
        else { throw StoreError(.other, "the registry server did not number the change log's line") }
        change.changeID = id
        return id
    }

    static let changeRecordColumns = ["change_id", "kind", "record_id", "operation", "body_before", "body_after"]

    /// Logs records changed by this transaction, under its line of the change log, in multi-row statements.
    func logChanges(_ records: [RecordChange]) throws {
        guard !records.isEmpty else { return }
        let line = try changeLineID()
        try PostgresBulk.insert(
            into: "change_record", columns: Self.changeRecordColumns,
            rows: records.map {
                [
                    .int(line), .text($0.kind), .text($0.recordID), .text($0.operation.rawValue), .text($0.before),
                    .text($0.after),
                ]
            },
            session: session, wait: false)
    }

    func execute(_ sql: String, _ arguments: [String?]) throws {
        _ = try session.execute(sql.replacingOccurrences(of: "?", with: "$"), arguments.map { PGValue.text($0) })
    }

    /// The keys of all papers, once this transaction looks like an import of many; nil before.
    func publicationKeys() throws -> PublicationKeys? {
        if keys == nil {
            lookups += 1
            if lookups > Self.keysAfterLookups { keys = try PublicationKeys(session) }
        }
        return keys
    }

    override func existing(_ kind: EntityKind, among ids: Set<String>) throws -> Set<String> {
        if kind == .publication, let keys { return ids.filter(keys.contains) }
        return try super.existing(kind, among: ids)
    }

    @discardableResult
    func upsert(_ unit: OrgUnit) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "org_unit", unit.id,
            [("kind", .text(unit.kind.rawValue)), ("name", .text(unit.name)), ("parent_id", .text(unit.parentID))],
            body: unit)
        guard outcome != .unchanged else { return outcome }
        session.send("DELETE FROM campus WHERE org_unit_id = $1", [.text(unit.id)])
        for campus in unit.campuses {
            session.send(
                "INSERT INTO campus (id, org_unit_id, name) VALUES ($1, $2, $3)",
                [.text(campus.id), .text(unit.id), .text(campus.name)])
        }
        return outcome
    }

    @discardableResult
    func upsert(_ person: Person) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "person", person.id,
            [
                ("family_name", .text(person.familyName)), ("given_name", .text(person.givenName)),
                ("orcid", .text(person.orcid)),
                ("clinical_rank", .text(person.clinicalRank?.rawValue)), ("degree", .text(person.degree?.rawValue)),
            ], body: person)
        guard outcome != .unchanged else { return outcome }
        session.send("DELETE FROM person_name WHERE person_id = $1", [.text(person.id)])
        session.send("DELETE FROM person_department WHERE person_id = $1", [.text(person.id)])
        let names =
            [("family-given", "\(person.familyName) \(person.givenName)")]
            + person.nameVariants.map { ($0.kind.rawValue, $0.value) }
        for (kind, value) in names {
            session.send(
                "INSERT INTO person_name (person_id, kind, value, folded) VALUES ($1, $2, $3, $4)",
                [.text(person.id), .text(kind), .text(value), .text(RegistryTransaction.fold(value))])
        }
        for department in Set(person.departmentIDs).sorted() {
            session.send(
                "INSERT INTO person_department (person_id, department_id) VALUES ($1, $2)",
                [.text(person.id), .text(department)])
        }
        return outcome
    }

    @discardableResult
    func upsert(_ journal: Journal) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "journal", journal.id,
            [
                ("title", .text(journal.title)), ("issn_print", .text(journal.issnPrint)),
                ("issn_electronic", .text(journal.issnElectronic)),
            ],
            body: journal)
        guard outcome != .unchanged else { return outcome }
        session.send("DELETE FROM journal_metrics WHERE journal_id = $1", [.text(journal.id)])
        for m in journal.metrics {
            session.send(
                """
                INSERT INTO journal_metrics (journal_id, year, indexes, is_sci, impact_factor, jcr_quartile, cas_zone)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """,
                [
                    .text(journal.id), .int(m.year), .text(m.indexes.map(\.rawValue).joined(separator: " ")),
                    .bool(m.isSCI),
                    .text(m.impactFactor?.text), .int(m.jcrQuartile), .int(m.casZone),
                ])
        }
        return outcome
    }

    @discardableResult
    func upsert(_ procedure: Procedure) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "procedure", procedure.id,
            [
                ("preferred_term", .text(procedure.preferredTerm)), ("category", .text(procedure.category)),
                ("grade", .int(procedure.grade)),
            ],
            body: procedure)
        guard outcome != .unchanged else { return outcome }
        session.send("DELETE FROM procedure_term WHERE procedure_id = $1", [.text(procedure.id)])
        for term in procedure.terms {
            session.send(
                "INSERT INTO procedure_term (procedure_id, term, folded) VALUES ($1, $2, $3)",
                [.text(procedure.id), .text(term), .text(RegistryTransaction.fold(term))])
        }
        return outcome
    }

    @discardableResult
    func upsert(_ project: Project) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "project", project.id,
            [
                ("title", .text(project.title)), ("funder", .text(project.funder)),
                ("level", .text(project.level.rawValue)),
                ("status", .text(project.status.rawValue)), ("start", .text(project.start?.description)),
                ("end", .text(project.end?.description)),
                ("principal_investigator_id", .text(project.principalInvestigatorID)),
                ("amount", .text(project.amount?.amount.text)), ("currency", .text(project.amount?.currency)),
            ], body: project)
        guard outcome != .unchanged else { return outcome }
        session.send("DELETE FROM project_department WHERE project_id = $1", [.text(project.id)])
        for d in project.departments {
            session.send(
                """
                INSERT INTO project_department (project_id, department_id, role) VALUES ($1, $2, $3)
                ON CONFLICT (project_id, department_id) DO UPDATE SET role = excluded.role
                """,
                [.text(project.id), .text(d.departmentID), .text(d.role.rawValue)])
        }
        return outcome
    }

    @discardableResult
    func upsert(_ publication: Publication) throws -> UpsertOutcome {
        let plainTitle = publication.title.plain
        let titleKey = RegistryTransaction.fold(plainTitle)
        let firstAuthorKey = RegistryTransaction.firstAuthorKey(publication)
        let columns: [(String, PGValue)] = [
            ("kind", .text(publication.kind.rawValue)), ("title", .text(plainTitle)),
            ("year", .int(publication.published?.year)),
            ("published", .text(publication.published?.description)),
            ("journal_id", .text(publication.journal?.journalID)),
            ("doi", .text(publication.doi)), ("pmid", .text(publication.pmid)), ("pmcid", .text(publication.pmcid)),
            ("retracted", .bool(publication.isRetracted)), ("source_kind", .text(publication.source?.kind.rawValue)),
            ("title_key", .text(titleKey)), ("first_author_key", .text(firstAuthorKey)),
        ]
        let authorColumns = ["publication_id", "position", "person_id", "is_first", "is_corresponding"]
        let authorRows = publication.authors.enumerated().map { position, author -> [PGValue] in
            [
                .text(publication.id), .int(position + 1), .text(author.personID), .bool(author.isFirst),
                .bool(author.isCorresponding),
            ]
        }
        // The year beside each credit orders the department's paper list (migration v15-paper-list-order).
        let year = (publication.published?.year).map { PGValue.int($0) } ?? .null
        let departmentRows = Set(publication.departmentIDs).sorted().map {
            [PGValue.text(publication.id), .text($0), year]
        }
        let departmentColumns = ["publication_id", "department_id", "year"]
        let title = PublicationKeys.titleKey(titleKey, publication.published?.year, firstAuthorKey)

        // A paper the registry does not hold, in a big import: its rows join the next multi-row INSERTs.
        if let keys, !keys.contains(publication.id) {
            session.append(
                into: "publication", columns: ["id"] + columns.map { "\"\($0.0)\"" } + ["body"],
                row: [.text(publication.id)] + columns.map(\.1) + [.text(try RegistryTransaction.encode(publication))])
            for row in authorRows { session.append(into: "publication_author", columns: authorColumns, row: row) }
            for row in departmentRows {
                session.append(into: "publication_department", columns: departmentColumns, row: row)
            }
            keys.set(publication.id, pmid: publication.pmid, doi: publication.doi, title: title)
            session.append(
                into: "change_record", columns: Self.changeRecordColumns,
                row: [
                    .int(try changeLineID()), .text(EntityKind.publication.rawValue), .text(publication.id),
                    .text("added"), .null, .null,
                ])
            return .inserted
        }

        let outcome = try upsertRow(
            "publication", publication.id, known: keys.map { $0.contains(publication.id) }, columns, body: publication)
        guard outcome != .unchanged else { return outcome }
        keys?.set(publication.id, pmid: publication.pmid, doi: publication.doi, title: title)
        if outcome == .updated {
            session.send("DELETE FROM publication_author WHERE publication_id = $1", [.text(publication.id)])
            session.send("DELETE FROM publication_department WHERE publication_id = $1", [.text(publication.id)])
        }
        try PostgresBulk.insert(
            into: "publication_author", columns: authorColumns, rows: authorRows, session: session, wait: false)
        try PostgresBulk.insert(
            into: "publication_department", columns: departmentColumns, rows: departmentRows,
            session: session, wait: false)
        return outcome
    }

    @discardableResult
    func upsert(_ patent: Patent) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "patent", patent.id,
            [
                ("kind", .text(patent.kind.rawValue)), ("status", .text(patent.status.rawValue)),
                ("filed", .text(patent.filed?.description)), ("granted", .text(patent.granted?.description)),
            ], body: patent)
        guard outcome != .unchanged else { return outcome }
        session.send("DELETE FROM patent_department WHERE patent_id = $1", [.text(patent.id)])
        session.send("DELETE FROM patent_inventor WHERE patent_id = $1", [.text(patent.id)])
        insertDepartments("patent_department", "patent_id", patent.id, patent.departmentIDs)
        for (position, inventor) in patent.inventors.enumerated() {
            session.send(
                "INSERT INTO patent_inventor (patent_id, position, person_id) VALUES ($1, $2, $3)",
                [.text(patent.id), .int(position + 1), .text(inventor.personID)])
        }
        return outcome
    }

    @discardableResult
    func upsert(_ award: Award) throws -> UpsertOutcome {
        let outcome = try upsertRow(
            "award", award.id,
            [
                ("level", .text(award.level.rawValue)), ("year", .int(award.year)),
                ("project_id", .text(award.projectID)),
            ],
            body: award)
        guard outcome != .unchanged else { return outcome }
        session.send("DELETE FROM award_department WHERE award_id = $1", [.text(award.id)])
        session.send("DELETE FROM award_recipient WHERE award_id = $1", [.text(award.id)])
        insertDepartments("award_department", "award_id", award.id, award.departmentIDs)
        for (position, recipient) in award.recipients.enumerated() {
            session.send(
                "INSERT INTO award_recipient (award_id, position, person_id) VALUES ($1, $2, $3)",
                [.text(award.id), .int(position + 1), .text(recipient.personID)])
        }
        return outcome
    }

    @discardableResult
    func upsert(_ census: StaffCensus) throws -> UpsertOutcome {
        guard CountLimit.allows(census.count) else {
            throw StoreError(
                .other,
                "staff census '\(census.id)' has a count of \(census.count); a count must be a whole number from 0 to \(CountLimit.maximumText)"
            )
        }
        let existing = try session.query(
            "SELECT department_id, category, count, as_of, note FROM staff_census WHERE id = $1", [.text(census.id)]
        ).first
        if let existing, try existing.string(0) == census.departmentID,
            try existing.string(1) == census.category.rawValue,
            try existing.int(2) == census.count, try existing.string(3) == census.asOf.description,
            try existing.string(4) == census.note
        {
            return .unchanged
        }
        let before = try existing.flatMap { _ in try staffCensus().first { $0.id == census.id } }.map(
            RegistryTransaction.encode)
        try logChange(
            RecordChange(
                kind: EntityKind.staffCensus.rawValue, recordID: census.id,
                operation: before == nil ? .added : .replaced,
                before: before, after: before == nil ? nil : try RegistryTransaction.encode(census)))
        session.send(
            """
            INSERT INTO staff_census (id, department_id, category, count, as_of, note) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (id) DO UPDATE SET department_id = excluded.department_id, category = excluded.category,
                count = excluded.count, as_of = excluded.as_of, note = excluded.note
            """,
            [
                .text(census.id), .text(census.departmentID), .text(census.category.rawValue), .int(census.count),
                .text(census.asOf.description), .text(census.note),
            ])
        return existing == nil ? .inserted : .updated
    }

    /// As `RegistryTransaction.upsert(_:)`: the same tally by id or, failing that, by series and period.
    @discardableResult
    func upsert(_ tally: CaseTally) throws -> UpsertOutcome {
        try upsertTallies([tally])[0]
    }

    /// As `RegistryTransaction.upsertTallies(_:)`, up to `talliesPerStatement` tallies to a statement: one round
    /// trip per statement (the look-up, which locks the rows it finds until commit, so a correction made
    /// meanwhile by another writer waits for this one); the history and the rows are sent without waiting.
    /// The triggers on `tally` add each statement's changes to `tally_rollup` once. Every tally write of
    /// Annals on PostgreSQL is made here.
    @discardableResult
    func upsertTallies(_ tallies: [CaseTally]) throws -> [UpsertOutcome] {
        for tally in tallies { try RegistryTransaction.checkCount(tally) }
        var outcomes: [UpsertOutcome] = []
        outcomes.reserveCapacity(tallies.count)
        let replacedAt = RegistryTransaction.now()
        var logged: [RecordChange] = []
        var start = tallies.startIndex
        while start < tallies.endIndex {
            let window = tallies[start..<min(tallies.endIndex, start + Self.talliesPerStatement)]
            let matches = try storedTallies(window)
            var statement = TallyBatch.Statement()
            var rows: [PGValue] = []
            var history: [PGValue] = []
            for (offset, tally) in window.enumerated() {
                let stored = matches[offset]
                let identity = tally.identity
                guard statement.admit(tally, identity: identity, replacing: stored) else { break }
                start += 1
                let columns = TallyBatch.columns(of: tally, identity: identity)
                if let stored, stored.columns == columns {
                    outcomes.append(.unchanged)
                    continue
                }
                if let stored {
                    let before = try RegistryTransaction.encode(stored.tally)
                    history += [.text(stored.tally.id), .text(before), .text(replacedAt)]
                    var replacement = tally
                    replacement.id = stored.tally.id
                    logged.append(
                        RecordChange(
                            kind: "tally", recordID: stored.tally.id, operation: .replaced, before: before,
                            after: try RegistryTransaction.encode(replacement)))
                } else {
                    logged.append(RecordChange(kind: "tally", recordID: tally.id, operation: .added))
                }
                rows.append(.text(stored?.tally.id ?? tally.id))
                for (index, column) in columns.enumerated() {
                    rows.append(index == TallyBatch.countColumn ? .int(tally.count) : .text(column))
                }
                outcomes.append(stored == nil ? .inserted : .updated)
            }
            if !history.isEmpty {
                session.send(
                    "INSERT INTO tally_history (tally_id, body, replaced_at) VALUES "
                        + Self.placeholders(rows: history.count / 3, columns: 3),
                    history)
            }
            if !rows.isEmpty {
                let width = TallyBatch.insertColumns.count
                session.send(
                    "INSERT INTO tally (\(TallyBatch.insertColumns.joined(separator: ", "))) VALUES "
                        + Self.placeholders(rows: rows.count / width, columns: width) + " "
                        + TallyBatch.replaceOnConflict,
                    rows)
            }
        }
        try logChanges(logged)
        return outcomes
    }

    /// Tallies looked up and written per statement (13 parameters each: PostgreSQL allows 65,535 a statement).
    static let talliesPerStatement = 1000

    /// "($1, $2, $3), ($4, $5, $6)" for `rows` rows of `columns` parameters.
    private static func placeholders(rows: Int, columns: Int) -> String {
        (0..<rows).map { row in "(" + (1...columns).map { "$\(row * columns + $0)" }.joined(separator: ", ") + ")" }
            .joined(separator: ", ")
    }

    /// The rows `window`'s tallies replace (see `TallyBatch.Matches`), by position in the window, in one round
    /// trip; they stay locked until commit.
    private func storedTallies(_ window: ArraySlice<CaseTally>) throws -> TallyBatch.Matches {
        var arguments: [PGValue] = []
        arguments.reserveCapacity(window.count * 9)
        for (index, tally) in window.enumerated() {
            let identity = tally.identity
            arguments += [
                .int(index), .text(tally.id), .text(tally.procedureID), .text(tally.approach.rawValue),
                .text(tally.departmentID),
                .text(identity.fromDay), .text(identity.toDay), .text(tally.campusID), .text(tally.surgeonID),
            ]
        }
        // Parameters typed in the first row: the others follow it.
        var values = (0..<window.count).map { row in
            "(" + (1...9).map { "$\(row * 9 + $0)" }.joined(separator: ", ") + ")"
        }
        values[0] = "($1::BIGINT, " + (2...9).map { "$\($0)::TEXT" }.joined(separator: ", ") + ")"
        let series = """
            x.procedure_id = b.b_procedure AND x.approach = b.b_approach AND x.department_id = b.b_department AND x.to_day = b.b_to
            AND x.campus_id IS NOT DISTINCT FROM b.b_campus AND x.surgeon_id IS NOT DISTINCT FROM b.b_surgeon
            """
        // `from_day = b_from` and `from_day IS NULL` apart, so that both can use an index.
        let sql = """
            WITH b(i, b_id, b_procedure, b_approach, b_department, b_from, b_to, b_campus, b_surgeon) AS (VALUES \(values.joined(separator: ", ")))
            SELECT \(TallyBatch.storedColumns.split(separator: ",").map { "t." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                   t.count::TEXT, m.i, m.by_id
            FROM (SELECT b.i, TRUE AS by_id, x.id FROM b JOIN tally x ON x.id = b.b_id
                  UNION ALL
                  SELECT b.i, FALSE, x.id FROM b JOIN tally x ON x.from_day = b.b_from AND \(series)
                  UNION ALL
                  SELECT b.i, FALSE, x.id FROM b JOIN tally x ON x.from_day IS NULL AND b.b_from IS NULL AND \(series)) m
            JOIN tally t ON t.id = m.id
            FOR UPDATE OF t
            """
        var matches = TallyBatch.Matches()
        for row in try session.query(sql, arguments) {
            var values: [String?] = []
            for column in 0..<13 { values.append(column == 8 ? try row.string(13) : try row.string(column)) }
            matches.add(
                TallyBatch.stored(try Self.tally(row), values: values), for: try row.int(14) ?? -1,
                byID: try row.bool(15) == true)
        }
        return matches
    }

    func logImport(kind: String, file: String, sha256: String, summary: String) throws {
        _ = try changeLineID()
        session.send(
            "INSERT INTO import_log (kind, file, sha256, imported_at, summary) VALUES ($1, $2, $3, $4, $5)",
            [
                .text(kind), .text(file), .text(sha256), .text(ChangeEntry.timestamp(Date())),
                .text(summary),
            ])
    }

    // MARK: - Helpers

    /// Inserts or replaces one row whose full record is kept as canonical JSON in `body`.
    /// `known` false: the caller knows there is no such row (no need to ask the server).
    private func upsertRow<T: Encodable>(
        _ table: String, _ id: String, known: Bool? = nil, _ columns: [(String, PGValue)], body record: T
    ) throws -> UpsertOutcome {
        let body = try RegistryTransaction.encode(record)
        let existing =
            known == false ? nil : try session.query("SELECT body FROM \(table) WHERE id = $1", [.text(id)]).first
        if let existing, try existing.string(0) == body { return .unchanged }
        if let existing, let earlier = try existing.string(0),
            RegistryTransaction.keepsHistory(of: record, replacing: earlier)
        {
            session.send(
                "INSERT INTO record_history (kind, record_id, body, replaced_at, replaced_by) VALUES ($1, $2, $3, $4, $5)",
                [
                    .text(RegistryTransaction.historyKind(table)), .text(id), .text(earlier),
                    .text(RegistryTransaction.now()), .text(change?.actor.name ?? RegistryTransaction.actor),
                ])
        }
        let earlier = try existing?.string(0)
        try logChange(
            RecordChange(
                kind: RegistryTransaction.historyKind(table), recordID: id,
                operation: existing == nil ? .added : .replaced,
                before: earlier, after: existing == nil ? nil : body))
        let names = ["id"] + columns.map(\.0) + ["body"]
        let quoted = names.map { "\"\($0)\"" }
        let updates = quoted.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let sql = """
            INSERT INTO \(table) (\(quoted.joined(separator: ", "))) VALUES (\(names.indices.map { "$\($0 + 1)" }.joined(separator: ", ")))
            ON CONFLICT (id) DO UPDATE SET \(updates)
            """
        session.send(sql, [.text(id)] + columns.map(\.1) + [.text(body)])
        return existing == nil ? .inserted : .updated
    }

    private func insertDepartments(_ table: String, _ column: String, _ id: String, _ departments: [String]) {
        let sorted = Set(departments).sorted()
        guard !sorted.isEmpty else { return }
        let values = sorted.indices.map { "($1, $\($0 + 2))" }.joined(separator: ", ")
        session.send(
            "INSERT INTO \(table) (\(column), department_id) VALUES \(values)", [.text(id)] + sorted.map { .text($0) })
    }
}
