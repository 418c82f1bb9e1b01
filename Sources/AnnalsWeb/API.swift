import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsReports
import AnnalsStatistics
import AnnalsStore
import Foundation
import Hummingbird

/// The JSON API: each answer is made by the same library call as the command that prints it
/// (`annals cases|publications|stats|history --format json`).
enum API {
    /// Papers per page of `/api/publications`.
    static let pageSize = 50

    /// Refuses parameters the route does not take, naming those it does (a misspelt filter must not be ignored).
    static func parameters(_ request: Request, allowed: [String]) throws -> Query {
        let query = Query(request.uri.query)
        let unknown = query.names.subtracting(allowed).subtracting(["lang"])
        if !unknown.isEmpty {
            throw WebError(
                .badRequest,
                "unknown parameter \(unknown.sorted().joined(separator: ", ")); this route takes \(allowed.joined(separator: ", "))"
            )
        }
        // An empty value is not taken for "not given": a program that sends `since=` meant something.
        let empty = Set(query.pairs.filter { $0.1.isEmpty }.map(\.0)).subtracting(["lang"])
        if !empty.isEmpty {
            throw WebError(
                .badRequest,
                "parameter \(empty.sorted().joined(separator: ", ")) is empty: give a value or leave it out")
        }
        return query
    }

    /// Asks the application layer (as the command line does) off the server's threads; its refusals (an unknown
    /// id, a question that cannot be answered) are the asker's mistake (422), other failures the server's.
    static func answering(_ app: WebApp, _ body: @escaping @Sendable (Registry) throws -> String) async throws
        -> Response
    {
        Reply.json(try await asking(app, body))
    }

    static func asking<T: Sendable>(_ app: WebApp, _ body: @escaping @Sendable (Registry) throws -> T) async throws -> T
    {
        do {
            return try await app.registry.perform(body)
        } catch let error as UnknownReference {
            throw WebError(.unprocessableContent, error.description)
        } catch let error as RegistryFailure {
            throw WebError(.unprocessableContent, error.message)
        } catch let error as AnnualReportBuilder.UnknownDepartment {
            throw WebError(.unprocessableContent, error.description)
        }
    }

    static func cases(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(
            request,
            allowed: [
                "procedure", "approach", "department", "campus", "surgeon", "from", "to", "by", "cumulative", "share",
            ])
        let (query, by, cumulative, share) = try caseQuestion(q)
        return Reply.json(try await caseAnswer(app, context, query, by: by, cumulative: cumulative, share: share))
    }

    /// The answer to a case question as `annals cases --format json` gives it, kept until the registry changes
    /// (`WebApp.caseAnswers`; the stamp read first, so a kept answer is never older than its stamp).
    static func caseAnswer(
        _ app: WebApp, _ context: WebContext, _ query: CaseQuestion, by: CaseGrouping?, cumulative: Bool,
        share: CaseStatistics.ShareKind?
    ) async throws -> String {
        // Today's date too: a question's window may be read against it.
        let question = [
            String(reflecting: query), String(reflecting: by), String(cumulative), String(reflecting: share),
            String(ChangeEntry.timestamp(Date()).prefix(10)),
        ].joined(separator: "\u{1F}")
        return try await Pages.kept(app.caseAnswers, question, context, app) { registry in
            try registry.cases(query, by: by, cumulative: cumulative, share: share).rendered(.json)
        }
    }

