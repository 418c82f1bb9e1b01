import AnnalsInterchange
public import AnnalsModel
import AnnalsReports
import AnnalsStore
public import Foundation

/// The demo registry: the samples imported into a fresh folder, exported again, reported on.
///
/// `annals demo` (and `annals demo --serve`) build it here; `say` is told what each step did.
public enum DemoRegistry {
    /// What a demo build made.
    public struct Outcome: Sendable {
        public var registry: Registry
        public var files: [String]
    }

    /// Builds the demo registry in `folder` from the samples in `samplesFolder`: the registry, its export, the
    /// annual report of the latest year (HTML and Markdown) and each department's profile (English and Chinese).
    /// Only a folder an earlier demo made, with its registry unchanged, is replaced (see `DemoFolder`).
    public static func build(in folder: URL, samples samplesFolder: URL, as actor: ChangeActor, say: (String) -> Void)
        throws -> Registry
    {
        // Only a registry the demo built, still exactly as it left it, may be replaced: checked before anything changes.
        try DemoFolder.checkReplaceable(folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dbPath = folder.appendingPathComponent(DemoFolder.registryName).path
        try DemoFolder.writeMarker(in: folder, fingerprint: nil)
        try DemoFolder.removeRegistry(at: dbPath)
        let registry: Registry
        do {
            registry = try importSamples(at: dbPath, samples: samplesFolder, as: actor, say: say)
        } catch let failure as RegistryFailure {
            try? DemoFolder.removeRegistry(at: dbPath)
            throw failure
        } catch {
            // The registry this run started is the demo's own: it goes, so the folder stays a demo folder.
            try? DemoFolder.removeRegistry(at: dbPath)
            throw DemoSamplesRefused(folder: samplesFolder.path, underlying: error)
        }
        let store = registry.store
        let exportPath = folder.appendingPathComponent("registry-export.xml").path
        try OutputFile.write(to: exportPath, sparing: store) { sink in
            try store.read { try RegistryExporter.export($0, to: sink) }
        }
        say("Exported the whole registry to \(exportPath).")
        try DemoFolder.writeMarker(in: folder, fingerprint: try store.read { try RegistryExporter.fingerprint(of: $0) })

        let content = try store.read { try $0.content() }
        say("")
        say(Summary.text(content))
        say("")

        // The annual report of the latest year the samples cover, in HTML and Markdown.
        let year = content.tallies.map(\.to.year).max() ?? 2024
        for format in [ReportFormat.html, .markdown] {
            let path = folder.appendingPathComponent("annual-report-\(year).\(format.fileExtension)").path
            let text = try registry.renderedReport(
                year: year, departmentID: nil, format: format, language: .en, asOf: nil)
            try OutputFile.write(text, to: path, sparing: store)
            say("Annual report \(year): \(path)")
        }
        for unit in content.orgUnits where unit.kind == .department {
            for language in ReportLanguage.allCases {
                let path = folder.appendingPathComponent(
                    "profile-\(unit.id)\(language == .en ? "" : "-" + language.rawValue).txt"
                ).path
                try OutputFile.write(
                    try DepartmentProfile.text(department: unit.id, in: content, language: language), to: path,
                    sparing: store)
                say("Profile of \(unit.name)\(language == .zh ? " (Chinese)" : ""): \(path)")
            }
        }
        return registry
    }

    /// Creates the registry at `dbPath` and imports the samples into it, saying what each import did.
    private static func importSamples(
        at dbPath: String, samples samplesFolder: URL, as actor: ChangeActor, say: (String) -> Void
    ) throws -> Registry {
        let store: RegistryStore
        do { store = try RegistryStore(path: dbPath, create: true) } catch { throw RegistryFailure(error.message) }
        let registry = Registry(store: store, actor: actor)
        say("Annals demo registry: \(dbPath)")
        try registry.importSamples(.all, from: samplesFolder, say: say)
        return registry
    }

    /// The samples folder: `given`, else Samples/ in the current folder, else the one beside this source.
    public static func locateSamples(_ given: String?) throws -> URL {
        let candidates =
            (given.map { [$0] } ?? [])
            + [
                "Samples",
                URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("../../Samples").standardized.path,
            ]
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue {
                return URL(fileURLWithPath: candidate)
            }
            if given != nil { break }
        }
        throw RegistryFailure("cannot find the Samples folder; run from the Annals folder or pass --samples FOLDER")
    }
}

/// The samples could not be imported: `underlying` says why (its diagnostics name the file and line).
public struct DemoSamplesRefused: Error, Sendable {
    public var folder: String
    public var underlying: any Error
}

