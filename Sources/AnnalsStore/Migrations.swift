internal import GRDB

extension RegistryStore {
    /// Append-only: a migration that has shipped is never changed; new needs get a new migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in
            // Records are stored as their canonical JSON (`body`) plus the columns queries need.
            // References between records are foreign keys checked at commit (deferred), so a whole
            // file can be written in any order and a dangling reference still cannot land.
            try db.execute(
                sql: """
                    CREATE TABLE org_unit (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('hospital', 'department')),
                        name TEXT NOT NULL,
                        parent_id TEXT REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        body TEXT NOT NULL
                    );
                    CREATE TABLE campus (
                        id TEXT PRIMARY KEY NOT NULL,
                        org_unit_id TEXT NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        name TEXT NOT NULL
                    );
                    CREATE INDEX campus_org_unit ON campus(org_unit_id);

                    CREATE TABLE person (
                        id TEXT PRIMARY KEY NOT NULL,
                        family_name TEXT NOT NULL,
                        given_name TEXT NOT NULL,
                        orcid TEXT,
                        clinical_rank TEXT,
                        degree TEXT,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX person_orcid ON person(orcid);
                    CREATE TABLE person_name (
                        person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        value TEXT NOT NULL,
                        folded TEXT NOT NULL
                    );
                    CREATE INDEX person_name_folded ON person_name(folded);
                    CREATE INDEX person_name_person ON person_name(person_id);
                    CREATE TABLE person_department (
                        person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                        department_id TEXT NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        PRIMARY KEY (person_id, department_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE journal (
                        id TEXT PRIMARY KEY NOT NULL,
                        title TEXT NOT NULL,
                        issn_print TEXT,
                        issn_electronic TEXT,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX journal_issn_print ON journal(issn_print);
                    CREATE INDEX journal_issn_electronic ON journal(issn_electronic);
                    CREATE TABLE journal_metrics (
                        journal_id TEXT NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
                        year INTEGER NOT NULL,
                        indexes TEXT NOT NULL,
                        is_sci INTEGER NOT NULL,
                        impact_factor TEXT,
                        jcr_quartile INTEGER,
                        cas_zone INTEGER,
                        PRIMARY KEY (journal_id, year)
                    ) WITHOUT ROWID;

                    CREATE TABLE procedure (
                        id TEXT PRIMARY KEY NOT NULL,
                        preferred_term TEXT NOT NULL,
                        category TEXT NOT NULL,
                        grade INTEGER CHECK (grade BETWEEN 1 AND 4),
                        body TEXT NOT NULL
                    );
                    CREATE TABLE procedure_term (
                        procedure_id TEXT NOT NULL REFERENCES procedure(id) ON DELETE CASCADE,
                        term TEXT NOT NULL,
                        folded TEXT NOT NULL
                    );
                    CREATE INDEX procedure_term_folded ON procedure_term(folded);
                    CREATE INDEX procedure_term_procedure ON procedure_term(procedure_id);

                    CREATE TABLE project (
                        id TEXT PRIMARY KEY NOT NULL,
                        title TEXT NOT NULL,
                        funder TEXT NOT NULL,
                        level TEXT NOT NULL,
                        status TEXT NOT NULL,
                        start TEXT,
                        "end" TEXT,
                        principal_investigator_id TEXT REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                        amount TEXT,
                        currency TEXT,
                        body TEXT NOT NULL
                    );
                    CREATE TABLE project_department (
                        project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                        department_id TEXT NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        role TEXT NOT NULL,
                        PRIMARY KEY (project_id, department_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE publication (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        title TEXT NOT NULL,
                        year INTEGER,
                        published TEXT,
                        journal_id TEXT REFERENCES journal(id) DEFERRABLE INITIALLY DEFERRED,
                        doi TEXT,
                        pmid TEXT,
                        pmcid TEXT,
                        retracted INTEGER NOT NULL DEFAULT 0,
                        source_kind TEXT,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX publication_year ON publication(year);
                    CREATE INDEX publication_doi ON publication(doi);
                    CREATE INDEX publication_pmid ON publication(pmid);
                    CREATE TABLE publication_author (
                        publication_id TEXT NOT NULL REFERENCES publication(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        person_id TEXT REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                        is_first INTEGER NOT NULL,
                        is_corresponding INTEGER NOT NULL,
                        PRIMARY KEY (publication_id, position)
                    ) WITHOUT ROWID;
                    CREATE INDEX publication_author_person ON publication_author(person_id);
                    CREATE TABLE publication_department (
                        publication_id TEXT NOT NULL REFERENCES publication(id) ON DELETE CASCADE,
                        department_id TEXT NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        PRIMARY KEY (publication_id, department_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX publication_department_department ON publication_department(department_id);

                    CREATE TABLE patent (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        filed TEXT,
                        granted TEXT,
                        body TEXT NOT NULL
                    );
                    CREATE TABLE patent_department (
                        patent_id TEXT NOT NULL REFERENCES patent(id) ON DELETE CASCADE,
                        department_id TEXT NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        PRIMARY KEY (patent_id, department_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE patent_inventor (
                        patent_id TEXT NOT NULL REFERENCES patent(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        person_id TEXT REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                        PRIMARY KEY (patent_id, position)
                    ) WITHOUT ROWID;

                    CREATE TABLE award (
                        id TEXT PRIMARY KEY NOT NULL,
                        level TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        project_id TEXT REFERENCES project(id) DEFERRABLE INITIALLY DEFERRED,
                        body TEXT NOT NULL
                    );
                    CREATE TABLE award_department (
                        award_id TEXT NOT NULL REFERENCES award(id) ON DELETE CASCADE,
                        department_id TEXT NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        PRIMARY KEY (award_id, department_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE award_recipient (
                        award_id TEXT NOT NULL REFERENCES award(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        person_id TEXT REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                        PRIMARY KEY (award_id, position)
                    ) WITHOUT ROWID;

                    CREATE TABLE staff_census (
                        id TEXT PRIMARY KEY NOT NULL,
                        department_id TEXT NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        category TEXT NOT NULL,
                        count INTEGER NOT NULL CHECK (count >= 0),
                        as_of TEXT NOT NULL,
                        note TEXT
                    );

                    -- Counts of operations, never patient data. from_day/to_day are the first and last
                    -- day the period can mean (from_day NULL: a cumulative baseline).
                    CREATE TABLE tally (
                        id TEXT PRIMARY KEY NOT NULL,
                        procedure_id TEXT NOT NULL REFERENCES procedure(id) DEFERRABLE INITIALLY DEFERRED,
                        approach TEXT NOT NULL,
                        department_id TEXT NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                        campus_id TEXT REFERENCES campus(id) DEFERRABLE INITIALLY DEFERRED,
                        surgeon_id TEXT REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                        period_from TEXT,
                        period_to TEXT NOT NULL,
                        from_day TEXT,
                        to_day TEXT NOT NULL,
                        count INTEGER NOT NULL CHECK (count >= 0),
                        source TEXT,
                        note TEXT
                    );
                    CREATE INDEX tally_procedure ON tally(procedure_id, department_id, to_day, count);

                    -- One row per import run: which file, when, what it changed.
                    CREATE TABLE import_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        file TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        imported_at TEXT NOT NULL,
                        summary TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2-publication-import") { db in
            // Keys for finding the same paper from another source, merges with what they replaced, the
            // merges people rejected, and the authors waiting for someone to confirm who they are.
            try db.execute(
                sql: """
                    ALTER TABLE publication ADD COLUMN title_key TEXT;
                    ALTER TABLE publication ADD COLUMN first_author_key TEXT;
                    CREATE INDEX publication_match ON publication(title_key, year);
                    CREATE INDEX publication_pmcid ON publication(pmcid);

                    CREATE TABLE publication_merge (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kept_id TEXT NOT NULL REFERENCES publication(id) ON DELETE CASCADE,
                        merged_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        source_file TEXT,
                        merged_body TEXT NOT NULL,
                        merged_at TEXT NOT NULL,
                        UNIQUE (kept_id, merged_id)
                    );
                    CREATE INDEX publication_merge_merged ON publication_merge(merged_id);

                    CREATE TABLE merge_rejection (
                        first_id TEXT NOT NULL,
                        second_id TEXT NOT NULL,
                        rejected_at TEXT NOT NULL,
                        PRIMARY KEY (first_id, second_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE review_item (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        publication_id TEXT NOT NULL REFERENCES publication(id) ON DELETE CASCADE,
                        author_position INTEGER NOT NULL,
                        author_name TEXT NOT NULL,
                        person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                        reason TEXT NOT NULL,
                        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
                        decided_at TEXT,
                        UNIQUE (publication_id, author_position, person_id)
                    );
                    """)
        }
        migrator.registerMigration("v3-tally-history") { db in
            // A corrected tally keeps what it said before. The indexes serve overlap checks and queries.
            try db.execute(
                sql: """
                    CREATE TABLE tally_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        tally_id TEXT NOT NULL,
                        body TEXT NOT NULL,
                        replaced_at TEXT NOT NULL
                    );
                    CREATE INDEX tally_history_tally ON tally_history(tally_id);
                    CREATE INDEX tally_series ON tally(procedure_id, approach, department_id, from_day, to_day);
                    -- Covering indexes for "how many": filtered by procedure, or by department and
                    -- procedure, the sums by period come straight from the index in period order.
                    CREATE INDEX tally_by_procedure
                        ON tally(procedure_id, from_day, to_day, approach, department_id, campus_id, surgeon_id, count);
                    CREATE INDEX tally_by_department
                        ON tally(department_id, procedure_id, from_day, to_day, approach, campus_id, surgeon_id, count);
                    DROP INDEX tally_procedure;
                    """)
        }
        migrator.registerMigration("v4-tally-rollup") { db in
            // Sums of operations by department, approach, campus, surgeon and period, kept by triggers:
            // questions that name no procedure read a few thousand sums instead of a million tallies.
            // Empty text stands for "none" (no campus, no surgeon, a baseline's open start) so that the
            // key is unique.
            try db.execute(
                sql: """
                    CREATE TABLE tally_rollup (
                        department_id TEXT NOT NULL,
                        approach TEXT NOT NULL,
                        campus_id TEXT NOT NULL,
                        surgeon_id TEXT NOT NULL,
                        from_day TEXT NOT NULL,
                        to_day TEXT NOT NULL,
                        count INTEGER NOT NULL,
                        tallies INTEGER NOT NULL,
                        PRIMARY KEY (department_id, approach, campus_id, surgeon_id, from_day, to_day)
                    ) WITHOUT ROWID;
                    CREATE INDEX tally_rollup_period ON tally_rollup(from_day, to_day, count, tallies);
                    INSERT INTO tally_rollup
                        SELECT department_id, approach, IFNULL(campus_id, ''), IFNULL(surgeon_id, ''), IFNULL(from_day, ''),
                               to_day, SUM(count), COUNT(*)
                        FROM tally GROUP BY 1, 2, 3, 4, 5, 6;
                    CREATE TRIGGER tally_rollup_insert AFTER INSERT ON tally BEGIN
                        INSERT INTO tally_rollup VALUES (
                            new.department_id, new.approach, IFNULL(new.campus_id, ''), IFNULL(new.surgeon_id, ''),
                            IFNULL(new.from_day, ''), new.to_day, new.count, 1)
                        ON CONFLICT DO UPDATE SET count = count + excluded.count, tallies = tallies + 1;
                    END;
                    CREATE TRIGGER tally_rollup_delete AFTER DELETE ON tally BEGIN
                        UPDATE tally_rollup SET count = count - old.count, tallies = tallies - 1
                        WHERE department_id = old.department_id AND approach = old.approach
                          AND campus_id = IFNULL(old.campus_id, '') AND surgeon_id = IFNULL(old.surgeon_id, '')
                          AND from_day = IFNULL(old.from_day, '') AND to_day = old.to_day;
                        DELETE FROM tally_rollup WHERE tallies = 0;
                    END;
                    CREATE TRIGGER tally_rollup_update AFTER UPDATE ON tally BEGIN
                        UPDATE tally_rollup SET count = count - old.count, tallies = tallies - 1
                        WHERE department_id = old.department_id AND approach = old.approach
                          AND campus_id = IFNULL(old.campus_id, '') AND surgeon_id = IFNULL(old.surgeon_id, '')
                          AND from_day = IFNULL(old.from_day, '') AND to_day = old.to_day;
                        DELETE FROM tally_rollup WHERE tallies = 0;
                        INSERT INTO tally_rollup VALUES (
                            new.department_id, new.approach, IFNULL(new.campus_id, ''), IFNULL(new.surgeon_id, ''),
                            IFNULL(new.from_day, ''), new.to_day, new.count, 1)
                        ON CONFLICT DO UPDATE SET count = count + excluded.count, tallies = tallies + 1;
                    END;
                    """)
        }
        migrator.registerMigration("v5-record-history") { db in
            // A record replaced under its own id (another title, principal investigator, funder or
            // department) keeps what it said before: its earlier body, when and by whom it was replaced.
            // `kind` is the record kind as the registry format names it ("project", "org-unit").
            try db.execute(
                sql: """
                    CREATE TABLE record_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        body TEXT NOT NULL,
                        replaced_at TEXT NOT NULL,
                        replaced_by TEXT NOT NULL
                    );
                    CREATE INDEX record_history_record ON record_history(kind, record_id);
                    """)
        }
        migrator.registerMigration("v6-tally-by-series") { db in
            // Covering indexes in series order (procedure, approach, department, campus, surgeon), so that a
            // case question sums each series over its windows in one pass without sorting
            // (`tallyWindowSums`), for the whole registry and for one department. tally_series, a prefix
            // of the first, is no longer needed.
            try db.execute(
                sql: """
                    DROP INDEX tally_series;
                    CREATE INDEX tally_by_series
                        ON tally(procedure_id, approach, department_id, campus_id, surgeon_id, from_day, to_day, count);
                    DROP INDEX tally_by_department;
                    CREATE INDEX tally_by_department
                        ON tally(department_id, procedure_id, approach, campus_id, surgeon_id, from_day, to_day, count);
                    """)
        }
        migrator.registerMigration("v7-tally-import") { db in
            // Imports of many tallies: `tally_series` served the old overlap check only (the check is now one
            // pass over `tally_by_procedure`, and a tally's series and period are found with
            // `tally_by_department`), and cost every insert a B-tree. The rollup triggers stay; a large batch
            // sets them aside and adds its sums once (`RegistryTransaction.upsertTallies`).
            // v6-tally-by-series dropped it already; IF EXISTS keeps this step harmless either way.
            try db.execute(sql: "DROP INDEX IF EXISTS tally_series")
        }
        migrator.registerMigration("v8-change-log") { db in
            // Every write, append-only: when (ISO 8601, UTC), who, what (an action code such as "import",
            // "edit", "delete" and its detail, such as the file), and each record it changed with the record's
            // canonical JSON before and after (after is NULL for a record added: the record keeps it, until the
            // next change's body_before). The history kept before (import_log, record_history, tally_history) is
            // copied in, so that old registries keep it; those tables stay and are still written.
            try db.execute(
                sql: """
                    CREATE TABLE change_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        changed_at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        detail TEXT
                    );
                    CREATE INDEX change_log_changed_at ON change_log(changed_at);
                    CREATE TABLE change_record (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        change_id INTEGER NOT NULL REFERENCES change_log(id),
                        kind TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        operation TEXT NOT NULL CHECK (operation IN ('added', 'replaced', 'deleted')),
                        body_before TEXT,
                        body_after TEXT
                    );
                    CREATE INDEX change_record_record ON change_record(record_id, kind);
                    CREATE INDEX change_record_change ON change_record(change_id);
                    CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log BEGIN
                        SELECT RAISE(ABORT, 'the change log is append-only: a line once written is never changed');
                    END;
                    CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log BEGIN
                        SELECT RAISE(ABORT, 'the change log is append-only: a line once written is never removed');
                    END;
                    CREATE TRIGGER change_record_no_update BEFORE UPDATE ON change_record BEGIN
                        SELECT RAISE(ABORT, 'the change log is append-only: a line once written is never changed');
                    END;
                    CREATE TRIGGER change_record_no_delete BEFORE DELETE ON change_record BEGIN
                        SELECT RAISE(ABORT, 'the change log is append-only: a line once written is never removed');
                    END;

