import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Duplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "duplicates",
            abstract: "List the publication records merged as the same paper, or undo a wrong merge.",
            discussion: """
                When an import finds a paper already in the registry under another record (same PMID, same DOI, or \
                the same title, year and first author), it merges the two and remembers it here. If two records \
                were not the same paper, `--reject N` restores the merged record on its own; later imports will \
                not merge them again. Records with the same title, year and first author but different DOIs or \
                PMIDs (a journal paper and its conference version) are never merged by an import: they are listed \
                here as candidates to check.
                """)

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: ArgumentHelp("Undo merge number N (from the list).", valueName: "N"))
        var reject: Int?

        func run() throws {
            // Listing only reads: it opens the registry read-only, so it never waits for an import.
            let store = try registry.open(create: false, readOnly: reject == nil)
            if let reject {
                let merge: PublicationMerge
                do { merge = try store.undoMerge(id: reject, department: nil) } catch let refusal as ReviewRefusal {
                    throw Failure(refusal.message + ".")
                }
                print("Merge \(reject) undone: \(merge.keptID) and \(merge.mergedID) are kept apart from now on.")
                return
            }
            let (merges, candidates) = try store.read { (try $0.merges(), try $0.duplicateCandidates()) }
            if merges.isEmpty {
                print("No merged records.")
            }
            for merge in merges {
                print(
                    "\(merge.id). \(merge.keptID) ← \(merge.mergedID) (\(merge.reason); from \(merge.sourceFile ?? "?"), \(merge.mergedAt))"
                )
                print("   \(merge.merged.title.plain)")
            }
            guard !candidates.isEmpty else { return }
            print("")
            print(
                "Kept apart, to check (\(candidates.count)): the same title, year and first author, but other identifiers:"
            )
            for candidate in candidates {
                print("- \(candidate.firstID) and \(candidate.secondID) (\(candidate.reason))")
                print("   \(candidate.title)\(candidate.year.map { " (\($0))" } ?? "")")
            }
        }
    }

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review", abstract: "Confirm or refuse author matches that imports were not sure of.",
            discussion: """
                An imported author is credited to a registry person only when the name fits and the author's own \
                affiliation names the hospital. Otherwise (no affiliation given, or several people fit the name) \
                the match waits here. Decisions are remembered when the same papers are imported again.
                """)

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: ArgumentHelp("Credit the author of item N to the person.", valueName: "N"))
        var accept: Int?

        @Option(name: .long, help: ArgumentHelp("Item N is not that person.", valueName: "N"))
        var reject: Int?

        @Flag(name: .long, help: "List decided items too.")
        var all = false

        func validate() throws {
            if accept != nil && reject != nil { throw ValidationError("Give --accept or --reject, not both.") }
        }

        func run() throws {
            let store = try registry.open(create: false, readOnly: accept == nil && reject == nil)
            if let id = accept ?? reject {
                let item: ReviewItem
                do {
                    guard
                        let decided = try store.decideReviews(
                            [ReviewDecision(itemID: id, accept: accept != nil)], department: nil
                        ).first
                    else { throw Failure("there is no review item \(id); `annals review` lists them.") }
                    item = decided
                } catch let refusal as ReviewRefusal {
                    throw Failure(refusal.message + ".")
                }
                print(
                    "Item \(id): \(item.authorName) of \(item.publicationID) \(item.status == .accepted ? "is" : "is not") \(item.personID)."
                )
                return
            }
            let (items, skipped) = try store.read {
                (try $0.reviewItems(status: all ? nil : .pending), try $0.skippedRecords())
            }
            if items.isEmpty && skipped.isEmpty {
                print(all ? "The review list is empty." : "Nothing to review.")
                return
            }
            for item in items {
                let status = item.status == .pending ? "" : " [\(item.status.rawValue)]"
                print(
                    "\(item.id). \(item.publicationID), author \(item.authorPosition) \(item.authorName) → \(item.personID)? (\(item.reason))\(status)"
                )
            }
            guard !skipped.isEmpty else { return }
            if !items.isEmpty { print("") }
            print(
                "Records left out by imports (\(skipped.count)): fix them in the reference manager and import the file again."
            )
            for record in skipped {
                print("- \(record.sourceFile):\(record.line): record \(record.position): \(record.reason)")
            }
        }
    }
}