/// Plain-text account of a registry, per department.
public enum Summary {
    public static func text(_ content: RegistryContent) -> String {
        var lines: [String] = []
        let counts = content.counts
        lines.append("The registry holds:")
        for kind in EntityKind.allCases {
            guard let n = counts[kind], n > 0 else { continue }
            lines.append("  \(pad(String(n), 5)) \(n == 1 ? kind.noun : kind.pluralNoun)")
        }
        let procedures = Dictionary(uniqueKeysWithValues: content.procedures.map { ($0.id, $0.preferredTerm) })
        for unit in content.orgUnits where unit.kind == .department {
            guard let o = DepartmentOverview(department: unit.id, in: content) else { continue }
            lines.append("")
            lines.append("\(unit.name)\(unit.nameZH.map { " (\($0))" } ?? "")")
            if let established = unit.established { lines.append("  established: \(established)") }
            if !unit.beds.isEmpty {
                let campusNames = Dictionary(
                    uniqueKeysWithValues: content.orgUnits.flatMap(\.campuses).map { ($0.id, $0.name) })
                let parts = unit.beds.map { b in
                    let place = b.campusID.map { campusNames[$0] ?? $0 }.map { " (\($0))" } ?? ""
                    return "\(b.beds)\(b.vipBeds > 0 ? " + \(b.vipBeds) VIP" : "")\(place)"
                }
                lines.append("  beds: \(parts.joined(separator: ", "))")
            }
            if !o.staff.isEmpty {
                let staff = StaffCategory.allCases.compactMap { c in o.staff[c].map { "\($0) \(c.rawValue)" } }
                lines.append("  staff: \(staff.joined(separator: ", "))")
            }
            lines.append("  named experts: \(o.namedPeople)")
            let projects = Level.allCases.compactMap { l in o.projectsByLevel[l].map { "\($0) \(l.rawValue)" } }
            lines.append("  projects: \(projects.isEmpty ? "none" : projects.joined(separator: ", "))")
            lines.append("  papers: \(o.sciPapers) SCI, \(o.otherPapers) other")
            lines.append("  patents: \(o.patents), awards: \(o.awards)")
            let top = o.cases.sorted {
                ($1.value, $0.key.procedureID, $0.key.approach.rawValue) < (
                    $0.value, $1.key.procedureID, $1.key.approach.rawValue
                )
            }
            for (key, count) in top.prefix(6) {
                lines.append(
                    "  cases tallied: \(pad(String(count), 5)) \(key.approach.rawValue) \(procedures[key.procedureID] ?? key.procedureID)"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}

/// What `annals demo` may replace in its folder: only files it made itself, and its registry only while
/// that is exactly as the demo left it (the registry's fingerprint, kept in the `.annals-demo` note).
enum DemoFolder {
    static let markerName = ".annals-demo"
    static let registryName = "annals.sqlite"
    static let registryFiles = ["", "-wal", "-shm", "-journal"].map { registryName + $0 }

    /// Whether the demo writes a file of this name.
    static func isDemoOutput(_ name: String) -> Bool {
        registryFiles.contains(name) || name == "registry-export.xml"
            || (name.hasPrefix("annual-report-") && (name.hasSuffix(".html") || name.hasSuffix(".md")))
            || (name.hasPrefix("profile-") && name.hasSuffix(".txt"))
    }

    /// Throws, changing nothing, unless the demo may write into `folder`: a new or empty folder, one without
    /// files of the demo's names, or an earlier demo's folder whose registry is unchanged.
    static func checkReplaceable(_ folder: URL) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        let clashing = names.filter(isDemoOutput)
        guard !clashing.isEmpty else { return }
        let registryPath = folder.appendingPathComponent(registryName).path
        let hasRegistry = names.contains(registryName)
        let elsewhere = "another folder (`annals demo --out annals-demo`)"
        guard let marker = try? String(contentsOf: folder.appendingPathComponent(markerName), encoding: .utf8) else {
            if hasRegistry {
                throw RegistryFailure(
                    "\(registryPath) is a registry that `annals demo` did not build; the demo never replaces one, and nothing was "
                        + "changed. Build the demo in \(elsewhere).")
            }
            throw RegistryFailure(
                "\(folder.path) already holds \(clashing.joined(separator: ", ")), which `annals demo` did not make; nothing was "
                    + "changed. Build the demo in \(elsewhere), or move those files away first.")
        }
        guard hasRegistry else { return }
        let recorded = marker.split(separator: "\n").first { $0.hasPrefix("registry-sha256: ") }.map {
            String($0.dropFirst(17))
        }
        let current: String?
        do {
            let store = try RegistryStore(path: registryPath, create: false)
            current = try store.read { try RegistryExporter.fingerprint(of: $0) }
        } catch {
            current = nil
        }
        guard let recorded, recorded != "none", recorded == current else {
            throw RegistryFailure(
                "\(registryPath) has changed since `annals demo` built it (records were added or corrected), or the demo did not "
                    + "finish building it; the demo leaves it as it is, and nothing was changed. If you want to keep it, use it "
                    + "with --db \(registryPath); if not, move it away first, or build the demo in \(elsewhere).")
        }
    }

    /// Notes in `folder` that the demo made it, with the registry's fingerprint (nil: no finished registry yet).
    static func writeMarker(in folder: URL, fingerprint: String?) throws {
        let text = """
            This folder was made by `annals demo`. Running `annals demo --out \(folder.path)` again replaces
            annals.sqlite and the files the demo wrote here, but only while annals.sqlite holds exactly what the demo
            put in it (the fingerprint below). Delete this note and the demo will leave the folder alone.
            registry-sha256: \(fingerprint ?? "none")

            """
        try Data(text.utf8).write(to: folder.appendingPathComponent(markerName), options: .atomic)
    }

    /// Removes the registry at `path` with its write-ahead log and shared-memory files.
    static func removeRegistry(at path: String) throws {
        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