                    INSERT INTO change_log (id, changed_at, actor, action, detail)
                        SELECT id, imported_at, 'unknown', 'import', kind || ' ' || file FROM import_log;
                    INSERT INTO change_log (id, changed_at, actor, action, detail)
                        SELECT (SELECT IFNULL(MAX(id), 0) FROM import_log) + id, replaced_at, replaced_by, 'earlier',
                               'kept before the change log'
                        FROM record_history;
                    INSERT INTO change_record (change_id, kind, record_id, operation, body_before, body_after)
                        SELECT (SELECT IFNULL(MAX(id), 0) FROM import_log) + id, kind, record_id, 'replaced', body, NULL
                        FROM record_history ORDER BY id;
                    INSERT INTO change_log (id, changed_at, actor, action, detail)
                        SELECT (SELECT IFNULL(MAX(id), 0) FROM import_log) + (SELECT IFNULL(MAX(id), 0) FROM record_history) + id,
                               replaced_at, 'unknown', 'earlier', 'kept before the change log'
                        FROM tally_history;
                    INSERT INTO change_record (change_id, kind, record_id, operation, body_before, body_after)
                        SELECT (SELECT IFNULL(MAX(id), 0) FROM import_log) + (SELECT IFNULL(MAX(id), 0) FROM record_history) + id,
                               'tally', tally_id, 'replaced', body, NULL
                        FROM tally_history ORDER BY id;
                    """)
        }
        migrator.registerMigration("v11-import-shapes") { db in
            // Records an import left out because they cannot be papers (no title, a "No Title" placeholder),
            // by file and place in the file, for `annals review`; the same record skipped again is listed once.
            try db.execute(
                sql: """
                    CREATE TABLE import_skipped (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        source_file TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        skipped_at TEXT NOT NULL,
                        UNIQUE (source_file, position, reason)
                    );
                    """)
        }
        migrator.registerMigration("v9-accounts") { db in
            // The people who may sign in to `annals serve`, their browser sessions and their API tokens.
            // Passwords are kept only as bcrypt hashes; session ids and tokens only as their SHA-256 (hex), so
            // that a copy of the registry lets nobody in. Times are ISO 8601 UTC text, as in the change log;
            // `departments` is a JSON array of org-unit ids. Accounts are never deleted, only disabled.
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        name TEXT PRIMARY KEY NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('admin', 'office', 'secretary', 'viewer')),
                        departments TEXT NOT NULL,
                        password_hash TEXT,
                        disabled INTEGER NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE web_session (
                        id_hash TEXT PRIMARY KEY NOT NULL,
                        account_name TEXT NOT NULL REFERENCES account(name),
                        csrf_token TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        expires_at TEXT NOT NULL
                    );
                    CREATE INDEX web_session_account ON web_session(account_name);
                    CREATE INDEX web_session_expires ON web_session(expires_at);
                    CREATE TABLE api_token (
                        id TEXT PRIMARY KEY NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        account_name TEXT NOT NULL REFERENCES account(name),
                        created_at TEXT NOT NULL,
                        revoked_at TEXT
                    );
                    CREATE INDEX api_token_account ON api_token(account_name);
                    """)
        }
        migrator.registerMigration("v12-workflow") { db in
            // The approval chain: records waiting in it (a record with no row is validated), the chain's steps
            // (none: the research office validates), the closed years, and the department head role (the
            // account table made again, SQLite's way of changing a CHECK; foreign keys are off meanwhile).
            try db.execute(
                sql: """
                    CREATE TABLE workflow_status (
                        kind TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('submitted', 'returned')),
                        steps_done INTEGER NOT NULL,
                        validators TEXT NOT NULL,
                        submitted_by TEXT NOT NULL,
                        submitted_at TEXT NOT NULL,
                        opinion TEXT,
                        acted_by TEXT,
                        acted_at TEXT,
                        PRIMARY KEY (kind, record_id)
                    );
                    CREATE TABLE approval_step (
                        position INTEGER PRIMARY KEY NOT NULL,
                        role TEXT NOT NULL,
                        scope TEXT NOT NULL CHECK (scope IN ('department', 'hospital')),
                        label TEXT
                    );
                    CREATE TABLE closed_year (
                        year INTEGER PRIMARY KEY NOT NULL,
                        closed_by TEXT NOT NULL,
                        closed_at TEXT NOT NULL
                    );
                    CREATE TABLE account_v12 (
                        name TEXT PRIMARY KEY NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('admin', 'office', 'head', 'secretary', 'viewer')),
                        departments TEXT NOT NULL,
                        password_hash TEXT,
                        disabled INTEGER NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    INSERT INTO account_v12 (name, role, departments, password_hash, disabled, created_at)
                        SELECT name, role, departments, password_hash, disabled, created_at FROM account;
                    DROP TABLE account;
                    ALTER TABLE account_v12 RENAME TO account;
                    """)
        }
        migrator.registerMigration("v13-attachments") { db in
            // Files attached to records (grant letters, patent and award certificates): PDF, JPEG or PNG, the
            // type read from the content. A record is named by kind and id (no foreign key: five kinds share the
            // table); the content is kept whole beside what is shown of it, and read only for a download.
            try db.execute(
                sql: """
                    CREATE TABLE attachment (
                        id TEXT PRIMARY KEY NOT NULL,
                        record_kind TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        file_name TEXT NOT NULL,
                        media_type TEXT NOT NULL CHECK (media_type IN ('pdf', 'jpeg', 'png')),
                        size INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        added_at TEXT NOT NULL,
                        added_by TEXT NOT NULL,
                        content BLOB NOT NULL
                    );
                    CREATE INDEX attachment_record ON attachment(record_kind, record_id);
                    """)
        }
        migrator.registerMigration("v14-publication-import-key") { db in
            // What an import read and the registry it credited against (a digest), kept with the paper it
            // stored, so that importing the same record again into the same registry is recognised without
            // crediting and storing it again. Any other write of the paper clears it.
            try db.execute(sql: "ALTER TABLE publication ADD COLUMN import_key TEXT")
        }
        migrator.registerMigration("v15-paper-list-order") { db in
            // Paper lists are shown newest year first, then by id, a page at a time. The year a paper is
            // credited to a department in is kept beside the credit, written with it by every write of the
            // paper, so that a department's page is read from one index, however deep: without it each of a
            // department's 30,000 papers had its row read for its year, 125 ms a page. The hospital's list
            // reads the second index the same way.
            try db.execute(
                sql: """
                    ALTER TABLE publication_department ADD COLUMN year INTEGER;
                    UPDATE publication_department
                        SET year = (SELECT year FROM publication WHERE publication.id = publication_department.publication_id);
                    DROP INDEX publication_department_department;
                    CREATE INDEX publication_department_year ON publication_department(department_id, year DESC, publication_id);
                    DROP INDEX publication_year;
                    CREATE INDEX publication_year_id ON publication(year DESC, id);
                    """)
        }
        migrator.registerMigration("v16-tally-series") { db in
            // Every series the registry holds tallies for (procedure, approach, department, campus and surgeon;
            // "" for none), kept by triggers: a case question over closed windows lists its series from here and
            // reads, through `tally_by_series`, only each series' tallies that begin inside the windows, instead
            // of every tally of the procedure (`TallyWindowQuery.seriesJoinSQL`). A series goes when its last
            // tally does (found through `tally_by_series`), so the list never depends on the order of writes.
            // (An upsert clause, not INSERT OR IGNORE: in a trigger the outer statement's conflict policy would
            // override an OR clause.)
            try db.execute(
                sql: """
                    CREATE TABLE tally_series (
                        procedure_id TEXT NOT NULL,
                        approach TEXT NOT NULL,
                        department_id TEXT NOT NULL,
                        campus_id TEXT NOT NULL,
                        surgeon_id TEXT NOT NULL,
                        PRIMARY KEY (procedure_id, approach, department_id, campus_id, surgeon_id)
                    ) WITHOUT ROWID;
                    INSERT INTO tally_series
                        SELECT DISTINCT procedure_id, approach, department_id, IFNULL(campus_id, ''), IFNULL(surgeon_id, '')
                        FROM tally;
                    CREATE TRIGGER tally_series_insert AFTER INSERT ON tally BEGIN
                        INSERT INTO tally_series VALUES (
                            new.procedure_id, new.approach, new.department_id, IFNULL(new.campus_id, ''),
                            IFNULL(new.surgeon_id, ''))
                        ON CONFLICT DO NOTHING;
                    END;
                    CREATE TRIGGER tally_series_delete AFTER DELETE ON tally BEGIN
                        DELETE FROM tally_series
                        WHERE procedure_id = old.procedure_id AND approach = old.approach
                          AND department_id = old.department_id AND campus_id = IFNULL(old.campus_id, '')
                          AND surgeon_id = IFNULL(old.surgeon_id, '')
                          AND NOT EXISTS (
                              SELECT 1 FROM tally
                              WHERE procedure_id = old.procedure_id AND approach = old.approach
                                AND department_id = old.department_id AND campus_id IS old.campus_id
                                AND surgeon_id IS old.surgeon_id);
                    END;
                    CREATE TRIGGER tally_series_update AFTER UPDATE ON tally BEGIN
                        DELETE FROM tally_series
                        WHERE procedure_id = old.procedure_id AND approach = old.approach
                          AND department_id = old.department_id AND campus_id = IFNULL(old.campus_id, '')
                          AND surgeon_id = IFNULL(old.surgeon_id, '')
                          AND NOT EXISTS (
                              SELECT 1 FROM tally
                              WHERE procedure_id = old.procedure_id AND approach = old.approach
                                AND department_id = old.department_id AND campus_id IS old.campus_id
                                AND surgeon_id IS old.surgeon_id);
                        INSERT INTO tally_series VALUES (
                            new.procedure_id, new.approach, new.department_id, IFNULL(new.campus_id, ''),
                            IFNULL(new.surgeon_id, ''))
                        ON CONFLICT DO NOTHING;
                    END;
                    """)
        }
        migrator.registerMigration("v17-tally-line-rollup") { db in
            // Sums of operations by procedure, approach and period over every department, campus and surgeon, kept
            // like `tally_rollup`: the report's milestones ("the 500th laparoscopic choledochal cyst excision") read
            // one sum per procedure, approach and period instead of every tally of the registry. A sum goes with its
            // last tally, found by its key.
            try db.execute(
                sql: """
                    CREATE TABLE tally_line_rollup (
                        procedure_id TEXT NOT NULL,
                        approach TEXT NOT NULL,
                        from_day TEXT NOT NULL,
                        to_day TEXT NOT NULL,
                        count INTEGER NOT NULL,
                        tallies INTEGER NOT NULL,
                        PRIMARY KEY (procedure_id, approach, from_day, to_day)
                    ) WITHOUT ROWID;
                    INSERT INTO tally_line_rollup
                        SELECT procedure_id, approach, IFNULL(from_day, ''), to_day, SUM(count), COUNT(*)
                        FROM tally GROUP BY 1, 2, 3, 4;
                    CREATE TRIGGER tally_line_rollup_insert AFTER INSERT ON tally BEGIN
                        INSERT INTO tally_line_rollup VALUES (
                            new.procedure_id, new.approach, IFNULL(new.from_day, ''), new.to_day, new.count, 1)
                        ON CONFLICT DO UPDATE SET count = count + excluded.count, tallies = tallies + 1;
                    END;
                    CREATE TRIGGER tally_line_rollup_delete AFTER DELETE ON tally BEGIN
                        UPDATE tally_line_rollup SET count = count - old.count, tallies = tallies - 1
                        WHERE procedure_id = old.procedure_id AND approach = old.approach
                          AND from_day = IFNULL(old.from_day, '') AND to_day = old.to_day;
                        DELETE FROM tally_line_rollup
                        WHERE procedure_id = old.procedure_id AND approach = old.approach
                          AND from_day = IFNULL(old.from_day, '') AND to_day = old.to_day AND tallies = 0;
                    END;
                    CREATE TRIGGER tally_line_rollup_update AFTER UPDATE ON tally BEGIN
                        UPDATE tally_line_rollup SET count = count - old.count, tallies = tallies - 1
                        WHERE procedure_id = old.procedure_id AND approach = old.approach
                          AND from_day = IFNULL(old.from_day, '') AND to_day = old.to_day;
                        DELETE FROM tally_line_rollup
                        WHERE procedure_id = old.procedure_id AND approach = old.approach
                          AND from_day = IFNULL(old.from_day, '') AND to_day = old.to_day AND tallies = 0;
                        INSERT INTO tally_line_rollup VALUES (
                            new.procedure_id, new.approach, IFNULL(new.from_day, ''), new.to_day, new.count, 1)
                        ON CONFLICT DO UPDATE SET count = count + excluded.count, tallies = tallies + 1;
                    END;
                    """)
        }
        return migrator
    }
}
