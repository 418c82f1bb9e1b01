import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser

extension Annals {
    struct Funders: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "funders",
            abstract: "List the funders the projects name: each known funder once, and the names Annals does not know.",
            discussion: """
                Annals knows the national and Zhejiang funders by all their names (国家自然科学基金 = NSFC = National \
                Natural Science Foundation of China), so "by funder" counts each once. A funder name it does not know \
                is kept as the project writes it, counted apart, and listed here with the closest known funders.
                """)

        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            let projects = try store.read { try $0.projects() }
            let vocabulary = FunderVocabulary.shared
            var known: [String: (funder: Funder, count: Int, written: Set<String>)] = [:]
            var unknown: [String: Int] = [:]
            for p in projects {
                if let funder = vocabulary.funder(for: p.funder) {
                    known[funder.id, default: (funder, 0, [])].count += 1
                    known[funder.id]!.written.insert(p.funder)
                } else {
                    unknown[p.funder, default: 0] += 1
                }
            }
            if known.isEmpty && unknown.isEmpty {
                print("No projects in the registry.")
                return
            }
            for (_, entry) in known.sorted(by: { ($1.value.count, $0.key) < ($0.value.count, $1.key) }) {
                let f = entry.funder
                print(
                    "\(f.nameZH)  \(f.name)\(f.acronyms.isEmpty ? "" : " (\(f.acronyms.joined(separator: ", ")))"): \(entry.count) project\(entry.count == 1 ? "" : "s")"
                )
                let others = entry.written.subtracting([f.name, f.nameZH]).sorted()
                if !others.isEmpty { print("    written as: \(others.joined(separator: "; "))") }
            }
            if !unknown.isEmpty {
                print("\nNot in the funder vocabulary (kept as written and counted apart; 不在资助方名录中，按原名称单列):")
                for (name, count) in unknown.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                    let closest = vocabulary.suggestions(for: name).map { "\($0.nameZH) (\($0.name))" }
                    print(
                        "  \(name): \(count) project\(count == 1 ? "" : "s")"
                            + (closest.isEmpty ? "" : "; closest known: \(closest.joined(separator: ", "))"))
                }
            }
        }
    }
}
