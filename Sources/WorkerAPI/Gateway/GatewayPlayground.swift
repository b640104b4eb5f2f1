/// The self-contained GraphQL playground page the gateway serves on `GET /graphql` to browsers.
///
/// Everything is inline (no external scripts, fonts, styles or URLs), because the browser may have
/// no internet. The page:
/// - loads the schema by an introspection query and lists its types and fields;
/// - has an editor for the document, one for the variables (JSON) and the operation name;
/// - runs the document with a same-origin `POST` to the page's own path and shows the JSON answer;
/// - reads `?query=`, `?variables=` and `?operationName=` from its URL, and runs at once when the
///   URL has `autorun=1` or the fragment `#run` (for headless checks and shareable links). Such a
///   run goes out as a `GET`, which the gateway refuses for mutations (405), so a link can never
///   make the page change anything by itself: a mutation runs only from the Run button.
/// - with access control on, asks for a token when the gateway answers 401 and keeps it in
///   `sessionStorage` (key `worker-service-token`) for the browser session, sending it as
///   `Authorization: Bearer`.
///
/// When a run finishes, `<pre id="result">` holds the pretty-printed answer and its
/// `data-state` attribute becomes `done` (or `error` when the request itself failed).
enum GatewayPlayground {
    /// The page, as UTF-8 bytes.
    static let html: [UInt8] = Array(page.utf8)

