import AnnalsInterchange
public import AnnalsModel
public import AnnalsStore
public import Foundation

/// A registry as the front ends use it: the store, who is acting, and the name it may be shown by.
///
/// Every front end (the command line, the web server) opens a registry here and asks it questions or
/// hands it files; the domain rules behind each call live in the library modules, never in a front end.
public struct Registry: Sendable {
    /// The store underneath, for the few front-end tasks that are the store's own (backups, moving stores).
    public let store: RegistryStore
    /// Who the changes made through this value are recorded as.
    public let actor: ChangeActor
    /// The registry as it may be shown: a server URL never with its password.
    public var name: String { RegistryStore.displayName(for: store.path) }
    /// Whether the registry was created by this opening.
    public var isNew: Bool { store.isNew }

    public init(store: RegistryStore, actor: ChangeActor) {
        self.store = store
        self.actor = actor
    }

    /// Opens the registry at `location`. Only `create` makes a new one (which starts with the built-in
    /// procedure vocabulary); `readOnly` never waits for an import and needs only read permission.
    /// `onMigrationBackup` is told where a copy of a registry written by an older Annals was put before it was
    /// updated; `onWaiting` is told when another program holds the registry.
    public static func open(
        _ location: RegistryLocation, create: Bool, readOnly: Bool = false, as actor: ChangeActor,
        onMigrationBackup: ((String) -> Void)? = nil, onWaiting: (@Sendable (String) -> Void)? = nil
    ) throws -> Registry {
        do {
            let name = RegistryStore.displayName(for: location.path)
            let store = try RegistryStore(
                path: location.path, create: create, readOnly: readOnly,
                onMigrationBackup: { backup in
                    onMigrationBackup?(
                        "\(name) was written by an older Annals; it is being updated. A copy of it as it was: \(backup)"
                    )
                },
                onWaiting: { message in onWaiting?(message) })
            let registry = Registry(store: store, actor: actor)
            if store.isNew { _ = try registry.write(.setUp) { try ProcedureVocabulary.install(into: $0) } }
            return registry
        } catch let error as StoreError {
            if error.code == .missing, let source = location.source {
                throw RegistryFailure(
                    error.message.replacingOccurrences(
                        of: "no registry at \(location.path).", with: "no registry at \(location.path)\(source)."),
                    code: error.code)
            }
            throw RegistryFailure(error.message, code: error.code)
        }
    }

    /// Reads from one consistent view of the registry.
    public func read<T>(_ body: (RegistryReader) throws -> T) throws -> T { try store.read(body) }

    /// Writes in one transaction, recorded in the change log as `action` by this registry's actor.
    public func write<T>(_ action: ChangeAction, _ body: (RegistryWriter) throws -> T) throws -> T {
        try store.write(as: actor, doing: action, body)
    }

    /// Runs `body` as a write and rolls it back: what it would do, and nothing changed.
    public func dryRun<T>(_ action: ChangeAction, _ body: (RegistryWriter) throws -> T) throws -> T {
        try store.dryRun(as: actor, doing: action, body)
    }
}

/// Where a registry is: a file, or a PostgreSQL URL, and where that choice came from.
public struct RegistryLocation: Sendable, Equatable {
    public var path: String
    /// " (from ANNALS_DB)" or " (the default)" when the path was not given explicitly; nil when it was.
    public var source: String?

    public init(path: String, source: String? = nil) {
        self.path = path
        self.source = source
    }

    /// The registry to use: the given one, then ANNALS_DB, then annals.sqlite in the current folder.
    public static func resolve(_ given: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> RegistryLocation
    {
        if let given, !given.isEmpty { return RegistryLocation(path: given) }
        if let env = environment["ANNALS_DB"], !env.isEmpty {
            return RegistryLocation(path: env, source: " (from ANNALS_DB)")
        }
        return RegistryLocation(
            path: RegistryStore.defaultPath, source: environment["ANNALS_DB"] == nil ? " (the default)" : "")
    }
}

/// A request the registry refused, said in words for the user: the front end shows `message`.
public struct RegistryFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// What was wrong with the registry itself, when that is why the request failed.
    public var code: StoreError.Code?

    public init(_ message: String, code: StoreError.Code? = nil) {
        self.message = message
        self.code = code
    }

    public var description: String { message }
}

extension ChangeActor {
    /// The operating-system user running Annals (the login name of the effective user), for the change log.
    public static var operatingSystemUser: ChangeActor {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return ChangeActor(String(cString: name))
        }
        return ChangeActor("user \(geteuid())")
    }
}
