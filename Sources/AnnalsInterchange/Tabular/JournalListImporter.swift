public import AnnalsDiagnostics
public import AnnalsModel
import AnnalsXML
public import Foundation

/// One row of a journal list: one journal's standing in one year's list.
public struct JournalListEntry: Sendable, Hashable {
    /// The file the row comes from, as the user named it.
    public var file: String
    /// The 1-based line where the row starts.
    public var line: Int
    /// The journal's title, with runs of white space (line breaks included) reduced to one space.
    public var title: String
    /// Print ISSN, as `NNNN-NNNC`.
    public var issnPrint: String?
    /// Electronic ISSN, as `NNNN-NNNC`.
    public var issnElectronic: String?
    /// Linking ISSN (ISSN-L), as `NNNN-NNNC`.
    public var issnLinking: String?
    /// The ISO 4 abbreviation ("J Pediatr Surg").
    public var isoAbbreviation: String?
    /// The year's list: its year, the indexes listing the journal, impact factor, JCR quartile, CAS zone.
    public var metrics: JournalMetrics

    /// Creates an entry; ISSNs are expected in the `NNNN-NNNC` form.
    public init(
        file: String = "", line: Int = 0, title: String, issnPrint: String? = nil, issnElectronic: String? = nil,
        issnLinking: String? = nil, isoAbbreviation: String? = nil, metrics: JournalMetrics
    ) {
        self.file = file
        self.line = line
        self.title = title
        self.issnPrint = issnPrint
        self.issnElectronic = issnElectronic
        self.issnLinking = issnLinking
        self.isoAbbreviation = isoAbbreviation
        self.metrics = metrics
    }

    /// The row's ISSNs, each once: print, electronic, linking.
    public var issns: [String] {
        var seen: [String] = []
        for issn in [issnPrint, issnElectronic, issnLinking].compactMap({ $0 }) where !seen.contains(issn) {
            seen.append(issn)
        }
        return seen
    }
}

/// What applying a journal list did.
public struct JournalListReport: Sendable, CustomStringConvertible {
    /// Journals the registry did not have, created from the list.
    public var journalsAdded: Int
    /// Registry journals the list changed (a year's list added or replaced, a missing field filled).
    public var journalsUpdated: Int
    /// Registry journals the list names that already held exactly what it says.
    public var journalsUnchanged: Int
    /// Journal-years the journals did not have before.
    public var yearsAdded: Int
    /// Journal-years that replaced different figures for the same year.
    public var yearsReplaced: Int
    /// Journal-years the registry already held exactly.
    public var yearsUnchanged: Int
    /// The list years the entries cover, in ascending order.
    public var years: [Int]
    /// Things worth a look that did not stop the import, such as an ISSN that differs from the registry's.
    public var warnings: [Diagnostic]

    /// Creates a report.
    public init(
        journalsAdded: Int = 0, journalsUpdated: Int = 0, journalsUnchanged: Int = 0, yearsAdded: Int = 0,
        yearsReplaced: Int = 0, yearsUnchanged: Int = 0, years: [Int] = [], warnings: [Diagnostic] = []
    ) {
        self.journalsAdded = journalsAdded
        self.journalsUpdated = journalsUpdated
        self.journalsUnchanged = journalsUnchanged
        self.yearsAdded = yearsAdded
        self.yearsReplaced = yearsReplaced
        self.yearsUnchanged = yearsUnchanged
        self.years = years
        self.warnings = warnings
    }

    /// Journal-years loaded: one per entry.
    public var yearsLoaded: Int { yearsAdded + yearsReplaced + yearsUnchanged }

    /// Two lines of counts, then one line per warning.
    public var description: String {
        let listYears = years.isEmpty ? "" : " (" + years.map(String.init).joined(separator: ", ") + ")"
        var lines = [
            "journals: \(journalsAdded) added, \(journalsUpdated) updated, \(journalsUnchanged) unchanged",
            "journal-years: \(yearsLoaded) loaded\(listYears): \(yearsAdded) new, \(yearsReplaced) replaced, \(yearsUnchanged) unchanged",
        ]
        lines += warnings.map(\.description)
        return lines.joined(separator: "\n")
    }
}

