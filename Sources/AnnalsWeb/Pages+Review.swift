import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import Foundation
import HTTPTypes
import Hummingbird

/// The review page: the author matches waiting for a decision, candidate duplicates and past merges, of the
/// department named (a secretary's own, as `RouteGuard` makes sure) or of the whole hospital. What belongs to a
/// department and what a decision does are the application layer's (`Registry.reviewQueue`, `decideReviews`,
/// `undoMerge`, `mergeDuplicates`); every change is written as the signed-in account.
extension Pages {
    static func review(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let language = context.language
        let department = q.first("department")
        let (queue, units) = try await API.asking(app) {
            (try $0.reviewQueue(department: department), try $0.read { try $0.orgUnits() })
        }
        var done: String?
        if let key = q.first("done"), let entry = Words.table["done." + key] {
            let text = language == .zh ? entry.zh : entry.en
            done = text.replacingOccurrences(of: "%d", with: q.first("n") ?? "")
                .replacingOccurrences(of: "%@", with: q.first("what") ?? "")
        }
        let keep = department.map { "?department=" + RouteGuard.encode($0) } ?? ""
        let csrf = context.session?.csrfToken ?? ""
        func paperLink(_ id: String) -> String { detailLink("/papers", id, department: department) }
        func title(_ publication: Publication?, _ fallback: String) -> String {
            publication.map { TitleHTML.render($0.title.markup) } ?? TitleHTML.escape(fallback)
        }
        func meta(_ publication: Publication?) -> String {
            guard let publication else { return "" }
            return [
                publication.journal?.title, publication.published.map { "\($0.year)" },
                publication.doi.map { "DOI " + $0 }, publication.pmid.map { "PMID " + $0 },
            ].compactMap { $0 }.joined(separator: " · ")
        }
        let items: [[String: Any]] = queue.items.map { entry in
            [
                "id": entry.item.id, "paperHref": paperLink(entry.item.publicationID),
                "title": entry.titleMarkup.isEmpty
                    ? TitleHTML.escape(entry.title) : TitleHTML.render(entry.titleMarkup),
                "journal": entry.journal ?? "", "year": entry.year.map(String.init) as Any,
                "author": entry.item.authorName, "position": entry.item.authorPosition,
                "affiliations": entry.affiliations,
                "personName": entry.person.map { personName($0, language) } ?? entry.item.personID,
                "personHref": entry.person.map { detailLink("/people", $0.id, department: department) } as Any,
                "departments": entry.departmentIDs.map { unitName($0, units, language) }.joined(separator: "、"),
                "reason": Words.reviewReason(entry.item.reason, language),
            ]
        }
        let candidates: [[String: Any]] = queue.candidates.map { entry in
            [
                "firstID": entry.candidate.firstID, "secondID": entry.candidate.secondID,
                "firstHref": paperLink(entry.candidate.firstID), "secondHref": paperLink(entry.candidate.secondID),
                "firstTitle": title(entry.first, entry.candidate.title),
                "secondTitle": title(entry.second, entry.candidate.title),
                "firstMeta": meta(entry.first), "secondMeta": meta(entry.second),
                "reason": Words.reviewReason(entry.candidate.reason, language),
                "mergeAction": "/review/duplicates/merge" + keep, "csrf": csrf,
            ]
        }
        let merges: [[String: Any]] = queue.merges.map { entry in
            [
                "id": entry.merge.id, "keptID": entry.merge.keptID, "keptHref": paperLink(entry.merge.keptID),
                "keptTitle": title(entry.kept, entry.merge.keptID), "mergedID": entry.merge.mergedID,
                "mergedTitle": TitleHTML.render(entry.merge.merged.title.markup),
                "source": entry.merge.sourceFile as Any,
                "at": entry.merge.mergedAt.replacingOccurrences(of: "T", with: " ")
                    .replacingOccurrences(of: "Z", with: " UTC"),
                "reason": Words.reviewReason(entry.merge.reason, language),
                "undoAction": "/review/merges/undo" + keep, "csrf": csrf,
            ]
        }
        let values: [String: Any] = [
            "done": done as Any, "csrf": csrf, "decideAction": "/review/decisions" + keep,
            "departments": departmentOptions(
                units, selected: department, account: context.account, language: language),
            "items": items, "hasItems": !items.isEmpty,
            "itemsCount": String(format: Words.word("count", language), items.count),
            "candidates": candidates, "hasCandidates": !candidates.isEmpty,
            "candidatesCount": String(format: Words.word("count", language), candidates.count),
            "merges": merges, "hasMerges": !merges.isEmpty,
            "mergesCount": String(format: Words.word("count", language), merges.count),
        ]
        return page("review", values, title: Words.word("review", language), current: "/review", request, context)
    }

