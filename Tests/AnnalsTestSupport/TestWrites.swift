public import AnnalsModel
public import AnnalsStore

/// The actor the tests write as, unless a test names another.
public let testActor = ChangeActor("annals-tests")

extension RegistryStore {
    /// For tests only (the program has no write without an actor): a write logged as `annals-tests` editing.
    public func write<T>(_ body: (RegistryWriter) throws -> T) throws -> T {
        try write(as: testActor, doing: .edit, body)
    }

    /// For tests only: a dry run as `annals-tests` editing.
    public func dryRun<T>(_ body: (RegistryWriter) throws -> T) throws -> T {
        try dryRun(as: testActor, doing: .edit, body)
    }
}