    /// The case question of a query string, checked as `annals cases` checks its options.
    static func caseQuestion(_ q: Query) throws -> (CaseQuestion, CaseGrouping?, Bool, CaseStatistics.ShareKind?) {
        var approach: Approach?
        if let word = q.first("approach") {
            guard let found = ApproachWords.approach(named: word) else {
                throw WebError(
                    .badRequest,
                    "approach '\(word)' is not one of open, laparoscopic, robotic, endoscopic, interventional, hybrid, converted (or 开放, 腹腔镜, 机器人, 内镜, 介入, 杂交, 中转开腹)"
                )
            }
            approach = found
        }
        var by: CaseGrouping?
        if let word = q.first("by") {
            guard let found = CaseGrouping(rawValue: word) else {
                throw WebError(
                    .badRequest,
                    "by '\(word)' is not one of \(CaseGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            by = found
        }
        var share: CaseStatistics.ShareKind?
        if let word = q.first("share") {
            guard let found = CaseStatistics.ShareKind(rawValue: word) else {
                throw WebError(.badRequest, "share '\(word)' is not one of minimally-invasive, grade4")
            }
            share = found
        }
        let cumulative = try flag(q, "cumulative")
        if cumulative && by != .year && by != .month {
            throw WebError(.badRequest, "cumulative needs by=year or by=month")
        }
        if share != nil, let by, by != .year, by != .department {
            throw WebError(.badRequest, "a share can be broken down by=year or by=department")
        }
        let query = CaseQuestion(
            procedure: q.first("procedure"), approach: approach, department: q.first("department"),
            campus: q.first("campus"),
            surgeon: q.first("surgeon"), from: q.first("from"), to: q.first("to"))
        if let problem = query.problem(naming: { $0 }) { throw WebError(.badRequest, problem) }
        return (query, by, cumulative, share)
    }

    static func publications(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(request, allowed: ["year", "department", "person", "sci", "page"])
        let year = try intParameter(q, "year")
        if let year {
            do { try ReferenceCheck.year(year, option: "year") } catch {
                throw WebError(.badRequest, error.description)
            }
        }
        let page = try intParameter(q, "page") ?? 1
        guard page >= 1 else { throw WebError(.badRequest, "page counts from 1") }
        let sci = try flag(q, "sci")
        let department = q.first("department")
        let person = q.first("person")
        return try await answering(app) { registry in
            let rows = try registry.publications(year: year, department: department, person: person, sciOnly: sci)
            let slice = Array(rows.dropFirst(offset(page: page, size: pageSize)).prefix(pageSize))
            return """
                {"page":\(page),"pageSize":\(pageSize),"total":\(rows.count),"publications":\(try PublicationListing.json(slice))}
                """
        }
    }

    static func stats(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(request, allowed: ["year", "from", "to", "department"])
        let year = try intParameter(q, "year")
        let from = try intParameter(q, "from")
        let to = try intParameter(q, "to")
        let years: [Int]
        if let year, from == nil, to == nil {
            years = [year]
        } else if year == nil, let from, let to, from <= to, to - from < 50 {
            years = Array(from...to)
        } else {
            throw WebError(.badRequest, "give year=Y, or from=Y&to=Y (from before to, at most 50 years)")
        }
        for y in years {
            do { try ReferenceCheck.year(y, option: "year") } catch { throw WebError(.badRequest, error.description) }
        }
        let asked = q.first("department")
        return try await answering(app) { registry in
            try registry.statistics(years: years, department: asked).rendered(.json)
        }
    }

    static func history(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = try parameters(request, allowed: ["record", "since"])
        var since: Date?
        if let text = q.first("since") {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.isLenient = false
            guard text.count == 10, let date = formatter.date(from: text) else {
                throw WebError(.badRequest, "since takes a day written YYYY-MM-DD; '\(text)' is not one")
            }
            since = date
        }
        let record = q.first("record")
        let from = since
        return try await answering(app) { registry in
            try HistoryJSON.render(try registry.read { try $0.history(recordID: record, since: from) })
        }
    }

    static func openAPI(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        var response = Reply.json(OpenAPIDocument.text)
        response.headers[.cacheControl] = "public, max-age=3600"
        return response
    }

    /// A yes-or-no parameter: true, 1 or yes; false, 0, no or absent. Anything else is refused (400) rather
    /// than read as no.
    static func flag(_ q: Query, _ name: String) throws -> Bool {
        switch q.first(name)?.lowercased() {
        case nil, "", "0", "false", "no": return false
        case "1", "true", "yes": return true
        case let other?: throw WebError(.badRequest, "\(name) takes true or false; '\(other)' is neither")
        }
    }

    /// Where page `page` (from 1) of `size` items starts; a page too far to reckon starts after every list (a
    /// page number near `Int.max` must not overflow and stop the server).
    static func offset(page: Int, size: Int) -> Int {
        let (offset, overflow) = (max(1, page) - 1).multipliedReportingOverflow(by: size)
        return overflow ? Int.max : offset
    }

    static func intParameter(_ q: Query, _ name: String) throws -> Int? {
        guard let text = q.first(name) else { return nil }
        guard let value = Int(text) else {
            throw WebError(.badRequest, "\(name) takes a whole number; '\(text)' is not one")
        }
        return value
    }
}
