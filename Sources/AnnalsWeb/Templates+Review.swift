/// The template of the review page: author matches (decided one by one or checked and decided together), past
/// merges (undo) and candidate duplicates (merge). Forms only, no script: every button is a form's submit button.
extension Templates {
    static let reviewSources: [String: String] = [
        "review": """
        <h1>{{t.review}}</h1>
        {{#done}}<p class="notice" role="status">{{done}}</p>{{/done}}
        <form class="filters" method="get" action="/review">
        <label>{{t.department}}<select name="department">{{#departments}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        <button type="submit">{{t.show}}</button>
        </form>
        <h2>{{t.reviewMatches}} {{itemsCount}}</h2>
        <p class="meta">{{t.reviewMatchesHelp}}</p>
        {{#hasItems}}
        <form method="post" action="{{decideAction}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="table-wrap"><table class="review"><thead><tr><th>{{t.reviewChoose}}</th><th>{{t.paper}}</th><th>{{t.reviewAuthor}}</th><th>{{t.reviewProposed}}</th><th>{{t.reviewDecide}}</th></tr></thead><tbody>
        {{#items}}<tr>
        <td><label class="check"><input type="checkbox" name="item" value="{{id}}" aria-label="{{t.reviewChoose}} {{id}}">{{id}}</label></td>
        <td><a href="{{paperHref}}">{{{title}}}</a><div class="meta">{{journal}}{{#year}} · {{year}}{{/year}}</div></td>
        <td>{{author}} <span class="meta">({{t.reviewPosition}} {{position}})</span><div class="meta">{{#affiliations}}<div>{{.}}</div>{{/affiliations}}{{^affiliations}}{{t.reviewNoAffiliation}}{{/affiliations}}</div></td>
        <td>{{#personHref}}<a href="{{personHref}}">{{personName}}</a>{{/personHref}}{{^personHref}}{{personName}}{{/personHref}}<div class="meta">{{departments}}</div><div class="why">{{reason}}</div></td>
        <td class="decide"><button type="submit" name="only" value="accept-{{id}}">{{t.reviewAccept}}</button> <button class="secondary" type="submit" name="only" value="reject-{{id}}">{{t.reviewReject}}</button></td>
        </tr>
        {{/items}}
        </tbody></table></div>
        <div class="actions"><span class="meta">{{t.reviewChecked}}</span><button type="submit" name="decision" value="accept">{{t.reviewAcceptChecked}}</button><button class="secondary" type="submit" name="decision" value="reject">{{t.reviewRejectChecked}}</button></div>
        </form>
        {{/hasItems}}
        {{^hasItems}}<p>{{t.reviewNoMatches}}</p>{{/hasItems}}
        <h2>{{t.reviewCandidates}} {{candidatesCount}}</h2>
        <p class="meta">{{t.reviewCandidatesHelp}}</p>
        {{#hasCandidates}}
        <div class="table-wrap"><table class="review"><thead><tr><th>{{t.reviewKept}}</th><th>{{t.reviewOther}}</th><th>{{t.reviewWhy}}</th><th></th></tr></thead><tbody>
        {{#candidates}}<tr>
        <td><a href="{{firstHref}}">{{{firstTitle}}}</a><div class="meta">{{firstID}}{{#firstMeta}} · {{firstMeta}}{{/firstMeta}}</div></td>
        <td><a href="{{secondHref}}">{{{secondTitle}}}</a><div class="meta">{{secondID}}{{#secondMeta}} · {{secondMeta}}{{/secondMeta}}</div></td>
        <td class="why">{{reason}}</td>
        <td><form method="post" action="{{mergeAction}}"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="kept" value="{{firstID}}"><input type="hidden" name="merged" value="{{secondID}}"><button type="submit">{{t.reviewMerge}}</button></form></td>
        </tr>
        {{/candidates}}
        </tbody></table></div>
        {{/hasCandidates}}
        {{^hasCandidates}}<p>{{t.reviewNoCandidates}}</p>{{/hasCandidates}}
        <h2>{{t.reviewMerges}} {{mergesCount}}</h2>
        <p class="meta">{{t.reviewMergesHelp}}</p>
        {{#hasMerges}}
        <div class="table-wrap"><table class="review"><thead><tr><th>{{t.reviewKept}}</th><th>{{t.reviewMergedIn}}</th><th>{{t.reviewWhy}}</th><th></th></tr></thead><tbody>
        {{#merges}}<tr>
        <td><a href="{{keptHref}}">{{{keptTitle}}}</a><div class="meta">{{keptID}}</div></td>
        <td>{{{mergedTitle}}}<div class="meta">{{mergedID}}{{#source}} · {{source}}{{/source}} · {{at}}</div></td>
        <td class="why">{{reason}}</td>
        <td><form method="post" action="{{undoAction}}"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{id}}"><button class="secondary" type="submit">{{t.reviewUndo}}</button></form></td>
        </tr>
        {{/merges}}
        </tbody></table></div>
        {{/hasMerges}}
        {{^hasMerges}}<p>{{t.reviewNoMerges}}</p>{{/hasMerges}}
        """
    ]
}
