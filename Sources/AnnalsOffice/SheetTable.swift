import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import Foundation

/// A sheet whose header row names the columns of one kind: where the header is, which column is
/// which, and the data rows below it.
struct SheetTable {
    var kind: SheetKind
    var sheet: Sheet
    var headerRow: Int
    /// Column index → the kind's column key.
    var columns: [Int: String]
    /// Column key → the header as the sheet writes it (for diagnostics).
    var headers: [String: String]
    /// Column key → column index.
    var positions: [String: Int]

    /// The rows below the header that hold anything.
    var rows: [SheetRow] { sheet.rows.filter { $0.number > headerRow && !$0.isEmpty } }

    /// How many header rows from the top are looked at.
    static let headerSearchDepth = 10

    /// The kind and header row of `sheet`: the row among the first ten (merged cells filled in) that names
    /// the most columns of one kind, at least two of them and every column the kind needs. Nil when no
    /// row does.
    static func find(in sheet: Sheet, file: String, problems: inout [Diagnostic]) -> SheetTable? {
        var best: (table: SheetTable, score: Int)?
        // Each header text is looked up once per kind: a row of many cells (a merged range, a wide sheet) often
        // repeats a few texts.
        var keys: [SheetKind: [String: String?]] = [:]
        func key(_ kind: SheetKind, _ text: String) -> String? {
            if let known = keys[kind]?[text] { return known }
            let found = kind.columnKey(named: text)
            keys[kind, default: [:]][text] = .some(found)
            return found
        }
        for row in sheet.rows.prefix(headerSearchDepth) {
            let filled = sheet.rowFillingMerges(row.number)
            let cells = filled.cells.sorted(by: { $0.key < $1.key })
            for kind in SheetKind.allCases {
                var columns: [Int: String] = [:]
                var headers: [String: String] = [:]
                var positions: [String: Int] = [:]
                for (index, value) in cells {
                    guard case .text(let text) = value, let key = key(kind, text) else { continue }
                    if positions[key] != nil { continue }
                    columns[index] = key
                    headers[key] = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    positions[key] = index
                }
                let required = kind.columns.filter(\.required).map(\.key)
                let score = columns.count
                guard score >= 2,
                    required.allSatisfy({ positions[$0] != nil || kind.hasSubstitute(for: $0, in: positions) })
                else { continue }
                if best == nil || score > best!.score {
                    best = (
                        SheetTable(
                            kind: kind, sheet: sheet, headerRow: row.number, columns: columns, headers: headers,
                            positions: positions), score
                    )
                }
            }
        }
        guard let table = best?.table else { return nil }
        // Header cells that name nothing are reported when the sheet is otherwise a table of that kind, so
        // that a misspelt column is not silently left out.
        let filled = sheet.rowFillingMerges(table.headerRow)
        for (index, value) in filled.cells.sorted(by: { $0.key < $1.key })
        where table.columns[index] == nil && !value.isBlank {
            let text = value.description
            if let key = key(table.kind, text) {
                problems.append(
                    table.diagnostic(
                        .sheetColumn, column: index, row: table.headerRow,
                        "the header names the column '\(key)' a second time ('\(text)'); keep one"))
            } else {
                problems.append(
                    table.diagnostic(
                        .sheetColumn, column: index, row: table.headerRow,
                        "the header '\(text)' is not a column of the \(table.kind.sheetName(.en)) sheet (\(table.kind.sheetName(.zh))); the columns are \(table.kind.columns.map { "\($0.zh) (\($0.key))" }.joined(separator: ", ")). Rename it, or delete the column."
                    ))
            }
        }
        return table
    }

    func diagnostic(_ code: Diagnostic.Code, column: Int, row: Int, _ message: String, suggestions: [String] = [])
        -> Diagnostic
    {
        Diagnostic(
            code,
            at: .init(file: fileName, sheet: sheet.name, cell: CellReference(column: column, row: row).description),
            message: message, suggestions: suggestions)
    }

    var fileName: String = ""
}

extension SheetKind {
    /// The key of the column `header` names, for import.
    func columnKey(named header: String) -> String? {
        if self == .tallies {
            // The tally CSV's names (TallyColumnNames), so both imports take the same headers.
            let canonical = TallyColumnNames.canonical(header)
            return TallyImporter.columns.contains(canonical) ? canonical : nil
        }
        return column(named: header)?.key
    }

    /// A required column another column stands in for: a paper's year for its date.
    func hasSubstitute(for key: String, in positions: [String: Int]) -> Bool { false }
}
