import Foundation

/// A value as it is copied from one registry to another, whatever keeps them.
enum StoreValue: Sendable, Hashable {
    case null
    case int(Int)
    case text(String)
    case bytes(Data)
}

/// One table of the registry as `annals migrate-store` copies it: its columns in a fixed order, with the
/// kind of each (a flag is INTEGER 0/1 in SQLite and BOOLEAN in PostgreSQL; both copy as 0 or 1).
struct StoreTable: Sendable {
    enum Kind: Sendable { case text, int, flag, bytes }

    var name: String
    var columns: [(name: String, kind: Kind)]
    /// Columns numbered by the database (SQLite AUTOINCREMENT, PostgreSQL BIGSERIAL): copied as they are,
    /// so that `annals duplicates --reject N` and the review numbers mean the same afterwards.
    var serial: String?

    init(
        _ name: String, _ columns: String, ints: Set<String> = [], flags: Set<String> = [], bytes: Set<String> = [],
        serial: String? = nil
    ) {
        self.name = name
        self.columns = columns.split(separator: " ").map { column in
            let c = String(column)
            if bytes.contains(c) { return (c, .bytes) }
            return (c, flags.contains(c) ? .flag : ints.contains(c) || c == serial ? .int : .text)
        }
        self.serial = serial
    }

    /// `"end"` and the other names as SQL needs them (both dialects quote with double quotes).
    var quotedColumns: [String] { columns.map { "\"\($0.name)\"" } }

    /// Every table that holds registry data, parents before children, so that each row's immediate
    /// references already exist when it is written. `tally_rollup` and `tally_series` are left out: both
    /// backends keep them from `tally` by triggers.
    static let all: [StoreTable] = [
        StoreTable("org_unit", "id kind name parent_id body"),
        StoreTable("campus", "id org_unit_id name"),
        StoreTable("person", "id family_name given_name orcid clinical_rank degree body"),
        StoreTable("person_name", "person_id kind value folded"),
        StoreTable("person_department", "person_id department_id"),
        StoreTable("journal", "id title issn_print issn_electronic body"),
        StoreTable(
            "journal_metrics", "journal_id year indexes is_sci impact_factor jcr_quartile cas_zone",
            ints: ["year", "jcr_quartile", "cas_zone"], flags: ["is_sci"]),
        StoreTable("procedure", "id preferred_term category grade body", ints: ["grade"]),
        StoreTable("procedure_term", "procedure_id term folded"),
        StoreTable(
            "project", "id title funder level status start end principal_investigator_id amount currency body"),
        StoreTable("project_department", "project_id department_id role"),
        StoreTable(
            "publication",
            "id kind title year published journal_id doi pmid pmcid retracted source_kind body title_key first_author_key",
            ints: ["year"], flags: ["retracted"]),
        StoreTable(
            "publication_author", "publication_id position person_id is_first is_corresponding", ints: ["position"],
            flags: ["is_first", "is_corresponding"]),
        StoreTable("publication_department", "publication_id department_id year", ints: ["year"]),
        StoreTable("patent", "id kind status filed granted body"),
        StoreTable("patent_department", "patent_id department_id"),
        StoreTable("patent_inventor", "patent_id position person_id", ints: ["position"]),
        StoreTable("award", "id level year project_id body", ints: ["year"]),
        StoreTable("award_department", "award_id department_id"),
        StoreTable("award_recipient", "award_id position person_id", ints: ["position"]),
        StoreTable("staff_census", "id department_id category count as_of note", ints: ["count"]),
        StoreTable(
            "tally",
            "id procedure_id approach department_id campus_id surgeon_id period_from period_to from_day to_day count source note",
            ints: ["count"]),
        StoreTable("tally_history", "id tally_id body replaced_at", serial: "id"),
        StoreTable("record_history", "id kind record_id body replaced_at replaced_by", serial: "id"),
        StoreTable("import_log", "id kind file sha256 imported_at summary", serial: "id"),
        StoreTable("publication_merge", "id kept_id merged_id reason source_file merged_body merged_at", serial: "id"),
        StoreTable("merge_rejection", "first_id second_id rejected_at"),
        StoreTable(
            "review_item", "id publication_id author_position author_name person_id reason status decided_at",
            ints: ["author_position"], serial: "id"),
        StoreTable("change_log", "id changed_at actor action detail", serial: "id"),
        StoreTable(
            "change_record", "id change_id kind record_id operation body_before body_after", ints: ["change_id"],
            serial: "id"),
        // Accounts and API tokens move with the registry; browser sessions do not (people sign in again).
        StoreTable("account", "name role departments password_hash disabled created_at", ints: ["disabled"]),
        StoreTable("api_token", "id secret_hash account_name created_at revoked_at"),
        StoreTable(
            "workflow_status",
            "kind record_id state steps_done validators submitted_by submitted_at opinion acted_by acted_at",
            ints: ["steps_done"]),
        StoreTable("approval_step", "position role scope label", ints: ["position"]),
        StoreTable("closed_year", "year closed_by closed_at", ints: ["year"]),
        StoreTable(
            "attachment", "id record_kind record_id file_name media_type size sha256 added_at added_by content",
            ints: ["size"], bytes: ["content"]),
    ]
}
