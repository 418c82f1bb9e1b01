import AnnalsInterchange
import AnnalsModel
import AnnalsReports
import AnnalsStore
import AnnalsWeb
import ArgumentParser
import Foundation

extension Annals {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a registry from the samples in a fresh folder and show what it holds.",
            discussion: """
                Imports Samples/registry.xml (the two sample departments), journals.csv (an illustrative journal \
                list), pubmed-sample.xml and endnote-sample.xml (illustrative papers, credited to departments and \
                people as real imports are) into FOLDER/annals.sqlite; exports it again to FOLDER/registry-export.xml, prints a summary per department, and writes the \
                annual report of the latest year (HTML and Markdown) and each department's profile (English and \
                Chinese) into FOLDER.

                The demo replaces only what an earlier `annals demo` made in FOLDER (it leaves a .annals-demo note \
                there), and only while that registry is exactly as the demo left it. A folder holding any other \
                registry, or a demo registry that has since been changed, is refused and left as it is.
                """)

        @Option(name: .long, help: ArgumentHelp("Where to build the demo registry.", valueName: "folder"))
        var out: String = "annals-demo"

        @Option(name: .long, help: ArgumentHelp("The samples folder. Default: Samples/ of this Annals.", valueName: "folder"))
        var samples: String?

        @Flag(name: .long, help: "Then serve the demo registry in the browser, with a demo account whose password is printed once.")
        var serve = false

        @Option(name: .long, help: "With --serve: the address to listen on.")
        var host = "127.0.0.1"

        @Option(name: .long, help: "With --serve: the port to listen on.")
        var port = 8080

        func run() throws {
            let samplesFolder = try locateSamples()
            let sample = { (name: String) in samplesFolder.appendingPathComponent(name) }
            let folder = URL(fileURLWithPath: out).standardizedFileURL
            // Only a registry the demo built, still exactly as it left it, may be replaced: checked before anything changes.
            try DemoFolder.checkReplaceable(folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let dbPath = folder.appendingPathComponent("annals.sqlite").path
            try DemoFolder.writeMarker(in: folder, fingerprint: nil)
            try DemoFolder.removeRegistry(at: dbPath)
            do {
                try build(at: dbPath, samples: sample)
            } catch {
                // The registry this run started is the demo's own: it goes, so the folder stays a demo folder.
                try? DemoFolder.removeRegistry(at: dbPath)
                if let failure = error as? Failure { throw failure }
                DiagnosticPrinter.print(error)
                throw Failure("the samples in \(samplesFolder.path) could not be imported (see above).")
            }
            let store: RegistryStore
            do { store = try RegistryStore(path: dbPath, create: false) } catch { throw Failure(error.message) }
            let exportPath = folder.appendingPathComponent("registry-export.xml").path
            try OutputFile.write(to: exportPath, sparing: store) { sink in try store.read { try RegistryExporter.export($0, to: sink) } }
            print("Exported the whole registry to \(exportPath).")
            try DemoFolder.writeMarker(in: folder, fingerprint: try store.read { try RegistryExporter.fingerprint(of: $0) })

            let content = try store.read { try $0.content() }
            print("")
            print(Summary.text(content))
            print("")

            // The annual report of the latest year the samples cover, in HTML and Markdown.
            let year = content.tallies.map(\.to.year).max() ?? 2024
            for (format, name) in [(Report.Format.html, "annual-report-\(year).html"), (.markdown, "annual-report-\(year).md")] {
                let path = folder.appendingPathComponent(name).path
                try write(try renderReport(store: store, year: year, department: nil, format: format, language: .en, asOf: nil), to: path, sparing: store)
                print("Annual report \(year): \(path)")
            }
            for unit in content.orgUnits where unit.kind == .department {
                for language in ReportLanguage.allCases {
                    let path = folder.appendingPathComponent("profile-\(unit.id)\(language == .en ? "" : "-" + language.rawValue).txt").path
                    try write(try DepartmentProfile.text(department: unit.id, in: content, language: language), to: path, sparing: store)
                    print("Profile of \(unit.name)\(language == .zh ? " (Chinese)" : ""): \(path)")
                }
            }
            print("")
            print("Try: annals cases \"laparoscopic common bile duct cystectomy\" --department general-surgery --db \(dbPath)")
            if serve { try serveDemo(store) }
        }

        /// `--serve`: a demo account (the research office's role) with a new password, printed once; then serves.
        private func serveDemo(_ store: RegistryStore) throws {
            let password = Secrets.readablePassword()
            do {
                try AccountService(store: store, actor: .operatingSystemUser)
                    .add(name: "demo", role: .office, departments: [], password: password)
            } catch let error as AccountError { throw Failure(error.message) }
            print("")
            print("Serving the demo registry on http://\(host):\(port)/ (Ctrl-C stops).")
            print("Sign in as: demo")
            print("Password:   \(password)   (shown only now)")
            fflush(nil)  // every stream, before serving: standard output may be a file or a pipe, which holds what it gets
            try WebApp(store: store, configuration: WebConfiguration(host: host, port: port)).runBlocking()
        }

        /// Creates the registry at `dbPath` and imports the samples into it, saying what each import did.
        private func build(at dbPath: String, samples sample: (String) -> URL) throws {
            let store: RegistryStore
            do { store = try RegistryStore(path: dbPath, create: true) } catch { throw Failure(error.message) }
            print("Annals demo registry: \(dbPath)")
            let vocabulary = try store.write(as: .operatingSystemUser, doing: .setUp) { try ProcedureVocabulary.install(into: $0) }
            print("Installed the procedure vocabulary: \(vocabulary) procedures.")
            // The departments, people, projects and tallies first: papers are credited against them.
            let registryFile = try RegistryImporter.read(file: sample("registry.xml"), displayName: "registry.xml")
            let report = try store.write(as: .operatingSystemUser, doing: .importFile(kind: "registry", file: "registry.xml")) {
                try RegistryImporter.apply([registryFile], to: $0)
            }
            print("Imported registry.xml: \(report.count(.inserted)) records.")
            let journals = try JournalListImporter.read(file: sample("journals.csv"), displayName: "journals.csv")
            print("Imported journals.csv: \(try store.write(as: .operatingSystemUser, doing: .importFile(kind: "journals", file: "journals.csv")) { try JournalListImporter.apply(journals, to: $0) })")
            let pubmed = try store.write(as: .operatingSystemUser, doing: .importFile(kind: "pubmed", file: "pubmed-sample.xml")) { tx in
                var importer = try PublicationImporter(registry: tx)
                try importer.importPubMed(file: sample("pubmed-sample.xml"), displayName: "pubmed-sample.xml")
                return importer.report
            }
            print("Imported pubmed-sample.xml: \(pubmed)")
            let endnote = try store.write(as: .operatingSystemUser, doing: .importFile(kind: "endnote", file: "endnote-sample.xml")) { tx in
                var importer = try PublicationImporter(registry: tx)
                try importer.importEndNote(file: sample("endnote-sample.xml"), displayName: "endnote-sample.xml")
                return importer.report
            }
            print("Imported endnote-sample.xml: \(endnote)")
        }

        private func locateSamples() throws -> URL {
            let candidates =
                (samples.map { [$0] } ?? [])
                + ["Samples", URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("../../Samples").standardized.path]
            for candidate in candidates {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue {
                    return URL(fileURLWithPath: candidate)
                }
                if samples != nil { break }
            }
            throw Failure("cannot find the Samples folder; run from the Annals folder or pass --samples FOLDER")
        }
    }
}

