import AnnalsModel
import AnnalsOffice
import AnnalsRegistry
import AnnalsStore
import Foundation
import Hummingbird

/// The entry forms: a new record of a kind, a record corrected or deleted (with a reason), and a month of a
/// department's case tallies as a grid. A form is a row of its kind's sheet (`RecordForm`): the fields are the
/// sheet's columns and what is typed goes through the spreadsheet import's rules, inside one write as the
/// signed-in account. `RouteGuard` has already checked the role and the departments.
enum Entry {
    // MARK: kinds

    /// The kind the `kind` parameter names (`projects`, `papers`, … as the sheets are named).
    static func kind(_ context: WebContext) throws -> SheetKind {
        guard let word = context.parameters.get("kind"), let kind = SheetKind(rawValue: word) else {
            throw WebError(.notFound, "there is no form for \(context.parameters.get("kind") ?? "this")")
        }
        return kind
    }

    /// The departments an account may credit records to; nil when any.
    static func allowed(_ context: WebContext) -> Set<String>? {
        guard let account = context.account, !account.role.seesEveryDepartment, !account.departments.isEmpty else {
            return nil
        }
        return Set(account.departments)
    }

    /// The detail page of a record of `kind`, or nil for kinds without one.
    static func detailPath(_ kind: SheetKind) -> String? {
        switch kind {
        case .projects: "/projects"
        case .papers: "/papers"
        case .patents: "/patents"
        case .awards: "/awards"
        case .people: "/people"
        case .staff, .tallies: nil
        }
    }

    static func heading(_ kind: SheetKind, editing: Bool, _ language: WebLanguage) -> String {
        Words.word((editing ? "entry.edit." : "entry.new.") + kind.rawValue, language)
    }

    static func sheetLanguage(_ language: WebLanguage) -> SheetLanguage { language == .zh ? .zh : .en }

    static func withDepartment(_ path: String, _ department: String?) -> String {
        path + (department.map { "?department=" + RouteGuard.encode($0) } ?? "")
    }

