/// The templates of the entry forms: one record, and a month of case tallies as a grid. Plain HTML forms, no
/// script: each error is printed next to its field by the server.
extension Templates {
    static let entrySources: [String: String] = [
        "entry": """
        <h1>{{heading}}</h1>
        {{#saved}}<p class="notice" role="status">{{saved}}</p>{{/saved}}
        {{#monthLink}}<p class="actions"><a href="{{monthLink}}">{{t.entryMonthLink}}</a></p>{{/monthLink}}
        {{#problemCount}}<div class="message" role="alert"><p>{{problemCount}}</p>{{#hasGeneral}}<ul>{{#general}}<li>{{.}}</li>{{/general}}</ul>{{/hasGeneral}}</div>{{/problemCount}}
        <form class="entry" method="post" action="{{action}}" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#hiddenID}}<input type="hidden" name="id" value="{{hiddenID}}">{{/hiddenID}}
        {{#fields}}
        <div class="field{{#error}} invalid{{/error}}">
        <label for="f-{{key}}">{{label}}{{#required}} <span class="required" title="{{t.entryRequired}}">*</span>{{/required}}</label>
        {{#isSelect}}<select id="f-{{key}}" name="{{key}}" aria-describedby="{{#error}}e-{{key}} {{/error}}n-{{key}}"{{#error}} aria-invalid="true"{{/error}}><option value="">{{t.entryChoose}}</option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}
        {{^isSelect}}<input id="f-{{key}}" name="{{key}}" value="{{value}}" aria-describedby="{{#error}}e-{{key}} {{/error}}n-{{key}}"{{#error}} aria-invalid="true"{{/error}}{{#placeholder}} placeholder="{{placeholder}}"{{/placeholder}}{{#list}} list="{{list}}"{{/list}}{{#numeric}} inputmode="decimal"{{/numeric}} autocomplete="off">{{/isSelect}}
        {{#error}}<p class="field-error" id="e-{{key}}">{{error}}</p>{{/error}}
        <p class="hint" id="n-{{key}}">{{note}}</p>
        </div>
        {{/fields}}
        <button type="submit">{{t.entrySave}}</button>
        </form>
        <datalist id="procedures">{{#procedures}}<option value="{{.}}">{{/procedures}}</datalist>
        {{#deleteAction}}
        <form class="entry delete" method="post" action="{{deleteAction}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field{{#deleteError}} invalid{{/deleteError}}">
        <label for="f-reason">{{t.entryDeleteReason}} <span class="required">*</span></label>
        <input id="f-reason" name="reason" required{{#deleteError}} aria-invalid="true" aria-describedby="e-reason"{{/deleteError}}>
        {{#deleteError}}<p class="field-error" id="e-reason">{{deleteError}}</p>{{/deleteError}}
        <p class="hint">{{t.entryDeleteHint}}</p>
        </div>
        <button class="danger" type="submit">{{t.entryDelete}}</button>
        </form>
        {{/deleteAction}}
        """,
        "month": """
        <h1>{{heading}}</h1>
        <form class="filters" method="get" action="/entry/tallies/month">
        <label>{{t.department}}<select name="department">{{#departments}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        <label>{{t.entryMonthField}}<input name="month" type="month" value="{{month}}" placeholder="2025-03"></label>
        <button type="submit">{{t.show}}</button>
        </form>
        <p class="actions"><a href="{{oneLink}}">{{t.entryOneTally}}</a></p>
        {{#saved}}<p class="notice" role="status">{{saved}}</p>{{/saved}}
        {{#problemCount}}<div class="message" role="alert"><p>{{problemCount}}</p>{{#hasGeneral}}<ul>{{#general}}<li>{{.}}</li>{{/general}}</ul>{{/hasGeneral}}</div>{{/problemCount}}
        {{#hasDepartment}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <h2>{{departmentName}} · {{month}}</h2>
        <div class="table-wrap"><table class="grid"><thead><tr><th>{{t.entryProcedureColumn}}</th>{{#approaches}}<th>{{label}}</th>{{/approaches}}</tr></thead>
        <tbody>
        {{#rows}}<tr><th scope="row">{{#fixed}}{{name}}<input type="hidden" name="p{{index}}" value="{{procedure}}">{{/fixed}}{{^fixed}}<input name="p{{index}}" value="{{procedure}}" list="procedures" placeholder="{{t.entryOtherProcedure}}" aria-label="{{t.entryOtherProcedure}}">{{/fixed}}</th>{{#cells}}<td{{#error}} class="invalid"{{/error}}><input name="{{name}}" value="{{value}}" inputmode="numeric" aria-label="{{aria}}"{{#error}} aria-invalid="true"{{/error}}>{{#error}}<span class="field-error">{{error}}</span>{{/error}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody></table></div>
        <p class="hint">{{t.entryGridHint}}</p>
        <p><label>{{t.entrySource}} <input name="source" value="{{source}}"></label></p>
        <button type="submit">{{t.entrySaveMonth}}</button>
        </form>
        <datalist id="procedures">{{#procedures}}<option value="{{.}}">{{/procedures}}</datalist>
        {{/hasDepartment}}
        {{^hasDepartment}}<p>{{t.entryChooseDepartment}}</p>{{/hasDepartment}}
        """,
    ]
}