    private static let page = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>worker-service GraphQL playground</title>
<style>
  :root { --bg:#f6f7f9; --panel:#fff; --line:#d8dce3; --ink:#1d2430; --muted:#5d6778; --accent:#2f6fdb; --bad:#b3261e; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
  header { display:flex; align-items:center; gap:12px; padding:8px 14px; border-bottom:1px solid var(--line); background:var(--panel); }
  header h1 { font-size:15px; margin:0; font-weight:600; }
  header .endpoint { color:var(--muted); font-family:ui-monospace, monospace; font-size:12px; }
  header .spacer { flex:1; }
  button { font:inherit; padding:6px 14px; border:1px solid var(--accent); background:var(--accent); color:#fff; border-radius:4px; cursor:pointer; }
  button.secondary { background:var(--panel); color:var(--accent); }
  main { display:grid; grid-template-columns: 260px 1fr 1fr; gap:0; height:calc(100vh - 46px); }
  section { display:flex; flex-direction:column; min-height:0; border-right:1px solid var(--line); }
  section h2 { font-size:12px; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); margin:0; padding:8px 10px; border-bottom:1px solid var(--line); background:var(--panel); }
  textarea, input { font:13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border:0; padding:10px; background:var(--panel); color:var(--ink); resize:none; outline:none; }
  #query { flex:3; }
  #variables { flex:1; border-top:1px solid var(--line); }
  #operationName { border-top:1px solid var(--line); }
  pre { margin:0; padding:10px; overflow:auto; flex:1; font:13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background:var(--panel); white-space:pre-wrap; word-break:break-word; }
  #schema { overflow:auto; flex:1; background:var(--panel); padding:6px 0; }
  #schema details { padding:0 10px; }
  #schema summary { cursor:pointer; padding:3px 0; font-weight:600; }
  #schema .kind { color:var(--muted); font-weight:normal; font-size:11px; margin-left:4px; }
  #schema ul { list-style:none; margin:0 0 6px 0; padding:0 0 0 12px; font-family:ui-monospace, monospace; font-size:12px; }
  #schema li { padding:1px 0; }
  #schema .type { color:var(--accent); }
  #schema .desc { color:var(--muted); font-family:system-ui, sans-serif; }
  #status { color:var(--muted); font-size:12px; }
  #status.bad { color:var(--bad); }
</style>
</head>
<body>
<header>
  <h1>GraphQL playground</h1>
  <span class="endpoint" id="endpoint"></span>
  <span class="spacer"></span>
  <span id="status">loading schema…</span>
  <button class="secondary" id="prettify" type="button" title="Re-indent the variables">Format variables</button>
  <button id="run" type="button" title="Run (Ctrl+Enter)">▶ Run</button>
</header>
<main>
  <section>
    <h2>Schema</h2>
    <div id="schema"></div>
  </section>
  <section>
    <h2>Document</h2>
    <textarea id="query" spellcheck="false" aria-label="GraphQL document"></textarea>
    <input id="operationName" placeholder="operation name (optional)" aria-label="Operation name">
    <textarea id="variables" spellcheck="false" placeholder="variables as JSON, e.g. {&quot;id&quot;: &quot;1&quot;}" aria-label="Variables"></textarea>
  </section>
  <section>
    <h2>Response</h2>
    <pre id="result" data-state="idle"></pre>
  </section>
</main>
<script>
(function () {
  "use strict";
  var endpoint = window.location.pathname;
  var $ = function (id) { return document.getElementById(id); };
  var queryBox = $("query"), variablesBox = $("variables"), operationBox = $("operationName");
  var result = $("result"), statusLine = $("status");
  $("endpoint").textContent = "POST " + endpoint;

  var params = new URLSearchParams(window.location.search);
  queryBox.value = params.get("query") || "{\n  taskStats {\n    total\n    pending\n    completed\n    failed\n  }\n}\n";
  variablesBox.value = params.get("variables") || "";
  operationBox.value = params.get("operationName") || "";

  function setStatus(text, bad) {
    statusLine.textContent = text;
    statusLine.className = bad ? "bad" : "";
  }

  var tokenKey = "worker-service-token";
  function storedToken() {
    try { return window.sessionStorage.getItem(tokenKey); } catch (e) { return null; }
  }
  function send(makeRequest, retried) {
    var headers = { "Accept": "application/json" };
    var token = storedToken();
    if (token) { headers["Authorization"] = "Bearer " + token; }
    return makeRequest(headers).then(function (response) {
      return response.text().then(function (text) {
        if (response.status === 401 && !retried) {
          var entered = window.prompt("This GraphQL endpoint needs an API token (kept for this browser session only):", "");
          if (entered) {
            try { window.sessionStorage.setItem(tokenKey, entered.trim()); } catch (e) { /* private mode */ }
            return send(makeRequest, true);
          }
        }
        return { status: response.status, text: text };
      });
    });
  }
  function post(body) {
    return send(function (headers) {
      headers["Content-Type"] = "application/json";
      return fetch(endpoint, { method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(body) });
    }, false);
  }
  // Runs over GET: the gateway refuses a mutation over GET, so an automatic run never changes anything.
  function get(body) {
    var query = "?query=" + encodeURIComponent(body.query);
    if (body.variables !== undefined) { query += "&variables=" + encodeURIComponent(JSON.stringify(body.variables)); }
    if (body.operationName !== undefined) { query += "&operationName=" + encodeURIComponent(body.operationName); }
    return send(function (headers) {
      return fetch(endpoint + query, { method: "GET", credentials: "same-origin", headers: headers });
    }, false);
  }

  function run(automatic) {
    var variables = null;
    var raw = variablesBox.value.trim();
    if (raw !== "") {
      try { variables = JSON.parse(raw); } catch (e) {
        result.textContent = "Variables are not valid JSON: " + e.message;
        result.setAttribute("data-state", "error");
        setStatus("invalid variables", true);
        return Promise.resolve();
      }
    }
    var body = { query: queryBox.value };
    if (variables !== null) { body.variables = variables; }
    if (operationBox.value.trim() !== "") { body.operationName = operationBox.value.trim(); }
    result.setAttribute("data-state", "running");
    setStatus("running…", false);
    var started = Date.now();
    return (automatic === true ? get(body) : post(body)).then(function (answer) {
      var shown = answer.text;
      try { shown = JSON.stringify(JSON.parse(answer.text), null, 2); } catch (e) { /* show raw */ }
      result.textContent = shown;
      result.setAttribute("data-state", "done");
      result.setAttribute("data-http-status", String(answer.status));
      setStatus("HTTP " + answer.status + " in " + (Date.now() - started) + " ms", answer.status >= 400);
    }, function (error) {
      result.textContent = "Request failed: " + error;
      result.setAttribute("data-state", "error");
      setStatus("request failed", true);
    });
  }

  function typeName(ref) {
    if (!ref) { return "?"; }
    if (ref.kind === "NON_NULL") { return typeName(ref.ofType) + "!"; }
    if (ref.kind === "LIST") { return "[" + typeName(ref.ofType) + "]"; }
    return ref.name;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderSchema(schema) {
    var box = $("schema");
    box.textContent = "";
    var roots = [];
    if (schema.queryType) { roots.push(schema.queryType.name); }
    if (schema.mutationType) { roots.push(schema.mutationType.name); }
    var types = schema.types.filter(function (t) { return t.name.indexOf("__") !== 0; });
    types.sort(function (a, b) {
      var ra = roots.indexOf(a.name), rb = roots.indexOf(b.name);
      if (ra !== rb) { return (ra < 0 ? 99 : ra) - (rb < 0 ? 99 : rb); }
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    types.forEach(function (t) {
      var details = element("details");
      if (roots.indexOf(t.name) >= 0) { details.open = true; }
      var summary = element("summary", null, t.name);
      summary.appendChild(element("span", "kind", t.kind.toLowerCase().replace("_", " ")));
      details.appendChild(summary);
      var list = element("ul");
      (t.fields || []).forEach(function (f) {
        var item = element("li");
        var args = (f.args || []).map(function (a) {
          return a.name + ": " + typeName(a.type) + (a.defaultValue != null ? " = " + a.defaultValue : "");
        });
        item.appendChild(document.createTextNode(f.name + (args.length ? "(" + args.join(", ") + ")" : "") + ": "));
        item.appendChild(element("span", "type", typeName(f.type)));
        list.appendChild(item);
      });
      (t.inputFields || []).forEach(function (f) {
        var item = element("li");
        item.appendChild(document.createTextNode(f.name + ": "));
        item.appendChild(element("span", "type", typeName(f.type) + (f.defaultValue != null ? " = " + f.defaultValue : "")));
        list.appendChild(item);
      });
      (t.enumValues || []).forEach(function (v) { list.appendChild(element("li", null, v.name)); });
      if (t.description) { list.appendChild(element("li", "desc", t.description)); }
      details.appendChild(list);
      box.appendChild(details);
    });
  }

  var typeRef = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";
  var introspection = "query PlaygroundIntrospection { __schema { queryType { name } mutationType { name } " +
    "types { kind name description " +
    "fields { name args { name defaultValue type { " + typeRef + " } } type { " + typeRef + " } } " +
    "inputFields { name defaultValue type { " + typeRef + " } } " +
    "enumValues { name } } } }";

  var autorun = params.get("autorun") === "1" || window.location.hash === "#run";
  var schemaLoaded = post({ query: introspection, operationName: "PlaygroundIntrospection" }).then(function (answer) {
    var parsed = JSON.parse(answer.text);
    if (!parsed.data || !parsed.data.__schema) { throw new Error(answer.text); }
    renderSchema(parsed.data.__schema);
    setStatus("schema loaded", false);
  }).catch(function (error) {
    $("schema").textContent = "Could not load the schema: " + error.message;
    setStatus("schema failed to load", true);
  });

  $("run").addEventListener("click", function () { run(); });
  $("prettify").addEventListener("click", function () {
    try { variablesBox.value = JSON.stringify(JSON.parse(variablesBox.value || "{}"), null, 2); } catch (e) { setStatus("invalid variables", true); }
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); run(); }
  });
  if (autorun) { schemaLoaded.then(function () { return run(true); }); }
})();
</script>
</body>
</html>
"""#
}
