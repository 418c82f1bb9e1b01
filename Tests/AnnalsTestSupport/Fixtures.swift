public import Foundation

/// Finds the project's files from the tests, wherever the tests run from.
public enum Fixtures {
    /// The repository's top folder.
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Samples/`.
    public static var samples: URL { repository.appendingPathComponent("Samples") }

    /// `Samples/registry.xml`.
    public static var sampleRegistry: URL { samples.appendingPathComponent("registry.xml") }

    /// `Schemas/annals-registry.xsd`.
    public static var registrySchema: URL { repository.appendingPathComponent("Schemas/annals-registry.xsd") }

    /// `../shared/` beside the repository, when present (it is in CI, not necessarily in a user's clone).
    public static var shared: URL? {
        let url = repository.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

/// A folder that is removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("annals-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to a file in the folder and returns its URL.
    @discardableResult
    public func write(_ name: String, _ text: String) -> URL {
        let file = url.appendingPathComponent(name)
        try! Data(text.utf8).write(to: file)
        return file
    }
}

/// Runs a program and collects what it printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the built `annals` executable as a user would, in a separate process.
public enum AnnalsCommand {
    /// The `annals` binary next to the test bundle.
    public static var executable: URL {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("annals")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("annals")
    }

    /// True when the tests may run `annals` as another user (`nobody`, with `setpriv`): they run as root,
    /// who ignores permission bits, and `setpriv` is there.
    public static var canRunAsAnotherUser: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            && (try? run(["--help"], asNobody: true).status) == 0
    }

    /// `annals init` and `annals import registry` of the sample registry in `directory`, as a user sets up
    /// the samples; the results of both, for the caller to check.
    public static func initWithSamples(in directory: URL) throws -> [ProcessResult] {
        [
            try run(["init"], in: directory),
            try run(["import", "registry", Fixtures.sampleRegistry.path], in: directory),
        ]
    }

    /// Runs `annals ARGUMENTS` in `directory`, with `environment` added to a clean environment; with
    /// `asNobody`, as the user `nobody` (see `canRunAsAnotherUser`).
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], asNobody: Bool = false
    ) throws -> ProcessResult {
        let process = Process()
        if asNobody {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ANNALS_DB")
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes at once before waiting, so a large output on either cannot block the child.
        let errorOutput = PipeReader(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errorOutput.finish()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}

/// Python 3 with sqlite3, for tests that look at or change a registry file behind Annals' back.
public enum SQLitePython {
    public struct Failed: Error, CustomStringConvertible {
        public var status: Int32
        public var description: String { "python3 exited with \(status)" }
    }

    /// Runs `script` (after `import sqlite3, sys`) with `arguments` as `sys.argv[1:]`, in `directory`; returns
    /// what it printed, trimmed. Throws when python3 fails.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String] = [], in directory: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3, sys\n" + script] + arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
