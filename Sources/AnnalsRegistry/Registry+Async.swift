public import AnnalsModel
public import AnnalsStore
import Dispatch

/// The registry for async callers (the web server): the store's work is blocking I/O, so it runs on Dispatch's
/// threads, never on the few threads Swift concurrency shares with the server's event loops.
extension Registry {
    /// Runs `work` with this registry off the concurrency pool and hands back its result.
    public func perform<T: Sendable>(_ work: @escaping @Sendable (Registry) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Registry.queue.async { continuation.resume(with: Result { try work(self) }) }
        }
    }

    /// Reads from one consistent view of the registry, off the concurrency pool.
    public func read<T: Sendable>(_ body: @escaping @Sendable (RegistryReader) throws -> T) async throws -> T {
        try await perform { try $0.read(body) }
    }

    /// Writes in one transaction as this registry's actor, off the concurrency pool.
    public func write<T: Sendable>(_ action: ChangeAction, _ body: @escaping @Sendable (RegistryWriter) throws -> T)
        async throws -> T
    {
        try await perform { try $0.write(action, body) }
    }

    /// Blocking store work runs here: concurrent, so readers do not queue behind each other or behind an import.
    private static let queue = DispatchQueue(label: "annals.registry", qos: .userInitiated, attributes: .concurrent)
}