/// Imports year-versioned journal lists (JCR, CAS zones, Chinese core lists) typed up as CSV.
///
/// The format is described for users in `docs/journal-lists.md`: a header row naming the columns,
/// then one row per journal and year.
public enum JournalListImporter {
    /// The columns a journal list may have, in the order the documentation gives them.
    static let columns = [
        "title", "issn", "eissn", "issn_l", "iso_abbreviation", "year", "index", "impact_factor", "jcr_quartile",
        "cas_zone",
    ]

    /// Reads a journal list CSV file and checks every row.
    ///
    /// Every problem is reported, not just the first: the header's, then each bad row's, located at the
    /// line and character column where the offending field starts (column 1 for a problem with the
    /// whole row). If there is any, the file is refused with `DiagnosticError`, whose diagnostics print
    /// as `FILE:LINE:COLUMN: error: MESSAGE`.
    public static func read(file: URL, displayName: String) throws -> [JournalListEntry] {
        try read(data: CSV.contents(of: file, displayName: displayName), displayName: displayName)
    }

    /// Reads a journal list from the bytes of a CSV file; see `read(file:displayName:)`.
    static func read(data: Data, displayName: String) throws -> [JournalListEntry] {
        var reader = ListReader(file: displayName)
        let (records, problems) = CSV.read(data)
        for problem in problems { reader.diagnostics.append(problem.diagnostic(in: displayName)) }
        guard let header = records.first(where: { !$0.isBlank }) else {
            if reader.diagnostics.isEmpty {
                reader.report(
                    0, 0, code: .csvNoHeader,
                    "the file has no header row; its first line must name the columns, such as: title,issn,eissn,year,index,impact_factor,jcr_quartile,cas_zone"
                )
            }
            throw reader.failure
        }
        reader.readHeader(header)
        var entries: [JournalListEntry] = []
        for record in records where record.line > header.line && !record.isBlank {
            if let entry = reader.entry(from: record) { entries.append(entry) }
        }
        reader.checkOneRowPerJournalAndYear(entries)
        if !reader.diagnostics.isEmpty { throw reader.failure }
        return entries
    }

    /// Reads the header and the rows of one file, collecting every problem.
    private struct ListReader {
        let file: String
        var diagnostics: [Diagnostic] = []
        /// Column name → index of its field in each record.
        var position: [String: Int] = [:]
        /// Indexes of columns whose header is empty.
        var unnamed: [Int] = []
        var headerWidth = 0
        /// The ISSN columns the header has.
        var issnColumns: [String] = []
        var unnamedValueReported = false

        init(file: String) { self.file = file }

        mutating func report(
            _ line: Int, _ column: Int, code: Diagnostic.Code = .journalsInvalidValue, _ message: String
        ) {
            diagnostics.append(Diagnostic(code, file: file, line: line, column: column, message: message))
        }

