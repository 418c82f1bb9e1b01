/// The style sheet and the icon, compiled into the binary (nothing is loaded from elsewhere).
enum Assets {
    /// An open book in the site's colour.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#2a6f97"/>\
        <path d="M6 9c4-1 7 0 10 2 3-2 6-3 10-2v14c-4-1-7 0-10 2-3-2-6-3-10-2z" fill="#fff"/>\
        <path d="M16 11v14" stroke="#2a6f97" stroke-width="1.5"/></svg>
        """

    /// The upload page's only script: it sends the file itself (the form's own fields, in the form's order, so the
    /// form token stays the first part) to show how much is sent, then that the server is checking it (a large file
    /// takes a while), and shows the answer as the page. Without it (no script) the form posts as usual.
    static let uploadScript = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          var form = document.querySelector("form[data-progress]");
          var status = document.getElementById("upload-progress");
          if (!form || !status || !window.FormData || !window.XMLHttpRequest) return;
          var bar = status.querySelector("progress");
          var words = status.querySelector("span");
          form.addEventListener("submit", function (event) {
            event.preventDefault();
            var button = form.querySelector("button[type=submit]");
            button.disabled = true;
            status.hidden = false;
            words.textContent = status.dataset.sending.replace("{percent}", "0");
            var request = new XMLHttpRequest();
            request.open("POST", form.action);
            request.upload.onprogress = function (e) {
              if (!e.lengthComputable) return;
              var percent = Math.floor((100 * e.loaded) / e.total);
              bar.value = percent;
              words.textContent = status.dataset.sending.replace("{percent}", String(percent));
            };
            request.upload.onload = function () {
              bar.removeAttribute("value");
              words.textContent = status.dataset.checking;
            };
            request.onload = function () {
              document.open();
              document.write(request.responseText);
              document.close();
            };
            request.onerror = function () {
              button.disabled = false;
              bar.value = 0;
              words.textContent = status.dataset.failed;
            };
            request.send(new FormData(form));
          });
        });
        """

