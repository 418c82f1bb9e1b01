public import AnnalsCuration
public import AnnalsDiagnostics
public import AnnalsModel
import AnnalsSchemas
public import AnnalsXML
public import Foundation

/// One registry file, read and checked against the schema, ready to be written.
public struct RegistryFile: Sendable {
    /// The file as the user named it.
    public var displayName: String
    public var url: URL
    public var content: RegistryContent
    /// The SHA-256 of the file's bytes.
    public var sha256: String
    /// Where each record starts: element name and line.
    var locations: [RecordKey: (element: String, line: Int)]

    struct RecordKey: Hashable, Sendable {
        var kind: EntityKind
        var id: String
    }
}

/// What an import did, per kind of record.
public struct ImportReport: Sendable, CustomStringConvertible {
    public var files: [String]
    public var outcomes: [EntityKind: [UpsertOutcome: Int]]
    /// Records replaced under their own id with another title, name, principal investigator, funder or
    /// department, each named (the earlier versions are kept in the registry's record history).
    public var replacements: [RecordReplacement] = []
    /// Papers already in the registry credited again because departments, people or projects changed.
    public var recredited: RecreditReport?

    public func count(_ outcome: UpsertOutcome) -> Int {
        outcomes.values.reduce(0) { $0 + ($1[outcome] ?? 0) }
    }

    /// "added 12, updated 0, unchanged 140 (…)": one line per kind that the files held.
    public var description: String {
        var lines = ["added \(count(.inserted)), updated \(count(.updated)), unchanged \(count(.unchanged))"]
        for kind in EntityKind.allCases {
            guard let o = outcomes[kind] else { continue }
            lines.append(
                "  \(kind.noun): \(o[.inserted] ?? 0) added, \(o[.updated] ?? 0) updated, \(o[.unchanged] ?? 0) unchanged"
            )
        }
        if !replacements.isEmpty {
            let n = replacements.count
            lines.append(
                "\(n) record\(n == 1 ? " was" : "s were") replaced under the same id by one with other details (the earlier "
                    + "version\(n == 1 ? " is" : "s are") kept in the registry's history); check that \(n == 1 ? "it is" : "they are") the same:"
            )
            for replacement in replacements.prefix(50) { lines.append("  replaced \(replacement)") }
            if n > 50 { lines.append("  … and \(n - 50) more") }
        }
        if let recredited, recredited.credited > 0 || recredited.forReview > 0 { lines.append(recredited.description) }
        return lines.joined(separator: "\n")
    }
}

extension ImportReport {
    /// A report of `files` with these outcomes and nothing replaced or credited again.
    public init(files: [String], outcomes: [EntityKind: [UpsertOutcome: Int]]) {
        self.init(files: files, outcomes: outcomes, replacements: [], recredited: nil)
    }
}

/// Imports registry XML: validate against the schema, convert, check references, write in one transaction.
public enum RegistryImporter {
    private static let compiledSchema = Result { try XMLSchema(contentsOf: AnnalsSchemas.registry) }

    /// The compiled registry schema (compiled once per process).
    public static func schema() throws -> XMLSchema {
        try compiledSchema.get()
    }

    /// Schema validation only: every problem in `file`, or none.
    public static func validate(file: URL, displayName: String? = nil) throws -> [Diagnostic] {
        try schema().validate(file: file, displayName: displayName ?? file.path)
    }

    /// Reads one registry file: schema validation first (every problem reported), then conversion to
    /// records, with the checks a schema cannot make (calendar dates, ORCID check digits, periods).
    public static func read(file: URL, displayName: String? = nil) throws -> RegistryFile {
        let name = displayName ?? file.path
        let problems = try validate(file: file, displayName: name)
        if !problems.isEmpty { throw DiagnosticError(problems) }

        var content = RegistryContent()
        var locations: [RegistryFile.RecordKey: (String, Int)] = [:]
        var diagnostics: [Diagnostic] = []
        try XMLStreamReader.read(file: file, displayName: name, recordDepth: 1) { element in
            do {
                let (kind, id) = try RegistryParser.add(element, to: &content)
                locations[.init(kind: kind, id: id)] = (element.name, element.line)
            } catch let error as RecordConversionError {
                diagnostics.append(
                    .at(
                        element: error.element, line: error.line, in: file, displayName: name,
                        code: .registryInvalidRecord,
                        message: error.message))
            }
        }
        for problem in content.recordProblems {
            let place = locations[.init(kind: problem.kind, id: problem.id)]
            diagnostics.append(
                .at(
                    element: place?.0 ?? "", line: place?.1 ?? 0, in: file, displayName: name,
                    code: .registryInvalidRecord,
                    message: problem.message))
        }
        if !diagnostics.isEmpty { throw DiagnosticError(diagnostics) }
        return RegistryFile(
            displayName: name, url: file, content: content, sha256: try SHA256.hexDigest(ofFile: file),
            locations: locations.mapValues { (element: $0.0, line: $0.1) })
    }

