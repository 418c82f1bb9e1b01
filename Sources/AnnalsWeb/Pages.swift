import AnnalsInterchange
import AnnalsModel
import AnnalsOffice
import AnnalsRegistry
import AnnalsReports
import AnnalsStatistics
import AnnalsStore
import Foundation
import Hummingbird

/// The HTML pages. Each reads what it shows through the same library calls as the command line and the API.
enum Pages {
    static let papersPerPage = 20

    // MARK: dashboard

    static func dashboard(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let language = context.language
        let asked = q.first("department")
        let yearAsked = try API.intParameter(q, "year")
        let account = context.account
        // The figures are made once per registry change (`FigureCache`): the whole hospital's reads every paper
        // of the year. The question names the calendar year, which a registry without papers falls back on.
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())
        let question = [asked ?? "", yearAsked.map(String.init) ?? "latest", "\(thisYear)", language.rawValue]
            .joined(separator: "\u{1F}")
        let (report, units, year) = try await kept(app.dashboards, question, context, app) { registry in
            let units = try registry.orgUnits()
            let department = try ReferenceCheck.check(department: asked, in: registry).department
            let year = try yearAsked ?? latestYear(registry, department: department)
            let report = try AnnualReportBuilder.build(
                from: registry, year: year, department: department, language: language == .zh ? .zh : .en,
                generatedOn: "", citations: false)
            return RegistryFigures(report: report, units: units, year: year)
        }.parts
        let department = report.department?.id
        let keep = "year=\(year)" + (department.map { "&department=" + RouteGuard.encode($0) } ?? "")
        let cases = report.cases
        var figures: [[String: Any]] = []
        func figure(_ label: String, _ value: String, _ href: String, why: String? = nil) {
            figures.append(["label": Words.word(label, language), "value": value, "href": href, "why": why as Any])
        }
        for (label, head) in [("doctors", report.doctors), ("nurses", report.nurses)] {
            let missing =
                head.missing.isEmpty ? nil : Words.word("noCensus", language) + head.missing.joined(separator: "; ")
            figure(
                label, head.figure, "/reports?\(keep)",
                why: head.exact ? nil : missing ?? Words.word("notExact", language))
        }
        let p = report.publications
        figure("papersTotal", "\(p.total)", "/papers?\(keep)")
        figure("sciPapers", "\(p.sci)", "/papers?\(keep)&sci=1")
        figure("nationalPapers", "\(p.national)", "/papers?\(keep)")
        figure("impactFactorSum", p.impactFactorSum.map(Numbers.twoPlaces) ?? "—", "/papers?\(keep)&sci=1")
        figure("projectsNew", "\(report.projects.new)", "/projects?\(keep)")
        figure("projectsOngoing", "\(report.projects.ongoing)", "/projects?\(keep)")
        figure("patentsFiled", "\(report.patents.filed)", "/patents?\(keep)")
        figure("patentsGranted", "\(report.patents.granted)", "/patents?\(keep)")
        figure("awards", "\(report.awards.count)", "/awards?\(keep)")
        let casesLink =
            "/cases?from=\(year)&to=\(year)" + (department.map { "&department=" + RouteGuard.encode($0) } ?? "")
        let words: ReportLanguage = language == .zh ? .zh : .en
        let why = cases.total.exact ? nil : notExact(cases.incomplete.map { $0.text(words) }, language)
        figure("operations", cases.total.text(words), casesLink, why: why)
        if let share = cases.shareFigure(cases.minimallyInvasiveShare, year: year, words) {
            figure("miShare", share, casesLink + "&by=approach", why: why)
        }
        if let share = cases.shareFigure(cases.grade4Share, year: year, words) {
            figure("grade4Share", share, casesLink, why: why)
        }
        let values: [String: Any] = [
            "scope": report.department?.name ?? Words.word("wholeHospital", language), "year": year,
            "departments": departmentOptions(units, selected: department, account: account, language: language),
            "figures": figures, "chart": Chart.papers(p.trend, language: language, department: department),
            "milestones": cases.milestones.map { $0.text(words) }, "hasMilestones": !cases.milestones.isEmpty,
            "entryLinks": Entry.newLink(.staff, context, department: department).map { staff -> [String: Any] in
                [
                    // A department's own data: offered once a department is chosen (a secretary's always is).
                    "staffLink": department.map { _ in staff } as Any,
                    "bedsLink": department.flatMap { Entry.newLink(.beds, context, department: $0) } as Any,
                    "procedureLink": Entry.newLink(.procedures, context, department: nil) as Any,
                ]
            } as Any,
        ]
        return page("dashboard", values, title: Words.word("dashboard", language), current: "/", request, context)
    }

    /// What a dashboard or the report page shows of the registry, as `WebApp.dashboards` and `reports` keep it.
    struct RegistryFigures: Sendable {
        var report: AnnualReport
        var units: [OrgUnit]
        var year: Int
        var parts: (AnnualReport, [OrgUnit], Int) { (report, units, year) }
    }

    /// The newest year with a paper (of `department`), or last year when there is none.
    static func latestYear(_ registry: RegistryReader, department: String?) throws -> Int {
        try registry.latestPublicationYear(department: department)
            ?? (Calendar(identifier: .gregorian).component(.year, from: Date()) - 1)
    }

    /// Whether the paper list's search text (lower case) is in the row's title, DOI, PMID, journal or authors.
    static func matches(_ r: PublicationRow, _ search: String) -> Bool {
        let authors = r.authors.map { [$0.family, $0.given, $0.collective].compactMap { $0 }.joined(separator: " ") }
        return ([r.title, r.doi ?? "", r.pmid ?? "", r.journal ?? ""] + authors).contains {
            $0.lowercased().contains(search)
        }
    }

    static func notExact(_ incomplete: [String], _ language: WebLanguage) -> String {
        guard let first = incomplete.first else { return Words.word("notExact", language) }
        let more = incomplete.count > 1 ? " (+\(incomplete.count - 1))" : ""
        return Words.word("notExact", language) + first + more
    }

    // MARK: papers

    static func papers(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let language = context.language
        let year = try API.intParameter(q, "year")
        let page = max(1, try API.intParameter(q, "page") ?? 1)
        let sci = q.first("sci") == "1"
        let search = q.first("q")?.lowercased()
        let asked = q.first("department")
        let offset = API.offset(page: page, size: papersPerPage)
        // Kept until the registry changes, like the dashboards: page 1 of a department is asked again and again.
        let question = [asked ?? "", year.map(String.init) ?? "", String(page), sci ? "sci" : "", search ?? ""]
            .joined(separator: "\u{1F}")
        let (total, list, units) = try await kept(app.paperPages, question, context, app) { registry in
            try paperListPage(registry, asked, year, sci, search, offset)
        }.parts
        let pages = max(1, (total + papersPerPage - 1) / papersPerPage)
        func link(_ page: Int) -> String {
            var pairs = q.pairs.filter { $0.0 != "page" && $0.0 != "lang" }
            pairs.append(("page", String(page)))
            return "/papers?" + RouteGuard.encode(pairs)
        }
        var values: [String: Any] = [
            "year": year.map(String.init) ?? "", "q": q.first("q") ?? "", "sci": sci,
            "departments": departmentOptions(units, selected: asked, account: context.account, language: language),
            "paperList": list[language] ?? "", "hasPapers": !(list[language] ?? "").isEmpty,
            "totalText": String(format: Words.word("total", language), total),
            "pageText": String(format: Words.word("page", language), min(page, pages), pages),
            "previous": page > 1 ? link(page - 1) : NSNull(), "next": page < pages ? link(page + 1) : NSNull(),
        ]
        values["newLink"] = Entry.newLink(.papers, context, department: q.first("department"))
        return Pages.page("papers", values, title: Words.word("papers", language), current: "/papers", request, context)
    }

    /// What a page of the paper list shows, as `WebApp.paperPages` keeps it.
    struct PaperListPage: Sendable {
        var total: Int
        /// The page's papers as HTML, in each language (empty when the page has none): rendered once when the page
        /// is made. Rendering twenty papers' titles, authors and links was most of every request for the page.
        var list: [WebLanguage: String]
        var units: [OrgUnit]
        var parts: (Int, [WebLanguage: String], [OrgUnit]) { (total, list, units) }
    }

    /// One page of the paper list (`offset` on), with how many papers match in all.
    static func paperListPage(
        _ registry: RegistryReader, _ asked: String?, _ year: Int?, _ sci: Bool, _ search: String?, _ offset: Int
    ) throws -> PaperListPage {
        let ids = try ReferenceCheck.check(department: asked, in: registry)
        let journals = JournalLookup(try registry.journals())
        guard search != nil || sci else {
            // The plain list: counted, ordered and paged by the store; only the papers shown are read.
            let shown = try registry.publicationPage(
                year: year, department: ids.department, offset: offset, limit: papersPerPage)
            let rows = shown.publications.map { (PublicationRow($0, in: journals), $0.title.markup) }
            return PaperListPage(
                total: shown.total, list: paperList(rows, department: asked), units: try registry.orgUnits())
        }
        // Searching or SCI only: every paper of the filters is looked at, once.
        var rows: [(row: PublicationRow, markup: String)] = []
        try registry.forEachPublication(year: year, department: ids.department, person: nil) { p in
            let row = PublicationRow(p, in: journals)
            guard !sci || row.sci == true, search.map({ Self.matches(row, $0) }) ?? true else { return }
            rows.append((row, p.title.markup))
        }
        rows.sort { PublicationRow.newestFirst($0.row, $1.row) }
        return PaperListPage(
            total: rows.count, list: paperList(Array(rows.dropFirst(offset).prefix(papersPerPage)), department: asked),
            units: try registry.orgUnits())
    }

    /// The papers of a page of the list as HTML, in each language; "" for none. Links keep the `department` asked.
    static func paperList(_ rows: [(row: PublicationRow, markup: String)], department: String?)
        -> [WebLanguage: String]
    {
        guard !rows.isEmpty else { return [:] }
        let papers: [[String: Any]] = rows.map { r, markup in
            [
                "title": TitleHTML.render(markup), "sci": r.sci == true,
                "href": detailLink("/papers", r.id, department: department),
                "retracted": r.retracted, "journal": r.journal ?? "", "year": r.year.map(String.init) ?? "",
                "doi": r.doi as Any, "pmid": r.pmid as Any,
                "authors": r.authors.prefix(12).map {
                    $0.collective ?? [$0.family, $0.given].compactMap { $0 }.joined(separator: " ")
                }
                .joined(separator: ", ") + (r.authors.count > 12 ? ", …" : ""),
            ]
        }
        return Dictionary(
            uniqueKeysWithValues: WebLanguage.allCases.map {
                ($0, Templates.render("paperList", ["papers": papers], language: $0))
            })
    }

    // MARK: cases

    static func cases(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let language = context.language
        var message: String?
        var total: [String: Any]?
        var rows: [[String: Any]] = []
        let asked = q.names.contains { ["procedure", "from", "to", "by", "approach"].contains($0) }
        let (units, terms) = try await reading(app) { registry in
            (try registry.orgUnits(), try registry.procedures().flatMap { [$0.preferredTerm] + $0.synonyms })
        }
        var byLabel = ""
        if asked {
            do {
                let (query, by, cumulative, share) = try API.caseQuestion(q)
                byLabel = by.map { Words.word("by." + $0.rawValue, language) } ?? ""
                let json = try await API.caseAnswer(app, context, query, by: by, cumulative: cumulative, share: share)
                let value = try JSONSerialization.jsonObject(with: Data(json.utf8))
                if let object = value as? [String: Any] {
                    total = answerLine(object, language)
                    total?["label"] = [q.first("procedure"), q.first("department"), q.first("from"), q.first("to")]
                        .compactMap { $0 }.joined(separator: " · ")
                } else if let list = value as? [[String: Any]] {
                    rows = list.map { item in
                        var line = answerLine(item["total"] as? [String: Any] ?? [:], language)
                        line["group"] = CaseGroupLabel.text(item["group"] as? String ?? "", language == .zh ? .zh : .en)
                        return line
                    }
                }
            } catch let error as WebError {
                message = error.message
            }
        }
        let approach = q.first("approach").flatMap(ApproachWords.approach(named:))
        let values: [String: Any] = [
            "procedure": q.first("procedure") ?? "", "from": q.first("from") ?? "", "to": q.first("to") ?? "",
            "procedures": Array(Set(terms)).sorted(),
            "approaches": Approach.allCases.map {
                [
                    "value": $0.rawValue, "label": Words.word("approach." + $0.rawValue, language),
                    "selected": $0 == approach,
                ]
            },
            "groupings": CaseGrouping.allCases.map {
                [
                    "value": $0.rawValue, "label": Words.word("by." + $0.rawValue, language),
                    "selected": $0.rawValue == q.first("by"),
                ]
            },
            "departments": departmentOptions(
                units, selected: q.first("department"), account: context.account, language: language),
            "message": message as Any, "total": total as Any, "rows": rows, "hasRows": !rows.isEmpty,
            "byLabel": byLabel,
            "newLink": Entry.newLink(.tallies, context, department: q.first("department")) as Any,
            "procedureLink": Entry.newLink(.procedures, context, department: nil) as Any,
            "monthLink": Entry.newLink(.tallies, context, department: q.first("department")).map { _ in
                Entry.withDepartment("/entry/tallies/month", q.first("department"))
            } as Any,
        ]
        return page("cases", values, title: Words.word("cases", language), current: "/cases", request, context)
    }

    /// A total of `annals cases --format json` as a line of the page: the figure ("≥ N" when not exact) and why.
    static func answerLine(_ object: [String: Any], _ language: WebLanguage) -> [String: Any] {
        let exact = object["exact"] as? Bool ?? false
        guard language == .zh else {
            return [
                "figure": object["figure"] as? String ?? "\(object["count"] ?? "")",
                "why": exact ? "" : (object["explanation"] as? String ?? ""),
            ]
        }
        return ["figure": CaseWords.figure(object), "why": exact ? "" : CaseWords.why(object)]
    }

    // MARK: reports

    static func reports(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let language = context.language
        let yearAsked = try API.intParameter(q, "year")
        let asked = q.first("department")
        let format = q.first("format")
        let validatedAsked = try Downloads.validatedParameter(q)
        if let format, !["html", "markdown", "json"].contains(format) {
            throw WebError(.badRequest, "format takes html, markdown or json")
        }
        let today = String(ChangeEntry.timestamp(Date()).prefix(10))
        // Made once per registry change and day, like the dashboards' figures.
        let question = [
            asked ?? "", yearAsked.map(String.init) ?? "latest", validatedAsked.map { $0 ? "1" : "0" } ?? "",
            today, language.rawValue,
        ].joined(separator: "\u{1F}")
        let kept = try await kept(app.reports, question, context, app) { registry in
            let department = try ReferenceCheck.check(department: asked, in: registry).department
            let year = try yearAsked ?? latestYear(registry, department: department)
            // Validated records only when asked, or by default once an admin has set an approval chain.
            let onlyValidated = try validatedAsked ?? registry.approvalChain().isConfigured
            var report = try AnnualReportBuilder.build(
                from: registry, year: year, department: department, language: language == .zh ? .zh : .en,
                generatedOn: today,
                leavingOut: onlyValidated ? UnvalidatedRecords(try registry.workflowPending()) : nil)
            if onlyValidated { report.validatedOnly = true }
            return ReportPage(report: report, units: try registry.orgUnits())
        }
        let (report, units) = (kept.report, kept.units)
        let base =
            "annual-report-\(report.year)" + (report.department.map { "-" + $0.id } ?? "") + "-\(language.rawValue)"
        switch format {
        case "html":
            return Reply.download(kept.html, type: "text/html; charset=utf-8", name: base + ".html")
        case "markdown":
            return Reply.download(
                ReportRenderer.markdown(report), type: "text/markdown; charset=utf-8", name: base + ".md")
        case "json":
            return Reply.download(
                try ReportRenderer.json(report), type: "application/json; charset=utf-8", name: base + ".json")
        default: break
        }
        let values: [String: Any] = [
            "year": report.year, "report": String(kept.body),
            "departments": departmentOptions(
                units, selected: report.department?.id, account: context.account, language: language),
            "downloads": Downloads.links(
                year: report.year, department: report.department?.id, language: language,
                validated: validatedAsked),
            "validatedOptions": [
                [
                    "value": "1", "label": Words.word("wfValidatedOnly", language),
                    "selected": report.validatedOnly == true,
                ],
                [
                    "value": "0", "label": Words.word("wfAllRecords", language),
                    "selected": report.validatedOnly != true,
                ],
            ],
        ]
        return page("reports", values, title: Words.word("reports", language), current: "/reports", request, context)
    }

    /// A report as the report page keeps it: rendered once when it is made (rendering a department's report took
    /// 330 ms, for every request of the page).
    struct ReportPage: Sendable {
        var report: AnnualReport
        var units: [OrgUnit]
        /// The report as its own HTML file (`format=html`).
        var html: String
        /// What the page shows of it: its body. The file has a style sheet of its own, inline, which this site's
        /// policy refuses.
        var body: Substring

        init(report: AnnualReport, units: [OrgUnit]) {
            self.report = report
            self.units = units
            let html = ReportRenderer.html(report)
            self.html = html
            body =
                html.range(of: "<body>").flatMap { start in
                    html.range(of: "</body>", range: start.upperBound..<html.endIndex).map {
                        html[start.upperBound..<$0.lowerBound]
                    }
                } ?? ""
        }
    }

    // MARK: shared

    /// The departments a form offers: an account limited to departments gets only its own; others also get the
    /// whole hospital (the empty value).
    static func departmentOptions(_ units: [OrgUnit], selected: String?, account: Account?, language: WebLanguage)
        -> [[String: Any]]
    {
        var departments = units.filter { $0.kind == .department }
        let limited = account.map { !$0.role.seesEveryDepartment && !$0.departments.isEmpty } ?? false
        if limited, let account { departments = departments.filter { account.departments.contains($0.id) } }
        var options: [[String: Any]] =
            limited ? [] : [["id": "", "name": Words.word("wholeHospital", language), "selected": selected == nil]]
        options += departments.map { unit in
            [
                "id": unit.id, "name": language == .zh ? (unit.nameZH ?? unit.name) : unit.name,
                "selected": selected == unit.id || selected == unit.name
                    || (selected != nil && selected == unit.nameZH),
            ]
        }
        return options
    }

    static func page(
        _ template: String, _ values: [String: Any], title: String, current: String, _ request: Request,
        _ context: WebContext
    ) -> Response {
        let content = Templates.render(template, values, language: context.language)
        return Reply.html(
            Templates.page(title: title, content: content, current: current, context: context, query: request.uri.query)
        )
    }

    /// A read whose unknown ids are the asker's mistake (shown as a 422 page).
    /// `cache`'s answer to `question`: the one kept at the stamp the request's session was read with (no
    /// transaction at all), or else the one kept or made at the stamp of a read of its own, as `make` makes it.
    static func kept<V: Sendable>(
        _ cache: FigureCache<V>, _ question: String, _ context: WebContext, _ app: WebApp,
        make: @escaping @Sendable (RegistryReader) throws -> V
    ) async throws -> V {
        if let stamp = context.changeStamp, let value = cache.kept(question, stamp: stamp) { return value }
        return try await reading(app) { registry in
            try cache.value(question, stamp: try registry.changeStamp()) { try make(registry) }
        }
    }

    /// `kept` for answers made from the registry as a whole (several reads, or the registry's own questions).
    static func kept<V: Sendable>(
        _ cache: FigureCache<V>, _ question: String, _ context: WebContext, _ app: WebApp,
        asking make: @escaping @Sendable (Registry) throws -> V
    ) async throws -> V {
        if let stamp = context.changeStamp, let value = cache.kept(question, stamp: stamp) { return value }
        return try await API.asking(app) { registry in
            // The stamp first: what is kept is never older than its stamp.
            try cache.value(question, stamp: try registry.read { try $0.changeStamp() }) { try make(registry) }
        }
    }

    static func reading<T: Sendable>(_ app: WebApp, _ body: @escaping @Sendable (RegistryReader) throws -> T)
        async throws -> T
    {
        do {
            return try await app.read(body)
        } catch let error as UnknownReference {
            throw WebError(.unprocessableContent, error.description)
        } catch let error as AnnualReportBuilder.UnknownDepartment {
            throw WebError(.unprocessableContent, error.description)
        }
    }
}

