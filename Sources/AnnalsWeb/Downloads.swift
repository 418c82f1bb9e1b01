import AnnalsModel
import AnnalsOffice
import AnnalsRegistry
import AnnalsReports
import AnnalsStore
import Foundation
import HTTPTypes
import Hummingbird

/// The files the reports page offers: the annual report and the department profile (HTML, Markdown, JSON, Word),
/// every table as an Excel workbook, and the blank Excel templates. Who may download what is declared in
/// `RouteTable` (checked by `RouteGuard`); the files are made by the same calls as the CLI's.
enum Downloads {
    /// The report formats offered, with their labels.
    static let reportFormats: [(ReportFormat, String)] = [
        (.html, "HTML"), (.markdown, "Markdown"), (.json, "JSON"), (.docx, "Word"),
    ]

    /// The tables offered as workbooks (the staff census is a table too).
    static let tables: [SheetKind] = SheetKind.allCases

    // MARK: routes

    /// `GET /downloads/report?year=&department=&format=`: the annual report as `annals report --format` writes it.
    static func report(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let format = try reportFormat(q)
        let language: ReportLanguage = context.language == .zh ? .zh : .en
        let asked = q.first("department")
        let yearAsked = try API.intParameter(q, "year")
        let validated = try validatedParameter(q)
        let (rendered, unit) = try await performing(app) { registry -> (RenderedReport, OrgUnit?) in
            let (department, year) = try registry.read { r -> (String?, Int) in
                let department = try ReferenceCheck.check(department: asked, in: r).department
                return (department, try yearAsked ?? Pages.latestYear(r, department: department))
            }
            let rendered = try registry.report(
                ReportRequest(year: year, department: department, language: language, validatedOnly: validated),
                format: format)
            let unit = try department.flatMap { id in try registry.read { try $0.orgUnits() }.first { $0.id == id } }
            return (rendered, unit)
        }
        let name =
            context.language == .zh
            ? "\(yearOf(rendered.fileName))年度科研报告-\(unit.map { $0.nameZH ?? $0.name } ?? "全院").\(format.fileExtension)"
            : rendered.fileName
        return file(rendered.data, type: contentType(format), name: name, fallback: rendered.fileName)
    }

