import AnnalsInterchange
import AnnalsStore
import AnnalsTestSupport
import Foundation

extension TemporaryFolder {
    /// A new registry in this folder holding the built-in procedure vocabulary, as Annals creates them.
    func newRegistry() throws -> RegistryStore {
        let store = try RegistryStore(path: registryLocation(.underTest, "annals"))
        _ = try store.write { try ProcedureVocabulary.install(into: $0) }
        return store
    }
}