/// The dashboard's chart, as inline SVG (no script, no style attribute: the page's policy allows neither).
enum Chart {
    static func papers(_ trend: [AnnualReport.YearPapers], language: WebLanguage, department: String?) -> String {
        guard !trend.isEmpty else { return "" }
        let width = 560.0
        let height = 220.0
        let left = 36.0
        let bottom = 24.0
        // Room above the bars for the legend (two lines), so it never covers a bar or its figure.
        let top = 44.0
        let maxValue = Double(max(1, trend.map { $0.sci + $0.national }.max() ?? 1))
        let slot = (width - left - 8) / Double(trend.count)
        let bar = min(48, slot * 0.6)
        var svg =
            ##"<svg class="chart" viewBox="0 0 \##(Int(width)) \##(Int(height))" role="img" aria-label="\##(TitleHTML.escape(Words.word("papersByYear", language)))" xmlns="http://www.w3.org/2000/svg">"##
        let scale = (height - bottom - top) / maxValue
        svg +=
            ##"<line x1="\##(left)" y1="\##(height - bottom)" x2="\##(width - 4)" y2="\##(height - bottom)" stroke="#d9dee4"/>"##
        svg += ##"<text x="\##(left - 6)" y="\##(top + 8)" text-anchor="end">\##(Int(maxValue))</text>"##
        for (i, point) in trend.enumerated() {
            let x = left + Double(i) * slot + (slot - bar) / 2
            let sciHeight = Double(point.sci) * scale
            let nationalHeight = Double(point.national) * scale
            let base = height - bottom
            let href = "/papers?year=\(point.year)" + (department.map { "&department=" + RouteGuard.encode($0) } ?? "")
            svg += ##"<a href="\##(TitleHTML.escape(href))">"##
            svg +=
                ##"<rect x="\##(fmt(x))" y="\##(fmt(base - sciHeight))" width="\##(fmt(bar))" height="\##(fmt(sciHeight))" fill="#2a6f97"><title>\##(point.year) SCI \##(point.sci)</title></rect>"##
            svg +=
                ##"<rect x="\##(fmt(x))" y="\##(fmt(base - sciHeight - nationalHeight))" width="\##(fmt(bar))" height="\##(fmt(nationalHeight))" fill="#f4a261"><title>\##(point.year) \##(TitleHTML.escape(Words.word("nationalPapers", language))) \##(point.national)</title></rect>"##
            svg +=
                ##"<text x="\##(fmt(x + bar / 2))" y="\##(fmt(base - sciHeight - nationalHeight - 3))" text-anchor="middle">\##(point.sci + point.national)</text>"##
            svg +=
                ##"<text x="\##(fmt(x + bar / 2))" y="\##(fmt(height - 8))" text-anchor="middle">\##(point.year)</text></a>"##
        }
        // The legend, top right.
        for (i, (colour, word)) in [("#2a6f97", "SCI"), ("#f4a261", Words.word("nationalPapers", language))]
            .enumerated()
        {
            let y = 6 + Double(i) * 14
            svg += ##"<rect x="\##(fmt(width - 150))" y="\##(fmt(y))" width="10" height="10" fill="\##(colour)"/>"##
            svg += ##"<text x="\##(fmt(width - 135))" y="\##(fmt(y + 9))">\##(TitleHTML.escape(word))</text>"##
        }
        return svg + "</svg>"
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