    /// Decides the author matches of the form: one (a row's own button, `only=accept-ID`) or every checked one
    /// (`item=ID` …, with `decision=accept|reject`), in one transaction.
    static func decideReviews(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        var request = request
        let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        let language = context.language
        let decisions: [ReviewDecision]
        if let only = form.first("only") {
            let parts = only.split(separator: "-", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["accept", "reject"].contains(parts[0]), let id = Int(parts[1]) else {
                throw WebError(.badRequest, "only takes accept-ID or reject-ID")
            }
            decisions = [ReviewDecision(itemID: id, accept: parts[0] == "accept")]
        } else {
            guard let decision = form.first("decision"), ["accept", "reject"].contains(decision) else {
                throw WebError(.badRequest, "decision takes accept or reject")
            }
            let ids = try form.all("item").map { text -> Int in
                guard let id = Int(text) else {
                    throw WebError(.badRequest, "item takes a number; '\(text)' is not one")
                }
                return id
            }
            guard !ids.isEmpty else {
                throw WebError(.unprocessableContent, Words.word("reviewNothingChosen", language))
            }
            decisions = Array(Set(ids)).sorted().map { ReviewDecision(itemID: $0, accept: decision == "accept") }
        }
        let department = Query(request.uri.query).first("department")
        _ = try await reviewing(app, context) { try $0.decideReviews(decisions, department: department) }
        let accepted = decisions.first?.accept ?? true
        return Reply.redirect(
            "/review?"
                + RouteGuard.encode(
                    (department.map { [("department", $0)] } ?? []) + [
                        ("done", accepted ? "reviewAccepted" : "reviewRejected"), ("n", "\(decisions.count)"),
                    ]))
    }

    /// Undoes a past merge: the merged-in record is restored on its own (as `annals duplicates --reject`).
    static func undoMerge(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        var request = request
        let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        guard let text = form.first("id"), let id = Int(text) else {
            throw WebError(.badRequest, "id takes the number of a merge")
        }
        let department = Query(request.uri.query).first("department")
        _ = try await reviewing(app, context) { try $0.undoMerge(id: id, department: department) }
        return Reply.redirect(
            "/review?"
                + RouteGuard.encode(
                    (department.map { [("department", $0)] } ?? []) + [("done", "reviewUndone"), ("what", "\(id)")]))
    }

    /// Merges a pair of candidate duplicates, keeping `kept`.
    static func mergeDuplicates(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        var request = request
        let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        guard let kept = form.first("kept"), let merged = form.first("merged") else {
            throw WebError(.badRequest, "kept and merged take the ids of the two records")
        }
        let department = Query(request.uri.query).first("department")
        _ = try await reviewing(app, context) {
            try $0.mergeDuplicates(keptID: kept, mergedID: merged, department: department)
        }
        return Reply.redirect(
            "/review?"
                + RouteGuard.encode(
                    (department.map { [("department", $0)] } ?? []) + [
                        ("done", "reviewMerged"), ("what", "\(merged) → \(kept)"),
                    ]))
    }

    /// Runs a review change as the signed-in account; a refusal is said in the request's language (403 for what is
    /// not of the account's department, 422 for what is not there).
    static func reviewing<T: Sendable>(
        _ app: WebApp, _ context: WebContext, _ body: @escaping @Sendable (Registry) throws -> T
    ) async throws -> T {
        let registry = Registry(store: app.store, actor: ChangeActor(context.account?.name ?? "annals serve"))
        let language = context.language
        do {
            return try await registry.perform(body)
        } catch let refusal as ReviewRefusal {
            throw WebError(
                refusal.kind == .outsideDepartment ? .forbidden : .unprocessableContent,
                language == .zh ? refusal.messageZH : refusal.message)
        } catch let error as UnknownReference {
            throw WebError(.unprocessableContent, error.description)
        }
    }
}
