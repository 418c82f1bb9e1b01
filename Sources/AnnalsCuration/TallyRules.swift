public import AnnalsDiagnostics
public import AnnalsModel

/// The registry's rule against counting twice.
public enum TallyRules {
    /// Throws `DiagnosticError` listing the pairs of tallies that would count the same operations twice
    /// (`TallyOverlapSweep`), among the tallies of `procedures`, where at least one was just imported
    /// (`imported` tells by series and period). `places` gives where imported tallies are in their files.
    /// Every import path calls this after writing its tallies and before committing.
    /// `advice` ends each message: what the user can do (by default, what an import's user can).
    public static func refuseOverlaps(
        procedures: Set<String>, in registry: some TallyReading, imported: (TallyIdentity) -> Bool,
        places: (Set<TallyIdentity>) throws -> [TallyIdentity: Diagnostic], advice: String = importAdvice
    ) throws {
        guard !procedures.isEmpty else { return }
        let findings = try registry.tallyOverlaps(procedures: procedures, involving: { imported($0.identity) })
        guard findings.total > 0 else { return }
        let pairs = findings.conflicts.map { conflict in
            imported(conflict.first.identity) ? (conflict.first, conflict.second) : (conflict.second, conflict.first)
        }
        let known = try places(Set(pairs.map(\.0.identity)))
        var diagnostics = pairs.map { incoming, other in
            var diagnostic =
                known[incoming.identity] ?? Diagnostic(.tallyOverlap, file: "registry", line: 0, column: 0, message: "")
            diagnostic.code = .tallyOverlap
            let whereFound = imported(other.identity) ? "also being imported" : "already in the registry"
            diagnostic.message =
                "case tally '\(incoming.id)' (\(describe(incoming))) overlaps case tally '\(other.id)' (\(describe(other))), \(whereFound): "
                + "the same operations would be counted twice\(levels(incoming, other)). \(advice)"
            return diagnostic
        }
        if findings.total > pairs.count {
            diagnostics.append(
                Diagnostic(
                    .tallyOverlap, file: diagnostics.first?.file ?? "registry", line: 0, column: 0,
                    message:
                        "\(findings.total - pairs.count) more pairs of case tallies overlap; correct the ones above and import again to see the rest"
                ))
        }
        throw DiagnosticError(diagnostics)
    }

    /// What an import's user can do about an overlap.
    public static let importAdvice =
        "Correct the periods; a corrected count for exactly the same procedure, approach, unit, campus, surgeon and period replaces the old one."

    /// Throws as above when one of `tallies`, just written to `registry` one by one (a restored version, a single
    /// entry), counts operations another tally of the registry counts too. The diagnostics have no place in a file.
    public static func refuseOverlaps(of tallies: [CaseTally], in registry: some TallyReading, advice: String) throws {
        let written = Set(tallies.map(\.identity))
        try refuseOverlaps(
            procedures: Set(tallies.map(\.procedureID)), in: registry, imported: { written.contains($0) },
            places: { _ in [:] }, advice: advice)
    }

    /// " (one is for a whole unit, campus or all surgeons, which includes the other)" when the two differ in level.
    static func levels(_ a: CaseTally, _ b: CaseTally) -> String {
        var parts: [String] = []
        if a.departmentID != b.departmentID {
            parts.append("'\(a.departmentID)' and '\(b.departmentID)': one unit includes the other")
        }
        if a.campusID != b.campusID { parts.append("a tally for all campuses includes each campus") }
        if a.surgeonID != b.surgeonID { parts.append("a tally for all surgeons includes each surgeon") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
    }

    /// "laparoscopic choledochal-cyst-excision, general-surgery, binjiang, 2016: 20"
    public static func describe(_ t: CaseTally) -> String {
        let period = t.from.map { $0 == t.to ? "\($0)" : "\($0) to \(t.to)" } ?? "through \(t.to)"
        return [t.approach.rawValue + " " + t.procedureID, t.departmentID, t.campusID, t.surgeonID, period]
            .compactMap { $0 }.joined(separator: ", ") + ": \(t.count)"
    }
}
