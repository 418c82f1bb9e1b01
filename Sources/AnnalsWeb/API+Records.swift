import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import Foundation
import Hummingbird

/// The JSON of the record lists (the same filters and pages as `/projects`, `/patents`, `/awards` and `/people`,
/// from the same calls, `Registry.projects(_:)` and the like) and of the review queue.
extension API {
    static func projects(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(request, allowed: ["year", "department", "level", "funder", "q", "sort", "page"])
        let filter = try Pages.recordFilter(q)
        return try await answering(app) { try listJSON(try $0.projects(filter), named: "projects") }
    }

    static func patents(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(request, allowed: ["year", "department", "q", "sort", "page"])
        let filter = try Pages.recordFilter(q)
        return try await answering(app) { try listJSON(try $0.patents(filter), named: "patents") }
    }

    static func awards(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(request, allowed: ["year", "department", "level", "q", "sort", "page"])
        let filter = try Pages.recordFilter(q)
        return try await answering(app) { try listJSON(try $0.awards(filter), named: "awards") }
    }

    static func people(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(request, allowed: ["department", "q", "page"])
        let filter = try Pages.recordFilter(q)
        return try await answering(app) { try listJSON(try $0.people(filter), named: "people") }
    }

    /// `{"page":…,"pageSize":…,"total":…,"NAME":[…]}`: the records as the registry keeps them (keys sorted).
    static func listJSON<T: Encodable>(_ result: ListPage<T>, named name: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let items = String(decoding: try encoder.encode(result.items), as: UTF8.self)
        return """
            {"page":\(result.page),"pageSize":\(result.pageSize),"total":\(result.total),"\(name)":\(items)}
            """
    }

    // MARK: review

    /// The review queue of a department (a secretary's own) or of the hospital: what `/review` shows.
    static func review(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(request, allowed: ["department", "status"])
        let word = q.first("status") ?? "pending"
        guard word == "all" || ReviewItem.Status(rawValue: word) != nil else {
            throw WebError(.badRequest, "status takes pending, accepted, rejected or all")
        }
        let status = ReviewItem.Status(rawValue: word)
        let department = q.first("department")
        return try await answering(app) { registry in
            reviewJSON(try registry.reviewQueue(department: department, status: status))
        }
    }

    static func reviewJSON(_ queue: ReviewQueue) -> String {
        let items: [[String: Any]] = queue.items.map { entry in
            var object: [String: Any] = [
                "id": entry.item.id, "publication": entry.item.publicationID, "title": entry.title,
                "authorPosition": entry.item.authorPosition, "author": entry.item.authorName,
                "affiliations": entry.affiliations, "person": entry.item.personID, "departments": entry.departmentIDs,
                "reason": entry.item.reason, "status": entry.item.status.rawValue,
            ]
            object["journal"] = entry.journal
            object["year"] = entry.year
            object["personName"] = entry.person.map { $0.chineseName ?? $0.displayName }
            return object
        }
        let merges: [[String: Any]] = queue.merges.map { entry in
            var object: [String: Any] = [
                "id": entry.merge.id, "kept": entry.merge.keptID, "merged": entry.merge.mergedID,
                "title": entry.merge.merged.title.plain, "reason": entry.merge.reason,
                "mergedAt": entry.merge.mergedAt, "departments": entry.departmentIDs,
            ]
            object["sourceFile"] = entry.merge.sourceFile
            return object
        }
        let candidates: [[String: Any]] = queue.candidates.map { entry in
            var object: [String: Any] = [
                "first": entry.candidate.firstID, "second": entry.candidate.secondID, "title": entry.candidate.title,
                "reason": entry.candidate.reason, "departments": entry.departmentIDs,
            ]
            object["year"] = entry.candidate.year
            return object
        }
        let data =
            (try? JSONSerialization.data(
                withJSONObject: ["items": items, "merges": merges, "candidates": candidates],
                options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