/// Plain-text account of a registry, per department.
enum Summary {
    static func text(_ content: RegistryContent) -> String {
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
                let campusNames = Dictionary(uniqueKeysWithValues: content.orgUnits.flatMap(\.campuses).map { ($0.id, $0.name) })
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
            let top = o.cases.sorted { ($1.value, $0.key.procedureID, $0.key.approach.rawValue) < ($0.value, $1.key.procedureID, $1.key.approach.rawValue) }
            for (key, count) in top.prefix(6) {
                lines.append("  cases tallied: \(pad(String(count), 5)) \(key.approach.rawValue) \(procedures[key.procedureID] ?? key.procedureID)")
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
                throw Failure(
                    "\(registryPath) is a registry that `annals demo` did not build; the demo never replaces one, and nothing was "
                        + "changed. Build the demo in \(elsewhere).")
            }
            throw Failure(
                "\(folder.path) already holds \(clashing.joined(separator: ", ")), which `annals demo` did not make; nothing was "
                    + "changed. Build the demo in \(elsewhere), or move those files away first.")
        }
        guard hasRegistry else { return }
        let recorded = marker.split(separator: "\n").first { $0.hasPrefix("registry-sha256: ") }.map { String($0.dropFirst(17)) }
        let current: String?
        do {
            let store = try RegistryStore(path: registryPath, create: false)
            current = try store.read { try RegistryExporter.fingerprint(of: $0) }
        } catch {
            current = nil
        }
        guard let recorded, recorded != "none", recorded == current else {
            throw Failure(
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
