import AnnalsModel
import Foundation
import Mustache

/// The pages' templates (Mustache, compiled into the binary). `{{x}}` is escaped; `{{{x}}}` is used only for
/// HTML this module made (a page's content, a title through `TitleHTML`, a chart).
enum Templates {
    static let sources: [String: String] = [
        "layout": """
        <!doctype html>
        <html lang="{{htmlLang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · {{t.appName}}</title>
        <link rel="stylesheet" href="/assets/app.css">
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        </head>
        <body>
        <header><nav>
        <span class="brand">{{t.appName}}</span>
        {{#account}}
        {{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>
        {{/nav}}
        {{/account}}
        <span class="spacer"></span>
        <a href="{{languageSwitch}}" lang="{{otherLang}}">{{t.language}}</a>
        {{#account}}
        <span class="meta" title="{{t.signedInAs}} {{name}}"><span class="visually-hidden">{{t.signedInAs}} </span>{{name}}</span>
        <form method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}"><button class="link" type="submit">{{t.signOut}}</button></form>
        {{/account}}
        </nav></header>
        <main>
        {{{content}}}
        </main>
        </body>
        </html>
        """,
        "signin": """
        <div class="signin">
        <h1>{{t.signIn}}</h1>
        {{#message}}<p class="message" role="alert">{{message}}</p>{{/message}}
        <form method="post" action="/signin">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <label>{{t.userName}}<input name="name" autocomplete="username" required autofocus></label>
        <label>{{t.password}}<input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit">{{t.signIn}}</button>
        </form>
        </div>
        """,
        "error": """
        <h1>{{t.error}} ({{status}})</h1>
        <p class="message">{{message}}</p>
        <p><a href="/">{{t.back}}</a></p>
        """,
        "dashboard": """
        <h1>{{scope}} · {{year}}</h1>
        <form class="filters" method="get" action="/">
        <label>{{t.year}}<input name="year" type="number" min="1900" max="2100" value="{{year}}"></label>
        <label>{{t.department}}<select name="department">{{#departments}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        <button type="submit">{{t.show}}</button>
        </form>
        {{#entryLinks}}<p class="actions">{{#staffLink}}<a href="{{staffLink}}">{{t.entryStaffLink}}</a> {{/staffLink}}{{#bedsLink}}<a href="{{bedsLink}}">{{t.entryBedsLink}}</a> {{/bedsLink}}{{#procedureLink}}<a href="{{procedureLink}}">{{t.entryProcedureLink}}</a>{{/procedureLink}}</p>{{/entryLinks}}
        <div class="figures">
        {{#figures}}
        <a class="figure" href="{{href}}"><div class="value">{{value}}</div><div class="label">{{label}}</div>{{#why}}<div class="why">{{why}}</div>{{/why}}</a>
        {{/figures}}
        </div>
        <h2>{{t.papersByYear}}</h2>
        {{{chart}}}
        {{#hasMilestones}}<h2>{{t.milestones}}</h2><ul>{{#milestones}}<li>{{.}}</li>{{/milestones}}</ul>{{/hasMilestones}}
        """,
        "papers": """
        <h1>{{t.papers}}</h1>
        {{#newLink}}<p class="actions"><a href="{{newLink}}">{{t.entryNew}}</a></p>{{/newLink}}
        <form class="filters" method="get" action="/papers">
        <label>{{t.year}}<input name="year" type="number" min="1900" max="2100" value="{{year}}"></label>
        <label>{{t.department}}<select name="department">{{#departments}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        <label>{{t.search}}<input name="q" type="search" value="{{q}}"></label>
        <label class="check"><input type="checkbox" name="sci" value="1"{{#sci}} checked{{/sci}}>{{t.sciOnly}}</label>
        <button type="submit">{{t.show}}</button>
        </form>
        <p class="meta">{{totalText}}</p>
        {{#hasPapers}}{{{paperList}}}{{/hasPapers}}
        {{^hasPapers}}<p>{{t.noPapers}}</p>{{/hasPapers}}
        {{> pager}}
        """,
        // Previous and next page of a list, included by every list with `{{> pager}}`.
        "pager": """
        <div class="pager">
        {{#previous}}<a href="{{previous}}">{{t.previous}}</a>{{/previous}}
        <span>{{pageText}}</span>
        {{#next}}<a href="{{next}}">{{t.next}}</a>{{/next}}
        </div>
        """,
        // The papers of one page of the list, rendered once per language when the page is kept (`PaperListPage`).
        "paperList": """
        <ul class="papers">
        {{#papers}}
        <li><div><a href="{{href}}">{{{title}}}</a> {{#sci}}<span class="tag">SCI</span>{{/sci}}{{#retracted}} <span class="tag warn">{{t.retracted}}</span>{{/retracted}}</div>
        <div class="meta">{{authors}}</div>
        <div class="meta">{{journal}} {{year}}{{#doi}} · DOI {{doi}}{{/doi}}{{#pmid}} · PMID {{pmid}}{{/pmid}}</div></li>
        {{/papers}}
        </ul>
        """,
        "cases": """
        <h1>{{t.cases}}</h1>
        {{#newLink}}<p class="actions"><a href="{{monthLink}}">{{t.entryMonthLink}}</a> <a href="{{newLink}}">{{t.entryOneTally}}</a>{{#procedureLink}} <a href="{{procedureLink}}">{{t.entryProcedureLink}}</a>{{/procedureLink}}</p>{{/newLink}}
        <form class="filters" method="get" action="/cases">
        <label>{{t.procedure}}<input name="procedure" value="{{procedure}}" list="procedures"></label>
        <datalist id="procedures">{{#procedures}}<option value="{{.}}">{{/procedures}}</datalist>
        <label>{{t.approach}}<select name="approach"><option value="">{{t.anyApproach}}</option>{{#approaches}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/approaches}}</select></label>
        <label>{{t.department}}<select name="department">{{#departments}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        <label>{{t.from}}<input name="from" value="{{from}}" placeholder="2020"></label>
        <label>{{t.to}}<input name="to" value="{{to}}" placeholder="2024-06"></label>
        <label>{{t.by}}<select name="by"><option value="">{{t.noBreakdown}}</option>{{#groupings}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/groupings}}</select></label>
        <button type="submit">{{t.ask}}</button>
        </form>
        {{#message}}<p class="message">{{message}}</p>{{/message}}
        {{#total}}
        <div class="answer"><div class="value">{{figure}}</div><div>{{label}}</div><div class="why">{{why}}</div></div>
        {{/total}}
        {{#hasRows}}
        <table><thead><tr><th>{{byLabel}}</th><th>{{t.operations}}</th><th></th></tr></thead><tbody>
        {{#rows}}<tr><td>{{group}}</td><td class="figure-cell">{{figure}}</td><td class="why">{{why}}</td></tr>{{/rows}}
        </tbody></table>
        {{/hasRows}}
        """,
        "reports": """
        <h1>{{t.annualReport}}</h1>
        <form class="filters" method="get" action="/reports">
        <label>{{t.year}}<input name="year" type="number" min="1900" max="2100" value="{{year}}"></label>
        <label>{{t.department}}<select name="department">{{#departments}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        <label>{{t.wfCounting}}<select name="validated">{{#validatedOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/validatedOptions}}</select></label>
        <button type="submit">{{t.show}}</button>
        </form>
        <div class="downloads"><h2>{{t.download}}</h2>{{#downloads}}<p><span class="group">{{label}}</span> {{#links}}<a href="{{href}}" download>{{label}}</a> {{/links}}</p>{{/downloads}}</div>
        <div class="report">{{{report}}}</div>
        """,
    ]

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources.merging(recordSources, uniquingKeysWith: { $1 }).merging(
            workflowSources, uniquingKeysWith: { $1 }
        ).merging(entrySources, uniquingKeysWith: { $1 }).merging(chainSources, uniquingKeysWith: { $1 }).merging(
            uploadSources, uniquingKeysWith: { $1 }
        )
        .merging(reviewSources, uniquingKeysWith: { $1 }) {
            // The templates are part of the program: one that does not parse is a bug found by every test.
            try! library.register(text, named: name)
        }
        return library
    }()

    /// Renders `name` with `values` and the words of `language` (as `t.…`).
    static func render(_ name: String, _ values: [String: Any], language: WebLanguage) -> String {
        // The words hold no absent value: added after cleaning, which looks at every value it is given.
        var values = cleaned(values) as? [String: Any] ?? [:]
        values["t"] = Words.of(language)
        return library.render(values, withTemplate: name) ?? ""
    }

    /// `value` with every absent value (nil, `NSNull`) left out of dictionaries and arrays, so that a section
    /// `{{#x}}` of an absent `x` shows nothing (Mustache would otherwise print an optional as "nil").
    static func cleaned(_ value: Any) -> Any? {
        // Most values are text, numbers and flags: kept without reflecting on them (an optional is not one of
        // these types, and is unwrapped below).
        let type = type(of: value)
        if type == String.self || type == Int.self || type == Bool.self { return value }
        if type == [String: Any].self { return (value as! [String: Any]).compactMapValues(cleaned) }
        if type == [[String: Any]].self { return (value as! [[String: Any]]).map { $0.compactMapValues(cleaned) } }
        if value is NSNull { return nil }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return cleaned(wrapped)
        }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues(cleaned) }
        if let array = value as? [Any] { return array.compactMap(cleaned) }
        return value
    }

    /// A whole page: `content` (made by `render`) inside the layout with the navigation of a signed-in account.
    static func page(title: String, content: String, current: String, context: WebContext, query: String?) -> String {
        page(
            title: title, content: content, current: current, account: context.account,
            csrf: context.session?.csrfToken,
            language: context.language, query: query, taskCount: context.taskCount)
    }

    static func page(
        title: String, content: String, current: String, account: Account?, csrf: String?, language: WebLanguage,
        query: String?, taskCount: Int? = nil
    ) -> String {
        var values: [String: Any] = [
            "title": title, "content": content, "htmlLang": language == .zh ? "zh-Hans" : "en",
            "otherLang": language == .zh ? "en" : "zh-Hans",
            "languageSwitch": current + "?" + switchedQuery(query, to: language == .zh ? .en : .zh),
        ]
        if let account {
            let keep = Query(query).first("department").map { "?department=" + RouteGuard.encode($0) } ?? ""
            var nav: [[String: Any]] = [
                ["href": "/" + keep, "label": Words.word("dashboard", language), "current": current == "/"],
                ["href": "/papers" + keep, "label": Words.word("papers", language), "current": current == "/papers"],
                ["href": "/cases" + keep, "label": Words.word("cases", language), "current": current == "/cases"],
                [
                    "href": "/reports" + keep, "label": Words.word("reports", language),
                    "current": current == "/reports",
                ],
            ]
            for (path, word) in [
                ("/projects", "projects"), ("/patents", "patents"), ("/awards", "awards"), ("/people", "people"),
            ] {
                nav.append(["href": path + keep, "label": Words.word(word, language), "current": current == path])
            }
            nav.append([
                "href": "/tasks",
                "label": Words.word("myTasks", language) + (taskCount.map { $0 > 0 ? " (\($0))" : "" } ?? ""),
                "current": current == "/tasks",
            ])
            if account.role >= .secretary {
                nav.append([
                    "href": "/uploads" + keep, "label": Words.word("navUploads", language),
                    "current": current == "/uploads",
                ])
                nav.append([
                    "href": "/review" + keep, "label": Words.word("review", language), "current": current == "/review",
                ])
            }
            if account.role >= .office {
                nav.append([
                    "href": "/years", "label": Words.word("closeYears", language), "current": current == "/years",
                ])
                nav.append([
                    "href": "/history", "label": Words.word("history", language), "current": current == "/history",
                ])
            }
            if account.role == .admin {
                nav.append([
                    "href": "/admin/users", "label": Words.word("users", language),
                    "current": current == "/admin/users",
                ])
            }
            values["account"] = ["name": account.name, "nav": nav, "csrf": csrf ?? ""] as [String: Any]
        }
        return render("layout", values, language: language)
    }

    static func switchedQuery(_ query: String?, to language: WebLanguage) -> String {
        var pairs = Query(query).pairs.filter { $0.0 != "lang" }
        pairs.append(("lang", language.rawValue))
        return RouteGuard.encode(pairs)
    }

    static func signIn(csrf: String, next: String, message: String?, language: WebLanguage) -> String {
        let content = render("signin", ["csrf": csrf, "next": next, "message": message as Any], language: language)
        return page(
            title: Words.word("signIn", language), content: content, current: "/signin", account: nil, csrf: nil,
            language: language, query: nil)
    }

    static func errorPage(status: Int, message: String, language: WebLanguage) -> String {
        let content = render("error", ["status": status, "message": message], language: language)
        return page(
            title: Words.word("error", language), content: content, current: "/", account: nil, csrf: nil,
            language: language,
            query: nil)
    }
}
