// The GraphQL playground the gateway serves on GET /graphql to browsers. Self-contained: no
// external scripts, fonts or URLs. See Docs/DASHBOARD.md ("The GraphQL playground").
//
// - loads the schema by introspection and lists its types (Schema tab);
// - an editor with syntax highlighting, completion of fields, arguments, enum values and input
//   fields from the schema (as you type, or Ctrl+Space), and inline validation errors;
// - variables and headers panes (headers kept for the browser session only: they hold tokens);
// - a history of the documents run, kept in localStorage (History tab);
// - runs queries and mutations with a same-origin POST; subscriptions with the graphql-sse
//   protocol (POST with Accept: text/event-stream), shown as a live stream until Stop;
// - reads ?query=, ?variables= and ?operationName= from its URL and runs at once with autorun=1
//   or #run, as a GET, which the gateway refuses for a mutation: a link never changes anything.
// When a run finishes, <pre id="result"> has data-state="done" (or "error") and data-http-status.
"use strict";
(() => {
  const endpoint = window.location.pathname;
  const $ = (id) => document.getElementById(id);
  const queryBox = $("query"), variablesBox = $("variables"), headersBox = $("headers"), operationBox = $("operationName");
  const highlight = $("highlight"), completions = $("completions"), diagnostics = $("diagnostics");
  const result = $("result"), statusLine = $("status");
  const HISTORY_KEY = "worker-playground-history", HEADERS_KEY = "worker-playground-headers";
  $("endpoint").textContent = "POST " + endpoint;

  const params = new URLSearchParams(window.location.search);
  queryBox.value = params.get("query") || "{\n  taskStats {\n    total\n    pending\n    completed\n    failed\n  }\n}\n";
  variablesBox.value = params.get("variables") || "";
  operationBox.value = params.get("operationName") || "";
  headersBox.value = sessionStorage.getItem(HEADERS_KEY) || "";

  function setStatus(text, bad) {
    statusLine.textContent = text;
    statusLine.className = bad ? "bad" : "";
  }
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  const escapeHTML = (text) => text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);

  // ---- the lexer --------------------------------------------------------------------------------
  const KEYWORDS = new Set(["query", "mutation", "subscription", "fragment", "on", "true", "false", "null"]);
  /** Tokens of a document: {kind: name|punct|string|number|variable|comment, value, start, end}. */
  function lex(text) {
    const tokens = [];
    let i = 0;
    const n = text.length;
    while (i < n) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "," || c === "\ufeff") { i++; continue; }
      const start = i;
      if (c === "#") { while (i < n && text[i] !== "\n") i++; tokens.push({ kind: "comment", value: text.slice(start, i), start, end: i }); continue; }
      if (text.startsWith('"""', i)) {
        i += 3;
        while (i < n && !text.startsWith('"""', i)) i += text[i] === "\\" && text.startsWith('"""', i + 1) ? 4 : 1;
        const closed = i < n;
        i = Math.min(n, i + 3);
        tokens.push({ kind: "string", value: text.slice(start, i), start, end: i, unterminated: !closed });
        continue;
      }
      if (c === '"') {
        i++;
        while (i < n && text[i] !== '"' && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
        const closed = i < n && text[i] === '"';
        if (closed) i++;
        tokens.push({ kind: "string", value: text.slice(start, i), start, end: i, unterminated: !closed });
        continue;
      }
      if (/[_A-Za-z]/.test(c)) { while (i < n && /[_0-9A-Za-z]/.test(text[i])) i++; tokens.push({ kind: "name", value: text.slice(start, i), start, end: i }); continue; }
      if (c === "$") { i++; while (i < n && /[_0-9A-Za-z]/.test(text[i])) i++; tokens.push({ kind: "variable", value: text.slice(start, i), start, end: i }); continue; }
      if (/[-0-9]/.test(c)) { i++; while (i < n && /[0-9.eE+\-]/.test(text[i])) i++; tokens.push({ kind: "number", value: text.slice(start, i), start, end: i }); continue; }
      if (text.startsWith("...", i)) { i += 3; tokens.push({ kind: "punct", value: "...", start, end: i }); continue; }
      i++;
      tokens.push({ kind: /[!&()=:@\[\]{|}]/.test(c) ? "punct" : "invalid", value: c, start, end: i });
    }
    return tokens;
  }

  // ---- the schema, from introspection ---------------------------------------------------------------
  let schema = null; // { types: Map(name -> type), query, mutation, subscription }
  const named = (ref) => { while (ref && ref.ofType) ref = ref.ofType; return ref ? ref.name : null; };
  function typeName(ref) {
    if (!ref) return "?";
    if (ref.kind === "NON_NULL") return typeName(ref.ofType) + "!";
    if (ref.kind === "LIST") return "[" + typeName(ref.ofType) + "]";
    return ref.name;
  }
  const typeOf = (name) => (schema && name ? schema.types.get(name) : null) || null;
  const fieldsOf = (name) => { const t = typeOf(name); return t ? (t.fields || []) : null; };

  // ---- the walker: what the document means at each token ----------------------------------------------
  /**
   * Walks the tokens with a stack of frames (selection sets, argument lists, input objects) and
   * reports errors against the schema, plus the completion context at `cursor` (an offset).
   */
  function walk(tokens, cursor) {
    const errors = [];
    const frames = [{ k: "top" }];
    let context = null;
    let pendingRoot = null, pendingType = null, afterOn = false, spread = false, fragmentName = false;
    const top = () => frames[frames.length - 1];
    const error = (token, message) => errors.push({ start: token.start, end: token.end, message });
    const significant = tokens.filter((t) => t.kind !== "comment");
    for (let index = 0; index < significant.length; index++) {
      const token = significant[index];
      const next = significant[index + 1];
      const inName = token.kind === "name" && token.start < cursor && token.end >= cursor;
      if (context === null && cursor >= 0 && (token.start >= cursor || inName)) {
        // The cursor is in or right after this token: the context is the frame before it.
        context = { frame: Object.assign({}, top()), prefix: token.kind === "name" && token.start < cursor ? token.value.slice(0, cursor - token.start) : "", token };
        if (token.start >= cursor) context.prefix = "";
      }
      const frame = top();
      if (token.kind === "invalid") { error(token, `Unexpected character "${token.value}"`); continue; }
      if (token.kind === "string" && token.unterminated) error(token, "Unterminated string");
      if (frame.k === "top") {
        if (token.kind === "name" && ["query", "mutation", "subscription"].includes(token.value)) {
          pendingRoot = schema ? schema[token.value] : null;
          if (schema && !pendingRoot) error(token, `The schema has no ${token.value} type`);
          pendingType = null;
        } else if (token.value === "fragment") { fragmentName = true; pendingType = null; }
        else if (token.value === "on" && token.kind === "name") afterOn = true;
        else if (token.kind === "name" && afterOn) {
          afterOn = false; pendingType = token.value;
          if (schema && !typeOf(token.value)) error(token, `Unknown type "${token.value}"`);
        } else if (token.value === "(") frames.push({ k: "vars", depth: 1 });
        else if (token.value === "{") { frames.push({ k: "sel", type: pendingType || pendingRoot || (schema ? schema.query : null) }); pendingRoot = null; pendingType = null; }
        else if (token.value === "}") error(token, 'Unexpected "}"');
        else if (token.kind === "name" && fragmentName) fragmentName = false;
        else if (token.kind === "name" || token.value === "...") { /* operation name, directives */ }
        continue;
      }
      if (frame.k === "vars") {
        if (token.value === "(") frame.depth++;
        if (token.value === ")" && --frame.depth === 0) frames.pop();
        continue;
      }
      if (frame.k === "sel") {
        if (token.value === "}") { frames.pop(); if (top().k === "sel") top().last = null; continue; }
        if (token.value === "...") { spread = true; continue; }
        if (token.value === "@") { if (next && next.kind === "name") index++; frame.directive = true; continue; }
        if (token.kind === "name") {
          if (spread) {
            spread = false;
            if (token.value === "on") { afterOn = true; continue; }
            continue; // a fragment spread
          }
          if (afterOn) {
            afterOn = false; frame.inline = token.value;
            if (schema && !typeOf(token.value)) error(token, `Unknown type "${token.value}"`);
            continue;
          }
          if (next && next.value === ":") { index++; continue; } // an alias
          const fields = fieldsOf(frame.type);
          const def = fields ? fields.find((f) => f.name === token.value) : null;
          if (fields && !def && token.value !== "__typename" && !(context && context.token === token)) {
            error(token, `Cannot query field "${token.value}" on type "${frame.type}".`);
          }
          frame.last = def || null;
          frame.inline = null;
          continue;
        }
        if (token.value === "(") { frames.push({ k: "args", defs: frame.directive ? null : (frame.last ? frame.last.args : null), expect: "name", field: frame.last }); frame.directive = false; continue; }
        if (token.value === "{") {
          const type = frame.inline || (frame.last ? named(frame.last.type) : null);
          frames.push({ k: "sel", type: type && typeOf(type) ? type : (frame.inline ? frame.inline : null) });
          frame.inline = null;
          continue;
        }
        if (token.kind !== "comment") error(token, `Unexpected "${token.value}"`);
        continue;
      }
      if (frame.k === "args" || frame.k === "obj" || frame.k === "list") {
        const holder = frame.k === "list" ? frame.parent : frame;
        if (frame.k === "list" && token.value === "]") { frames.pop(); holder.expect = "name"; continue; }
        if (frame.k === "args" && token.value === ")") { frames.pop(); continue; }
        if (frame.k === "obj" && token.value === "}") { frames.pop(); const up = top(); if (up.k === "list") { /* stay in list */ } else up.expect = "name"; continue; }
        if (frame.k !== "list" && holder.expect === "name") {
          if (token.kind === "name") {
            const def = holder.defs ? holder.defs.find((a) => a.name === token.value) : null;
            if (holder.defs && !def && !(context && context.token === token)) {
              error(token, frame.k === "args" ? `Unknown argument "${token.value}"${holder.field ? ` on field "${holder.field.name}"` : ""}.` : `Unknown input field "${token.value}".`);
            }
            holder.current = def || null;
            holder.expect = "colon";
            continue;
          }
          error(token, `Expected a name, found "${token.value}"`);
          continue;
        }
        if (frame.k !== "list" && holder.expect === "colon") {
          if (token.value !== ":") error(token, `Expected ":", found "${token.value}"`);
          holder.expect = "value";
          continue;
        }
        // A value for holder.current.
        const type = holder.current ? typeOf(named(holder.current.type)) : null;
        if (token.value === "{") { frames.push({ k: "obj", defs: type ? type.inputFields : null, expect: "name" }); continue; }
        if (token.value === "[") { frames.push({ k: "list", parent: holder }); continue; }
        if (token.kind === "name" && type && type.kind === "ENUM" && !["null"].includes(token.value)) {
          if (!(type.enumValues || []).some((v) => v.name === token.value) && !(context && context.token === token)) {
            error(token, `Value "${token.value}" does not exist in "${type.name}" enum.`);
          }
        }
        if (frame.k !== "list") holder.expect = "name";
        continue;
      }
    }
    if (context === null) context = { frame: Object.assign({}, top()), prefix: "", token: null };
    const last = significant[significant.length - 1];
    if (frames.length > 1 && last && !(cursor >= 0 && cursor < last.end)) {
      const open = top();
      errors.push({ start: last.end, end: last.end, message: open.k === "sel" ? 'Expected "}" to close the selection set' : open.k === "args" ? 'Expected ")"' : "Unexpected end of document" });
    }
    return { errors, context };
  }

  // ---- completion ------------------------------------------------------------------------------------
  let items = [], selected = 0, replaceFrom = 0;
  function candidates(context) {
    const frame = context.frame;
    if (frame.k === "top") return ["query", "mutation", "subscription", "fragment"].map((k) => ({ label: k, detail: "keyword" }));
    if (frame.k === "sel") {
      const fields = fieldsOf(frame.type) || [];
      return fields.map((f) => ({ label: f.name, detail: typeName(f.type), args: (f.args || []).length > 0 })).concat([{ label: "__typename", detail: "String!" }]);
    }
    const holder = frame.k === "list" ? frame.parent : frame;
    if (frame.k !== "list" && holder.expect === "name") return (holder.defs || []).map((a) => ({ label: a.name, detail: typeName(a.type), suffix: ": " }));
    if (holder.expect === "value" || frame.k === "list") {
      const type = holder.current ? typeOf(named(holder.current.type)) : null;
      if (type && type.kind === "ENUM") return (type.enumValues || []).map((v) => ({ label: v.name, detail: type.name }));
      if (type && type.name === "Boolean") return [{ label: "true", detail: "Boolean" }, { label: "false", detail: "Boolean" }];
    }
    return [];
  }
  function openCompletions(force) {
    if (!schema) return;
    const cursor = queryBox.selectionStart;
    if (queryBox.selectionEnd !== cursor) return closeCompletions();
    const text = queryBox.value;
    const { context } = walk(lex(text), cursor);
    const prefix = context.prefix;
    if (!force && !prefix) return closeCompletions();
    replaceFrom = cursor - prefix.length;
    items = candidates(context).filter((c) => c.label.toLowerCase().startsWith(prefix.toLowerCase()) && c.label !== prefix);
    // Exact-case prefix matches first ("taskS" offers taskStats before tasks).
    items.sort((a, b) => (b.label.startsWith(prefix) ? 1 : 0) - (a.label.startsWith(prefix) ? 1 : 0));
    if (!items.length) return closeCompletions();
    selected = 0;
    renderCompletions();
    positionCompletions(cursor);
  }
  function renderCompletions() {
    completions.replaceChildren(...items.slice(0, 50).map((item, index) => {
      const li = element("li");
      li.setAttribute("role", "option");
      li.id = "completion-" + index;
      li.setAttribute("aria-selected", index === selected ? "true" : "false");
      li.append(element("span", "label", item.label), element("span", "detail", item.detail || ""));
      li.addEventListener("mousedown", (event) => { event.preventDefault(); selected = index; accept(); });
      return li;
    }));
    completions.hidden = false;
    queryBox.setAttribute("aria-activedescendant", "completion-" + selected);
    const current = completions.children[selected];
    if (current) current.scrollIntoView({ block: "nearest" });
  }
  function positionCompletions(cursor) {
    const before = queryBox.value.slice(0, cursor);
    const line = before.split("\n").length - 1;
    const column = before.length - before.lastIndexOf("\n") - 1;
    const probe = element("span", null, "MMMMMMMMMM");
    probe.style.cssText = "position:absolute;visibility:hidden;font:13px/1.5 " + getComputedStyle(queryBox).fontFamily;
    document.body.append(probe);
    const charWidth = probe.getBoundingClientRect().width / 10;
    probe.remove();
    const lineHeight = 13 * 1.5;
    completions.style.left = Math.min(10 + column * charWidth - queryBox.scrollLeft, queryBox.clientWidth - 230) + "px";
    completions.style.top = (10 + (line + 1) * lineHeight - queryBox.scrollTop + 2) + "px";
  }
  function closeCompletions() { completions.hidden = true; items = []; queryBox.removeAttribute("aria-activedescendant"); }
  function accept() {
    const item = items[selected];
    if (!item) return;
    const cursor = queryBox.selectionStart;
    const insert = item.label + (item.suffix || "");
    queryBox.setRangeText(insert, replaceFrom, cursor, "end");
    closeCompletions();
    update();
  }

  // ---- highlighting and diagnostics --------------------------------------------------------------------
  function classFor(token, tokens, index) {
    if (token.kind === "comment") return "t-comment";
    if (token.kind === "string") return "t-str";
    if (token.kind === "number") return "t-num";
    if (token.kind === "variable") return "t-var";
    if (token.kind === "punct" || token.kind === "invalid") return "t-punct";
    if (KEYWORDS.has(token.value)) return "t-kw";
    const prev = tokens[index - 1];
    if (prev && (prev.value === "on" || (prev.value === ":" && /^[A-Z]/.test(token.value) && tokens[index - 3] && tokens[index - 3].kind === "variable"))) return "t-type";
    return "t-field";
  }
  let serverErrors = [];
  function update() {
    const text = queryBox.value;
    const tokens = lex(text);
    const { errors } = walk(tokens, -1);
    const all = errors.concat(serverErrors);
    let html = "", position = 0;
    const marks = all.map((e) => [e.start, Math.max(e.end, e.start + 1), e.message]);
    const markAt = (start, end) => marks.find(([s, e]) => start < e && end > s);
    tokens.forEach((token, index) => {
      html += escapeHTML(text.slice(position, token.start));
      const inner = `<span class="${classFor(token, tokens, index)}">${escapeHTML(text.slice(token.start, token.end))}</span>`;
      const mark = markAt(token.start, token.end);
      html += mark ? `<mark class="err" title="${escapeHTML(mark[2]).replace(/"/g, "&quot;")}">${inner}</mark>` : inner;
      position = token.end;
    });
    html += escapeHTML(text.slice(position));
    const endMark = marks.find(([s]) => s >= text.length);
    if (endMark) html += `<mark class="err" title="${escapeHTML(endMark[2])}"> </mark>`;
    highlight.innerHTML = html + "\n";
    highlight.scrollTop = queryBox.scrollTop;
    diagnostics.replaceChildren(...all.map((e) => {
      const before = text.slice(0, e.start);
      const line = before.split("\n").length, column = e.start - before.lastIndexOf("\n");
      const li = element("li", null, `${line}:${column} ${e.message}`);
      li.dataset.line = line;
      li.dataset.column = column;
      li.addEventListener("click", () => { queryBox.focus(); queryBox.setSelectionRange(e.start, e.end); });
      return li;
    }));
    diagnostics.dataset.count = String(all.length);
  }
  /** The kind of the operation that would run: "query", "mutation" or "subscription". */
  function operationKind() {
    const tokens = lex(queryBox.value).filter((t) => t.kind !== "comment");
    const wanted = operationBox.value.trim();
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind === "name" && ["query", "mutation", "subscription"].includes(t.value)) {
        const name = tokens[i + 1] && tokens[i + 1].kind === "name" ? tokens[i + 1].value : "";
        if (!wanted || wanted === name) return t.value;
      }
      if (t.value === "{" && !wanted && (i === 0)) return "query";
    }
    return "query";
  }

  // ---- running -------------------------------------------------------------------------------------------
  function requestHeaders(accept) {
    const headers = { "Content-Type": "application/json", Accept: accept };
    const raw = headersBox.value.trim();
    if (raw) {
      const extra = JSON.parse(raw);
      if (typeof extra !== "object" || extra === null || Array.isArray(extra)) throw new Error("Headers must be a JSON object");
      for (const [name, value] of Object.entries(extra)) headers[name] = String(value);
    }
    return headers;
  }
  // Access control (API.md section 10): a 401 asks for a token once, kept for the browser session
  // only and sent as Authorization: Bearer (unless the headers pane sets Authorization itself).
  const TOKEN_KEY = "worker-service-token";
  function storedToken() { try { return sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; } }
  async function send(makeRequest, accept) {
    for (let attempt = 0; ; attempt++) {
      const headers = requestHeaders(accept);
      const token = storedToken();
      if (token && !Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) headers.Authorization = "Bearer " + token;
      const response = await makeRequest(headers);
      if (response.status !== 401 || attempt > 0) return response;
      const entered = window.prompt("This GraphQL endpoint needs an API token (kept for this browser session only):", "");
      if (!entered) return response;
      try { sessionStorage.setItem(TOKEN_KEY, entered.trim()); } catch (e) { /* private mode */ }
    }
  }
  function post(body, accept, signal) {
    return send((headers) => fetch(endpoint, { method: "POST", credentials: "same-origin", headers, body: JSON.stringify(body), signal }), accept || "application/json");
  }
  // An automatic run (autorun=1 or #run) goes out as a GET, which the gateway refuses for a
  // mutation (405): a link can never make the page change anything by itself.
  function get(body) {
    let query = "?query=" + encodeURIComponent(body.query);
    if (body.variables !== undefined) query += "&variables=" + encodeURIComponent(JSON.stringify(body.variables));
    if (body.operationName !== undefined) query += "&operationName=" + encodeURIComponent(body.operationName);
    return send((headers) => { delete headers["Content-Type"]; return fetch(endpoint + query, { method: "GET", credentials: "same-origin", headers }); }, "application/json");
  }
  let streamController = null;
  function showFailure(message, state) {
    result.textContent = message;
    result.setAttribute("data-state", state || "error");
    setStatus(message.split("\n")[0], true);
  }
  async function run(automatic) {
    closeCompletions();
    let variables = null;
    const raw = variablesBox.value.trim();
    if (raw !== "") {
      try { variables = JSON.parse(raw); } catch (e) { showFailure("Variables are not valid JSON: " + e.message); setStatus("invalid variables", true); return; }
    }
    try { requestHeaders("application/json"); } catch (e) { showFailure("Headers are not valid: " + e.message); return; }
    sessionStorage.setItem(HEADERS_KEY, headersBox.value);
    const body = { query: queryBox.value };
    if (variables !== null) body.variables = variables;
    if (operationBox.value.trim() !== "") body.operationName = operationBox.value.trim();
    remember(body);
    if (streamController) streamController.abort();
    serverErrors = [];
    result.setAttribute("data-state", "running");
    setStatus("running…", false);
    const started = Date.now();
    if (automatic !== true && operationKind() === "subscription") return subscribe(body, started);
    try {
      const response = automatic === true ? await get(body) : await post(body);
      const text = await response.text();
      let shown = text;
      try {
        const parsed = JSON.parse(text);
        shown = JSON.stringify(parsed, null, 2);
        markServerErrors(parsed);
      } catch (e) { /* show raw */ }
      result.textContent = shown;
      result.setAttribute("data-state", "done");
      result.setAttribute("data-http-status", String(response.status));
      setStatus("HTTP " + response.status + " in " + (Date.now() - started) + " ms", response.status >= 400);
    } catch (error) {
      showFailure("Request failed: " + error);
      setStatus("request failed", true);
    }
  }
  /** Errors of a response that carry locations become marks in the editor. */
  function markServerErrors(parsed) {
    const lines = queryBox.value.split("\n");
    const offset = (line, column) => lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + column - 1;
    serverErrors = [];
    for (const e of (parsed && parsed.errors) || []) {
      for (const location of e.locations || []) {
        const start = offset(location.line, location.column);
        const word = /^[_0-9A-Za-z]+/.exec(queryBox.value.slice(start));
        serverErrors.push({ start, end: start + (word ? word[0].length : 1), message: e.message });
      }
    }
    update();
  }
  /** A subscription over graphql-sse (distinct connections): read the event stream with fetch. */
  async function subscribe(body, started) {
    const controller = new AbortController();
    streamController = controller;
    $("stop").hidden = false;
    const events = [];
    const show = () => {
      result.textContent = events.map((e) => `// ${e.event} at ${e.at}\n${e.data}`).join("\n\n");
      $("stream-info").textContent = `${events.filter((e) => e.event === "next").length} events`;
      result.scrollTop = result.scrollHeight;
    };
    try {
      const response = await post(body, "text/event-stream", controller.signal);
      result.setAttribute("data-http-status", String(response.status));
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("text/event-stream")) {
        const text = await response.text();
        let shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); markServerErrors(JSON.parse(text)); } catch (e) { /* raw */ }
        result.textContent = shown;
        result.setAttribute("data-state", "done");
        setStatus("HTTP " + response.status + " (not a stream)", response.status >= 400);
        return;
      }
      result.setAttribute("data-state", "streaming");
      setStatus("subscribed: streaming…", false);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let split;
        while ((split = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split).replace(/^\r?\n\r?\n/, "");
          let event = "message", data = [];
          for (const line of block.split(/\r?\n/)) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "event") event = text;
            if (field === "data") data.push(text);
          }
          if (!data.length && event === "message") continue;
          let shown = data.join("\n");
          try { shown = JSON.stringify(JSON.parse(shown), null, 2); } catch (e) { /* raw */ }
          events.push({ event, data: shown, at: new Date().toISOString() });
          if (events.length > 500) events.shift();
          show();
          if (event === "complete") { controller.abort(); break; }
        }
      }
      result.setAttribute("data-state", "done");
      setStatus(`stream ended after ${Date.now() - started} ms`, false);
    } catch (error) {
      if (controller.signal.aborted) {
        result.setAttribute("data-state", "done");
        setStatus("stream closed", false);
      } else {
        showFailure("Request failed: " + error);
      }
    } finally {
      if (streamController === controller) streamController = null;
      $("stop").hidden = true;
    }
  }

  // ---- history -------------------------------------------------------------------------------------------
  function loadHistory() { try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { return []; } }
  function remember(body) {
    const entry = { query: body.query, variables: variablesBox.value, headersUsed: headersBox.value.trim() !== "", operationName: body.operationName || "", at: new Date().toISOString() };
    const list = loadHistory().filter((e) => !(e.query === entry.query && e.variables === entry.variables && e.operationName === entry.operationName));
    list.unshift(entry);
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, 30))); } catch (e) { /* storage full or off */ }
    renderHistory();
  }
  function renderHistory() {
    const box = $("history");
    const list = loadHistory();
    if (!list.length) { box.replaceChildren(element("p", "empty", "Documents you run appear here (kept in this browser).")); return; }
    const ol = element("ol");
    list.forEach((entry, index) => {
      const li = element("li");
      const button = element("button");
      button.type = "button";
      button.dataset.index = String(index);
      button.append(element("small", null, new Date(entry.at).toLocaleString() + (entry.operationName ? " · " + entry.operationName : "")), document.createTextNode(entry.query.trim().slice(0, 200)));
      button.addEventListener("click", () => {
        queryBox.value = entry.query; variablesBox.value = entry.variables || ""; operationBox.value = entry.operationName || "";
        serverErrors = []; update(); queryBox.focus();
      });
      li.append(button);
      ol.append(li);
    });
    box.replaceChildren(ol);
  }
  for (const [tab, panel] of [["tab-schema", "schema"], ["tab-history", "history"]]) {
    $(tab).addEventListener("click", () => {
      for (const [otherTab, otherPanel] of [["tab-schema", "schema"], ["tab-history", "history"]]) {
        $(otherTab).setAttribute("aria-selected", otherTab === tab ? "true" : "false");
        $(otherPanel).hidden = otherPanel !== panel;
      }
    });
  }

  // ---- the schema panel ---------------------------------------------------------------------------------
  function renderSchema(raw) {
    const box = $("schema");
    box.textContent = "";
    const roots = [raw.queryType, raw.mutationType, raw.subscriptionType].filter(Boolean).map((t) => t.name);
    const types = raw.types.filter((t) => t.name.indexOf("__") !== 0);
    types.sort((a, b) => {
      const ra = roots.indexOf(a.name), rb = roots.indexOf(b.name);
      if (ra !== rb) return (ra < 0 ? 99 : ra) - (rb < 0 ? 99 : rb);
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    for (const t of types) {
      const details = element("details");
      if (roots.indexOf(t.name) >= 0) details.open = true;
      const summary = element("summary", null, t.name);
      summary.appendChild(element("span", "kind", t.kind.toLowerCase().replace("_", " ")));
      details.appendChild(summary);
      const list = element("ul");
      for (const f of t.fields || []) {
        const item = element("li");
        const args = (f.args || []).map((a) => a.name + ": " + typeName(a.type) + (a.defaultValue != null ? " = " + a.defaultValue : ""));
        item.appendChild(document.createTextNode(f.name + (args.length ? "(" + args.join(", ") + ")" : "") + ": "));
        item.appendChild(element("span", "type", typeName(f.type)));
        list.appendChild(item);
      }
      for (const f of t.inputFields || []) {
        const item = element("li");
        item.appendChild(document.createTextNode(f.name + ": "));
        item.appendChild(element("span", "type", typeName(f.type) + (f.defaultValue != null ? " = " + f.defaultValue : "")));
        list.appendChild(item);
      }
      for (const v of t.enumValues || []) list.appendChild(element("li", null, v.name));
      if (t.description) list.appendChild(element("li", "desc", t.description));
      details.appendChild(list);
      box.appendChild(details);
    }
  }
  const typeRef = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";
  const introspection = "query PlaygroundIntrospection { __schema { queryType { name } mutationType { name } subscriptionType { name } " +
    "types { kind name description " +
    "fields { name args { name defaultValue type { " + typeRef + " } } type { " + typeRef + " } } " +
    "inputFields { name defaultValue type { " + typeRef + " } } " +
    "enumValues { name } } } }";
  async function loadSchema() {
    let answer;
    try {
      const response = await post({ query: introspection, operationName: "PlaygroundIntrospection" });
      answer = await response.text();
      const parsed = JSON.parse(answer);
      if (!parsed.data || !parsed.data.__schema) throw new Error(answer);
      const raw = parsed.data.__schema;
      renderSchema(raw);
      schema = {
        types: new Map(raw.types.map((t) => [t.name, t])),
        query: raw.queryType ? raw.queryType.name : null,
        mutation: raw.mutationType ? raw.mutationType.name : null,
        subscription: raw.subscriptionType ? raw.subscriptionType.name : null,
      };
      setStatus("schema loaded", false);
      update();
    } catch (error) {
      $("schema").textContent = "Could not load the schema: " + error.message;
      setStatus("schema failed to load", true);
    }
  }

  // ---- wiring -------------------------------------------------------------------------------------------
  queryBox.addEventListener("input", () => { serverErrors = []; update(); openCompletions(false); });
  queryBox.addEventListener("scroll", () => { highlight.scrollTop = queryBox.scrollTop; highlight.scrollLeft = queryBox.scrollLeft; });
  queryBox.addEventListener("blur", () => setTimeout(closeCompletions, 150));
  queryBox.addEventListener("click", closeCompletions);
  queryBox.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === " ") { event.preventDefault(); openCompletions(true); return; }
    if (!completions.hidden && items.length) {
      if (event.key === "ArrowDown") { event.preventDefault(); selected = (selected + 1) % Math.min(items.length, 50); renderCompletions(); return; }
      if (event.key === "ArrowUp") { event.preventDefault(); selected = (selected + Math.min(items.length, 50) - 1) % Math.min(items.length, 50); renderCompletions(); return; }
      if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); accept(); return; }
      if (event.key === "Escape") { event.preventDefault(); closeCompletions(); return; }
    }
    if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey) { event.preventDefault(); queryBox.setRangeText("  ", queryBox.selectionStart, queryBox.selectionEnd, "end"); update(); }
  });
  $("run").addEventListener("click", () => { run(); });
  $("stop").addEventListener("click", () => { if (streamController) streamController.abort(); });
  $("prettify").addEventListener("click", () => {
    for (const box of [variablesBox, headersBox]) {
      if (!box.value.trim()) continue;
      try { box.value = JSON.stringify(JSON.parse(box.value), null, 2); } catch (e) { setStatus("invalid JSON in " + box.id, true); }
    }
  });
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); run(); }
  });
  update();
  renderHistory();
  const autorun = params.get("autorun") === "1" || window.location.hash === "#run";
  const schemaLoaded = loadSchema();
  if (autorun) {
    schemaLoaded.then(() => run(true));
  }
  window.workerPlayground = { lex, walk, run };
})();