        /// Every problem, in file order.
        var failure: DiagnosticError {
            DiagnosticError(diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }

        /// Known names, each at most once; title, year and an ISSN column required.
        mutating func readHeader(_ header: CSVRecord) {
            headerWidth = header.fields.count
            let known = Set(columns)
            for (index, field) in header.fields.enumerated() {
                let name = normalizedColumnName(field.text)
                if name.isEmpty {
                    unnamed.append(index)
                } else if !known.contains(name) {
                    var message =
                        "unknown column '\(field.text.trimmingCharacters(in: .whitespaces))'; the columns are \(columns.joined(separator: ", ")) (see docs/journal-lists.md)"
                    if header.fields.count == 1, field.text.contains(";") || field.text.contains("\t") {
                        message =
                            "the header is one column, '\(field.text)': the file separates its columns with semicolons or tabs, but a journal list separates them with commas; save it from the spreadsheet as CSV UTF-8 (Comma delimited)"
                    }
                    report(field.line, field.column, code: .csvUnknownColumn, message)
                } else if position[name] != nil {
                    report(
                        field.line, field.column, code: .csvDuplicateColumn, "column '\(name)' appears twice; keep one")
                } else {
                    position[name] = index
                }
            }
            let missing = ["title", "year"].filter { position[$0] == nil }
            if !missing.isEmpty {
                report(
                    header.line, 1, code: .csvMissingColumn,
                    "the header has no \(missing.joined(separator: " or ")) column; every journal list needs title and year"
                )
            }
            issnColumns = ["issn", "eissn", "issn_l"].filter { position[$0] != nil }
            if issnColumns.isEmpty {
                report(
                    header.line, 1, code: .csvMissingColumn,
                    "the header has no ISSN column; a journal list needs at least one of issn, eissn and issn_l")
            }
        }

        /// The row as an entry, or nil after reporting everything wrong with it.
        mutating func entry(from record: CSVRecord) -> JournalListEntry? {
            let before = diagnostics.count
            func field(_ name: String) -> CSVField? {
                guard let index = position[name], index < record.fields.count else { return nil }
                return record.fields[index]
            }
            /// The field's text with white space collapsed; nil when empty or absent.
            func value(_ name: String) -> (text: String, field: CSVField)? {
                guard let f = field(name) else { return nil }
                let text = collapsingWhiteSpace(f.text)
                return text.isEmpty ? nil : (text, f)
            }
            /// Reports that a required field is empty, where the field is (or at the row's start).
            func reportEmpty(_ name: String, _ message: String) {
                report(field(name)?.line ?? record.line, field(name)?.column ?? 1, message)
            }

            if record.fields.count > headerWidth,
                let first = record.fields[headerWidth...].first(where: { !$0.text.allSatisfy(\.isWhitespace) })
            {
                // The values are shifted, so what else is wrong with the row would only mislead.
                report(
                    first.line, first.column, code: .csvFieldCount,
                    "this row has \(record.fields.count) values but the header names \(headerWidth) columns; a value that holds a comma must be in quotes (\"Journal of X, Y and Z\")"
                )
                return nil
            }
            if !unnamedValueReported,
                let f = unnamed.lazy.compactMap({ $0 < record.fields.count ? record.fields[$0] : nil })
                    .first(where: { !$0.text.allSatisfy(\.isWhitespace) })
            {
                unnamedValueReported = true
                report(
                    f.line, f.column, code: .csvFieldCount,
                    "a value in a column whose header is empty; name the column or remove the value")
            }

            let title = value("title")
            if position["title"] != nil, title == nil { reportEmpty("title", "the title is empty") }

            var year: Int?
            if case (let text, let f)? = value("year") {
                if let y = Int(text), text.count == 4, (1900...2100).contains(y) {
                    year = y
                } else {
                    report(f.line, f.column, "year '\(text)' is not a year such as 2023")
                }
            } else if position["year"] != nil {
                reportEmpty("year", "the year is empty")
            }

            var issns: [String: String] = [:]
            var issnGiven = false
            for name in issnColumns {
                guard case (let text, let f)? = value(name), !isNotApplicable(text) else { continue }
                issnGiven = true
                switch ISSNText.parse(text) {
                case .valid(let issn): issns[name] = issn
                case .wrongCheckDigit:
                    report(
                        f.line, f.column,
                        "\(name) '\(text)' is not a valid ISSN: its last character (the check digit) does not match the other seven digits; one of the digits is probably mistyped"
                    )
                case .tooFewDigits(let count):
                    report(
                        f.line, f.column,
                        "\(name) '\(text)' has \(count) digits, but an ISSN has 8; if a spreadsheet dropped leading zeros, write the ISSN with its hyphen (0022-3468) or format the column as Text"
                    )
                case .malformed:
                    report(
                        f.line, f.column,
                        "\(name) '\(text)' is not an ISSN (four digits, a hyphen, three digits and a digit or X, such as 0022-3468)"
                    )
                }
            }
            if !issnColumns.isEmpty, !issnGiven {
                report(
                    record.line, 1, "the row has no ISSN; give at least one of \(issnColumns.joined(separator: ", "))")
            }

            var indexes: [JournalIndex] = []
            if case (let text, let f)? = value("index") {
                var unknown: [String] = []
                for part in text.split(whereSeparator: { ";；,，、".contains($0) }) {
                    let name = part.trimmingCharacters(in: .whitespaces)
                    guard !name.isEmpty else { continue }
                    if let index = journalIndex(named: name) { indexes.append(index) } else { unknown.append(name) }
                }
                if !unknown.isEmpty {
                    report(
                        f.line, f.column,
                        "unknown index \(unknown.map { "'\($0)'" }.joined(separator: ", ")); the indexes are SCIE, SSCI, ESCI, CSCD, PKU-core, CSTPCD and other, separated by ';'"
                    )
                }
                indexes = JournalIndex.allCases.filter(indexes.contains)
            }

            var impactFactor: DecimalNumber?
            if case (let text, let f)? = value("impact_factor"), !isNotApplicable(text) {
                if let number = DecimalNumber(text), !number.text.hasPrefix("-") {
                    impactFactor = number
                } else {
                    report(
                        f.line, f.column,
                        "impact_factor '\(text)' is not a number such as 2.4 (a point before the decimals, no other signs)"
                    )
                }
            }

            var quartile: Int?
            if case (let text, let f)? = value("jcr_quartile"), !isNotApplicable(text) {
                if let q = jcrQuartile(text) {
                    quartile = q
                } else {
                    report(
                        f.line, f.column, "jcr_quartile '\(text)' is not a quartile: write Q1, Q2, Q3 or Q4 (or 1 to 4)"
                    )
                }
            }

            var zone: Int?
            if case (let text, let f)? = value("cas_zone"), !isNotApplicable(text) {
                if let z = casZone(text) {
                    zone = z
                } else {
                    report(f.line, f.column, "cas_zone '\(text)' is not a CAS zone: write 1, 2, 3 or 4 (or 1区 to 4区)")
                }
            }

            guard diagnostics.count == before, let title, let year else { return nil }
            return JournalListEntry(
                file: file, line: record.line, title: title.text, issnPrint: issns["issn"],
                issnElectronic: issns["eissn"],
                issnLinking: issns["issn_l"], isoAbbreviation: value("iso_abbreviation")?.text,
                metrics: JournalMetrics(
                    year: year, indexes: indexes, impactFactor: impactFactor, jcrQuartile: quartile, casZone: zone))
        }

        /// Reports a second row for the same journal (a shared ISSN) and year, naming the first row's line.
        mutating func checkOneRowPerJournalAndYear(_ entries: [JournalListEntry]) {
            var seen: [String: Int] = [:]
            for entry in entries {
                let keys = entry.issns.map { "\(entry.metrics.year) \($0)" }
                if let key = keys.first(where: { seen[$0] != nil }), let earlier = seen[key] {
                    report(
                        entry.line, 1,
                        "the \(entry.metrics.year) list already has this journal (ISSN \(key.dropFirst(5))) on line \(earlier); keep one row per journal and year"
                    )
                }
                for key in keys where seen[key] == nil { seen[key] = entry.line }
            }
        }
    }

