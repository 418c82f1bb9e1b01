import AnnalsCuration
import AnnalsDiagnostics
public import AnnalsModel
public import AnnalsStore

extension Registry {
    /// Deletes record `id` of `kind`, recorded in the history with `reason` (and the record as it was). False when
    /// the registry holds no such record; `DeleteRefused`, naming them, while other records refer to it.
    public func delete(_ kind: EntityKind, id: String, reason: String?) throws -> Bool {
        try write(.delete(reason: reason)) { try $0.delete(kind, id: id) }
    }

    /// Brings back record `id` from the history: as it was before its last change, or with `change`, as it was right
    /// after that change (`RegistryWriter.restore`). A case tally comes back only under the rule every tally written
    /// meets (`TallyRules`): when it would count operations another tally counts, nothing is restored and
    /// `RestoreRefused` names the other tally.
    public func restore(id: String, kind: EntityKind?, change: Int?) throws -> RestoreOutcome {
        try write(.restore) { writer in
            let outcome = try writer.restore(id: id, kind: kind, change: change)
            if outcome.kind == .tally, let tally = try writer.tally(id: outcome.id) {
                do {
                    try TallyRules.refuseOverlaps(
                        of: [tally], in: writer,
                        advice:
                            "Correct or delete the other tally first, or bring back another version (`annals history \(id)` lists them; `--change N`)."
                    )
                } catch let error as DiagnosticError {
                    throw RestoreRefused(
                        message: "case tally \(outcome.id) cannot come back as it was then: "
                            + error.diagnostics.map(\.message).joined(separator: "; "))
                }
            }
            return outcome
        }
    }
}
