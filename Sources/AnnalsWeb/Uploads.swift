import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import Foundation
import Hummingbird

/// Uploaded files waiting for their import to be confirmed, each under an unguessable token that only the
/// session that sent it may use. A file waits `lifetime` at most, and at most `capacity` files wait (the oldest is
/// pushed out by a new one): a file that goes is deleted at once, and its token answers "expired" for a while.
actor UploadShelf {
    struct Entry: Sendable {
        var session: String
        var url: URL
        var kind: UploadKind
        var displayName: String
        var kept = Date()
    }

    /// What a token finds.
    enum Found: Sendable {
        case entry(Entry)
        /// It waited too long, or was pushed out by newer uploads; its file is gone.
        case expired
        /// Never given, used already, or another session's.
        case unknown
    }

    let folder: URL
    let lifetime: TimeInterval
    let capacity: Int
    private var entries: [String: Entry] = [:]
    /// Tokens that expired (→ their session), oldest first, so that a late confirmation is told why; bounded.
    private var expired: [(token: String, session: String)] = []

    init(folder: URL, lifetime: TimeInterval = 30 * 60, capacity: Int = 50) {
        self.folder = folder
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// A new file's place in the folder (made when missing).
    nonisolated func newFile() throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("upload-" + Secrets.random(bytes: 16))
    }

    /// Keeps `entry`; the token to confirm it with. The expired files go first, then the oldest while full.
    func keep(_ entry: Entry) -> String {
        sweep()
        while entries.count >= capacity, let oldest = entries.min(by: { $0.value.kept < $1.value.kept }) {
            drop(oldest.key)
        }
        let token = Secrets.random()
        var entry = entry
        entry.kept = Date()
        entries[token] = entry
        return token
    }

    /// The entry of `token`, taken off the shelf, when `session` put it there and it has not expired.
    func take(_ token: String, session: String) -> Found {
        sweep()
        if let entry = entries[token], entry.session == session {
            entries[token] = nil
            return .entry(entry)
        }
        if expired.contains(where: { $0.token == token && $0.session == session }) { return .expired }
        return .unknown
    }

    /// Deletes the files that waited longer than `lifetime`.
    func sweep() {
        let now = Date()
        for (token, entry) in entries where now.timeIntervalSince(entry.kept) >= lifetime { drop(token) }
    }

    /// Deletes every waiting file (the server stops).
    func removeAll() {
        for token in Array(entries.keys) { drop(token) }
    }

    private func drop(_ token: String) {
        guard let entry = entries.removeValue(forKey: token) else { return }
        try? FileManager.default.removeItem(at: entry.url)
        expired.append((token, entry.session))
        if expired.count > 4 * capacity { expired.removeFirst(expired.count - 4 * capacity) }
    }
}

/// The upload page: a file of a kind is checked (a dry run, nothing written), shown, then imported when confirmed.
/// Every rule is the registry's (`Registry.importUpload`); this only streams, calls and shows.
enum Uploads {
    /// The kinds an account may upload: a department secretary those of `UploadKind.forSecretaries`.
    static func kinds(for account: Account) -> [UploadKind] {
        UploadKind.allCases.filter { account.role.seesEveryDepartment || $0.forSecretaries }
    }

    /// The departments an account's uploads are limited to; nil for the office and admins.
    static func departments(of account: Account) -> Set<String>? {
        account.role.seesEveryDepartment ? nil : Set(account.departments)
    }

    static func tooLarge(_ limit: Int, _ language: WebLanguage) -> WebError {
        let megabytes = String(format: "%.0f", Double(limit) / (1024 * 1024))
        return WebError(.contentTooLarge, String(format: Words.word("upload.tooLarge", language), megabytes))
    }

    /// GET /uploads: the form.
    static func form(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        guard let account = context.account else { throw WebError(.unauthorized, "sign in first") }
        let language = context.language
        return Pages.page(
            "uploads", formValues(account, request, context, app),
            title: Words.word("uploadTitle", language), current: "/uploads", request, context)
    }

    static func formValues(_ account: Account, _ request: Request, _ context: WebContext, _ app: WebApp)
        -> [String: Any]
    {
        let language = context.language
        let kinds: [[String: Any]] = kinds(for: account).map {
            ["value": $0.rawValue, "label": Words.word("upload.kind." + $0.rawValue, language)]
        }
        return [
            "kinds": kinds, "csrf": context.session?.csrfToken ?? "",
            "action": "/uploads/preview" + (request.uri.query.map { "?" + $0 } ?? ""),
            "limit": String(format: "%.0f", Double(app.configuration.uploadLimit) / (1024 * 1024)),
        ]
    }