    /// The form's fields as typed (every field of the kind; what was not sent is empty).
    static func typed(_ kind: SheetKind, _ form: Query) -> [String: String] {
        var values: [String: String] = [:]
        for field in RecordForm.fields(kind) {
            let all = form.all(field.key).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
                !$0.isEmpty
            }
            if !all.isEmpty { values[field.key] = all.joined(separator: "；") }
        }
        return values
    }

    static func body(_ request: Request, _ context: WebContext) async throws -> Query {
        var request = request
        return Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
    }

    // MARK: one record

    static func newForm(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let kind = try kind(context)
        let q = Query(request.uri.query)
        var values: [String: String] = [:]
        let units = try await app.read { try $0.orgUnits() }
        if let asked = q.first("department"), let unit = units.first(where: { $0.id == asked || $0.nameZH == asked }) {
            let name = context.language == .zh ? (unit.nameZH ?? unit.id) : unit.id
            values[kind == .tallies || kind == .staff ? "department" : "departments"] =
                kind == .tallies || kind == .staff ? unit.id : name
        }
        let saved = q.first("saved").map {
            Words.word("entry.saved", context.language).replacingOccurrences(of: "%@", with: $0)
        }
        return try await form(
            kind, values: values, problems: [], id: nil, saved: saved, request, context, app, status: .ok)
    }

    static func create(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let kind = try kind(context)
        let typed = typed(kind, try await body(request, context))
        return try await save(kind, typed, id: nil, request, context, app)
    }

    static func editForm(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let kind = try kind(context)
        let id = context.parameters.get("id") ?? ""
        let language = sheetLanguage(context.language)
        let values = try await app.read { try RecordForm.values(of: kind, id: id, in: $0, language: language) }
        guard let values else { throw Pages.notFound(RecordForm.entity(kind).rawValue, id, context.language) }
        return try await form(
            kind, values: values, problems: [], id: id, saved: nil, request, context, app, status: .ok)
    }

    static func update(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let kind = try kind(context)
        let id = context.parameters.get("id") ?? ""
        let exists = try await app.read { try RecordForm.departments(of: RecordForm.entity(kind), id: id, in: $0) }
        guard exists != nil else { throw Pages.notFound(RecordForm.entity(kind).rawValue, id, context.language) }
        var typed = typed(kind, try await body(request, context))
        typed["id"] = id
        return try await save(kind, typed, id: id, request, context, app)
    }

    /// Writes one record as the signed-in account; on a problem, the form again with what was typed and each
    /// problem at its field (422), nothing written.
    static func save(
        _ kind: SheetKind, _ typed: [String: String], id: String?, _ request: Request, _ context: WebContext,
        _ app: WebApp
    ) async throws -> Response {
        let account = context.account!
        let allowed = allowed(context)
        do {
            let ids = try await app.write(as: ChangeActor(account.name), doing: .edit) { registry in
                try RecordForm.submit(kind, rows: [typed], departments: allowed, into: registry)
            }
            let written = ids.first?.first ?? id ?? ""
            let department = Query(request.uri.query).first("department")
            if let detail = detailPath(kind) {
                return Reply.redirect(Pages.detailLink(detail, written, department: department))
            }
            var pairs = department.map { [("department", $0)] } ?? []
            pairs.append(("saved", written))
            return Reply.redirect("/entry/\(kind.rawValue)/new?" + RouteGuard.encode(pairs))
        } catch let rejection as FormRejection {
            return try await form(
                kind, values: typed, problems: rejection.problems, id: id, saved: nil, request, context, app,
                status: .unprocessableContent)
        }
    }

    static func delete(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let kind = try kind(context)
        let id = context.parameters.get("id") ?? ""
        let form = try await body(request, context)
        let entity = RecordForm.entity(kind)
        guard let reason = form.first("reason")?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty
        else {
            let values = try await app.read {
                try RecordForm.values(of: kind, id: id, in: $0, language: sheetLanguage(context.language))
            }
            guard let values else { throw Pages.notFound(entity.rawValue, id, context.language) }
            return try await self.form(
                kind, values: values, problems: [], id: id, saved: nil, request, context, app,
                status: .unprocessableContent, deleteError: Words.word("entry.reasonNeeded", context.language))
        }
        let account = context.account!
        let deleted: Bool
        do {
            deleted = try await app.write(as: ChangeActor(account.name), doing: .delete(reason: reason)) {
                try $0.delete(entity, id: id)
            }
        } catch let refused as DeleteRefused {
            // Other records still name it (a paper's author, a project's award): said, and nothing deleted.
            let ids = Array(Set(refused.referrers.map(\.id))).sorted().prefix(5)
            let message =
                context.language == .zh
                ? "其他记录仍引用这条记录（编号：\(ids.joined(separator: "、"))），请先修改它们，再删除。"
                : "Other records still refer to it (\(ids.joined(separator: ", "))); change them first."
            let values = try await app.read {
                try RecordForm.values(of: kind, id: id, in: $0, language: sheetLanguage(context.language))
            }
            return try await self.form(
                kind, values: values ?? [:], problems: [], id: id, saved: nil, request, context, app,
                status: .conflict, deleteError: message)
        }
        guard deleted else { throw Pages.notFound(entity.rawValue, id, context.language) }
        let department = Query(request.uri.query).first("department")
        let list = detailPath(kind) ?? "/entry/\(kind.rawValue)/new"
        return Reply.redirect(withDepartment(list, department))
    }

    /// The form of `kind` with `values` and `problems` (each at its field; those of no field at the top).
    static func form(
        _ kind: SheetKind, values: [String: String], problems: [FormProblem], id: String?, saved: String?,
        _ request: Request, _ context: WebContext, _ app: WebApp, status: HTTPResponse.Status,
        deleteError: String? = nil
    ) async throws -> Response {
        let language = context.language
        let (units, procedures) = try await app.read { registry in
            (try registry.orgUnits(), try registry.procedures())
        }
        let shown = RecordForm.fields(kind).filter { $0.key != "id" }
        let byField = Dictionary(grouping: problems.filter { p in shown.contains { $0.key == p.field } }) {
            $0.field ?? ""
        }
        let general = problems.filter { p in !shown.contains { $0.key == p.field } }
        let fields = shown.map { column in
            field(
                column, value: values[column.key],
                error: byField[column.key]?.map { $0.message(sheetLanguage(language)) }.joined(separator: " "),
                units: units, context: context)
        }
        let department = Query(request.uri.query).first("department")
        let path = "/entry/\(kind.rawValue)/" + (id.map { RouteGuard.encode($0) } ?? "new")
        let content: [String: Any] = [
            "heading": heading(kind, editing: id != nil, language), "fields": fields,
            "general": general.map { $0.message(sheetLanguage(language)) }, "hasGeneral": !general.isEmpty,
            "problemCount": problems.isEmpty
                ? nil as String? : String(format: Words.word("entry.problems", language), problems.count),
            "saved": saved, "csrf": context.session?.csrfToken ?? "",
            "action": withDepartment(path, department),
            "deleteAction": id.map { _ in withDepartment(path + "/delete", department) } as Any,
            "deleteError": deleteError as Any,
            "hiddenID": id as Any,
            "procedures": kind == .tallies
                ? Array(Set(procedures.flatMap { [$0.preferredTermZH, $0.preferredTerm].compactMap { $0 } })).sorted()
                : [],
            "monthLink": kind == .tallies ? withDepartment("/entry/tallies/month", department) : nil as String?,
        ]
        let html = Templates.render("entry", content, language: language)
        return Reply.html(
            Templates.page(
                title: heading(kind, editing: id != nil, language), content: html,
                current: detailPath(kind) ?? "/cases", context: context, query: request.uri.query),
            status: status)
    }

    /// One field of a form, as the template shows it.
    static func field(
        _ column: SheetColumn, value: String?, error: String?, units: [OrgUnit], context: WebContext
    ) -> [String: Any] {
        let language = sheetLanguage(context.language)
        var field: [String: Any] = [
            "key": column.key, "label": column.header(language), "required": column.required,
            "note": column.note(language), "value": value ?? "", "error": error as Any,
        ]
        let written = value.map { SheetKind.normalise($0) }
        switch column.type {
        case .choice(let choices):
            field["isSelect"] = true
            var options: [[String: Any]] = choices.map { choice in
                [
                    "value": choice.value, "label": choice.label(language),
                    "selected": written.map { w in
                        ([choice.value, choice.en, choice.zh] + choice.aliases).contains {
                            SheetKind.normalise($0) == w
                        }
                    } ?? false,
                ]
            }
            if let value, !options.contains(where: { $0["selected"] as? Bool == true }) {
                // A value the list does not have (typed elsewhere) is kept, so the problem shown is about it.
                options.insert(["value": value, "label": value, "selected": true], at: 0)
            }
            field["options"] = options
        case .date:
            field["placeholder"] = "2025-03-01 / 2025-03 / 2025"
        case .integer, .decimal, .year:
            field["numeric"] = true
        default: break
        }
        if column.key == "department" {
            let allowed = allowed(context)
            var choices = units.filter { $0.kind == .department && (allowed?.contains($0.id) ?? true) }
            if allowed == nil { choices += units.filter { $0.kind == .hospital } }
            field["isSelect"] = true
            var options: [[String: Any]] = choices.map { unit in
                [
                    "value": unit.id, "label": language == .zh ? (unit.nameZH ?? unit.name) : unit.name,
                    "selected": value == unit.id || value == unit.nameZH || value == unit.name,
                ]
            }
            if let value, !options.contains(where: { $0["selected"] as? Bool == true }) {
                options.insert(["value": value, "label": value, "selected": true], at: 0)
            }
            field["options"] = options
        }
        if column.key == "procedure" { field["list"] = "procedures" }
        if column.key == "departments" { field["list"] = "departments" }
        return field
    }

    // MARK: a month of tallies

    /// The month asked (`YYYY-MM`), or last month.
    static func month(_ q: Query) throws -> (year: Int, month: Int) {
        if let text = q.first("month") {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, (1900...2100).contains(parts[0]), (1...12).contains(parts[1]) else {
                throw WebError(.badRequest, "month takes YYYY-MM, such as 2025-03")
            }
            return (parts[0], parts[1])
        }
        let now = Calendar(identifier: .gregorian).dateComponents([.year, .month], from: Date())
        let (year, month) = (now.year ?? 2025, now.month ?? 1)
        return month == 1 ? (year - 1, 12) : (year, month - 1)
    }

    /// How many rows for other procedures the grid offers below the department's own.
    static let extraRows = 3

    static func monthForm(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        try await grid(request, context, app, typed: nil, problems: [], saved: nil, status: .ok)
    }

    static func monthSubmit(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let (year, month) = try month(q)
        guard let department = q.first("department") else {
            throw WebError(.badRequest, Words.word("entry.chooseDepartment", context.language))
        }
        let form = try await body(request, context)
        let period = String(format: "%04d-%02d", year, month)
        // One tally row per filled cell: blank is no tally, 0 is a count of none.
        var rows: [[String: String]] = []
        var cells: [(row: Int, approach: Approach)] = []
        var index = 0
        while let procedure = form.pairs.first(where: { $0.0 == "p\(index)" })?.1 {
            let name = procedure.trimmingCharacters(in: .whitespaces)
            for approach in Approach.allCases {
                guard let count = form.first("c\(index).\(approach.rawValue)")?.trimmingCharacters(in: .whitespaces),
                    !count.isEmpty
                else { continue }
                rows.append([
                    "procedure": name, "approach": approach.rawValue, "department": department, "from": period,
                    "to": period, "count": count, "source": form.first("source") ?? "",
                ])
                cells.append((index, approach))
            }
            index += 1
        }
        let account = context.account!
        let allowed = allowed(context)
        let entered = rows
        do {
            let written = try await app.write(as: ChangeActor(account.name), doing: .edit) { registry in
                try RecordForm.submit(.tallies, rows: entered, departments: allowed, into: registry)
            }
            let saved = String(
                format: Words.word("entry.gridSaved", context.language).replacingOccurrences(of: "%@", with: period),
                written.count)
            return try await grid(request, context, app, typed: nil, problems: [], saved: saved, status: .ok)
        } catch let rejection as FormRejection {
            let located = rejection.problems.map { problem -> (Int, Approach?, FormProblem) in
                guard problem.row < cells.count else { return (-1, nil, problem) }
                return (cells[problem.row].row, cells[problem.row].approach, problem)
            }
            return try await grid(
                request, context, app, typed: form, problems: located, saved: nil, status: .unprocessableContent)
        }
    }

    /// The grid: the department's procedures (those it has tallies of) and a few free rows × every approach,
    /// filled with the month's department-wide counts, or with what was typed when it was refused.
    static func grid(
        _ request: Request, _ context: WebContext, _ app: WebApp, typed: Query?,
        problems: [(Int, Approach?, FormProblem)], saved: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let q = Query(request.uri.query)
        let language = context.language
        let (year, month) = try month(q)
        let period = PartialDate(year: year, month: month)
        let asked = q.first("department")
        let (units, procedures, tallies) = try await app.read { registry in
            let units = try registry.orgUnits()
            let id = asked.flatMap { a in units.first { $0.id == a || $0.nameZH == a || $0.name == a }?.id }
            return (
                units, try registry.procedures(),
                try id.map { try registry.tallies(matching: TallyFilter(departmentID: $0)) } ?? []
            )
        }
        let department = asked.flatMap { a in units.first { $0.id == a || $0.nameZH == a || $0.name == a } }
        let names = Dictionary(
            procedures.map { ($0.id, language == .zh ? ($0.preferredTermZH ?? $0.preferredTerm) : $0.preferredTerm) }
        ) { a, _ in a }
        let own = Array(Set(tallies.map(\.procedureID))).sorted { (names[$0] ?? $0) < (names[$1] ?? $1) }
        var counts: [String: Int] = [:]
        for t in tallies where t.from == period && t.to == period && t.campusID == nil && t.surgeonID == nil {
            counts["\(t.procedureID).\(t.approach.rawValue)"] = t.count
        }
        let sheet = sheetLanguage(language)
        var rows: [[String: Any]] = []
        let total = own.count + extraRows
        for index in 0..<total {
            let fixed = index < own.count
            let procedure = fixed ? own[index] : (typed?.first("p\(index)") ?? "")
            let cells: [[String: Any]] = Approach.allCases.map { approach in
                let name = "c\(index).\(approach.rawValue)"
                let value =
                    typed.map { $0.first(name) ?? "" } ?? counts["\(procedure).\(approach.rawValue)"].map(String.init)
                    ?? ""
                let error = problems.filter { $0.0 == index && $0.1 == approach }.map { $0.2.message(sheet) }
                return [
                    "name": name, "value": value,
                    "aria": (names[procedure] ?? procedure) + " · "
                        + Words.word("approach." + approach.rawValue, language),
                    "error": error.isEmpty ? nil : error.joined(separator: " ") as String?,
                ]
            }
            rows.append([
                "index": index, "fixed": fixed, "procedure": procedure, "name": names[procedure] ?? procedure,
                "cells": cells,
            ])
        }
        let general = problems.filter { $0.0 < 0 }.map { $0.2.message(sheet) }
        let periodText = String(format: "%04d-%02d", year, month)
        let values: [String: Any] = [
            "heading": Words.word("entry.month", language), "month": periodText,
            "departments": Pages.departmentOptions(
                units, selected: department?.id, account: context.account, language: language
            ).filter { ($0["id"] as? String) != "" },
            "hasDepartment": department != nil,
            "departmentName": department.map { language == .zh ? ($0.nameZH ?? $0.name) : $0.name } ?? "",
            "approaches": Approach.allCases.map { ["label": Words.word("approach." + $0.rawValue, language)] },
            "rows": rows, "saved": saved as Any, "csrf": context.session?.csrfToken ?? "",
            "general": general, "hasGeneral": !general.isEmpty,
            "problemCount": problems.isEmpty
                ? nil as String? : String(format: Words.word("entry.problems", language), problems.count),
            "action": "/entry/tallies/month?"
                + RouteGuard.encode([("department", department?.id ?? ""), ("month", periodText)]),
            "source": typed?.first("source") ?? "",
            "procedures": Array(Set(procedures.flatMap { [$0.preferredTermZH, $0.preferredTerm].compactMap { $0 } }))
                .sorted(),
            "oneLink": withDepartment("/entry/tallies/new", department?.id),
        ]
        let html = Templates.render("month", values, language: language)
        return Reply.html(
            Templates.page(
                title: Words.word("entry.month", language), content: html, current: "/cases", context: context,
                query: request.uri.query),
            status: status)
    }
}

extension Entry {
    /// The link to a new record's form, for an account that may write.
    static func newLink(_ kind: SheetKind, _ context: WebContext, department: String?) -> String? {
        guard let account = context.account, account.role >= .secretary else { return nil }
        return withDepartment("/entry/\(kind.rawValue)/new", department)
    }

    /// The link to a record's form, for an account that may write.
    static func editLink(_ kind: SheetKind, id: String, _ context: WebContext, department: String?) -> String? {
        guard let account = context.account, account.role >= .secretary else { return nil }
        return withDepartment("/entry/\(kind.rawValue)/" + RouteGuard.encode(id), department)
    }
}
