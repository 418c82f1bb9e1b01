import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser

extension Annals {
    struct Procedures: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "procedures", abstract: "List the procedure vocabulary, or the procedures matching a search.",
            discussion: """
                Annals ships with a vocabulary of the operations the departments report (each with its other names, \
                category, surgical grade and ICD-9-CM-3 code where known). Add your own as <procedure> records in \
                registry XML (`annals import registry`).
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("Words to look for in names and synonyms.", valueName: "search"))
        var search: [String] = []

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            let vocabulary = try store.read { try $0.procedures() }
            let text = search.joined(separator: " ")
            var shown = vocabulary
            if !text.isEmpty {
                let matcher = ProcedureMatcher(procedures: vocabulary)
                switch matcher.match(text) {
                case .procedure(let procedure, _):
                    shown = [procedure]
                case .conflictingApproaches:
                    shown = matcher.search(text)
                    if shown.isEmpty { throw Failure("nothing in the vocabulary matches '\(text)'.") }
                case .unknown(let suggestions):
                    // Words found in the names ("胆总管", "bile duct"), approach words left out.
                    shown = matcher.search(text)
                    if shown.isEmpty {
                        shown = vocabulary.filter { p in p.terms.contains(where: suggestions.contains) }
                        if shown.isEmpty { throw Failure("nothing in the vocabulary matches '\(text)'.") }
                        print("Nothing is called '\(text)'; the closest:")
                    }
                }
            }
            for p in shown {
                let grade = p.grade.map { ", grade \($0)" } ?? ""
                let codes = p.codes.map { "\($0.system) \($0.value)" }.joined(separator: ", ")
                print(
                    "\(p.preferredTerm)\(p.preferredTermZH.map { " \($0)" } ?? "")  [\(p.id); \(p.category)\(grade)\(codes.isEmpty ? "" : "; \(codes)")]"
                )
                if !p.synonyms.isEmpty { print("    also: \(p.synonyms.joined(separator: "; "))") }
            }
        }
    }
}
