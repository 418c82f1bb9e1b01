import AnnalsModel
import AnnalsRegistry
import ArgumentParser
import Foundation

extension Annals {
    struct Chain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "chain", abstract: "Show or set the approval chain that department entries pass.",
            discussion: """
                Records a department secretary or head enters or changes wait for validation. By default the \
                research office validates them in one step. A hospital may set up to five ordered steps, each a \
                role and a scope: `annals chain set head:department:科室主任 office:hospital:科研处` has the \
                department's head check first and the research office second. Once a chain is set, the annual \
                report counts validated records by default. Setting the chain is in the change log.
                """,
            subcommands: [Show.self, SetSteps.self, Reset.self], defaultSubcommand: Show.self)

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the approval chain.")
            @OptionGroup var registry: RegistryOptions

            func run() throws {
                let chain = try registry.open(create: false, readOnly: true).approvalChain()
                print(
                    chain.isConfigured
                        ? "The approval chain (set by an admin):"
                        : "The standard approval chain (none was set): the research office validates.")
                for (i, step) in chain.steps.enumerated() {
                    let label = step.label.map { "  \($0)" } ?? ""
                    print("\(i + 1). \(step.role.rawValue):\(step.scope.rawValue)\(label)")
                }
            }
        }

        struct SetSteps: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set", abstract: "Set the approval chain's steps, in order.")
            @OptionGroup var registry: RegistryOptions
            @Argument(help: "Steps as ROLE:SCOPE[:LABEL], e.g. head:department:科室主任 office:hospital:科研处")
            var steps: [String]

            func validate() throws {
                if steps.isEmpty { throw ValidationError("name at least one step, e.g. office:hospital:科研处") }
                if let problem = try parsed().problem { throw ValidationError(problem) }
            }

            func parsed() throws -> (steps: [ApprovalStep], problem: String?) {
                var result: [ApprovalStep] = []
                for (i, text) in steps.enumerated() {
                    let (step, problem) = ApprovalStep.parse(text)
                    guard let step else { return ([], "step \(i + 1): \(problem ?? text)") }
                    result.append(step)
                }
                return (result, ApprovalChain.problem(with: result))
            }

            func run() throws {
                try registry.open(create: false).setApprovalChain(try parsed().steps, by: nil)
                print("The approval chain has \(steps.count) step\(steps.count == 1 ? "" : "s") now.")
            }
        }

        struct Reset: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "reset", abstract: "Go back to the standard chain: the research office validates.")
            @OptionGroup var registry: RegistryOptions

            func run() throws {
                try registry.open(create: false).setApprovalChain(nil, by: nil)
                print("The standard approval chain again: the research office validates.")
            }
        }
    }
}
