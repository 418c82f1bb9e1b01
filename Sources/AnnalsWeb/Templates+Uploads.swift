/// The templates of the upload page: the form, a summary (what a file would do, or did) and a refused file's
/// problems. The form token is the form's first field, read before the file.
extension Templates {
    static let uploadSources: [String: String] = [
        "attachments": """
        <section class="attachments">
        <h2>{{t.attTitle}}</h2>
        {{#files}}<ul>{{#list}}<li><a href="{{href}}" download>{{name}}</a> <span class="hint">{{type}} · {{size}} · {{who}} · {{when}}</span>{{#mayAttach}} <form class="inline" method="post" action="/records/attachments/remove"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{attachment}}"><button class="link danger" type="submit" aria-label="{{t.attRemove}} {{name}}">{{t.attRemove}}</button></form>{{/mayAttach}}</li>{{/list}}</ul>{{/files}}
        {{^files}}<p class="hint">{{t.attNone}}</p>{{/files}}
        {{#mayAttach}}<form class="entry" method="post" action="/records/attachments" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="kind" value="{{kind}}"><input type="hidden" name="id" value="{{id}}">
        <p><label for="f-attach">{{t.attAdd}}</label>
        <input id="f-attach" type="file" name="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required aria-describedby="n-attach">
        <span class="hint nowrap" id="n-attach">{{t.attHint}} {{limit}} MB</span></p>
        <p><button type="submit">{{t.attButton}}</button></p>
        </form>{{/mayAttach}}
        </section>
        """,
        "uploads": """
        <h1>{{t.uploadTitle}}</h1>
        <p>{{t.uploadIntro}}</p>
        <form class="entry" method="post" action="{{action}}" enctype="multipart/form-data" data-progress>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="f-kind">{{t.uploadKind}}</label>
        <select id="f-kind" name="kind" required>{{#kinds}}<option value="{{value}}">{{label}}</option>{{/kinds}}</select></p>
        <p><label for="f-file">{{t.uploadFile}}</label>
        <input id="f-file" type="file" name="file" required aria-describedby="n-file">
        <span class="hint" id="n-file">{{t.uploadLimit}} {{limit}} MB</span></p>
        <p><button type="submit">{{t.uploadCheck}}</button></p>
        <p class="upload-progress" id="upload-progress" role="status" hidden data-sending="{{t.uploadSending}}" data-checking="{{t.uploadChecking}}" data-failed="{{t.uploadFailed}}"><progress max="100" value="0"></progress> <span></span></p>
        </form>
        <script src="/assets/upload.js" defer></script>
        """,
        "uploadSummary": """
        <h1>{{heading}}</h1>
        <p class="notice" role="status">{{intro}}</p>
        {{#hasLines}}<table><thead><tr><th>{{t.uploadRecord}}</th><th>{{t.uploadAdded}}</th><th>{{t.uploadUpdated}}</th><th>{{t.uploadMerged}}</th><th>{{t.uploadUnchanged}}</th><th>{{t.uploadDeleted}}</th></tr></thead>
        <tbody>{{#lines}}<tr><td>{{kind}}</td><td>{{added}}</td><td>{{updated}}</td><td>{{merged}}</td><td>{{unchanged}}</td><td>{{deleted}}</td></tr>{{/lines}}</tbody></table>{{/hasLines}}
        {{#facts}}<p>{{.}}</p>{{/facts}}
        {{#hasSkipped}}<h2>{{t.uploadSkipped}}</h2><ul>{{#skipped}}<li>{{.}}</li>{{/skipped}}</ul>{{/hasSkipped}}
        {{#hasNotes}}<h2>{{t.uploadNotes}}</h2><ul>{{#notes}}<li>{{.}}</li>{{/notes}}</ul>{{/hasNotes}}
        {{#confirm}}<form class="entry" method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="token" value="{{token}}">
        <p class="actions"><button type="submit">{{t.uploadConfirm}}</button> <a class="cancel" href="/uploads">{{t.uploadCancel}}</a></p>
        </form>{{/confirm}}
        {{#again}}<p class="actions"><a href="/uploads">{{t.uploadAnother}}</a></p>{{/again}}
        """,
        "uploadProblems": """
        <h1>{{heading}}</h1>
        <div class="message" role="alert"><p>{{count}}</p>
        <ul class="diagnostics">{{#items}}<li><code>{{where}}</code> {{#what}}<strong>{{what}}</strong> <span class="detail" lang="en">{{message}}</span>{{/what}}{{^what}}{{message}}{{/what}}</li>{{/items}}</ul></div>
        <p class="actions"><a href="/uploads">{{t.uploadAgain}}</a></p>
        """,
    ]
}