    /// POST /uploads/preview: the file is streamed to a temporary file and checked as a dry run.
    static func preview(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let language = context.language
        guard let account = context.account, let session = context.session else {
            throw WebError(.unauthorized, "sign in first")
        }
        guard let reader = context.multipart else {
            throw WebError(.badRequest, Words.word("upload.noFile", language))
        }
        var kind: UploadKind?
        var file: (url: URL, name: String)?
        do {
            while let part = try await reader.nextPart() {
                if part.name == "kind" {
                    kind = UploadKind(
                        rawValue: String(decoding: try await reader.readContent(limit: 64), as: UTF8.self))
                } else if part.name == "file", let name = part.fileName, !name.isEmpty, file == nil {
                    let url = try app.uploads.newFile()
                    file = (url, (name as NSString).lastPathComponent)
                    FileManager.default.createFile(atPath: url.path, contents: nil)
                    let handle = try FileHandle(forWritingTo: url)
                    defer { try? handle.close() }
                    try await reader.streamContent { piece in try handle.write(contentsOf: Data(piece)) }
                }
            }
        } catch {
            if let file { try? FileManager.default.removeItem(at: file.url) }
            if case MultipartError.tooLarge(let limit) = error { throw tooLarge(limit, language) }
            if error is MultipartError { throw WebError(.badRequest, Words.word("upload.malformed", language)) }
            throw error
        }
        guard let file else { throw WebError(.badRequest, Words.word("upload.noFile", language)) }
        guard let kind, kinds(for: account).contains(kind) else {
            try? FileManager.default.removeItem(at: file.url)
            throw WebError(.forbidden, Words.word("upload.kindRefused", language))
        }
        let departments = departments(of: account)
        let source = ImportSource(url: file.url, displayName: file.name)
        let summary: ImportSummary
        defer { WebApp.returnFreedMemory() }
        do {
            summary = try await Registry(store: app.store, actor: ChangeActor(account.name)).perform {
                try $0.importUpload(kind, source, dryRun: true, departments: departments)
            }
        } catch let error as DiagnosticError {
            try? FileManager.default.removeItem(at: file.url)
            return problems(error, file.name, request, context)
        }
        let token = await app.uploads.keep(
            .init(session: session.idHash, url: file.url, kind: kind, displayName: file.name))
        var values = summaryValues(summary, language)
        values["heading"] = String(format: Words.word("upload.previewOf", language), file.name)
        values["intro"] =
            Words.word("upload.previewIntro", language)
            + String(
                format: Words.word("upload.confirmWithin", language),
                String(Int((app.configuration.uploadLifetime / 60).rounded(.up))))
        values["confirm"] = !summary.changesNothing
        values["token"] = token
        values["csrf"] = session.csrfToken
        values["action"] = "/uploads/confirm" + (request.uri.query.map { "?" + $0 } ?? "")
        return Pages.page(
            "uploadSummary", values, title: Words.word("uploadTitle", language), current: "/uploads", request,
            context)
    }

    /// POST /uploads/confirm: the file checked before, imported in one transaction as the signed-in account.
    static func confirm(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let language = context.language
        guard let account = context.account, let session = context.session else {
            throw WebError(.unauthorized, "sign in first")
        }
        var request = request
        let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        let found = await app.uploads.take(form.first("token") ?? "", session: session.idHash)
        let entry: UploadShelf.Entry
        switch found {
        case .entry(let kept): entry = kept
        case .expired:
            let minutes = String(Int((app.configuration.uploadLifetime / 60).rounded(.up)))
            throw WebError(.gone, String(format: Words.word("upload.timedOut", language), minutes))
        case .unknown: throw WebError(.notFound, Words.word("upload.expired", language))
        }
        defer { try? FileManager.default.removeItem(at: entry.url) }
        let departments = departments(of: account)
        let source = ImportSource(url: entry.url, displayName: entry.displayName)
        let summary: ImportSummary
        defer { WebApp.returnFreedMemory() }
        do {
            summary = try await Registry(store: app.store, actor: ChangeActor(account.name)).perform {
                try $0.importUpload(entry.kind, source, dryRun: false, departments: departments)
            }
        } catch let error as DiagnosticError {
            app.metrics.imported(kind: entry.kind.rawValue, outcome: "refused")
            return problems(error, entry.displayName, request, context)
        }
        app.metrics.imported(kind: entry.kind.rawValue, outcome: "imported")
        var values = summaryValues(summary, language)
        values["heading"] = String(format: Words.word("upload.doneOf", language), entry.displayName)
        values["intro"] = Words.word("upload.doneIntro", language)
        values["again"] = true
        return Pages.page(
            "uploadSummary", values, title: Words.word("uploadTitle", language), current: "/uploads", request,
            context)
    }

    /// A file refused: its diagnostics, each at its file:line:column; nothing was written (422).
    static func problems(_ error: DiagnosticError, _ name: String, _ request: Request, _ context: WebContext)
        -> Response
    {
        let language = context.language
        let items: [[String: Any]] = error.diagnostics.map {
            [
                "where": $0.location.description, "what": ImportWords.diagnostic($0.code, language) as Any,
                "message": $0.message,
            ]
        }
        let content = Templates.render(
            "uploadProblems",
            [
                "heading": String(format: Words.word("upload.refusedOf", language), name),
                "count": String(format: Words.word("upload.problems", language), items.count), "items": items,
            ], language: language)
        return Reply.html(
            Templates.page(
                title: Words.word("uploadTitle", language), content: content, current: "/uploads", context: context,
                query: request.uri.query),
            status: .unprocessableContent)
    }

    /// The lines of a summary: per kind of record, how many added, updated, unchanged and merged.
    static func summaryValues(_ summary: ImportSummary, _ language: WebLanguage) -> [String: Any] {
        let lines: [[String: Any]] = summary.lines.map {
            [
                "kind": Words.word("upload.entity." + $0.kind.rawValue, language), "added": $0.added,
                "updated": $0.updated, "unchanged": $0.unchanged, "merged": $0.merged, "deleted": $0.deleted,
            ]
        }
        var facts: [String] = []
        if summary.credited > 0 {
            facts.append(String(format: Words.word("upload.credited", language), summary.credited))
        }
        if summary.forReview > 0 {
            facts.append(String(format: Words.word("upload.forReview", language), summary.forReview))
        }
        if summary.changesNothing { facts.append(Words.word("upload.nothing", language)) }
        let skipped = summary.skips.map { ImportWords.skip($0, language) }
        let notes =
            summary.notes.map { ImportWords.note($0, language) }
            + summary.replacements.map { ImportWords.replacement($0, language) }
        return [
            "lines": lines, "hasLines": !lines.isEmpty, "facts": facts, "skipped": skipped,
            "hasSkipped": !skipped.isEmpty, "notes": notes, "hasNotes": !notes.isEmpty,
        ]
    }
}
