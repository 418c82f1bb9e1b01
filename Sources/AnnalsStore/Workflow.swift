public import AnnalsModel
public import Foundation

// The approval chain and closed years, kept in the registry (migration `v12-workflow`), the same on both
// backends. What follows every write is settled once, at the end of the write's body, from the change log
// lines the write left (`settleWorkflow`): whatever path wrote them (a form, an upload, an import, a restore).

extension StoreReading {
    func workflowRows(_ condition: String, _ arguments: [String?]) throws -> [WorkflowStatus] {
        try textRows(
            """
            SELECT kind, record_id, state, CAST(steps_done AS TEXT), validators, submitted_by, submitted_at, opinion,
                   acted_by, acted_at
            FROM workflow_status \(condition)
            """, arguments
        ).compactMap { row in
            guard let kind = row[0].flatMap(EntityKind.init(rawValue:)), let id = row[1],
                let state = row[2].flatMap(WorkflowState.init(rawValue:))
            else { return nil }
            let validators = (row[4] ?? "").split(separator: " ").map(String.init)
            return WorkflowStatus(
                kind: kind, recordID: id, state: state, stepsDone: Int(row[3] ?? "") ?? 0, validators: validators,
                submittedBy: row[5] ?? "",
                submittedAt: row[6].flatMap(ChangeEntry.date) ?? Date(timeIntervalSince1970: 0),
                opinion: row[7], actedBy: row[8], actedAt: row[9].flatMap(ChangeEntry.date))
        }
    }

    func closedYearNumbers() throws -> Set<Int> {
        Set(try textRows("SELECT CAST(year AS TEXT) FROM closed_year", []).compactMap { $0[0].flatMap(Int.init) })
    }
}

extension RegistryReader {
    /// Where record `kind` `id` waits in the approval chain; nil when it waits for nothing (validated).
    public func workflowStatus(kind: EntityKind, id: String) throws -> WorkflowStatus? {
        try reading.workflowRows("WHERE kind = ?1 AND record_id = ?2", [kind.rawValue, id]).first
    }

    /// Every record waiting in the chain (submitted or returned), oldest submission first.
    public func workflowPending() throws -> [WorkflowStatus] {
        try reading.workflowRows("ORDER BY submitted_at, kind, record_id", [])
    }

    /// The approval chain: the steps an admin set, or the standard one (the research office validates).
    public func approvalChain() throws -> ApprovalChain {
        let steps = try reading.textRows(
            "SELECT role, scope, label FROM approval_step ORDER BY position", []
        ).compactMap { row -> ApprovalStep? in
            guard let role = row[0].flatMap(AccountRole.init(rawValue:)),
                let scope = row[1].flatMap(ApprovalScope.init(rawValue:))
            else { return nil }
            return ApprovalStep(role: role, scope: scope, label: row[2])
        }
        return steps.isEmpty ? .standard : ApprovalChain(steps: steps)
    }

    /// The closed years, earliest first.
    public func closedYears() throws -> [ClosedYear] {
        try reading.textRows(
            "SELECT CAST(year AS TEXT), closed_by, closed_at FROM closed_year ORDER BY year", []
        ).compactMap { row in
            guard let year = row[0].flatMap(Int.init) else { return nil }
            return ClosedYear(
                year: year, closedBy: row[1] ?? "", closedAt: row[2].flatMap(ChangeEntry.date) ?? Date())
        }
    }
}

extension RegistryWriter {
    /// Puts record `kind` `id` in the chain as `status` says (nil: validated, waiting for nothing) and logs
    /// `event` in the record's history.
    public func setWorkflow(_ status: WorkflowStatus?, kind: EntityKind, id: String, event: WorkflowEvent) throws {
        let before = try workflowStatus(kind: kind, id: id)
        try writing.storeWorkflow(status, kind: kind, id: id)
        try writing.logChanges([
            RecordChange(
                kind: WorkflowEvent.logKind, recordID: id,
                operation: status == nil ? .deleted : (before == nil ? .added : .replaced),
                before: nil, after: event.json)
        ])
    }

