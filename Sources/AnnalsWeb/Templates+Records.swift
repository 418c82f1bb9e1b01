/// The templates of the record pages (lists, details, a person, the change log) and of the accounts page.
extension Templates {
    static let recordSources: [String: String] = [
        "records": """
        <h1>{{heading}}</h1>
        {{#newLink}}<p class="actions"><a href="{{newLink}}">{{t.entryNew}}</a></p>{{/newLink}}
        <form class="filters" method="get" action="{{action}}">
        {{#hasYear}}<label>{{t.year}}<input name="year" type="number" min="1900" max="2100" value="{{year}}"></label>{{/hasYear}}
        <label>{{t.department}}<select name="department">{{#departments}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        {{#hasLevel}}<label>{{t.level}}<select name="level"><option value="">{{t.anyLevel}}</option>{{#levels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/levels}}</select></label>{{/hasLevel}}
        {{#hasFunder}}<label>{{t.funder}}<input name="funder" value="{{funder}}"></label>{{/hasFunder}}
        <label>{{searchLabel}}<input name="q" type="search" value="{{q}}"></label>
        {{#hasSort}}<label>{{t.sort}}<select name="sort">{{#sorts}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sorts}}</select></label>{{/hasSort}}
        <button type="submit">{{t.show}}</button>
        </form>
        <p class="meta">{{totalText}}</p>
        {{#hasItems}}
        <ul class="papers">
        {{#items}}<li><div><a href="{{href}}">{{title}}</a></div><div class="meta">{{meta}}</div></li>
        {{/items}}
        </ul>
        {{/hasItems}}
        {{^hasItems}}<p>{{t.nothingFound}}</p>{{/hasItems}}
        {{> pager}}
        """,
        "detail": """
        <h1 class="record-title">{{{title}}}</h1>
        {{#other}}<p class="meta">{{other}}</p>{{/other}}
        {{#retracted}}<p><span class="tag warn">{{t.retracted}}</span></p>{{/retracted}}
        {{#editLink}}<p class="actions"><a href="{{editLink}}">{{t.entryEdit}}</a></p>{{/editLink}}
        <dl class="fields">
        {{#fields}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/fields}}
        {{#person}}<dt>{{label}}</dt><dd><a href="{{href}}">{{name}}</a></dd>{{/person}}
        {{#link}}<dt>{{label}}</dt><dd><a href="{{href}}">{{text}}</a></dd>{{/link}}
        {{#contributorsLabel}}<dt>{{contributorsLabel}}</dt><dd>{{#contributors}}<span class="person">{{#href}}<a href="{{href}}">{{name}}</a>{{/href}}{{^href}}{{name}}{{/href}}</span>{{sep}}{{/contributors}}</dd>{{/contributorsLabel}}
        </dl>
        {{#abstract}}<h2>{{t.abstract}}</h2><p>{{{abstract}}}</p>{{/abstract}}
        {{{workflow}}}
        {{{attachments}}}
        """,
        "person": """
        <h1>{{name}}</h1>
        <p class="meta">{{other}}{{#title}} · {{title}}{{/title}} · {{departments}}{{#orcid}} · ORCID {{orcid}}{{/orcid}}</p>
        {{#editLink}}<p class="actions"><a href="{{editLink}}">{{t.entryEdit}}</a></p>{{/editLink}}
        <h2>{{t.operationsAsSurgeon}}</h2>
        {{#operations}}<div class="answer"><div class="value">{{figure}}</div><div class="why">{{why}}</div></div>{{/operations}}
        {{^operations}}<p>{{t.noOperations}}</p>{{/operations}}
        {{#hasOperationRows}}
        <table><thead><tr><th>{{t.year}}</th><th>{{t.operations}}</th><th></th></tr></thead><tbody>
        {{#operationRows}}<tr><td>{{group}}</td><td class="figure-cell">{{figure}}</td><td class="why">{{why}}</td></tr>{{/operationRows}}
        </tbody></table>
        {{/hasOperationRows}}
        <p><a href="{{casesLink}}">{{t.askCases}}</a></p>
        <h2 id="papers">{{t.papers}} {{papersCount}}</h2>
        <ul class="papers">{{#papers}}<li><a href="{{href}}">{{title}}</a> {{#sci}}<span class="tag">SCI</span>{{/sci}}<div class="meta">{{meta}}</div></li>{{/papers}}</ul>
        {{#papersPager}}{{> pager}}{{/papersPager}}
        <h2>{{t.projects}} {{projectsCount}}</h2>
        <ul class="papers">{{#projects}}<li><a href="{{href}}">{{title}}</a><div class="meta">{{meta}}</div></li>{{/projects}}</ul>
        <h2>{{t.patents}} {{patentsCount}}</h2>
        <ul class="papers">{{#patents}}<li><a href="{{href}}">{{title}}</a><div class="meta">{{meta}}</div></li>{{/patents}}</ul>
        <h2>{{t.awards}} {{awardsCount}}</h2>
        <ul class="papers">{{#awards}}<li><a href="{{href}}">{{title}}</a><div class="meta">{{meta}}</div></li>{{/awards}}</ul>
        {{{workflow}}}
        {{{attachments}}}
        """,
        "history": """
        <h1>{{t.history}}</h1>
        <form class="filters" method="get" action="/history">
        <label>{{t.recordID}}<input name="record" value="{{record}}"></label>
        <label>{{t.actor}}<input name="actor" value="{{actor}}"></label>
        <label>{{t.from}}<input name="from" type="date" value="{{from}}"></label>
        <label>{{t.to}}<input name="to" type="date" value="{{to}}"></label>
        <button type="submit">{{t.show}}</button>
        </form>
        <p class="meta">{{totalText}}</p>
        {{#hasItems}}
        <div class="table-wrap"><table class="history"><thead><tr><th>{{t.when}}</th><th>{{t.actor}}</th><th>{{t.what}}</th><th>{{t.recordsChanged}}</th></tr></thead><tbody>
        {{#items}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{#records}}<div>{{operation}} {{kind}} {{id}}{{#fields}} <span class="meta">({{fields}})</span>{{/fields}}</div>{{/records}}{{#more}}<div class="meta">{{more}}</div>{{/more}}</td></tr>
        {{/items}}
        </tbody></table></div>
        {{/hasItems}}
        {{^hasItems}}<p>{{t.nothingFound}}</p>{{/hasItems}}
        {{> pager}}
        """,
        "users": """
        <h1>{{t.users}}</h1>
        <p class="actions"><a href="/admin/chain">{{t.chainLink}}</a></p>
        {{#done}}<p class="notice" role="status">{{done}}</p>{{/done}}
        {{#message}}<p class="message" role="alert">{{message}}</p>{{/message}}
        <div class="table-wrap"><table><thead><tr><th>{{t.userName}}</th><th>{{t.role}}</th><th>{{t.departments}}</th><th></th><th></th></tr></thead><tbody>
        {{#users}}<tr><td>{{name}}</td><td>{{role}}</td><td>{{departments}}</td><td>{{state}}</td><td>{{#active}}<form method="post" action="/admin/users/disable"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="name" value="{{name}}"><button class="link" type="submit">{{t.disable}}</button></form>{{/active}}</td></tr>
        {{/users}}
        </tbody></table></div>
        <h2>{{t.addUser}}</h2>
        <form class="filters" method="post" action="/admin/users">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.userName}}<input name="name" value="{{newName}}" required autocomplete="off"></label>
        <label>{{t.role}}<select name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select></label>
        <fieldset><legend>{{t.departmentsForSecretary}}</legend>{{#departmentChoices}}<label class="check"><input type="checkbox" name="departments" value="{{id}}"{{#checked}} checked{{/checked}}>{{name}}</label>{{/departmentChoices}}</fieldset>
        <label>{{t.initialPassword}}<input name="password" type="password" autocomplete="new-password"></label>
        <button type="submit">{{t.addUser}}</button>
        </form>
        <h2>{{t.setPassword}}</h2>
        <form class="filters" method="post" action="/admin/users/password">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.userName}}<select name="name">{{#names}}<option value="{{.}}">{{.}}</option>{{/names}}</select></label>
        <label>{{t.newPassword}}<input name="password" type="password" autocomplete="new-password" required></label>
        <button type="submit">{{t.setPassword}}</button>
        </form>
        """,
    ]
}
