import AnnalsInterchange
import AnnalsModel
public import Foundation

/// Which parts of the sample registry (`Samples/`) to import: `annals demo` takes them all, a test the ones it
/// needs.
public struct SampleParts: OptionSet, Sendable {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The built-in procedure vocabulary (not a file: what `annals init` puts in every new registry).
    public static let vocabulary = SampleParts(rawValue: 1 << 0)
    /// `registry.xml`: departments, campuses, people, projects, awards and case tallies.
    public static let registry = SampleParts(rawValue: 1 << 1)
    /// `journals.csv`: the journal list.
    public static let journals = SampleParts(rawValue: 1 << 2)
    /// `pubmed-sample.xml` and `endnote-sample.xml`: papers, credited against the registry's people.
    public static let papers = SampleParts(rawValue: 1 << 3)
    /// Everything, as `annals demo` imports it.
    public static let all: SampleParts = [.vocabulary, .registry, .journals, .papers]
}

extension Registry {
    /// Imports `parts` of the samples in `folder` (`Samples/`) through the imports' own entry points, each in its
    /// own transaction recorded as this registry's actor: the procedure vocabulary, then `registry.xml` (papers are
    /// credited against its departments and people), `journals.csv`, `pubmed-sample.xml` and `endnote-sample.xml`.
    /// `say` is told what each step did.
    public func importSamples(_ parts: SampleParts = .all, from folder: URL, say: (String) -> Void = { _ in }) throws {
        let sample = { (name: String) in ImportSource(url: folder.appendingPathComponent(name), displayName: name) }
        if parts.contains(.vocabulary) {
            let vocabulary = try write(.setUp) { try ProcedureVocabulary.install(into: $0) }
            say("Installed the procedure vocabulary: \(vocabulary) procedures.")
        }
        if parts.contains(.registry) {
            let report = try importRegistryFiles([sample("registry.xml")])
            say("Imported registry.xml: \(report.count(.inserted)) records.")
        }
        if parts.contains(.journals) {
            say("Imported journals.csv: \(try importJournals(sample("journals.csv")))")
        }
        if parts.contains(.papers) {
            for (name, format) in [("pubmed-sample.xml", PublicationFormat.pubmed), ("endnote-sample.xml", .endnote)] {
                say("Imported \(name): \(try importPublications(sample(name), format: format))")
            }
        }
    }
}
