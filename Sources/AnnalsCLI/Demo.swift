import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a registry from the samples in a fresh folder and show what it holds.",
            discussion: """
                Imports every registry file in Samples/ into FOLDER/annals.sqlite (replacing an earlier demo \
                registry there), exports it again to FOLDER/registry-export.xml, and prints a summary per department.
                """)

        @Option(name: .long, help: ArgumentHelp("Where to build the demo registry.", valueName: "folder"))
        var out: String = "annals-demo"

        @Option(name: .long, help: ArgumentHelp("The samples folder. Default: Samples/ of this Annals.", valueName: "folder"))
        var samples: String?

        func run() throws {
            let samplesFolder = try locateSamples()
            let files = try FileManager.default.contentsOfDirectory(at: samplesFolder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "xml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            guard !files.isEmpty else { throw Failure("no registry files (*.xml) in \(samplesFolder.path)") }

            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let dbPath = folder.appendingPathComponent("annals.sqlite").path
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: dbPath + suffix) {
                try FileManager.default.removeItem(atPath: dbPath + suffix)
            }
            let store: RegistryStore
            do { store = try RegistryStore(path: dbPath) } catch { throw Failure(error.message) }

            let report: ImportReport
            do {
                let read = try files.map { try RegistryImporter.read(file: $0, displayName: $0.path) }
                report = try store.write { try RegistryImporter.apply(read, to: $0) }
            } catch let failure as ImportFailure {
                for diagnostic in failure.diagnostics { printError(diagnostic.description) }
                throw Failure("the samples could not be imported (see above).")
            }
            let exportPath = folder.appendingPathComponent("registry-export.xml").path
            try AtomicFile.write(to: exportPath) { sink in try store.read { try RegistryExporter.export($0, to: sink) } }

            let content = try store.read { try $0.content() }
            print("Annals demo registry: \(dbPath)")
            print("Imported \(files.map(\.lastPathComponent).joined(separator: ", ")): \(report.count(.inserted)) records.")
            print("Exported again to \(exportPath).")
            print("")
            print(Summary.text(content))
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
            for (procedure, count) in o.casesByProcedure.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }).prefix(5) {
                lines.append("  cases tallied: \(pad(String(count), 5)) \(procedures[procedure] ?? procedure)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
