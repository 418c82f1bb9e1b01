import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import Foundation
import Hummingbird

/// A record's attachments in the browser: adding one (a PDF, JPEG or PNG, streamed as the upload page's files
/// are) and downloading one, always as a file (never shown in the page). The rules are the registry's
/// (`Registry.attach`).
enum AttachmentRoutes {
    /// POST /records/attachments (multipart: csrf first, kind, id, file): adds the file to the record, as the
    /// account, then goes back to the record's page.
    /// A record's attachments on its page: each a download link, and for an account that may write the
    /// record's department (the POST checks again), the form to attach one more.
    static func section(_ kind: EntityKind, _ id: String, _ context: WebContext, _ app: WebApp) async throws -> String {
        let files = try await app.registry.perform { registry in
            try registry.read { try $0.attachments(of: kind, id: id) }
        }
        return section(files, kind, id, context, app)
    }

    /// The files block of record `kind` `id`, whose attachments are `files`.
    static func section(_ files: [Attachment], _ kind: EntityKind, _ id: String, _ context: WebContext, _ app: WebApp)
        -> String
    {
        let language = context.language
        let list: [[String: Any]] = files.map { file in
            [
                "href": "/attachments/" + RouteGuard.encode(file.id), "name": file.fileName,
                "type": file.type.rawValue.uppercased(),
                "size": size(file.size, language),
                "who": file.addedBy, "when": WorkflowPages.time(file.addedAt), "attachment": file.id,
            ]
        }
        let limit = min(Registry.defaultAttachmentLimit, app.configuration.uploadLimit)
        let values: [String: Any] = [
            "files": list.isEmpty ? false : ["list": list], "kind": kind.rawValue, "id": id,
            "csrf": context.session?.csrfToken ?? "", "limit": limit / (1024 * 1024),
            "mayAttach": (context.account?.role ?? .viewer) >= .secretary && context.session != nil,
        ]
        return Templates.render("attachments", values, language: language)
    }

    /// A file's size as a person reads it in `language`: 72 字节 / 72 bytes, 1.5 KB, 2.3 MB.
    static func size(_ bytes: Int, _ language: WebLanguage) -> String {
        if bytes < 1024 { return language == .zh ? "\(bytes) 字节" : "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / (1024 * 1024))
    }

    static func add(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let language = context.language
        guard let account = context.account else { throw WebError(.unauthorized, "sign in first") }
        guard let reader = context.multipart else { throw WebError(.badRequest, Words.word("upload.noFile", language)) }
        var kindWord: String?
        var id: String?
        var file: (name: String, content: Data)?
        let limit = min(Registry.defaultAttachmentLimit, app.configuration.uploadLimit)
        do {
            while let part = try await reader.nextPart() {
                switch part.name {
                case "kind": kindWord = String(decoding: try await reader.readContent(limit: 64), as: UTF8.self)
                case "id": id = String(decoding: try await reader.readContent(limit: 512), as: UTF8.self)
                case "file" where part.fileName != nil && file == nil:
                    let content = try await reader.readContent(limit: limit)
                    file = ((part.fileName! as NSString).lastPathComponent, Data(content))
                default: continue
                }
            }
        } catch MultipartError.tooLarge(let limit), MultipartError.fieldTooLarge(let limit) {
            throw Uploads.tooLarge(limit, language)
        } catch is MultipartError {
            throw WebError(.badRequest, Words.word("upload.malformed", language))
        }
        let kind = try WorkflowPages.kind(kindWord)
        guard let id, !id.isEmpty else { throw WebError(.badRequest, "the form names no record (kind and id)") }
        guard let file, !file.content.isEmpty else {
            throw WebError(.badRequest, Words.word("upload.noFile", language))
        }
        let departments = Uploads.departments(of: account)
        do {
            _ = try await Registry(store: app.store, actor: ChangeActor(account.name)).perform {
                try $0.attach(file.content, named: file.name, to: kind, id: id, departments: departments, limit: limit)
            }
        } catch let error as RegistryFailure where error.code == nil {
            throw WebError(.unprocessableContent, Words.word("attach.refused", language) + " " + error.message)
        }
        return Reply.redirect(WorkflowPages.recordPath(kind, id))
    }

    /// POST /records/attachments/remove (id): removes the attachment from its record, as the account (in the
    /// record's history), then goes back to the record's page. A secretary only of their departments' records.
    static func remove(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let language = context.language
        guard let account = context.account else { throw WebError(.unauthorized, "sign in first") }
        var request = request
        let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        guard let id = form.first("id"), !id.isEmpty else {
            throw WebError(.notFound, Words.word("attach.notFound", language))
        }
        let found = try await app.read { reader -> (Attachment, [String]?)? in
            guard let attachment = try reader.attachment(id: id) else { return nil }
            return (
                attachment, try Registry.departments(of: attachment.recordKind, id: attachment.recordID, in: reader)
            )
        }
        guard let (attachment, credited) = found else {
            throw WebError(.notFound, Words.word("attach.notFound", language))
        }
        let departments = Uploads.departments(of: account)
        if let departments, departments.isDisjoint(with: credited ?? []) {
            throw WebError(.forbidden, Words.word("attach.notYours", language))
        }
        do {
            _ = try await Registry(store: app.store, actor: ChangeActor(account.name)).perform {
                try $0.removeAttachment(id: id, departments: departments)
            }
        } catch let error as RegistryFailure where error.code == nil {
            throw WebError(.unprocessableContent, Words.word("attach.notRemoved", language) + " " + error.message)
        }
        return Reply.redirect(WorkflowPages.recordPath(attachment.recordKind, attachment.recordID))
    }

    /// GET /attachments/:id: the file, as a download (`Content-Disposition: attachment`), for an account that
    /// sees the record it belongs to.
    static func download(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let language = context.language
        guard let account = context.account, let id = context.parameters.get("id") else {
            throw WebError(.notFound, Words.word("attach.notFound", language))
        }
        let found = try await app.read { reader -> (Attachment, Data, [String]?)? in
            guard let attachment = try reader.attachment(id: id), let content = try reader.attachmentContent(id: id)
            else { return nil }
            let credited = try Registry.departments(of: attachment.recordKind, id: attachment.recordID, in: reader)
            return (attachment, content, credited)
        }
        guard let (attachment, content, credited) = found else {
            throw WebError(.notFound, Words.word("attach.notFound", language))
        }
        if !account.role.seesEveryDepartment && !account.departments.isEmpty
            && !(credited ?? []).contains(where: account.departments.contains)
        {
            throw WebError(.forbidden, Words.word("attach.notYours", language))
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: attachment.type.mediaType,
                .contentDisposition: disposition(attachment.fileName, attachment.type.fileExtension),
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: content)))
    }

    /// `attachment; filename="ASCII"; filename*=UTF-8''NAME`: always a download, the name kept in any script.
    static func disposition(_ name: String, _ fileExtension: String) -> String {
        let ascii = name.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 }
        let fallback = ascii ? name : "attachment." + fileExtension
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