    static let css = """
        :root { --ink: #1d2733; --muted: #5b6673; --line: #d9dee4; --accent: #2a6f97; --warn: #9a4b00; --bg: #f6f7f9; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif;
               color: var(--ink); background: var(--bg); line-height: 1.5; }
        header { background: #fff; border-bottom: 1px solid var(--line); }
        nav { display: flex; flex-wrap: wrap; gap: .25rem .8rem; align-items: center; padding: .5rem 1rem; max-width: 72rem; margin: 0 auto; }
        nav .brand { font-weight: 700; margin-right: .4rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        nav a { color: var(--accent); text-decoration: none; padding: .25rem 0; }
        nav a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--accent); }
        nav .spacer { flex: 1; }
        nav form { display: inline; margin: 0; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; background: #fff;
                       border: 1px solid var(--line); border-radius: 6px; padding: .75rem; margin-bottom: 1rem; }
        label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
        label.check { flex-direction: row; align-items: center; gap: .3rem; }
        input, select, button { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--ink); }
        button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
        button.link { background: none; color: var(--accent); border: none; padding: 0; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .75rem; }
        .figure { display: block; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem;
                  color: inherit; text-decoration: none; }
        .figure:hover { border-color: var(--accent); }
        .figure .value { font-size: 1.6rem; font-weight: 700; color: var(--accent); }
        .figure .label { color: var(--muted); font-size: .9rem; }
        .figure .why, .why { color: var(--warn); font-size: .8rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        ul.papers { list-style: none; padding: 0; margin: 0; }
        ul.papers li { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .75rem; margin-bottom: .5rem; }
        .meta { color: var(--muted); font-size: .85rem; }
        .tag { display: inline-block; font-size: .75rem; padding: 0 .35rem; border-radius: 3px; background: #e6f0f6; color: var(--accent); }
        .tag.warn { background: #fdebd8; color: var(--warn); }
        .pager { display: flex; gap: 1rem; align-items: center; margin: 1rem 0; }
        .answer { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
        .answer .value { font-size: 2rem; font-weight: 700; color: var(--accent); }
        .message { background: #fdebd8; border: 1px solid #f4c08f; color: var(--warn); padding: .5rem .75rem; border-radius: 4px; }
        .signin { max-width: 22rem; margin: 3rem auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1.5rem; }
        .signin form { display: flex; flex-direction: column; gap: .75rem; }
        svg.chart { width: 100%; max-width: 40rem; height: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
        svg.chart text { font-size: 11px; fill: var(--muted); }
        .report { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; overflow-x: auto; }
        .downloads a { margin-right: 1rem; white-space: nowrap; color: var(--accent); }
        .downloads .group { font-weight: 600; margin-right: .75rem; }
        .downloads p { margin: .35rem 0; }
        td.figure-cell { white-space: nowrap; font-weight: 600; }
        dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; background: #fff;
          border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0; }
        dl.fields dt { color: var(--muted); } dl.fields dd { margin: 0; }
        ul.papers a { color: inherit; text-decoration: none; } ul.papers a:hover { text-decoration: underline; }
        .notice { background: #e6f4ea; border: 1px solid #a8d5b5; padding: .5rem .75rem; border-radius: 4px; }
        fieldset { border: 1px solid var(--line); border-radius: 4px; }
        table.history td { font-size: .9rem; } .table-wrap { overflow-x: auto; }
        button.secondary { background: #fff; color: var(--accent); }
        form.entry { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; max-width: 46rem; }
        form.entry .field { margin-bottom: .9rem; }
        form.entry label { display: block; font-weight: 600; margin-bottom: .2rem; }
        form.entry input, form.entry select { width: 100%; max-width: 32rem; box-sizing: border-box; padding: .35rem .45rem; }
        .required { color: var(--warn); }
        .hint { color: var(--muted); font-size: .8rem; margin: .2rem 0 0; }
        .field-error { color: #b3261e; font-size: .85rem; margin: .25rem 0 0; font-weight: 600; }
        .invalid input, .invalid select, td.invalid input { border: 2px solid #b3261e; background: #fff6f5; }
        form.entry.delete { margin-top: 1.5rem; border-color: #f4c08f; }
        button.danger { background: #b3261e; }
        .nowrap { white-space: nowrap; } .diagnostics .detail { color: var(--muted); } a.cancel { margin-left: 1rem; }
        button.link.danger { background: none; color: #b3261e; } form.inline { display: inline; margin: 0 0 0 .5rem; }
        .upload-progress { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; }
        .upload-progress progress { width: 16rem; max-width: 100%; } .upload-progress[hidden] { display: none; }
        fieldset.chain-step { display: flex; flex-wrap: wrap; gap: .5rem 1rem; margin: 0 0 .75rem; }
        fieldset.chain-step label { flex: 1 1 12rem; font-weight: 400; }
        fieldset.chain-step.invalid select, fieldset.chain-step.invalid input { border: 2px solid #b3261e; }
        .actions { display: flex; gap: 1rem; flex-wrap: wrap; margin: .5rem 0 1rem; }
        .actions a { color: var(--accent); }
        table.grid { background: #fff; } table.grid th[scope=row] { min-width: 10rem; font-weight: 500; }
        table.grid input { width: 4.5rem; box-sizing: border-box; padding: .3rem; text-align: right; }
        table.grid th[scope=row] input { width: 100%; text-align: left; }
        table.grid td { padding: .25rem; } table.grid .field-error { display: block; max-width: 12rem; font-weight: 400; }
        table.review td form { display: inline; margin: 0; } td.decide { white-space: nowrap; }
        @media (max-width: 40rem) { dl.fields { grid-template-columns: 1fr; } dl.fields dd { margin-bottom: .4rem; } }
        @media (max-width: 40rem) { nav .brand { width: 100%; } .figures { grid-template-columns: repeat(2, 1fr); }
          .figure .value { font-size: 1.3rem; } main { padding: .5rem; }
          .downloads .group { display: block; } .report { padding: .5rem; font-size: .9rem; }
          .report table { display: block; overflow-x: auto; max-width: 100%; } }
        """
}
