public import AnnalsModel
import Foundation

/// The registry as spreadsheets (RFC 4180 CSV, one row per record, columns in a fixed order) and as
/// RIS for reference managers.
public enum TableExport {
    /// The tables `annals export --format csv --table` writes.
    public enum Table: String, Sendable, CaseIterable {
        case publications, projects, patents, awards, tallies, people

        /// The columns, in their fixed order (documented in the README).
        public var columns: [String] {
            switch self {
            case .publications:
                [
                    "id", "type", "year", "published", "title", "journal", "issn_print", "issn_electronic", "volume",
                    "issue", "pages", "doi", "pmid", "pmcid", "authors", "departments", "retracted", "source",
                ]
            case .projects:
                [
                    "id", "title", "funder", "programme", "level", "grant_number", "principal_investigator",
                    "departments", "start", "end", "amount", "currency", "status",
                ]
            case .patents:
                [
                    "id", "kind", "title", "application_number", "grant_number", "inventors", "filed", "granted",
                    "status", "departments",
                ]
            case .awards:
                ["id", "name", "grade", "level", "year", "recipients", "project", "departments"]
            case .tallies:
                [
                    "id", "procedure", "approach", "department", "campus", "surgeon", "from", "to", "count", "source",
                    "note",
                ]
            case .people:
                [
                    "id", "family_name", "given_name", "chinese_name", "orcid", "clinical_rank", "academic_title",
                    "degree", "supervisor", "departments",
                ]
            }
        }
    }

    /// Writes `table` of the registry as CSV, a row at a time, to `write`. With `excel`, a UTF-8
    /// byte-order mark comes first so that Excel opens Chinese text correctly.
    public static func csv(
        _ table: Table, from registry: some RegistryReading, excel: Bool = false, write: (String) throws -> Void
    ) throws {
        if excel { try write("\u{FEFF}") }
        try write(CSVWriter.line(table.columns))
        let list = { (values: [String]) in values.joined(separator: "; ") }
        switch table {
        case .publications:
            try registry.forEachPublication { p in
                try write(
                    CSVWriter.line([
                        p.id, p.kind.rawValue, p.published.map { "\($0.year)" } ?? "", p.published?.description ?? "",
                        p.title.plain,
                        p.journal?.title ?? "", p.journal?.issnPrint ?? "", p.journal?.issnElectronic ?? "",
                        p.volume ?? "", p.issue ?? "",
                        p.pages ?? "", p.doi ?? "", p.pmid ?? "", p.pmcid ?? "", list(p.authors.map(\.shortName)),
                        list(p.departmentIDs),
                        p.isRetracted ? "yes" : "no", p.source?.kind.rawValue ?? "",
                    ]))
            }
        case .projects:
            for p in try registry.projects() {
                try write(
                    CSVWriter.line([
                        p.id, p.title, p.funder, p.programme ?? "", p.level.rawValue, p.grantNumber ?? "",
                        p.principalInvestigatorID ?? "",
                        list(p.departments.map { "\($0.departmentID) (\($0.role.rawValue))" }),
                        p.start?.description ?? "",
                        p.end?.description ?? "", p.amount?.amount.text ?? "", p.amount?.currency ?? "",
                        p.status.rawValue,
                    ]))
            }
        case .patents:
            for p in try registry.patents() {
                try write(
                    CSVWriter.line([
                        p.id, p.kind.rawValue, p.title, p.applicationNumber ?? "", p.grantNumber ?? "",
                        list(p.inventors.map(\.name)),
                        p.filed?.description ?? "", p.granted?.description ?? "", p.status.rawValue,
                        list(p.departmentIDs),
                    ]))
            }
        case .awards:
            for a in try registry.awards() {
                try write(
                    CSVWriter.line([
                        a.id, a.name, a.grade ?? "", a.level.rawValue, "\(a.year)", list(a.recipients.map(\.name)),
                        a.projectID ?? "", list(a.departmentIDs),
                    ]))
            }
        case .tallies:
            try registry.forEachTally { t in
                try write(
                    CSVWriter.line([
                        t.id, t.procedureID, t.approach.rawValue, t.departmentID, t.campusID ?? "", t.surgeonID ?? "",
                        t.from?.description ?? "", t.to.description, "\(t.count)", t.source ?? "", t.note ?? "",
                    ]))
            }
        case .people:
            for p in try registry.people() {
                try write(
                    CSVWriter.line([
                        p.id, p.familyName, p.givenName, p.chineseName ?? "", p.orcid ?? "",
                        p.clinicalRank?.rawValue ?? "",
                        p.academicTitle ?? "", p.degree?.rawValue ?? "", list(p.supervisorRoles.map(\.rawValue)),
                        list(p.departmentIDs),
                    ]))
            }
        }
    }

    /// Writes the publications (of `year` and `department` when given) as RIS records.
    public static func ris(
        from registry: some RegistryReading, year: Int? = nil, department: String? = nil, write: (String) throws -> Void
    ) throws {
        try registry.forEachPublication(year: year, department: department, person: nil) { p in
            try write(risRecord(p))
        }
    }

    /// One RIS record (lines end in CRLF, as the format asks).
    public static func risRecord(_ p: Publication) -> String {
        var lines: [(String, String)] = []
        let type: String =
            switch p.kind {
            case .book: "BOOK"
            case .bookChapter: "CHAP"
            case .conferencePaper: "CPAPER"
            default: "JOUR"
            }
        lines.append(("TY", type))
        for a in p.authors {
            // A name in characters is written whole (高志刚): "高, 志刚" would be read as family and given name in pinyin order.
            lines.append(
                (
                    "AU",
                    a.collectiveName ?? a.chineseName
                        ?? [a.familyName, a.givenName ?? a.initials].compactMap { $0 }.joined(separator: ", ")
                ))
        }
        for e in p.editors {
            lines.append(
                (
                    "ED",
                    e.chineseName
                        ?? [e.familyName, e.givenName ?? e.initials].compactMap { $0 }.joined(separator: ", ")
                ))
        }
        lines.append(("TI", p.title.plain))
        if let journal = p.journal { lines.append(("T2", journal.title)) }
        if let book = p.bookTitle { lines.append(("T2", book)) }
        if let published = p.published {
            lines.append(("PY", "\(published.year)"))
            lines.append(
                (
                    "DA",
                    [
                        String(published.year), published.month.map { ($0 < 10 ? "0" : "") + "\($0)" } ?? "",
                        published.day.map { ($0 < 10 ? "0" : "") + "\($0)" } ?? "",
                    ].joined(separator: "/")
                ))
        }
        if let v = p.volume { lines.append(("VL", v)) }
        if let i = p.issue { lines.append(("IS", i)) }
        if let pages = p.pages {
            let parts = pages.split(separator: "-", maxSplits: 1)
            lines.append(("SP", String(parts[0])))
            if parts.count == 2 { lines.append(("EP", String(parts[1]))) }
        }
        for issn in (p.journal?.issns ?? []).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
            lines.append(("SN", issn))
        }
        if let publisher = p.publisher { lines.append(("PB", publisher)) }
        if let doi = p.doi { lines.append(("DO", doi)) }
        if let pmid = p.pmid { lines.append(("AN", pmid)) }
        for language in p.languages { lines.append(("LA", language)) }
        if let abstract = p.abstract { lines.append(("AB", abstract.plain)) }
        for keyword in p.keywords { lines.append(("KW", keyword)) }
        lines.append(("ID", p.id))
        lines.append(("ER", ""))
        return lines.map {
            "\($0.0)  - \($0.1.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " "))"
        }
        .joined(separator: "\r\n") + "\r\n\r\n"
    }
}