    /// `GET /downloads/profile?department=&format=`: a department's profile (`annals profile`); for the whole
    /// hospital, the profile of every department, one after the other.
    static func profile(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let format = try reportFormat(q)
        let language: ReportLanguage = context.language == .zh ? .zh : .en
        let asked = q.first("department")
        let (text, unit) = try await performing(app) { registry -> (String, OrgUnit?) in
            let (department, units) = try registry.read { r in
                (try ReferenceCheck.check(department: asked, in: r).department, try r.orgUnits())
            }
            let ids = department.map { [$0] } ?? units.filter { $0.kind == .department }.map(\.id).sorted()
            let texts = try ids.map { try registry.profile(of: $0, language: language) }
            return (texts.joined(separator: "\n\n"), department.flatMap { id in units.first { $0.id == id } })
        }
        let title =
            context.language == .zh
            ? "科室简介-\(unit.map { $0.nameZH ?? $0.name } ?? "全院")"
            : "Department profile - \(unit?.name ?? "whole hospital")"
        let fallback = "department-profile-\(unit?.id ?? "hospital")-\(context.language.rawValue)"
        let data: Data
        switch format {
        case .markdown: data = Data(text.utf8)
        case .json:
            data = try JSONSerialization.data(
                withJSONObject: [
                    "department": unit?.id ?? NSNull(), "language": language.rawValue, "text": text,
                ] as [String: Any], options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
        case .html: data = Data(profileHTML(text, title: title, language: context.language).utf8)
        case .docx: data = try WordDocument(reportMarkdown: text, language: language.rawValue).data()
        }
        let ext = format.fileExtension
        return file(data, type: contentType(format), name: "\(title).\(ext)", fallback: "\(fallback).\(ext)")
    }

    /// `GET /downloads/table?table=&year=&department=&sci=1`: a table as `annals export --format xlsx` writes it,
    /// with the header in the page's language.
    static func table(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let kind = try sheetKind(q, "table")
        let year = try API.intParameter(q, "year")
        let sci = q.first("sci") == "1"
        let asked = q.first("department")
        let language: SheetLanguage = context.language == .zh ? .zh : .en
        let (data, unit) = try await Pages.reading(app) { r -> (Data, OrgUnit?) in
            let department = try ReferenceCheck.check(department: asked, in: r).department
            let data = try ExportRequest(
                .xlsx(kind, language: language, sciOnly: sci), year: year, department: department
            )
            .data(from: r)
            return (data, try department.flatMap { id in try r.orgUnits().first { $0.id == id } })
        }
        var name = [kind.sheetName(language)]
        var fallback = [kind.rawValue]
        if let year {
            name.append("\(year)")
            fallback.append("\(year)")
        }
        if let unit {
            name.append(language == .zh ? (unit.nameZH ?? unit.name) : unit.id)
            fallback.append(unit.id)
        }
        if sci {
            name.append("SCI")
            fallback.append("sci")
        }
        return file(
            data, type: xlsxType, name: name.joined(separator: "-") + ".xlsx",
            fallback: fallback.joined(separator: "-") + ".xlsx")
    }

    /// `GET /downloads/template?kind=`: a blank template, as `annals template xlsx` writes it.
    static func template(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let kind = try sheetKind(Query(request.uri.query), "kind")
        let language: SheetLanguage = context.language == .zh ? .zh : .en
        let data = try await app.read { r in try OfficeTables.template(kind, language: language, units: r.orgUnits()) }
        let name = (language == .zh ? "模板-" : "template-") + kind.sheetName(language) + ".xlsx"
        return file(data, type: xlsxType, name: name, fallback: "template-\(kind.rawValue).xlsx")
    }

    // MARK: the reports page's links

    /// The download links of the reports page, in groups, for the year and department shown.
    static func links(year: Int, department: String?, language: WebLanguage, validated: Bool? = nil)
        -> [[String: Any]]
    {
        let keep =
            "year=\(year)" + (department.map { "&department=" + RouteGuard.encode($0) } ?? "")
            + (validated.map { $0 ? "&validated=1" : "&validated=0" } ?? "")
        let onlyDepartment = department.map { "&department=" + RouteGuard.encode($0) } ?? ""
        func label(_ kind: SheetKind) -> String {
            language == .zh ? kind.sheetName(.zh) : Words.word("sheet." + kind.rawValue, language)
        }
        return [
            [
                "label": Words.word("annualReport", language),
                "links": reportFormats.map {
                    ["href": "/downloads/report?\(keep)&format=\($0.0.rawValue)", "label": $0.1]
                },
            ],
            [
                "label": Words.word("departmentProfile", language),
                "links": reportFormats.map {
                    ["href": "/downloads/profile?format=\($0.0.rawValue)\(onlyDepartment)", "label": $0.1]
                },
            ],
            [
                "label": Words.word("tablesXLSX", language),
                "links": tables.map {
                    ["href": "/downloads/table?table=\($0.rawValue)&\(keep)", "label": label($0)]
                } + [
                    ["href": "/downloads/table?table=papers&sci=1&\(keep)", "label": Words.word("sciPapers", language)]
                ],
            ],
            [
                "label": Words.word("templatesXLSX", language),
                "links": tables.map { ["href": "/downloads/template?kind=\($0.rawValue)", "label": label($0)] },
            ],
        ]
    }

    // MARK: shared

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    static func contentType(_ format: ReportFormat) -> String {
        switch format {
        case .html: "text/html; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    }

    /// `validated=1` (validated records only) or `validated=0` (every record); nil: the registry's default.
    static func validatedParameter(_ q: Query) throws -> Bool? {
        guard let text = q.first("validated") else { return nil }
        switch text {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw WebError(.badRequest, "validated takes 1 (validated records only) or 0 (every record)")
        }
    }

    static func reportFormat(_ q: Query) throws -> ReportFormat {
        let text = q.first("format") ?? "html"
        guard let format = ReportFormat(rawValue: text) else {
            throw WebError(.badRequest, "format takes html, markdown, json or docx; '\(text)' is none of them")
        }
        return format
    }

    static func sheetKind(_ q: Query, _ parameter: String) throws -> SheetKind {
        let names = SheetKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = q.first(parameter) else { throw WebError(.badRequest, "\(parameter) takes one of \(names)") }
        guard let kind = SheetKind(rawValue: text) else {
            throw WebError(.badRequest, "\(parameter) takes one of \(names); '\(text)' is none of them")
        }
        return kind
    }

    /// The year of a report's file name (`annual-report-2024-…`).
    static func yearOf(_ fileName: String) -> String {
        String(fileName.dropFirst("annual-report-".count).prefix(4))
    }

    /// A file to download. `name` may be Chinese: it goes in `filename*` (RFC 6266 and 5987, UTF-8, percent-encoded)
    /// with the ASCII `fallback` in `filename` for clients that read only that.
    static func file(_ data: Data, type: String, name: String, fallback: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: disposition(name, fallback: fallback),
                .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `attachment; filename="fallback"; filename*=UTF-8''name` (the second part only when `name` is not plain ASCII).
    static func disposition(_ name: String, fallback: String) -> String {
        func plain(_ text: String) -> Bool {
            text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }
        }
        let safeFallback = String(
            String.UnicodeScalarView(fallback.unicodeScalars.map { plain(String($0)) ? $0 : "_" }))
        if plain(name) && name == safeFallback { return "attachment; filename=\"\(name)\"" }
        // RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
        let attrChar = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~".utf8)
        let encoded = name.utf8.map { attrChar.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
        return "attachment; filename=\"\(safeFallback)\"; filename*=UTF-8''\(encoded)"
    }

    /// A profile as a page of its own: its paragraphs, escaped.
    static func profileHTML(_ text: String, title: String, language: WebLanguage) -> String {
        let paragraphs = text.components(separatedBy: "\n\n").filter {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
        let body = paragraphs.map { "<p>" + escape($0).replacingOccurrences(of: "\n", with: "<br>") + "</p>" }
            .joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(escape(title))</title></head>
            <body><h1>\(escape(title))</h1>
            \(body)
            </body></html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Work with the registry (a report, a profile) off the server's threads; a request it refuses (an unknown
    /// department, a year without records) is the asker's mistake, shown as a 422.
    static func performing<T: Sendable>(_ app: WebApp, _ work: @escaping @Sendable (Registry) throws -> T)
        async throws -> T
    {
        do {
            return try await app.registry.perform(work)
        } catch let error as UnknownReference {
            throw WebError(.unprocessableContent, error.description)
        } catch let error as RegistryFailure where error.code == nil {
            throw WebError(.unprocessableContent, error.message)
        }
    }
}
