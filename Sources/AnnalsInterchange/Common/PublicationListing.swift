public import AnnalsModel
import Foundation

/// One publication as `annals publications` lists it (JSON keys as named here).
public struct PublicationRow: Sendable, Codable, Hashable {
    /// The order of every list of papers shown, as the store pages them: newest year first, undated last, then by
    /// id.
    public static func newestFirst(_ a: PublicationRow, _ b: PublicationRow) -> Bool {
        (a.year ?? 0, b.id) > (b.year ?? 0, a.id)
    }

    public struct AuthorRow: Sendable, Codable, Hashable {
        public var family: String?
        public var given: String?
        public var collective: String?
        public var orcid: String?
        public var affiliations: [String]
        public var person: String?
    }

    public var id: String
    public var pmid: String?
    public var doi: String?
    /// Plain text.
    public var title: String
    public var journal: String?
    /// The first ISSN the paper gives (print, electronic or linking).
    public var issn: String?
    public var year: Int?
    public var type: String
    public var authors: [AuthorRow]
    public var departments: [String]
    /// True when the journal is SCIE/SSCI-listed for the paper's year (or the nearest earlier list);
    /// nil when the registry has no list for the journal.
    public var sci: Bool?
    public var retracted: Bool
}

extension PublicationRow {
    /// The row of `p`, its SCI status by the journal lists in `journals`.
    public init(_ p: Publication, in journals: JournalLookup) {
        self.init(
            id: p.id, pmid: p.pmid, doi: p.doi, title: p.title.plain, journal: p.journal?.title,
            issn: p.journal?.issns.first, year: p.published?.year, type: p.kind.rawValue,
            authors: p.authors.map {
                .init(
                    family: $0.familyName, given: $0.givenName, collective: $0.collectiveName, orcid: $0.orcid,
                    affiliations: $0.affiliations, person: $0.personID)
            },
            departments: p.departmentIDs, sci: SCIRule.isSCI(p, in: journals), retracted: p.isRetracted)
    }
}

/// Lists publications for people and for other tools.
public enum PublicationListing {
    /// The rows for every publication matching the filters, in id order.
    public static func rows(
        in registry: some RegistryReading, year: Int? = nil, department: String? = nil, person: String? = nil,
        sciOnly: Bool = false
    ) throws -> [PublicationRow] {
        let journals = JournalLookup(try registry.journals())
        var rows: [PublicationRow] = []
        try registry.forEachPublication(year: year, department: department, person: person) { p in
            let row = PublicationRow(p, in: journals)
            if sciOnly && row.sci != true { return }
            rows.append(row)
        }
        return rows
    }

    /// Pretty-printed JSON array, keys sorted, for other tools.
    public static func json(_ rows: [PublicationRow]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }

    /// RFC 4180 CSV with a header row; authors as "Family Initials; …".
    public static func csv(_ rows: [PublicationRow]) -> String {
        var out = CSVWriter.line([
            "id", "pmid", "doi", "year", "type", "sci", "retracted", "title", "journal", "issn", "authors",
            "departments",
        ])
        for r in rows {
            out += CSVWriter.line([
                r.id, r.pmid ?? "", r.doi ?? "", r.year.map(String.init) ?? "", r.type,
                r.sci.map { $0 ? "yes" : "no" } ?? "",
                r.retracted ? "yes" : "no", r.title, r.journal ?? "", r.issn ?? "",
                r.authors.map { $0.collective ?? [$0.family, $0.given].compactMap { $0 }.joined(separator: " ") }
                    .joined(separator: "; "),
                r.departments.joined(separator: "; "),
            ])
        }
        return out
    }

    /// A plain table for reading in a terminal.
    public static func table(_ rows: [PublicationRow]) -> String {
        var lines = ["YEAR  SCI  TYPE             TITLE"]
        for r in rows {
            let sci = r.sci == true ? "SCI" : r.sci == false ? "-  " : "?  "
            let type = r.type.padding(toLength: 16, withPad: " ", startingAt: 0)
            let title = r.title.count > 90 ? String(r.title.prefix(89)) + "…" : r.title
            lines.append(
                "\(r.year.map(String.init) ?? "----")  \(sci)  \(type) \(title)\(r.retracted ? " [retracted]" : "")")
        }
        lines.append("\(rows.count) publication\(rows.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }
}

/// Writes RFC 4180 CSV lines (CRLF line ends, fields quoted when they need it) for spreadsheets: a
/// cell a spreadsheet would take for a formula is written as text (``SpreadsheetCell``).
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        let value = SpreadsheetCell.neutralised(text)
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
