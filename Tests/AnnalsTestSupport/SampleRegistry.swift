import AnnalsRegistry
public import AnnalsStore

extension TemporaryFolder {
    /// A new registry on `backend` holding the samples (`Samples/`), imported as `annals demo` imports them
    /// (`Registry.importSamples`) and written as `testActor`: the procedure vocabulary unless `vocabulary` is
    /// false, `registry.xml` (departments, campuses, people, projects, awards, case tallies), and `journals.csv`
    /// with the sample PubMed and EndNote files unless `journalsAndPapers` is false.
    public func sampleRegistry(
        vocabulary: Bool = true, journalsAndPapers: Bool = true, backend: TestBackend = .underTest
    ) throws -> RegistryStore {
        var parts: SampleParts = [.registry]
        if vocabulary { parts.insert(.vocabulary) }
        if journalsAndPapers { parts.formUnion([.journals, .papers]) }
        let store = try RegistryStore(path: registryLocation(backend, "samples"))
        try Registry(store: store, actor: testActor).importSamples(parts, from: Fixtures.samples)
        return store
    }
}
