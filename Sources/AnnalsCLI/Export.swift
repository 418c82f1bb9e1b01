import AnnalsInterchange
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the whole registry as registry XML.",
            discussion: """
                The output validates against Schemas/annals-registry.xsd and is the same bytes for the same \
                registry, so exports can be compared and kept under version control.
                """)

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var out: String?

        func run() throws {
            let store = try registry.open(create: false)
            if let out {
                try AtomicFile.write(to: out) { sink in try store.read { try RegistryExporter.export($0, to: sink) } }
            } else {
                let stdout = FileHandle.standardOutput
                try store.read { try RegistryExporter.export($0) { stdout.write(Data($0)) } }
            }
        }
    }
}

/// Writes a file through a temporary file beside it, renamed into place at the end, so a failed
/// write never leaves a half-written file under the real name.
enum AtomicFile {
    static func write(to path: String, _ produce: (@escaping (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw Failure("cannot write \(path): check that the folder exists and you may write in it.")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try produce { try handle.write(contentsOf: Data($0)) }
            try handle.synchronize()
            guard rename(temporary.path, target.path) == 0 else {
                throw Failure(String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw Failure("cannot write \(path): \(error)")
        }
    }
}