    /// Writes `files` into `registry` after checking that every reference resolves, in the files or
    /// in the registry. Call it inside one transaction: on any error nothing must be kept.
    ///
    /// Records replaced under their own id with other identifying details are named in the report.
    /// When the files add or change departments, people or projects, the registry's other papers are
    /// credited again (``Recrediting``), in the same transaction.
    public static func apply(
        _ files: [RegistryFile], to registry: some PublicationWriting & TallyReading, logImport: Bool = true
    ) throws -> ImportReport {
        var combined = RegistryContent()
        var origin: [RegistryFile.RecordKey: (file: RegistryFile, element: String, line: Int)] = [:]
        var diagnostics: [Diagnostic] = []
        for file in files {
            for (key, place) in file.locations.sorted(by: { $0.value.line < $1.value.line }) {
                if let earlier = origin[key] {
                    diagnostics.append(
                        .at(
                            element: place.element, line: place.line, in: file.url, displayName: file.displayName,
                            code: .registryDuplicateRecord,
                            message:
                                "\(key.kind.noun) '\(key.id)' is also defined in \(earlier.file.displayName):\(earlier.line); keep one of the two"
                        ))
                } else {
                    origin[key] = (file, place.element, place.line)
                }
            }
            combined.append(file.content)
        }

        let defined = combined.definedIDs
        var wanted: [EntityKind: Set<String>] = [:]
        let references = combined.references
        for ref in references where !(defined[ref.targetKind]?.contains(ref.targetID) ?? false) {
            wanted[ref.targetKind, default: []].insert(ref.targetID)
        }
        var existing: [EntityKind: Set<String>] = [:]
        for (kind, ids) in wanted { existing[kind] = try registry.existing(kind, among: ids) }
        var reported: Set<String> = []
        for ref in references {
            guard !(defined[ref.targetKind]?.contains(ref.targetID) ?? false),
                !(existing[ref.targetKind]?.contains(ref.targetID) ?? false)
            else { continue }
            let key = RegistryFile.RecordKey(kind: ref.kind, id: ref.id)
            guard let place = origin[key],
                reported.insert("\(ref.kind)/\(ref.id)/\(ref.field)/\(ref.targetID)").inserted
            else { continue }
            diagnostics.append(
                .at(
                    element: place.element, line: place.line, in: place.file.url, displayName: place.file.displayName,
                    code: .registryUnknownReference,
                    message:
                        "\(ref.kind.noun) '\(ref.id)' names \(ref.targetKind.noun) '\(ref.targetID)' (\(ref.field)), which is neither in the imported files nor in the registry. Add that \(ref.targetKind.noun) or correct the id."
                ))
        }
        // A tally is its series and period (as in CSV files): the files may give each only once.
        var fileTally: [TallyIdentity: String] = [:]
        for tally in combined.tallies {
            if let earlier = fileTally[tally.identity] {
                guard let place = origin[.init(kind: .tally, id: tally.id)],
                    let first = origin[.init(kind: .tally, id: earlier)]
                else { continue }
                diagnostics.append(
                    .at(
                        element: place.element, line: place.line, in: place.file.url,
                        displayName: place.file.displayName,
                        code: .tallyRepeated,
                        message:
                            "case tally '\(tally.id)' counts the same procedure, approach, unit, campus, surgeon and period as case tally '\(earlier)' (\(first.file.displayName):\(first.line)); keep one"
                    ))
            } else {
                fileTally[tally.identity] = tally.id
            }
        }
        if !diagnostics.isEmpty {
            throw DiagnosticError(diagnostics.sorted { ($0.file, $0.line) < ($1.file, $1.line) })
        }

        // Corrections of registry tallies by id go first: a tally moved to another period frees its old
        // period for a new tally of the same files.
        let corrected = try registry.existing(.tally, among: Set(combined.tallies.map(\.id)))
        combined.tallies =
            combined.tallies.filter { corrected.contains($0.id) }
            + combined.tallies.filter { !corrected.contains($0.id) }
        let replacements = try RecordReplacement.find(combined, in: registry)
        let outcomes = try registry.upsert(combined)
        try TallyRules.refuseOverlaps(
            procedures: Set(combined.tallies.map(\.procedureID)), in: registry, imported: { fileTally[$0] != nil },
            places: { identities in
                var places: [TallyIdentity: Diagnostic] = [:]
                for identity in identities {
                    guard let id = fileTally[identity], let place = origin[.init(kind: .tally, id: id)] else {
                        continue
                    }
                    places[identity] = .at(
                        element: place.element, line: place.line, in: place.file.url,
                        displayName: place.file.displayName,
                        code: .tallyOverlap, message: "")
                }
                return places
            })
        var report = ImportReport(files: files.map(\.displayName), outcomes: outcomes, replacements: replacements)
        let changesCredit = [EntityKind.orgUnit, .person, .project].contains {
            (outcomes[$0]?[.inserted] ?? 0) + (outcomes[$0]?[.updated] ?? 0) > 0
        }
        if changesCredit {
            report.recredited = try Recrediting.run(in: registry, skipping: Set(combined.publications.map(\.id)))
        }
        for file in files where logImport {
            try registry.logImport(
                kind: "registry", file: file.url.lastPathComponent, sha256: file.sha256,
                summary: "\(file.content.counts.values.reduce(0, +)) records")
        }
        return report
    }
}

extension RegistryContent {
    /// Appends every record of `other`.
    mutating func append(_ other: RegistryContent) {
        orgUnits += other.orgUnits
        people += other.people
        journals += other.journals
        procedures += other.procedures
        projects += other.projects
        publications += other.publications
        patents += other.patents
        awards += other.awards
        staffCensus += other.staffCensus
        tallies += other.tallies
    }
}