    /// Merges `entries` into the registry's journals, and writes the journals that changed.
    ///
    /// Entries that share an ISSN (print, electronic or linking), directly or through other entries, are
    /// one journal; it is the registry journal that has any of their ISSNs, or, when none has, a new
    /// journal with the id `issn-` followed by the first ISSN of its latest entry (lower-case). Each
    /// entry's year replaces that journal's list for the same year and leaves its other years alone.
    /// Titles, ISO abbreviations and ISSNs only fill fields the registry leaves empty, never overwrite or
    /// blank them; a new journal takes them from its latest list. An ISSN that differs from the one the
    /// registry has is left as it is and reported in the report's warnings.
    ///
    /// Everything is checked before anything is written. On a problem (entries whose ISSNs belong to
    /// two registry journals, the same journal and year twice) nothing is written and `DiagnosticError`
    /// lists every problem. Call it inside one transaction.
    public static func apply(_ entries: [JournalListEntry], to registry: some RegistryWriting) throws
        -> JournalListReport
    {
        var diagnostics: [Diagnostic] = []
        var report = JournalListReport(years: Set(entries.map(\.metrics.year)).sorted())
        func problem(_ entry: JournalListEntry, code: Diagnostic.Code = .journalsInvalidValue, _ message: String) {
            diagnostics.append(Diagnostic(code, file: entry.file, line: entry.line, column: 1, message: message))
        }
        func warning(_ entry: JournalListEntry, _ message: String) {
            report.warnings.append(
                Diagnostic(
                    .journalsISSNDiffers, file: entry.file, line: entry.line, column: 1, severity: .warning,
                    message: message))
        }

        // Each entry's ISSNs, checked again: entries need not come from `read`.
        var valid: [(entry: JournalListEntry, issns: [String], title: String)] = []
        for entry in entries {
            var issns: [String] = []
            var allValid = true
            for issn in entry.issns {
                guard case .valid(let normal) = ISSNText.parse(issn) else {
                    problem(entry, "'\(issn)' is not a valid ISSN")
                    allValid = false
                    continue
                }
                if !issns.contains(normal) { issns.append(normal) }
            }
            let title = collapsingWhiteSpace(entry.title)
            if entry.issns.isEmpty { problem(entry, "the entry has no ISSN") }
            if title.isEmpty { problem(entry, "the title is empty") }
            if allValid, !issns.isEmpty, !title.isEmpty { valid.append((entry, issns, title)) }
        }

        // Entries linked by a shared ISSN are one journal (union-find over entries).
        var parent = Array(valid.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        var firstWith: [String: Int] = [:]
        for (i, item) in valid.enumerated() {
            for issn in item.issns {
                if let j = firstWith[issn] { parent[root(i)] = root(j) } else { firstWith[issn] = i }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in valid.indices { groups[root(i), default: []].append(i) }

        let existing = try registry.journals()
        var byID = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var byISSN: [String: Set<String>] = [:]
        for journal in existing {
            for issn in journal.issns { byISSN[ISSNText.matchKey(issn), default: []].insert(journal.id) }
        }

        var changed: [Journal] = []
        // Groups in the order of their first entry, so that problems come out in file order.
        for members in groups.values.sorted(by: { $0[0] < $1[0] }) {
            // Newest list first, then file order: a new journal takes its title from its latest list.
            let items = members.sorted {
                (valid[$0].entry.metrics.year, $1) > (valid[$1].entry.metrics.year, $0)
            }.map { valid[$0] }
            let issns = items.flatMap(\.issns)
            let ids = Set(issns.flatMap { byISSN[$0] ?? [] })
            let first = items.sorted { ($0.entry.file, $0.entry.line) < ($1.entry.file, $1.entry.line) }[0]
            var journal: Journal
            if ids.count > 1 {
                let names = ids.sorted().map { id in "'\(id)' (\(byID[id]?.issns.joined(separator: ", ") ?? ""))" }
                problem(
                    first.entry, code: .journalsConflict,
                    "the ISSNs \(Array(Set(issns)).sorted().joined(separator: ", ")) belong to \(ids.count) different registry journals, \(names.joined(separator: " and ")); merge them into one journal in the registry, or correct the ISSNs"
                )
                continue
            } else if let id = ids.first, let found = byID[id] {
                journal = found
            } else {
                let id = "issn-" + items[0].issns[0].lowercased()
                if byID[id] != nil {
                    problem(
                        items[0].entry, code: .journalsConflict,
                        "the registry has a journal '\(id)' that has none of the ISSNs \(items[0].issns.joined(separator: ", ")); correct the ISSNs or that journal"
                    )
                    continue
                }
                journal = Journal(id: id, title: items[0].title)
            }
            let original = byID[journal.id]

            var placed: [Int: JournalListEntry] = [:]
            for (entry, _, title) in items {
                let year = entry.metrics.year
                if let earlier = placed[year] {
                    problem(
                        entry, code: .journalsRepeatedYear,
                        "journal '\(journal.id)' already has a \(year) list at \(earlier.file):\(earlier.line); keep one row per journal and year"
                    )
                    continue
                }
                placed[year] = entry

                // Fill what is missing; never overwrite or blank out.
                if journal.title.allSatisfy(\.isWhitespace) { journal.title = title }
                if journal.isoAbbreviation?.allSatisfy(\.isWhitespace) ?? true,
                    let abbreviation = entry.isoAbbreviation.map(collapsingWhiteSpace), !abbreviation.isEmpty
                {
                    journal.isoAbbreviation = abbreviation
                }
                let slots: [(WritableKeyPath<Journal, String?>, String?, String)] = [
                    (\.issnPrint, entry.issnPrint, "print ISSN"),
                    (\.issnElectronic, entry.issnElectronic, "electronic ISSN"),
                    (\.issnLinking, entry.issnLinking, "ISSN-L"),
                ]
                for (slot, given, noun) in slots {
                    guard let given, case .valid(let issn) = ISSNText.parse(given) else { continue }
                    if let current = journal[keyPath: slot], !current.allSatisfy(\.isWhitespace) {
                        if ISSNText.matchKey(current) != issn {
                            let whose =
                                original == nil
                                ? "the journal's later list says" : "registry journal '\(journal.id)' has"
                            warning(
                                entry,
                                "the \(noun) here is \(issn), but \(whose) \(current), which is kept; check which is right"
                            )
                        }
                    } else if !journal.issns.map(ISSNText.matchKey).contains(issn) {
                        journal[keyPath: slot] = issn
                    }
                }

                // Replace that year's list, keep the others (in year order when adding).
                let metrics = entry.metrics
                if let i = journal.metrics.firstIndex(where: { $0.year == year }) {
                    if sameList(journal.metrics[i], metrics) {
                        report.yearsUnchanged += 1
                    } else {
                        journal.metrics[i] = metrics
                        report.yearsReplaced += 1
                    }
                } else {
                    let i = journal.metrics.firstIndex { $0.year > year } ?? journal.metrics.endIndex
                    journal.metrics.insert(metrics, at: i)
                    report.yearsAdded += 1
                }
            }
            if journal == original {
                report.journalsUnchanged += 1
            } else {
                changed.append(journal)
                byID[journal.id] = journal
            }
        }

        if !diagnostics.isEmpty {
            throw DiagnosticError(diagnostics.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
        }
        report.warnings.sort { ($0.file, $0.line) < ($1.file, $1.line) }

        for journal in changed.sorted(by: { $0.id < $1.id }) {
            switch try registry.upsert(journal) {
            case .inserted: report.journalsAdded += 1
            case .updated: report.journalsUpdated += 1
            case .unchanged: report.journalsUnchanged += 1
            }
        }
        return report
    }

    /// The same list for a year, whatever order its indexes are written in.
    private static func sameList(_ a: JournalMetrics, _ b: JournalMetrics) -> Bool {
        a.year == b.year && Set(a.indexes) == Set(b.indexes) && a.impactFactor == b.impactFactor
            && a.jcrQuartile == b.jcrQuartile && a.casZone == b.casZone
    }

    /// A header cell as a column name: lower case, spaces and hyphens as underscores ("ISSN-L" → "issn_l",
    /// "Impact Factor" → "impact_factor"), and "e-ISSN" as "eissn".
    static func normalizedColumnName(_ text: String) -> String {
        var name = ""
        for c in text.trimmingCharacters(in: .whitespaces).lowercased() {
            let c: Character = c == " " || c == "-" ? "_" : c
            if c == "_", name.last == "_" { continue }
            name.append(c)
        }
        switch name {
        case "e_issn": return "eissn"
        case "issnl": return "issn_l"
        default: return name
        }
    }

    /// An index as a list names it: the registry's names in any case, and common other spellings.
    static func journalIndex(named name: String) -> JournalIndex? {
        let key = name.lowercased().filter { !" -_".contains($0) }
        switch key {
        case "scie", "sci", "sciexpanded", "sciencecitationindexexpanded":
            return .scie
        case "ssci", "socialsciencescitationindex": return .ssci
        case "esci", "emergingsourcescitationindex": return .esci
        case "cscd", "中国科学引文数据库": return .cscd
        case "pkucore", "pku", "北大核心", "中文核心", "中文核心期刊": return .pkuCore
        case "cstpcd", "科技核心", "中国科技核心", "统计源", "中国科技论文统计源期刊": return .cstpcd
        case "other": return .other
        default: return nil
        }
    }

    /// A JCR quartile: "Q1".."Q4" (any case) or "1".."4".
    static func jcrQuartile(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.first == "Q" || digits.first == "q" { digits = digits.dropFirst() }
        guard let q = Int(digits), (1...4).contains(q) else { return nil }
        return q
    }

    /// A CAS zone: "1".."4", "1区".."4区", "一区".."四区".
    static func casZone(_ text: String) -> Int? {
        var s = Substring(text)
        if s.last == "区" { s = s.dropLast() }
        s = s.drop { $0 == " " }
        if let z = Int(s), (1...4).contains(z) { return z }
        if s.count == 1, let z = ["一", "二", "三", "四"].firstIndex(of: String(s)) { return z + 1 }
        return nil
    }

    /// "N/A" and the like, which exports write for "none".
    static func isNotApplicable(_ text: String) -> Bool {
        ["n/a", "na", "-", "—", "–"].contains(text.lowercased())
    }

    /// Whitespace runs (line breaks included) as one space, without leading or trailing ones.
    static func collapsingWhiteSpace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// ISSNs as written in lists: `0022-3468`, `00223468`, with a lower-case `x`.
    enum ISSNText {
        enum Parsed: Equatable {
            /// A well-formed ISSN with a correct check digit, as `NNNN-NNNC`.
            case valid(String)
            case wrongCheckDigit
            /// Only digits, but fewer than eight (a spreadsheet dropped leading zeros).
            case tooFewDigits(Int)
            case malformed
        }

        static func parse(_ text: String) -> Parsed {
            var s = text.trimmingCharacters(in: .whitespaces).uppercased()
            if s.count == 9, s[s.index(s.startIndex, offsetBy: 4)] == "-" {
                s.remove(at: s.index(s.startIndex, offsetBy: 4))
            }
            let digits = s.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
            if s.count < 8, digits.count == s.count, !s.isEmpty { return .tooFewDigits(s.count) }
            guard s.count == 8, digits.count >= 7, s.prefix(7).allSatisfy({ $0.isASCII && $0.isNumber }),
                let last = s.last, last == "X" || (last.isASCII && last.isNumber)
            else { return .malformed }
            let total = zip(digits.prefix(7), [8, 7, 6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
            let check = (11 - total % 11) % 11
            let expected: Character = check == 10 ? "X" : Character(String(check))
            guard last == expected else { return .wrongCheckDigit }
            s.insert("-", at: s.index(s.startIndex, offsetBy: 4))
            return .valid(s)
        }

        /// The form used to compare ISSNs: `NNNN-NNNC` when well formed (check digit not required), else
        /// the text upper-cased.
        static func matchKey(_ text: String) -> String {
            var s = text.trimmingCharacters(in: .whitespaces).uppercased()
            if s.count == 8, !s.contains("-") { s.insert("-", at: s.index(s.startIndex, offsetBy: 4)) }
            return s
        }
    }
}