    /// Sets the approval chain (nil or no steps: back to the standard one), logged.
    public func setApprovalChain(_ steps: [ApprovalStep]?) throws {
        let before = try approvalChain()
        try writing.execute("DELETE FROM approval_step", [])
        for (position, step) in (steps ?? []).enumerated() {
            try writing.execute(
                "INSERT INTO approval_step (position, role, scope, label) VALUES (CAST(?1 AS BIGINT), ?2, ?3, ?4)",
                [String(position + 1), step.role.rawValue, step.scope.rawValue, step.label])
        }
        let after = try approvalChain()
        guard after != before else { return }
        try writing.logChanges([
            RecordChange(
                kind: "approval-chain", recordID: "chain", operation: .replaced, before: Self.chainJSON(before),
                after: Self.chainJSON(after))
        ])
    }

    static func chainJSON(_ chain: ApprovalChain) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(chain.isConfigured ? chain.steps : [])) ?? Data(), as: UTF8.self)
    }

    /// Closes `year` (logged); false when it was closed already.
    @discardableResult
    public func closeYear(_ year: Int, by actor: ChangeActor, at date: Date = Date()) throws -> Bool {
        guard !(try writing.closedYearNumbers().contains(year)) else { return false }
        try writing.execute(
            "INSERT INTO closed_year (year, closed_by, closed_at) VALUES (CAST(?1 AS BIGINT), ?2, ?3)",
            [String(year), actor.name, ChangeEntry.timestamp(date)])
        try writing.logChanges([
            RecordChange(
                kind: ClosedYear.logKind, recordID: String(year), operation: .added, before: nil,
                after: #"{"closed":true,"year":\#(year)}"#)
        ])
        return true
    }

    /// Reopens `year` (logged); false when it was not closed.
    @discardableResult
    public func reopenYear(_ year: Int) throws -> Bool {
        guard try writing.closedYearNumbers().contains(year) else { return false }
        try writing.execute("DELETE FROM closed_year WHERE year = CAST(?1 AS BIGINT)", [String(year)])
        try writing.logChanges([
            RecordChange(
                kind: ClosedYear.logKind, recordID: String(year), operation: .deleted,
                before: #"{"closed":true,"year":\#(year)}"#, after: nil)
        ])
        return true
    }
}

extension StoreWriting {
    func storeWorkflow(_ status: WorkflowStatus?, kind: EntityKind, id: String) throws {
        try execute("DELETE FROM workflow_status WHERE kind = ?1 AND record_id = ?2", [kind.rawValue, id])
        guard let status else { return }
        try execute(
            """
            INSERT INTO workflow_status (kind, record_id, state, steps_done, validators, submitted_by, submitted_at,
                opinion, acted_by, acted_at)
            VALUES (?1, ?2, ?3, CAST(?4 AS BIGINT), ?5, ?6, ?7, ?8, ?9, ?10)
            """,
            [
                kind.rawValue, id, status.state.rawValue, String(status.stepsDone),
                status.validators.joined(separator: " "), status.submittedBy,
                ChangeEntry.timestamp(status.submittedAt), status.opinion, status.actedBy,
                status.actedAt.map(ChangeEntry.timestamp),
            ])
    }

    /// What every write does last, from the change log lines it left: refuses it (throws, so nothing is kept)
    /// when it changed a record of a closed year, before or after; then puts the records a department account
    /// changed in the chain as submitted (logging the submission), and takes out of it those anyone else
    /// changed (the office, an admin, the command line: validated at once). A deleted record leaves the chain.
    func settleWorkflow() throws {
        guard let change, let line = change.changeID else { return }
        let dated = WorkflowKinds.dated.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let closed = try closedYearNumbers()
        if !closed.isEmpty {
            var years = Set<Int>()
            var named: [String] = []
            var count = 0
            for row in try textRows(
                """
                SELECT kind, record_id, operation, body_before, body_after FROM change_record
                WHERE change_id = CAST(?1 AS BIGINT) AND kind IN (\(dated)) ORDER BY id
                """, [String(line)])
            {
                guard let kind = row[0].flatMap(EntityKind.init(rawValue:)), let id = row[1] else { continue }
                var touched = Set<Int>()
                if let before = row[3] { touched.formUnion(ClosedYear.years(of: kind, body: before)) }
                let after =
                    try row[4]
                    ?? (row[2] == RecordOperation.deleted.rawValue ? nil : currentBody(kind: kind.rawValue, id: id))
                if let after { touched.formUnion(ClosedYear.years(of: kind, body: after)) }
                let hit = touched.intersection(closed)
                guard !hit.isEmpty else { continue }
                years.formUnion(hit)
                count += 1
                if named.count < 3 { named.append("\(kind.noun) \(id)") }
            }
            if count > 0 { throw ClosedYearRefusal(years: years.sorted(), records: named, recordCount: count) }
        }
        let submits = try actorSubmits(change.actor)
        // Validated at once, and nothing waits: nothing to do (a large import by the office costs one query).
        if !submits, try textRows("SELECT 1 FROM workflow_status LIMIT 1", []).first == nil { return }
        let kinds = WorkflowKinds.all.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var seen = Set<String>()
        var records: [(EntityKind, String, RecordOperation)] = []
        for row in try textRows(
            """
            SELECT kind, record_id, operation FROM change_record
            WHERE change_id = CAST(?1 AS BIGINT) AND kind IN (\(kinds)) ORDER BY id
            """, [String(line)])
        {
            guard let kind = row[0].flatMap(EntityKind.init(rawValue:)), let id = row[1],
                let operation = row[2].flatMap(RecordOperation.init(rawValue:))
            else { continue }
            if seen.insert("\(kind.rawValue) \(id)").inserted {
                records.append((kind, id, operation))
            } else if let i = records.firstIndex(where: { $0.0 == kind && $0.1 == id }) {
                records[i].2 = operation
            }
        }
        guard !records.isEmpty else { return }
        if !submits {
            for (kind, id, _) in records {
                try execute("DELETE FROM workflow_status WHERE kind = ?1 AND record_id = ?2", [kind.rawValue, id])
            }
            return
        }
        let now = Date()
        var events: [RecordChange] = []
        for (kind, id, operation) in records {
            let before = try workflowRows("WHERE kind = ?1 AND record_id = ?2", [kind.rawValue, id]).first
            if operation == .deleted {
                if before != nil { try storeWorkflow(nil, kind: kind, id: id) }
                continue
            }
            try storeWorkflow(
                WorkflowStatus(
                    kind: kind, recordID: id, state: .submitted, submittedBy: change.actor.name, submittedAt: now),
                kind: kind, id: id)
            let event = WorkflowEvent(
                recordKind: kind.rawValue, transition: before?.state == .returned ? .resubmit : .submit,
                state: .submitted)
            events.append(
                RecordChange(
                    kind: WorkflowEvent.logKind, recordID: id, operation: before == nil ? .added : .replaced,
                    before: nil, after: event.json))
        }
        try logChanges(events)
    }

    /// True when changes by `actor` wait for validation: the actor is a web account of a department (a
    /// secretary or head; a viewer cannot write). Anyone else — an office or admin account, the command line's
    /// operating-system user, the server itself — has its changes validated at once.
    func actorSubmits(_ actor: ChangeActor) throws -> Bool {
        guard let role = try textRows("SELECT role FROM account WHERE name = ?1", [actor.name]).first?[0] else {
            return false
        }
        return AccountRole(rawValue: role).map { $0 < .office } ?? false
    }
}

extension RegistryReader {
    /// The record `kind` `id` as the registry keeps it now (canonical JSON); nil when there is none.
    public func recordBody(kind: EntityKind, id: String) throws -> String? {
        try reading.currentBody(kind: kind.rawValue, id: id)
    }
}
