/// PostgreSQL migrations: the same identifiers, in the same order, meaning the same as the SQLite ones in
/// `Migrations.swift` (translated: TEXT is `COLLATE "C"`, so that ids sort byte by byte as in SQLite;
/// SQLite's INTEGER is BIGINT; its 0/1 flags are BOOLEAN; AUTOINCREMENT is BIGSERIAL; triggers are PL/pgSQL).
///
/// Append-only: a migration that has shipped is never changed; new needs get a new migration, added here
/// and in `Migrations.swift` alike. Each runs in its own transaction, recorded in `annals_migrations`.
enum PostgresMigrations {
    static let all: [(identifier: String, sql: String)] = [
        (
            "v1-registry",
            // Records are stored as their canonical JSON (`body`) plus the columns queries need.
            // References between records are foreign keys checked at commit (deferred), so a whole
            // file can be written in any order and a dangling reference still cannot land.
            """
                CREATE TABLE org_unit (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('hospital', 'department')),
                    name TEXT COLLATE "C" NOT NULL,
                    parent_id TEXT COLLATE "C" REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    body TEXT COLLATE "C" NOT NULL
                );
                CREATE TABLE campus (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    org_unit_id TEXT COLLATE "C" NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    name TEXT COLLATE "C" NOT NULL
                );
                CREATE INDEX campus_org_unit ON campus(org_unit_id);

                CREATE TABLE person (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    family_name TEXT COLLATE "C" NOT NULL,
                    given_name TEXT COLLATE "C" NOT NULL,
                    orcid TEXT COLLATE "C",
                    clinical_rank TEXT COLLATE "C",
                    degree TEXT COLLATE "C",
                    body TEXT COLLATE "C" NOT NULL
                );
                CREATE INDEX person_orcid ON person(orcid);
                CREATE TABLE person_name (
                    person_id TEXT COLLATE "C" NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                    kind TEXT COLLATE "C" NOT NULL,
                    value TEXT COLLATE "C" NOT NULL,
                    folded TEXT COLLATE "C" NOT NULL
                );
                CREATE INDEX person_name_folded ON person_name(folded);
                CREATE INDEX person_name_person ON person_name(person_id);
                CREATE TABLE person_department (
                    person_id TEXT COLLATE "C" NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                    department_id TEXT COLLATE "C" NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    PRIMARY KEY (person_id, department_id)
                );

                CREATE TABLE journal (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    title TEXT COLLATE "C" NOT NULL,
                    issn_print TEXT COLLATE "C",
                    issn_electronic TEXT COLLATE "C",
                    body TEXT COLLATE "C" NOT NULL
                );
                CREATE INDEX journal_issn_print ON journal(issn_print);
                CREATE INDEX journal_issn_electronic ON journal(issn_electronic);
                CREATE TABLE journal_metrics (
                    journal_id TEXT COLLATE "C" NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
                    year BIGINT NOT NULL,
                    indexes TEXT COLLATE "C" NOT NULL,
                    is_sci BOOLEAN NOT NULL,
                    impact_factor TEXT COLLATE "C",
                    jcr_quartile BIGINT,
                    cas_zone BIGINT,
                    PRIMARY KEY (journal_id, year)
                );

                CREATE TABLE procedure (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    preferred_term TEXT COLLATE "C" NOT NULL,
                    category TEXT COLLATE "C" NOT NULL,
                    grade BIGINT CHECK (grade BETWEEN 1 AND 4),
                    body TEXT COLLATE "C" NOT NULL
                );
                CREATE TABLE procedure_term (
                    procedure_id TEXT COLLATE "C" NOT NULL REFERENCES procedure(id) ON DELETE CASCADE,
                    term TEXT COLLATE "C" NOT NULL,
                    folded TEXT COLLATE "C" NOT NULL
                );
                CREATE INDEX procedure_term_folded ON procedure_term(folded);
                CREATE INDEX procedure_term_procedure ON procedure_term(procedure_id);

                CREATE TABLE project (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    title TEXT COLLATE "C" NOT NULL,
                    funder TEXT COLLATE "C" NOT NULL,
                    level TEXT COLLATE "C" NOT NULL,
                    status TEXT COLLATE "C" NOT NULL,
                    start TEXT COLLATE "C",
                    "end" TEXT COLLATE "C",
                    principal_investigator_id TEXT COLLATE "C" REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                    amount TEXT COLLATE "C",
                    currency TEXT COLLATE "C",
                    body TEXT COLLATE "C" NOT NULL
                );
                CREATE TABLE project_department (
                    project_id TEXT COLLATE "C" NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    department_id TEXT COLLATE "C" NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    role TEXT COLLATE "C" NOT NULL,
                    PRIMARY KEY (project_id, department_id)
                );

                CREATE TABLE publication (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    kind TEXT COLLATE "C" NOT NULL,
                    title TEXT COLLATE "C" NOT NULL,
                    year BIGINT,
                    published TEXT COLLATE "C",
                    journal_id TEXT COLLATE "C" REFERENCES journal(id) DEFERRABLE INITIALLY DEFERRED,
                    doi TEXT COLLATE "C",
                    pmid TEXT COLLATE "C",
                    pmcid TEXT COLLATE "C",
                    retracted BOOLEAN NOT NULL DEFAULT false,
                    source_kind TEXT COLLATE "C",
                    body TEXT COLLATE "C" NOT NULL
                );
                CREATE INDEX publication_year ON publication(year);
                CREATE INDEX publication_doi ON publication(doi);
                CREATE INDEX publication_pmid ON publication(pmid);
                CREATE TABLE publication_author (
                    publication_id TEXT COLLATE "C" NOT NULL REFERENCES publication(id) ON DELETE CASCADE,
                    position BIGINT NOT NULL,
                    person_id TEXT COLLATE "C" REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                    is_first BOOLEAN NOT NULL,
                    is_corresponding BOOLEAN NOT NULL,
                    PRIMARY KEY (publication_id, position)
                );
                CREATE INDEX publication_author_person ON publication_author(person_id);
                CREATE TABLE publication_department (
                    publication_id TEXT COLLATE "C" NOT NULL REFERENCES publication(id) ON DELETE CASCADE,
                    department_id TEXT COLLATE "C" NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    PRIMARY KEY (publication_id, department_id)
                );
                CREATE INDEX publication_department_department ON publication_department(department_id);

                CREATE TABLE patent (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    kind TEXT COLLATE "C" NOT NULL,
                    status TEXT COLLATE "C" NOT NULL,
                    filed TEXT COLLATE "C",
                    granted TEXT COLLATE "C",
                    body TEXT COLLATE "C" NOT NULL
                );
                CREATE TABLE patent_department (
                    patent_id TEXT COLLATE "C" NOT NULL REFERENCES patent(id) ON DELETE CASCADE,
                    department_id TEXT COLLATE "C" NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    PRIMARY KEY (patent_id, department_id)
                );
                CREATE TABLE patent_inventor (
                    patent_id TEXT COLLATE "C" NOT NULL REFERENCES patent(id) ON DELETE CASCADE,
                    position BIGINT NOT NULL,
                    person_id TEXT COLLATE "C" REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                    PRIMARY KEY (patent_id, position)
                );

                CREATE TABLE award (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    level TEXT COLLATE "C" NOT NULL,
                    year BIGINT NOT NULL,
                    project_id TEXT COLLATE "C" REFERENCES project(id) DEFERRABLE INITIALLY DEFERRED,
                    body TEXT COLLATE "C" NOT NULL
                );
                CREATE TABLE award_department (
                    award_id TEXT COLLATE "C" NOT NULL REFERENCES award(id) ON DELETE CASCADE,
                    department_id TEXT COLLATE "C" NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    PRIMARY KEY (award_id, department_id)
                );
                CREATE TABLE award_recipient (
                    award_id TEXT COLLATE "C" NOT NULL REFERENCES award(id) ON DELETE CASCADE,
                    position BIGINT NOT NULL,
                    person_id TEXT COLLATE "C" REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                    PRIMARY KEY (award_id, position)
                );

                CREATE TABLE staff_census (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    department_id TEXT COLLATE "C" NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    category TEXT COLLATE "C" NOT NULL,
                    count BIGINT NOT NULL CHECK (count >= 0),
                    as_of TEXT COLLATE "C" NOT NULL,
                    note TEXT COLLATE "C"
                );

                -- Counts of operations, never patient data. from_day/to_day are the first and last
                -- day the period can mean (from_day NULL: a cumulative baseline).
                CREATE TABLE tally (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    procedure_id TEXT COLLATE "C" NOT NULL REFERENCES procedure(id) DEFERRABLE INITIALLY DEFERRED,
                    approach TEXT COLLATE "C" NOT NULL,
                    department_id TEXT COLLATE "C" NOT NULL REFERENCES org_unit(id) DEFERRABLE INITIALLY DEFERRED,
                    campus_id TEXT COLLATE "C" REFERENCES campus(id) DEFERRABLE INITIALLY DEFERRED,
                    surgeon_id TEXT COLLATE "C" REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                    period_from TEXT COLLATE "C",
                    period_to TEXT COLLATE "C" NOT NULL,
                    from_day TEXT COLLATE "C",
                    to_day TEXT COLLATE "C" NOT NULL,
                    count BIGINT NOT NULL CHECK (count >= 0),
                    source TEXT COLLATE "C",
                    note TEXT COLLATE "C"
                );
                CREATE INDEX tally_procedure ON tally(procedure_id, department_id, to_day, count);

                -- One row per import run: which file, when, what it changed.
                CREATE TABLE import_log (
                    id BIGSERIAL PRIMARY KEY,
                    kind TEXT COLLATE "C" NOT NULL,
                    file TEXT COLLATE "C" NOT NULL,
                    sha256 TEXT COLLATE "C" NOT NULL,
                    imported_at TEXT COLLATE "C" NOT NULL,
                    summary TEXT COLLATE "C" NOT NULL
                );
            """
        ),
        (
            "v2-publication-import",
            // Keys for finding the same paper from another source, merges with what they replaced, the
            // merges people rejected, and the authors waiting for someone to confirm who they are.
            """
                ALTER TABLE publication ADD COLUMN title_key TEXT COLLATE "C";
                ALTER TABLE publication ADD COLUMN first_author_key TEXT COLLATE "C";
                CREATE INDEX publication_match ON publication(title_key, year);
                CREATE INDEX publication_pmcid ON publication(pmcid);

                CREATE TABLE publication_merge (
                    id BIGSERIAL PRIMARY KEY,
                    kept_id TEXT COLLATE "C" NOT NULL REFERENCES publication(id) ON DELETE CASCADE,
                    merged_id TEXT COLLATE "C" NOT NULL,
                    reason TEXT COLLATE "C" NOT NULL,
                    source_file TEXT COLLATE "C",
                    merged_body TEXT COLLATE "C" NOT NULL,
                    merged_at TEXT COLLATE "C" NOT NULL,
                    UNIQUE (kept_id, merged_id)
                );
                CREATE INDEX publication_merge_merged ON publication_merge(merged_id);

                CREATE TABLE merge_rejection (
                    first_id TEXT COLLATE "C" NOT NULL,
                    second_id TEXT COLLATE "C" NOT NULL,
                    rejected_at TEXT COLLATE "C" NOT NULL,
                    PRIMARY KEY (first_id, second_id)
                );

                CREATE TABLE review_item (
                    id BIGSERIAL PRIMARY KEY,
                    publication_id TEXT COLLATE "C" NOT NULL REFERENCES publication(id) ON DELETE CASCADE,
                    author_position BIGINT NOT NULL,
                    author_name TEXT COLLATE "C" NOT NULL,
                    person_id TEXT COLLATE "C" NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                    reason TEXT COLLATE "C" NOT NULL,
                    status TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
                    decided_at TEXT COLLATE "C",
                    UNIQUE (publication_id, author_position, person_id)
                );
            """
        ),
        (
            "v3-tally-history",
            // A corrected tally keeps what it said before. The indexes serve overlap checks and queries.
            """
                CREATE TABLE tally_history (
                    id BIGSERIAL PRIMARY KEY,
                    tally_id TEXT COLLATE "C" NOT NULL,
                    body TEXT COLLATE "C" NOT NULL,
                    replaced_at TEXT COLLATE "C" NOT NULL
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
            """
        ),
        (
            "v4-tally-rollup",
            // Sums of operations by department, approach, campus, surgeon and period, kept by a trigger on
            // tally (one PL/pgSQL function for insert, update and delete, as SQLite's three triggers do).
            """
                CREATE TABLE tally_rollup (
                    department_id TEXT COLLATE "C" NOT NULL,
                    approach TEXT COLLATE "C" NOT NULL,
                    campus_id TEXT COLLATE "C" NOT NULL,
                    surgeon_id TEXT COLLATE "C" NOT NULL,
                    from_day TEXT COLLATE "C" NOT NULL,
                    to_day TEXT COLLATE "C" NOT NULL,
                    count BIGINT NOT NULL,
                    tallies BIGINT NOT NULL,
                    PRIMARY KEY (department_id, approach, campus_id, surgeon_id, from_day, to_day)
                );
                CREATE INDEX tally_rollup_period ON tally_rollup(from_day, to_day, count, tallies);
                INSERT INTO tally_rollup
                    SELECT department_id, approach, COALESCE(campus_id, ''), COALESCE(surgeon_id, ''),
                           COALESCE(from_day, ''), to_day, SUM(count), COUNT(*)
                    FROM tally GROUP BY 1, 2, 3, 4, 5, 6;
                CREATE FUNCTION tally_rollup_sync() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        UPDATE tally_rollup SET count = count - OLD.count, tallies = tallies - 1
                        WHERE department_id = OLD.department_id AND approach = OLD.approach
                          AND campus_id = COALESCE(OLD.campus_id, '') AND surgeon_id = COALESCE(OLD.surgeon_id, '')
                          AND from_day = COALESCE(OLD.from_day, '') AND to_day = OLD.to_day;
                        DELETE FROM tally_rollup
                        WHERE department_id = OLD.department_id AND approach = OLD.approach
                          AND campus_id = COALESCE(OLD.campus_id, '') AND surgeon_id = COALESCE(OLD.surgeon_id, '')
                          AND from_day = COALESCE(OLD.from_day, '') AND to_day = OLD.to_day AND tallies = 0;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO tally_rollup AS r VALUES (
                            NEW.department_id, NEW.approach, COALESCE(NEW.campus_id, ''), COALESCE(NEW.surgeon_id, ''),
                            COALESCE(NEW.from_day, ''), NEW.to_day, NEW.count, 1)
                        ON CONFLICT (department_id, approach, campus_id, surgeon_id, from_day, to_day)
                        DO UPDATE SET count = r.count + excluded.count, tallies = r.tallies + 1;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER tally_rollup_sync AFTER INSERT OR UPDATE OR DELETE ON tally
                    FOR EACH ROW EXECUTE FUNCTION tally_rollup_sync();
            """
        ),
        (
            "v5-record-history",
            // A record replaced under its own id keeps what it said before (as in SQLite).
            """
                CREATE TABLE record_history (
                    id BIGSERIAL PRIMARY KEY,
                    kind TEXT COLLATE "C" NOT NULL,
                    record_id TEXT COLLATE "C" NOT NULL,
                    body TEXT COLLATE "C" NOT NULL,
                    replaced_at TEXT COLLATE "C" NOT NULL,
                    replaced_by TEXT COLLATE "C" NOT NULL
                );
                CREATE INDEX record_history_record ON record_history(kind, record_id);
            """
        ),
        (
            "v6-tally-by-series",
            // Covering indexes in series order, for summing each series over windows (as in SQLite).
            """
                DROP INDEX tally_series;
                CREATE INDEX tally_by_series
                    ON tally(procedure_id, approach, department_id, campus_id, surgeon_id, from_day, to_day, count);
                DROP INDEX tally_by_department;
                CREATE INDEX tally_by_department
                    ON tally(department_id, procedure_id, approach, campus_id, surgeon_id, from_day, to_day, count);
            """
        ),
        (
            "v7-tally-import",
            // Imports of many tallies (as in SQLite): `tally_series` is no longer used and cost every insert. The
            // rollup is kept per statement instead of per row: triggers with transition tables add up what a
            // statement inserted, replaced or deleted, so a multi-row INSERT of a batch changes each sum once.
            // (A trigger with transition tables has one event, so there are three, as SQLite has.)
            """
                DROP INDEX IF EXISTS tally_series;
                DROP TRIGGER tally_rollup_sync ON tally;
                DROP FUNCTION tally_rollup_sync();
                CREATE FUNCTION tally_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO tally_rollup AS r
                            SELECT department_id, approach, COALESCE(campus_id, ''), COALESCE(surgeon_id, ''), COALESCE(from_day, ''),
                                   to_day, SUM(count), COUNT(*)
                            FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6
                        ON CONFLICT (department_id, approach, campus_id, surgeon_id, from_day, to_day)
                        DO UPDATE SET count = r.count + excluded.count, tallies = r.tallies + excluded.tallies;
                        RETURN NULL;
                    END IF;
                    IF TG_OP = 'UPDATE' THEN
                        INSERT INTO tally_rollup AS r
                            SELECT department_id, approach, campus_id, surgeon_id, from_day, to_day, SUM(n), SUM(k)
                            FROM (SELECT department_id, approach, COALESCE(campus_id, '') campus_id, COALESCE(surgeon_id, '') surgeon_id,
                                         COALESCE(from_day, '') from_day, to_day, count n, 1 k FROM new_rows
                                  UNION ALL
                                  SELECT department_id, approach, COALESCE(campus_id, ''), COALESCE(surgeon_id, ''),
                                         COALESCE(from_day, ''), to_day, -count, -1 FROM old_rows) changes
                            GROUP BY 1, 2, 3, 4, 5, 6
                        ON CONFLICT (department_id, approach, campus_id, surgeon_id, from_day, to_day)
                        DO UPDATE SET count = r.count + excluded.count, tallies = r.tallies + excluded.tallies;
                    ELSE
                        UPDATE tally_rollup r SET count = r.count - o.n, tallies = r.tallies - o.k
                        FROM (SELECT department_id, approach, COALESCE(campus_id, '') c, COALESCE(surgeon_id, '') s,
                                     COALESCE(from_day, '') f, to_day, SUM(count) n, COUNT(*) k
                              FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6) o
                        WHERE r.department_id = o.department_id AND r.approach = o.approach AND r.campus_id = o.c
                          AND r.surgeon_id = o.s AND r.from_day = o.f AND r.to_day = o.to_day;
                    END IF;
                    -- A sum left with no tally goes.
                    DELETE FROM tally_rollup r
                    USING (SELECT DISTINCT department_id, approach, COALESCE(campus_id, '') c, COALESCE(surgeon_id, '') s,
                                  COALESCE(from_day, '') f, to_day FROM old_rows) o
                    WHERE r.department_id = o.department_id AND r.approach = o.approach AND r.campus_id = o.c
                      AND r.surgeon_id = o.s AND r.from_day = o.f AND r.to_day = o.to_day AND r.tallies = 0;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER tally_rollup_insert AFTER INSERT ON tally REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_rollup_apply();
                CREATE TRIGGER tally_rollup_update AFTER UPDATE ON tally REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_rollup_apply();
                CREATE TRIGGER tally_rollup_delete AFTER DELETE ON tally REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_rollup_apply();
            """
        ),
        (
            "v8-change-log",
            // Every write, append-only, with the records it changed (as in SQLite); the earlier history copied in.
            """
                CREATE TABLE change_log (
                    id BIGSERIAL PRIMARY KEY,
                    changed_at TEXT COLLATE "C" NOT NULL,
                    actor TEXT COLLATE "C" NOT NULL,
                    action TEXT COLLATE "C" NOT NULL,
                    detail TEXT COLLATE "C"
                );
                CREATE INDEX change_log_changed_at ON change_log(changed_at);
                CREATE TABLE change_record (
                    id BIGSERIAL PRIMARY KEY,
                    change_id BIGINT NOT NULL REFERENCES change_log(id),
                    kind TEXT COLLATE "C" NOT NULL,
                    record_id TEXT COLLATE "C" NOT NULL,
                    operation TEXT COLLATE "C" NOT NULL CHECK (operation IN ('added', 'replaced', 'deleted')),
                    body_before TEXT COLLATE "C",
                    body_after TEXT COLLATE "C"
                );
                CREATE INDEX change_record_record ON change_record(record_id, kind);
                CREATE INDEX change_record_change ON change_record(change_id);
                CREATE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the change log is append-only: a line once written is never changed or removed';
                END $$;
                CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log
                    FOR EACH ROW EXECUTE FUNCTION change_log_append_only();
                CREATE TRIGGER change_record_append_only BEFORE UPDATE OR DELETE ON change_record
                    FOR EACH ROW EXECUTE FUNCTION change_log_append_only();

                INSERT INTO change_log (id, changed_at, actor, action, detail)
                    SELECT id, imported_at, 'unknown', 'import', kind || ' ' || file FROM import_log;
                INSERT INTO change_log (id, changed_at, actor, action, detail)
                    SELECT (SELECT COALESCE(MAX(id), 0) FROM import_log) + id, replaced_at, replaced_by, 'earlier',
                           'kept before the change log'
                    FROM record_history;
                INSERT INTO change_record (change_id, kind, record_id, operation, body_before, body_after)
                    SELECT (SELECT COALESCE(MAX(id), 0) FROM import_log) + id, kind, record_id, 'replaced', body, NULL
                    FROM record_history ORDER BY id;
                INSERT INTO change_log (id, changed_at, actor, action, detail)
                    SELECT (SELECT COALESCE(MAX(id), 0) FROM import_log) + (SELECT COALESCE(MAX(id), 0) FROM record_history) + id,
                           replaced_at, 'unknown', 'earlier', 'kept before the change log'
                    FROM tally_history;
                INSERT INTO change_record (change_id, kind, record_id, operation, body_before, body_after)
                    SELECT (SELECT COALESCE(MAX(id), 0) FROM import_log) + (SELECT COALESCE(MAX(id), 0) FROM record_history) + id,
                           'tally', tally_id, 'replaced', body, NULL
                    FROM tally_history ORDER BY id;
                SELECT setval(pg_get_serial_sequence('change_log', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM change_log), false);
            """
        ),
        (
            "v11-import-shapes",
            // Records an import left out because they cannot be papers, for `annals review` (as in SQLite).
            """
                CREATE TABLE import_skipped (
                    id BIGSERIAL PRIMARY KEY,
                    source_file TEXT COLLATE "C" NOT NULL,
                    position BIGINT NOT NULL,
                    line BIGINT NOT NULL,
                    reason TEXT COLLATE "C" NOT NULL,
                    skipped_at TEXT COLLATE "C" NOT NULL,
                    UNIQUE (source_file, position, reason)
                );
            """
        ),
        (
            "v9-accounts",
            // The people who may sign in to `annals serve`, their sessions and API tokens (as in SQLite).
            """
                CREATE TABLE account (
                    name TEXT COLLATE "C" PRIMARY KEY,
                    role TEXT COLLATE "C" NOT NULL CHECK (role IN ('admin', 'office', 'secretary', 'viewer')),
                    departments TEXT COLLATE "C" NOT NULL,
                    password_hash TEXT COLLATE "C",
                    disabled BIGINT NOT NULL,
                    created_at TEXT COLLATE "C" NOT NULL
                );
                CREATE TABLE web_session (
                    id_hash TEXT COLLATE "C" PRIMARY KEY,
                    account_name TEXT COLLATE "C" NOT NULL REFERENCES account(name),
                    csrf_token TEXT COLLATE "C" NOT NULL,
                    created_at TEXT COLLATE "C" NOT NULL,
                    expires_at TEXT COLLATE "C" NOT NULL
                );
                CREATE INDEX web_session_account ON web_session(account_name);
                CREATE INDEX web_session_expires ON web_session(expires_at);
                CREATE TABLE api_token (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    secret_hash TEXT COLLATE "C" NOT NULL UNIQUE,
                    account_name TEXT COLLATE "C" NOT NULL REFERENCES account(name),
                    created_at TEXT COLLATE "C" NOT NULL,
                    revoked_at TEXT COLLATE "C"
                );
                CREATE INDEX api_token_account ON api_token(account_name);
            """
        ),
        (
            "v12-workflow",
            // The approval chain, closed years and the department head role (as in SQLite).
            """
                CREATE TABLE workflow_status (
                    kind TEXT COLLATE "C" NOT NULL,
                    record_id TEXT COLLATE "C" NOT NULL,
                    state TEXT COLLATE "C" NOT NULL CHECK (state IN ('submitted', 'returned')),
                    steps_done BIGINT NOT NULL,
                    validators TEXT COLLATE "C" NOT NULL,
                    submitted_by TEXT COLLATE "C" NOT NULL,
                    submitted_at TEXT COLLATE "C" NOT NULL,
                    opinion TEXT COLLATE "C",
                    acted_by TEXT COLLATE "C",
                    acted_at TEXT COLLATE "C",
                    PRIMARY KEY (kind, record_id)
                );
                CREATE TABLE approval_step (
                    position BIGINT PRIMARY KEY,
                    role TEXT COLLATE "C" NOT NULL,
                    scope TEXT COLLATE "C" NOT NULL CHECK (scope IN ('department', 'hospital')),
                    label TEXT COLLATE "C"
                );
                CREATE TABLE closed_year (
                    year BIGINT PRIMARY KEY,
                    closed_by TEXT COLLATE "C" NOT NULL,
                    closed_at TEXT COLLATE "C" NOT NULL
                );
                ALTER TABLE account DROP CONSTRAINT account_role_check;
                ALTER TABLE account ADD CONSTRAINT account_role_check
                    CHECK (role IN ('admin', 'office', 'head', 'secretary', 'viewer'));
            """
        ),
        (
            "v13-attachments",
            // Files attached to records, the content as bytea (as in SQLite).
            """
                CREATE TABLE attachment (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    record_kind TEXT COLLATE "C" NOT NULL,
                    record_id TEXT COLLATE "C" NOT NULL,
                    file_name TEXT COLLATE "C" NOT NULL,
                    media_type TEXT COLLATE "C" NOT NULL CHECK (media_type IN ('pdf', 'jpeg', 'png')),
                    size BIGINT NOT NULL,
                    sha256 TEXT COLLATE "C" NOT NULL,
                    added_at TEXT COLLATE "C" NOT NULL,
                    added_by TEXT COLLATE "C" NOT NULL,
                    content BYTEA NOT NULL
                );
                CREATE INDEX attachment_record ON attachment(record_kind, record_id);
            """
        ),
        (
            "v14-publication-import-key",
            // The import key kept with a paper (as in SQLite). PostgreSQL imports do not use it yet: the
            // column stays empty, and every paper is credited and compared in full.
            """
                ALTER TABLE publication ADD COLUMN import_key TEXT COLLATE "C";
            """
        ),
        (
            "v15-paper-list-order",
            // The year beside each department's credit and the indexes paper lists are paged by (as in
            // SQLite; PostgreSQL puts nulls first in a descending index unless told).
            """
                ALTER TABLE publication_department ADD COLUMN year BIGINT;
                UPDATE publication_department d SET year = p.year FROM publication p WHERE p.id = d.publication_id;
                DROP INDEX publication_department_department;
                CREATE INDEX publication_department_year
                    ON publication_department(department_id, year DESC NULLS LAST, publication_id);
                DROP INDEX publication_year;
                CREATE INDEX publication_year_id ON publication(year DESC NULLS LAST, id);
            """
        ),
        (
            "v16-tally-series",
            // Every series the registry holds tallies for (as in SQLite), kept per statement by triggers with
            // transition tables: a statement's new series are added, and a series it left without a tally goes.
            """
                CREATE TABLE tally_series (
                    procedure_id TEXT COLLATE "C" NOT NULL,
                    approach TEXT COLLATE "C" NOT NULL,
                    department_id TEXT COLLATE "C" NOT NULL,
                    campus_id TEXT COLLATE "C" NOT NULL,
                    surgeon_id TEXT COLLATE "C" NOT NULL,
                    PRIMARY KEY (procedure_id, approach, department_id, campus_id, surgeon_id)
                );
                INSERT INTO tally_series
                    SELECT DISTINCT procedure_id, approach, department_id, COALESCE(campus_id, ''), COALESCE(surgeon_id, '')
                    FROM tally;
                CREATE FUNCTION tally_series_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'DELETE' THEN
                        INSERT INTO tally_series
                            SELECT DISTINCT procedure_id, approach, department_id, COALESCE(campus_id, ''),
                                   COALESCE(surgeon_id, '')
                            FROM new_rows
                        ON CONFLICT DO NOTHING;
                    END IF;
                    IF TG_OP <> 'INSERT' THEN
                        DELETE FROM tally_series s
                        USING (SELECT DISTINCT procedure_id, approach, department_id, COALESCE(campus_id, '') c,
                                      COALESCE(surgeon_id, '') u FROM old_rows) o
                        WHERE s.procedure_id = o.procedure_id AND s.approach = o.approach
                          AND s.department_id = o.department_id AND s.campus_id = o.c AND s.surgeon_id = o.u
                          AND NOT EXISTS (
                              SELECT 1 FROM tally t
                              WHERE t.procedure_id = o.procedure_id AND t.approach = o.approach
                                AND t.department_id = o.department_id AND COALESCE(t.campus_id, '') = o.c
                                AND COALESCE(t.surgeon_id, '') = o.u);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER tally_series_insert AFTER INSERT ON tally REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_series_apply();
                CREATE TRIGGER tally_series_update AFTER UPDATE ON tally REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_series_apply();
                CREATE TRIGGER tally_series_delete AFTER DELETE ON tally REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_series_apply();
            """
        ),
        (
            "v17-tally-line-rollup",
            // Sums of operations by procedure, approach and period over every department, campus and surgeon (as in
            // SQLite), kept per statement like `tally_rollup`: the report's milestones read these sums instead of
            // every tally.
            """
                CREATE TABLE tally_line_rollup (
                    procedure_id TEXT COLLATE "C" NOT NULL,
                    approach TEXT COLLATE "C" NOT NULL,
                    from_day TEXT COLLATE "C" NOT NULL,
                    to_day TEXT COLLATE "C" NOT NULL,
                    count BIGINT NOT NULL,
                    tallies BIGINT NOT NULL,
                    PRIMARY KEY (procedure_id, approach, from_day, to_day)
                );
                INSERT INTO tally_line_rollup
                    SELECT procedure_id, approach, COALESCE(from_day, ''), to_day, SUM(count), COUNT(*)
                    FROM tally GROUP BY 1, 2, 3, 4;
                CREATE FUNCTION tally_line_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- A transition table exists only for the events that have it, so each event reads its own.
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO tally_line_rollup AS r
                            SELECT procedure_id, approach, COALESCE(from_day, ''), to_day, SUM(count), COUNT(*)
                            FROM new_rows GROUP BY 1, 2, 3, 4
                        ON CONFLICT (procedure_id, approach, from_day, to_day)
                        DO UPDATE SET count = r.count + excluded.count, tallies = r.tallies + excluded.tallies;
                        RETURN NULL;
                    END IF;
                    IF TG_OP = 'UPDATE' THEN
                        INSERT INTO tally_line_rollup AS r
                            SELECT procedure_id, approach, from_day, to_day, SUM(n), SUM(k)
                            FROM (SELECT procedure_id, approach, COALESCE(from_day, '') from_day, to_day, count n, 1 k
                                  FROM new_rows
                                  UNION ALL
                                  SELECT procedure_id, approach, COALESCE(from_day, ''), to_day, -count, -1
                                  FROM old_rows) changes
                            GROUP BY 1, 2, 3, 4
                        ON CONFLICT (procedure_id, approach, from_day, to_day)
                        DO UPDATE SET count = r.count + excluded.count, tallies = r.tallies + excluded.tallies;
                    ELSE
                        UPDATE tally_line_rollup r SET count = r.count - o.n, tallies = r.tallies - o.k
                        FROM (SELECT procedure_id, approach, COALESCE(from_day, '') f, to_day, SUM(count) n, COUNT(*) k
                              FROM old_rows GROUP BY 1, 2, 3, 4) o
                        WHERE r.procedure_id = o.procedure_id AND r.approach = o.approach AND r.from_day = o.f
                          AND r.to_day = o.to_day;
                    END IF;
                    -- A sum left with no tally goes.
                    DELETE FROM tally_line_rollup r
                    USING (SELECT DISTINCT procedure_id, approach, COALESCE(from_day, '') f, to_day FROM old_rows) o
                    WHERE r.procedure_id = o.procedure_id AND r.approach = o.approach AND r.from_day = o.f
                      AND r.to_day = o.to_day AND r.tallies = 0;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER tally_line_rollup_insert AFTER INSERT ON tally REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_line_rollup_apply();
                CREATE TRIGGER tally_line_rollup_update AFTER UPDATE ON tally
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_line_rollup_apply();
                CREATE TRIGGER tally_line_rollup_delete AFTER DELETE ON tally REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tally_line_rollup_apply();
            """
        ),
    ]
}
