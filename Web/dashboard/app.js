// worker-service dashboard (API.md section 9). One page, no dependencies, talks only to its own
// origin: the REST API under /api and the event stream /api/events. See Docs/DASHBOARD.md.
"use strict";
(() => {
  const STATUSES = ["pending", "processing", "retrying", "blocked", "completed", "failed", "cancelled"];
  const FINAL = new Set(["completed", "failed", "cancelled"]);
  const TOKEN_KEY = "worker-service-token";
  const main = document.getElementById("main");
  const liveBadge = document.getElementById("live");
  const state = {
    view: "overview", params: {}, taskFilter: { statuses: [], type: "", queue: "", payload: "", after: "", before: "" },
    taskPage: { limit: 25, offset: 0 }, selected: new Set(), allMatching: false, lastList: null,
    live: "connecting", missing: new Set(), editingJob: null,
  };

  // ---- small helpers ------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }
  const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const chip = (status) => h("span", { class: "chip s-" + status }, status);
  function ago(iso) {
    if (!iso) return "—";
    const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    const abs = Math.abs(seconds);
    const text = abs < 60 ? abs + " s" : abs < 3600 ? Math.round(abs / 60) + " min" : abs < 86400 ? (abs / 3600).toFixed(1) + " h" : (abs / 86400).toFixed(1) + " d";
    return seconds >= 0 ? text + " ago" : "in " + text;
  }
  const time = (iso) => iso ? h("time", { datetime: iso, title: iso }, new Date(iso).toLocaleString()) : h("span", { class: "muted" }, "—");
  const json = (value) => JSON.stringify(value, null, 2);
  function flash(message, bad) {
    const node = document.getElementById("flash");
    node.textContent = message;
    node.className = bad ? "bad" : "";
    node.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(() => { node.hidden = true; }, bad ? 7000 : 3000);
  }
  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  // ---- the API, with the access token of section 10 -------------------------------------------
  class APIError extends Error {
    constructor(status, body) {
      super((body && body.message) || ("HTTP " + status));
      this.status = status;
      this.body = body;
    }
  }
  const token = () => sessionStorage.getItem(TOKEN_KEY) || "";
  let tokenPrompt = null;
  function askToken() {
    if (tokenPrompt) return tokenPrompt;
    const dialog = document.getElementById("token-dialog");
    const input = document.getElementById("token-input");
    tokenPrompt = new Promise((resolve) => {
      input.value = "";
      dialog.addEventListener("close", function done() {
        dialog.removeEventListener("close", done);
        tokenPrompt = null;
        if (dialog.returnValue === "ok" && input.value.trim()) {
          sessionStorage.setItem(TOKEN_KEY, input.value.trim());
          document.getElementById("token-button").hidden = false;
          resolve(true);
        } else resolve(false);
      });
      dialog.showModal();
      input.focus();
    });
    return tokenPrompt;
  }
  async function api(method, path, body, retried) {
    const headers = { Accept: "application/json" };
    if (token()) headers.Authorization = "Bearer " + token();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin", cache: "no-store" });
    if (response.status === 401 && !retried) {
      if (await askToken()) { reconnectEvents(); return api(method, path, body, true); }
    }
    if (response.status === 204) return null;
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = { message: text }; }
    if (!response.ok) throw new APIError(response.status, data);
    return data;
  }
  /** GET that answers null (and remembers the path as missing) when the server does not have it. */
  async function optional(path, key) {
    try {
      const data = await api("GET", path);
      state.missing.delete(key);
      return data;
    } catch (error) {
      if (error.status === 404 || error.status === 405) { state.missing.add(key); return null; }
      throw error;
    }
  }
  const notAvailable = (what) => h("div", { class: "notice", "data-missing": what }, what + " not available on this server.");
  async function act(label, promise) {
    try {
      const value = await promise;
      flash(label);
      return value;
    } catch (error) {
      flash(label + " failed: " + error.message, true);
      return null;
    }
  }
  function confirmBox(text, okLabel) {
    const dialog = document.getElementById("confirm");
    document.getElementById("confirm-text").textContent = text;
    document.getElementById("confirm-ok").textContent = okLabel || "Confirm";
    return new Promise((resolve) => {
      dialog.addEventListener("close", function done() {
        dialog.removeEventListener("close", done);
        resolve(dialog.returnValue === "ok");
      });
      dialog.returnValue = "";
      dialog.showModal();
      document.getElementById("confirm-ok").focus();
    });
  }

  // ---- live updates: /api/events, or light polling when it answers 404 -------------------------
  let source = null;
  let pollTimer = null;
  function setLive(mode, text) {
    state.live = mode;
    liveBadge.dataset.state = mode;
    liveBadge.textContent = text;
  }
  async function connectEvents() {
    if (source) { source.close(); source = null; }
    clearInterval(pollTimer);
    const controller = new AbortController();
    let status = 0;
    try {
      const headers = token() ? { Authorization: "Bearer " + token() } : {};
      const probe = await fetch("/api/events?events=task", { headers, signal: controller.signal, cache: "no-store" });
      status = probe.status;
      controller.abort();
    } catch (_) { status = status || -1; }
    if (status === 401) {
      if (await askToken()) return connectEvents();
    }
    if (status === 404 || status === 405 || status === 401 || status === 403) return startPolling();
    const query = token() ? "?access_token=" + encodeURIComponent(token()) : "";
    source = new EventSource("/api/events" + query);
    source.onopen = () => setLive("live", "live");
    source.onerror = () => {
      setLive("offline", "reconnecting…");
      if (source && source.readyState === EventSource.CLOSED) { source = null; setTimeout(connectEvents, 3000); }
    };
    for (const kind of ["task", "job", "queue", "batch"]) {
      source.addEventListener(kind, (event) => {
        let data = null;
        try { data = JSON.parse(event.data); } catch (_) { return; }
        onEvent(kind, data);
      });
    }
    source.addEventListener("overflow", () => { setLive("offline", "resyncing…"); refresh(); connectEvents(); });
  }
  function reconnectEvents() { connectEvents(); }
  function startPolling() {
    setLive("polling", "polling every 2 s");
    clearInterval(pollTimer);
    pollTimer = setInterval(() => { if (!document.hidden) refresh(true); }, 2000);
  }
  // Live redraws: the first 250 ms after an event, then at most one per second however busy the
  // system is (an event storm must not turn into a request storm).
  let lastLiveRefresh = 0, liveTimer = null;
  function refreshSoon() {
    if (liveTimer) return;
    const wait = Math.max(250, 1000 - (Date.now() - lastLiveRefresh));
    liveTimer = setTimeout(() => { liveTimer = null; lastLiveRefresh = Date.now(); refresh(true); }, wait);
  }
  function onEvent(kind, data) {
    if (kind === "task" && state.view === "task" && data.id === state.params.id) {
      if (changed("task", data)) renderTaskFields(data);
      refreshLogsSoon();
      return;
    }
    refreshSoon();
  }

  // ---- routing --------------------------------------------------------------------------------
  function route() {
    const hash = location.hash.replace(/^#\/?/, "");
    const [path, queryText] = hash.split("?");
    const parts = path.split("/").filter(Boolean);
    let view = parts[0] || "overview";
    const params = {};
    if (view === "tasks" && parts[1]) { view = "task"; params.id = decodeURIComponent(parts[1]); }
    if (!["overview", "tasks", "task", "jobs", "queues", "batches"].includes(view)) view = "overview";
    if (view === "tasks" && queryText) {
      const query = new URLSearchParams(queryText);
      state.taskFilter.statuses = (query.get("status") || "").split(",").filter(Boolean);
      state.taskFilter.type = query.get("type") || "";
      state.taskFilter.queue = query.get("queue") || "";
      state.taskFilter.payload = query.get("payload") || "";
      state.taskFilter.batchId = query.get("batchId") || "";
      state.taskPage.offset = 0;
    }
    state.view = view;
    state.params = params;
    state.selected.clear();
    state.allMatching = false;
    for (const link of document.querySelectorAll("#nav a")) {
      const current = link.dataset.view === view || (view === "task" && link.dataset.view === "tasks");
      if (current) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
    }
    main.replaceChildren();
    drawn.clear();
    main.dataset.view = view;
    refresh(false);
  }
  let refreshing = null;
  let again = false;
  async function refresh(quiet) {
    if (refreshing) { again = true; return refreshing; }
    refreshing = (async () => {
      try {
        await VIEWS[state.view](quiet);
      } catch (error) {
        main.replaceChildren(h("div", { class: "notice bad" }, "Could not load: " + error.message));
      }
    })();
    await refreshing;
    refreshing = null;
    if (again) { again = false; refresh(true); }
  }
  /** Whether `data` differs from what the view last drew under `key` (redraw only on change, so a
   *  poll or an event that changed nothing does not replace the elements under the user's pointer). */
  const drawn = new Map();
  function changed(key, data) {
    const signature = JSON.stringify(data);
    if (drawn.get(key) === signature) return false;
    drawn.set(key, signature);
    return true;
  }
  /** Replaces the content of the element with `id` inside main (creating it at the end when new). */
  function slot(id, ...children) {
    let node = document.getElementById(id);
    if (!node) { node = h("section", { id }); main.append(node); }
    node.replaceChildren(...children);
    return node;
  }

  // ---- overview -------------------------------------------------------------------------------
  async function overview(quiet) {
    if (!document.getElementById("ov-title")) main.append(h("h2", { id: "ov-title" }, "Overview"));
    // The series scans the store: fetch it at most every 10 s (the chart's resolution is a minute).
    const seriesDue = !quiet || !overview.series || Date.now() - overview.seriesAt > 10000;
    const [summary, series, queues] = await Promise.all([
      api("GET", "/api/tasks/stats/summary"),
      seriesDue ? optional("/api/tasks/stats/timeseries?minutes=60&bucketSeconds=60", "timeseries").catch(() => null) : overview.series,
      optional("/api/queues", "queues").catch(() => null),
    ]);
    if (seriesDue) { overview.series = series; overview.seriesAt = Date.now(); }
    if (!changed("overview", [summary, series, queues, Math.floor(Date.now() / 30000)])) return;
    const cards = [h("a", { class: "card", href: "#/tasks", id: "count-total" }, h("div", { class: "n" }, summary.total), h("div", { class: "l" }, "total"))];
    for (const status of STATUSES) {
      if (summary[status] === undefined) continue;
      cards.push(h("a", { class: "card", href: "#/tasks?status=" + status, id: "count-" + status, "data-count": summary[status] },
        h("div", { class: "n s-" + status }, summary[status]), h("div", { class: "l" }, status)));
    }
    slot("ov-counts", h("div", { class: "cards" }, cards));
    slot("ov-chart", h("div", { class: "panel chart" }, h("h3", {}, "Throughput, last hour (per minute)"),
      series ? chart(series) : notAvailable("The time series is")));
    const queueRows = queues ? queues.queues.map((queue) => h("tr", { "data-name": queue.name },
      h("td", {}, h("a", { href: "#/tasks?queue=" + encodeURIComponent(queue.name) }, queue.name)),
      h("td", {}, queue.paused ? chip("paused") : chip("active")),
      h("td", {}, (queue.counts.pending || 0) + (queue.counts.retrying || 0)),
      h("td", {}, queue.counts.processing || 0),
      h("td", { title: queue.oldestReadyAt || "" }, queue.oldestReadyAt ? ago(queue.oldestReadyAt) : "—"))) : [];
    slot("ov-queues", h("div", { class: "panel" }, h("h3", {}, "Queues"),
      queues ? h("div", { class: "scroll" }, h("table", { id: "queue-depth" },
        h("thead", {}, h("tr", {}, h("th", {}, "queue"), h("th", {}, "state"), h("th", {}, "depth (ready)"), h("th", {}, "processing"), h("th", {}, "oldest ready"))),
        h("tbody", {}, queueRows.length ? queueRows : h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No queues yet."))))) : notAvailable("Queues are"),
      byType(summary)));
  }
  function byType(summary) {
    const types = Object.entries(summary.byType || {});
    if (!types.length) return null;
    return h("div", {}, h("h3", {}, "By type"), h("div", { class: "scroll" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "type"), h("th", {}, "total"), h("th", {}, "completed"), h("th", {}, "failed"))),
      h("tbody", {}, types.map(([type, counts]) => h("tr", {},
        h("td", {}, h("a", { href: "#/tasks?type=" + encodeURIComponent(type) }, type)), h("td", {}, counts.total), h("td", {}, counts.completed), h("td", {}, counts.failed)))))));
  }
  /** An inline SVG line chart of created / completed / failed per bucket. */
  function chart(series) {
    const buckets = series.buckets || [];
    const width = 1000, height = 220, left = 40, bottom = 24, top = 10;
    const lines = [["created", "var(--info)"], ["completed", "var(--ok)"], ["failed", "var(--bad)"]];
    const max = Math.max(1, ...buckets.flatMap((b) => lines.map(([key]) => b[key] || 0)));
    const x = (i) => left + (buckets.length <= 1 ? 0 : (i * (width - left - 10)) / (buckets.length - 1));
    const y = (v) => top + (height - top - bottom) * (1 - v / max);
    let svg = `<svg id="throughput" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="Tasks created, completed and failed per minute over the last hour">`;
    for (let i = 0; i <= 4; i++) {
      const value = Math.round((max * i) / 4);
      svg += `<line x1="${left}" x2="${width - 10}" y1="${y(value)}" y2="${y(value)}" stroke="var(--line)" stroke-width="1"/>`;
      svg += `<text x="${left - 6}" y="${y(value) + 4}" text-anchor="end" font-size="11" fill="var(--muted)">${value}</text>`;
    }
    for (const [i, bucket] of buckets.entries()) {
      if (i % 15 === 0 || i === buckets.length - 1) {
        const label = new Date(bucket.start).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        svg += `<text x="${x(i)}" y="${height - 6}" text-anchor="middle" font-size="11" fill="var(--muted)">${esc(label)}</text>`;
      }
    }
    for (const [key, color] of lines) {
      const points = buckets.map((b, i) => `${x(i).toFixed(1)},${y(b[key] || 0).toFixed(1)}`).join(" ");
      svg += `<polyline class="series-${key}" fill="none" stroke="${color}" stroke-width="2" vector-effect="non-scaling-stroke" points="${points}"/>`;
    }
    svg += "</svg>";
    const holder = h("div", {});
    holder.innerHTML = svg;
    const totals = lines.map(([key]) => buckets.reduce((sum, b) => sum + (b[key] || 0), 0));
    const durations = buckets.filter((b) => b.avgDurationMs !== null && b.avgDurationMs !== undefined);
    const avg = durations.length ? durations.reduce((s, b) => s + b.avgDurationMs, 0) / durations.length : null;
    return h("div", {}, holder, h("div", { class: "legend" },
      lines.map(([key, color], i) => h("span", {}, h("i", { style: "background:" + color }), `${key} ${totals[i]}`)),
      h("span", {}, "mean duration " + (avg === null ? "—" : Math.round(avg) + " ms"))));
  }

  // ---- tasks ------------------------------------------------------------------------------------
  function filterQuery() {
    const f = state.taskFilter, q = new URLSearchParams();
    if (f.statuses.length) q.set("status", f.statuses.join(","));
    if (f.type) q.set("type", f.type);
    if (f.queue) q.set("queue", f.queue);
    if (f.payload) q.set("payload", f.payload);
    if (f.batchId) q.set("batchId", f.batchId);
    if (f.after) q.set("createdAfter", new Date(f.after).toISOString());
    if (f.before) q.set("createdBefore", new Date(f.before).toISOString());
    return q;
  }
  function bulkFilter() {
    const f = state.taskFilter, filter = {};
    if (f.statuses.length) filter.status = f.statuses;
    if (f.type) filter.type = f.type;
    if (f.queue) filter.queue = f.queue;
    if (f.batchId) filter.batchId = f.batchId;
    if (f.payload) { try { filter.payload = JSON.parse(f.payload); } catch (_) { /* checked on apply */ } }
    if (f.after) filter.createdAfter = new Date(f.after).toISOString();
    if (f.before) filter.createdBefore = new Date(f.before).toISOString();
    return filter;
  }
  function filterForm() {
    const f = state.taskFilter;
    const apply = (event) => {
      event.preventDefault();
      const form = event.target.closest("form");
      const payload = form.elements.payload.value.trim();
      if (payload) {
        try { const parsed = JSON.parse(payload); if (typeof parsed !== "object" || Array.isArray(parsed) || parsed === null) throw new Error("not an object"); }
        catch (error) { flash("payload: expected a JSON object such as {\"to\": \"a@b.c\"}", true); return; }
      }
      f.statuses = [...form.querySelectorAll("input[name=status]:checked")].map((box) => box.value);
      f.type = form.elements.type.value.trim();
      f.queue = form.elements.queue.value.trim();
      f.payload = payload;
      f.after = form.elements.after.value;
      f.before = form.elements.before.value;
      state.taskPage.offset = 0;
      state.selected.clear();
      state.allMatching = false;
      refresh(false);
    };
    return h("form", { id: "task-filters", class: "panel filters", onsubmit: apply },
      h("fieldset", { class: "statuses", style: "border:0;padding:0;margin:0" }, h("legend", { class: "muted", style: "font-size:12px" }, "Status"),
        STATUSES.map((status) => h("label", { class: "inline" }, h("input", { type: "checkbox", name: "status", value: status, id: "filter-status-" + status, checked: f.statuses.includes(status) }), status))),
      h("label", {}, "Type", h("input", { name: "type", id: "filter-type", value: f.type, placeholder: "email" })),
      h("label", {}, "Queue", h("input", { name: "queue", id: "filter-queue", value: f.queue, placeholder: "default" })),
      h("label", {}, "Payload contains (JSON)", h("input", { name: "payload", id: "filter-payload", value: f.payload, placeholder: "{\"to\":\"a@b.c\"}", class: "mono" })),
      h("label", {}, "Created after", h("input", { name: "after", id: "filter-after", type: "datetime-local", value: f.after })),
      h("label", {}, "Created before", h("input", { name: "before", id: "filter-before", type: "datetime-local", value: f.before })),
      h("div", { class: "row" }, h("button", { type: "submit", id: "filter-apply" }, "Apply"),
        h("button", { type: "button", class: "ghost", id: "filter-clear", onclick: () => {
          Object.assign(f, { statuses: [], type: "", queue: "", payload: "", after: "", before: "", batchId: "" });
          state.taskPage.offset = 0; main.replaceChildren(); refresh(false);
        } }, "Clear")));
  }
  async function tasks(quiet) {
    if (!document.getElementById("task-filters")) {
      main.append(h("h2", {}, "Tasks"), filterForm());
    }
    const query = filterQuery();
    query.set("limit", state.taskPage.limit);
    query.set("offset", state.taskPage.offset);
    const page = await api("GET", "/api/tasks?" + query.toString());
    state.lastList = page;
    if (!changed("tasks", [page, state.allMatching, [...state.selected], state.taskPage])) return;
    const selectedCount = state.allMatching ? page.total : state.selected.size;
    const toolbar = h("div", { class: "toolbar", id: "task-toolbar" },
      h("span", { id: "task-total", "data-total": page.total }, `${page.total} matching`),
      h("span", { id: "selection", "data-count": selectedCount, class: "muted" }, state.allMatching ? `all ${page.total} matching selected` : `${state.selected.size} selected`),
      h("button", { type: "button", class: "ghost small", id: "select-all-matching", disabled: !page.total, onclick: () => { state.allMatching = true; refresh(true); } }, `Select all ${page.total} matching`),
      h("button", { type: "button", class: "ghost small", id: "select-none", onclick: () => { state.allMatching = false; state.selected.clear(); refresh(true); } }, "Select none"),
      h("span", { class: "spacer" }),
      ["retry", "cancel", "delete"].map((action) => h("button", { type: "button", id: "bulk-" + action, class: action === "delete" ? "danger small" : "small", disabled: !selectedCount, onclick: () => bulk(action) }, action[0].toUpperCase() + action.slice(1) + "…")));
    const allOnPage = page.tasks.length > 0 && page.tasks.every((task) => state.allMatching || state.selected.has(task.id));
    const rows = page.tasks.map((task) => h("tr", { "data-id": task.id, "data-status": task.status },
      h("td", {}, h("input", { type: "checkbox", class: "select", "data-id": task.id, "aria-label": "select task " + task.id, checked: state.allMatching || state.selected.has(task.id), disabled: state.allMatching, onchange: (event) => {
        if (event.target.checked) state.selected.add(task.id); else state.selected.delete(task.id);
        refresh(true);
      } })),
      h("td", {}, h("a", { href: "#/tasks/" + task.id }, "#" + task.id)),
      h("td", {}, task.type),
      h("td", { class: "status" }, chip(task.status)),
      h("td", { class: "hide-narrow" }, task.queue || "default"),
      h("td", {}, task.priority),
      h("td", {}, `${task.attempts}/${task.maxAttempts}`),
      h("td", {}, task.progress === null || task.progress === undefined ? "—" : h("div", { class: "bar", title: task.progress + "%" }, h("span", { style: `width:${task.progress}%` }))),
      h("td", { class: "hide-narrow", title: task.createdAt }, ago(task.createdAt)),
      h("td", { class: "wrap hide-narrow mono" }, task.error ? h("span", { class: "bad" }, task.error.slice(0, 80)) : JSON.stringify(task.payload).slice(0, 60))));
    const last = Math.min(page.total, page.offset + page.tasks.length);
    slot("task-list", toolbar, h("div", { class: "scroll" }, h("table", { id: "task-table" },
      h("thead", {}, h("tr", {},
        h("th", {}, h("input", { type: "checkbox", id: "select-page", "aria-label": "select this page", checked: allOnPage, disabled: state.allMatching, onchange: (event) => {
          for (const task of page.tasks) { if (event.target.checked) state.selected.add(task.id); else state.selected.delete(task.id); }
          refresh(true);
        } })),
        h("th", {}, "id"), h("th", {}, "type"), h("th", {}, "status"), h("th", { class: "hide-narrow" }, "queue"), h("th", {}, "prio"), h("th", {}, "attempts"), h("th", {}, "progress"), h("th", { class: "hide-narrow" }, "created"), h("th", { class: "hide-narrow" }, "payload / error"))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 10, class: "muted" }, "No tasks match."))))),
      h("div", { class: "pager" },
        h("button", { type: "button", class: "ghost small", id: "page-prev", disabled: page.offset === 0, onclick: () => { state.taskPage.offset = Math.max(0, page.offset - state.taskPage.limit); refresh(false); } }, "← Newer"),
        h("span", { class: "muted", id: "page-info" }, page.total ? `${page.offset + 1}–${last} of ${page.total}` : "0 of 0"),
        h("button", { type: "button", class: "ghost small", id: "page-next", disabled: last >= page.total, onclick: () => { state.taskPage.offset = page.offset + state.taskPage.limit; refresh(false); } }, "Older →"),
        h("label", { class: "inline" }, "per page", h("select", { id: "page-size", onchange: (event) => { state.taskPage.limit = +event.target.value; state.taskPage.offset = 0; refresh(false); } },
          [25, 50, 100, 250].map((n) => h("option", { value: n, selected: n === state.taskPage.limit }, n))))));
  }
  /** Runs a bulk action on the selection: POST /api/tasks/bulk (a dry run first gives the count to confirm). */
  async function bulk(action) {
    const body = { action, filter: bulkFilter() };
    if (!state.allMatching) body.ids = [...state.selected];
    // "All matching" without any filter is every task: say so explicitly (the server refuses an
    // empty filter without ids, so that nobody acts on everything by accident; the confirmation
    // below states the count).
    else if (!Object.keys(body.filter).length) body.filter.status = [...STATUSES];
    if (body.action === "retry") body.resetAttempts = false;
    let preview = null;
    try {
      preview = await api("POST", "/api/tasks/bulk", Object.assign({}, body, { dryRun: true }));
    } catch (error) {
      // 404/405: a server without the bulk endpoint (it reads /api/tasks/bulk as task "bulk").
      if (error.status !== 404 && error.status !== 405) { flash(action + " failed: " + error.message, true); return; }
    }
    if (!preview) return bulkOneByOne(action);
    const ok = await confirmBox(`${action[0].toUpperCase() + action.slice(1)} ${preview.changed} task${preview.changed === 1 ? "" : "s"}? (${preview.matched} selected, ${preview.skipped} cannot be ${action === "retry" ? "retried" : action === "cancel" ? "cancelled" : "deleted"} and will be skipped.)`, `${action} ${preview.changed}`);
    if (!ok) return;
    const result = await act(`${action}: done`, api("POST", "/api/tasks/bulk", body));
    if (result) flash(`${action}: ${result.changed} changed, ${result.skipped} skipped`);
    state.selected.clear();
    state.allMatching = false;
    refresh(true);
  }
  /** Without the bulk endpoint: one request per task (retry and cancel only). */
  async function bulkOneByOne(action) {
    if (action === "delete") { flash("Delete needs POST /api/tasks/bulk, which this server does not have.", true); return; }
    let ids = [...state.selected];
    if (state.allMatching) {
      ids = [];
      const query = filterQuery();
      for (let offset = 0; ; offset += 1000) {
        query.set("limit", 1000); query.set("offset", offset);
        const page = await api("GET", "/api/tasks?" + query.toString());
        ids.push(...page.tasks.map((task) => task.id));
        if (offset + 1000 >= page.total) break;
      }
    }
    const ok = await confirmBox(`${action[0].toUpperCase() + action.slice(1)} ${ids.length} task${ids.length === 1 ? "" : "s"}? Tasks whose status does not allow it are skipped.`, `${action} ${ids.length}`);
    if (!ok) return;
    let changed = 0, skipped = 0;
    for (const id of ids) {
      try { await api("POST", `/api/tasks/${id}/${action}`, action === "retry" ? { resetAttempts: false } : undefined); changed++; }
      catch (_) { skipped++; }
    }
    flash(`${action}: ${changed} changed, ${skipped} skipped`);
    state.selected.clear();
    state.allMatching = false;
    refresh(true);
  }

  // ---- one task ---------------------------------------------------------------------------------
  const FIELDS = ["id", "type", "status", "queue", "priority", "attempts", "maxAttempts", "progress", "uniqueKey", "concurrencyKey", "jobId", "batchId", "onDependencyFailure", "runAt", "createdAt", "updatedAt", "startedAt", "completedAt"];
  async function task() {
    const id = state.params.id;
    if (!document.getElementById("task-detail")) {
      main.append(h("p", {}, h("a", { href: "#/tasks" }, "← Tasks")), h("div", { id: "task-detail", "data-id": id }));
    }
    const [record, dependents] = await Promise.all([
      api("GET", "/api/tasks/" + encodeURIComponent(id)),
      api("GET", "/api/tasks?dependsOn=" + encodeURIComponent(id) + "&limit=100").catch(() => null),
    ]);
    const deps = (record.dependsOn || []);
    // A server without the dependsOn filter ignores it and lists every task: keep only real dependents.
    const real = dependents ? dependents.tasks.filter((t) => (t.dependsOn || []).includes(id)) : [];
    if (changed("task", record)) renderTaskFields(record);
    if (changed("links", [deps, real])) slot("task-links", h("div", { class: "panel grid2" },
      h("div", {}, h("h3", {}, "Depends on"), deps.length ? h("ul", { id: "task-dependencies" }, deps.map((d) => h("li", {}, h("a", { href: "#/tasks/" + d }, "#" + d)))) : h("p", { class: "muted" }, "No dependencies.")),
      h("div", {}, h("h3", {}, "Dependents"), real.length ? h("ul", { id: "task-dependents" }, real.map((t) => h("li", {}, h("a", { href: "#/tasks/" + t.id }, "#" + t.id), " ", t.type, " ", chip(t.status)))) : h("p", { class: "muted" }, "No dependents."))));
    await refreshLogs();
  }
  function renderTaskFields(record) {
    const holder = document.getElementById("task-detail");
    if (!holder) return;
    holder.dataset.status = record.status;
    const progress = record.progress === null || record.progress === undefined ? null : record.progress;
    const value = (key) => {
      const v = record[key];
      if (key === "status") return chip(v);
      if (key.endsWith("At")) return v ? h("span", {}, time(v), " ", h("span", { class: "muted" }, ago(v))) : h("span", { class: "muted" }, "—");
      if (key === "jobId" && v) return h("a", { href: "#/jobs" }, "job " + v);
      if (key === "batchId" && v) return h("a", { href: "#/batches" }, "batch " + v);
      return v === null || v === undefined ? h("span", { class: "muted" }, "—") : String(v);
    };
    holder.replaceChildren(
      h("div", { class: "row" }, h("h2", { style: "margin:0" }, `Task #${record.id} `, h("span", { id: "task-status" }, chip(record.status))), h("span", { class: "spacer" }),
        h("button", { type: "button", id: "task-retry", disabled: !(record.status === "failed" || record.status === "cancelled"), onclick: async () => { await act("Retried", api("POST", `/api/tasks/${record.id}/retry`, { resetAttempts: false })); refresh(true); } }, "Retry"),
        h("button", { type: "button", id: "task-cancel", class: "ghost", disabled: FINAL.has(record.status), onclick: async () => { if (await confirmBox(`Cancel task #${record.id}?`, "Cancel task")) { await act("Cancelled", api("POST", `/api/tasks/${record.id}/cancel`)); refresh(true); } } }, "Cancel")),
      h("div", { class: "panel" }, h("h3", {}, "Progress"),
        h("div", { class: "bar big", id: "task-progress", "data-value": progress === null ? "" : progress, role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": progress === null ? null : progress },
          h("span", { style: `width:${progress || (record.status === "completed" ? 100 : 0)}%` })),
        h("div", { class: "muted", id: "task-progress-text" }, progress === null ? (record.status === "completed" ? "done" : "no progress reported") : progress + " %")),
      h("div", { class: "grid2" },
        h("div", { class: "panel" }, h("h3", {}, "Fields"), h("dl", { class: "fields", id: "task-fields" }, FIELDS.filter((key) => key in record).map((key) => [h("dt", {}, key), h("dd", { "data-field": key }, value(key))]).flat())),
        h("div", { class: "panel" }, h("h3", {}, "Payload"), h("pre", { id: "task-payload" }, json(record.payload)),
          h("h3", {}, "Result"), h("pre", { id: "task-result" }, record.result === null ? "null" : json(record.result)),
          h("h3", {}, "Error"), record.error ? h("pre", { id: "task-error", class: "bad" }, record.error) : h("p", { class: "muted", id: "task-error" }, "none"))));
  }
  async function refreshLogs() {
    const id = state.params.id;
    // A debounced refresh can fire after the operator left the task view.
    if (state.view !== "task" || !id) return;
    const logs = await api("GET", `/api/tasks/${encodeURIComponent(id)}/logs?limit=1000`);
    if (state.view !== "task" || state.params.id !== id) return;
    if (!changed("logs", logs)) return;
    slot("task-log-panel", h("div", { class: "panel" }, h("h3", {}, `Log (${logs.logs.length} lines)`), h("div", { class: "scroll" }, h("table", { id: "task-log" },
      h("thead", {}, h("tr", {}, h("th", {}, "time"), h("th", {}, "level"), h("th", {}, "attempt"), h("th", {}, "message"))),
      h("tbody", {}, logs.logs.map((line) => h("tr", { class: "level-" + line.level },
        h("td", { title: line.timestamp }, new Date(line.timestamp).toLocaleTimeString()), h("td", { class: line.level === "error" ? "bad" : line.level === "warn" ? "muted" : "" }, line.level),
        h("td", {}, line.attempt === null || line.attempt === undefined ? "—" : line.attempt), h("td", { class: "wrap" }, line.message))))))));
  }
  const refreshLogsSoon = debounce(() => refreshLogs().catch(() => {}), 200);

  // ---- jobs ---------------------------------------------------------------------------------------
  async function jobs() {
    if (!document.getElementById("job-form")) main.append(h("h2", {}, "Cron jobs"), jobForm(null));
    const list = await api("GET", "/api/jobs");
    const nexts = await Promise.all(list.jobs.map((job) => optional(`/api/jobs/${job.id}/next?count=5`, "jobnext").catch(() => null)));
    if (!changed("jobs", [list, nexts])) return;
    const rows = list.jobs.map((job, i) => h("tr", { "data-id": job.id, "data-status": job.status },
      h("td", {}, job.id), h("td", {}, h("strong", {}, job.name), h("div", { class: "muted" }, job.type + (job.queue ? " · " + job.queue : ""))),
      h("td", { class: "mono" }, job.schedule), h("td", {}, job.timezone), h("td", {}, chip(job.status)),
      h("td", { class: "mono next-times" }, nexts[i] ? (nexts[i].next.length ? nexts[i].next.map((t) => h("div", { title: t }, new Date(t).toLocaleString())) : h("span", { class: "muted" }, "paused")) : (job.nextRun ? h("div", {}, new Date(job.nextRun).toLocaleString()) : "—")),
      h("td", {}, job.lastRun ? h("div", {}, ago(job.lastRun)) : h("span", { class: "muted" }, "never"), job.lastTaskId ? h("a", { href: "#/tasks/" + job.lastTaskId }, "task #" + job.lastTaskId) : null, h("div", { class: "muted" }, job.runCount + " runs")),
      h("td", {}, h("div", { class: "row" },
        job.status === "paused"
          ? h("button", { type: "button", class: "small resume", onclick: async () => { await act("Resumed " + job.name, api("POST", `/api/jobs/${job.id}/resume`)); refresh(true); } }, "Resume")
          : h("button", { type: "button", class: "small ghost pause", onclick: async () => { await act("Paused " + job.name, api("POST", `/api/jobs/${job.id}/pause`)); refresh(true); } }, "Pause"),
        h("button", { type: "button", class: "small ghost trigger", onclick: async () => { const t = await act("Triggered " + job.name, api("POST", `/api/jobs/${job.id}/trigger`)); if (t) flash(`Triggered ${job.name}: task #${t.id}`); refresh(true); } }, "Trigger"),
        h("button", { type: "button", class: "small ghost edit", onclick: () => { document.getElementById("job-form").replaceWith(jobForm(job)); document.getElementById("job-name").focus(); } }, "Edit"),
        h("button", { type: "button", class: "small danger delete", onclick: async () => { if (await confirmBox(`Delete job "${job.name}"? Its tasks stay.`, "Delete job")) { await act("Deleted " + job.name, api("DELETE", `/api/jobs/${job.id}`)); refresh(true); } } }, "Delete")))));
    slot("job-list", h("div", { class: "scroll panel", style: "padding:0" }, h("table", { id: "job-table" },
      h("thead", {}, h("tr", {}, ["id", "name / type", "schedule", "time zone", "status", "next five", "last run", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No jobs yet."))))));
  }
  function jobForm(job) {
    const editing = !!job;
    const preview = h("div", { class: "preview", id: "cron-preview", "data-state": "empty", "aria-live": "polite" }, "Type a cron expression: five fields, or six with seconds first.");
    let generation = 0;
    const check = debounce(async () => {
      const form = document.getElementById("job-form");
      if (!form) return;
      const expr = form.elements.schedule.value.trim();
      const tz = form.elements.timezone.value.trim() || "UTC";
      const mine = ++generation;
      if (!expr) { preview.dataset.state = "empty"; preview.textContent = "Type a cron expression."; updateSubmit(); return; }
      preview.dataset.state = "pending";
      try {
        const answer = await api("GET", `/api/cron/next?expr=${encodeURIComponent(expr)}&tz=${encodeURIComponent(tz)}&count=5`);
        if (mine !== generation) return;
        preview.dataset.state = "valid";
        preview.replaceChildren(h("span", {}, "✓ next: "), answer.next.map((t, i) => h("span", { class: "mono", title: t }, (i ? " · " : "") + new Date(t).toLocaleString())));
      } catch (error) {
        if (mine !== generation) return;
        if (error.status === 404) { preview.dataset.state = "unchecked"; preview.textContent = "Cron preview not available on this server; the expression is checked on save."; }
        else { preview.dataset.state = "invalid"; preview.textContent = "✗ " + error.message; }
      }
      updateSubmit();
    }, 150);
    function updateSubmit() {
      const form = document.getElementById("job-form");
      if (!form) return;
      form.querySelector("#job-submit").disabled = !(preview.dataset.state === "valid" || preview.dataset.state === "unchecked");
    }
    const submit = async (event) => {
      event.preventDefault();
      const form = event.target;
      const body = { name: form.elements.name.value.trim(), schedule: form.elements.schedule.value.trim(), timezone: form.elements.timezone.value.trim() || "UTC" };
      if (!editing) body.type = form.elements.type.value.trim();
      const priority = form.elements.priority.value;
      if (priority) body.priority = +priority;
      const queue = form.elements.queue.value.trim();
      if (queue) body.queue = queue;
      const payload = form.elements.payload.value.trim();
      if (payload) {
        try { body.payload = JSON.parse(payload); } catch (_) { flash("payload: not valid JSON", true); return; }
      }
      try {
        const saved = editing ? await api("PATCH", `/api/jobs/${job.id}`, body) : await api("POST", "/api/jobs", body);
        flash((editing ? "Saved job " : "Created job ") + saved.name);
        form.replaceWith(jobForm(null));
        refresh(true);
      } catch (error) {
        const out = document.getElementById("job-error");
        out.textContent = error.message;
      }
    };
    const form = h("form", { id: "job-form", class: "panel", "data-mode": editing ? "edit" : "create", onsubmit: submit },
      h("h3", { style: "margin-top:0" }, editing ? `Edit job #${job.id}` : "New cron job"),
      h("div", { class: "filters" },
        h("label", {}, "Name", h("input", { name: "name", id: "job-name", required: true, value: editing ? job.name : "", placeholder: "Daily Backup" })),
        h("label", {}, "Task type", h("input", { name: "type", id: "job-type", required: !editing, disabled: editing, value: editing ? job.type : "", placeholder: "backup" })),
        h("label", {}, "Schedule (cron)", h("input", { name: "schedule", id: "job-schedule", required: true, class: "mono", value: editing ? job.schedule : "", placeholder: "0 0 * * *", autocomplete: "off", spellcheck: "false", oninput: check })),
        h("label", {}, "Time zone", h("input", { name: "timezone", id: "job-timezone", value: editing ? job.timezone : "UTC", oninput: check, list: "zones" })),
        h("label", {}, "Priority (1–20)", h("input", { name: "priority", id: "job-priority", type: "number", min: 1, max: 20, value: editing ? job.priority : "" })),
        h("label", {}, "Queue", h("input", { name: "queue", id: "job-queue", value: editing && job.queue && job.queue !== "default" ? job.queue : "", placeholder: "default" })),
        h("label", { style: "grid-column:1/-1" }, "Payload (JSON)", h("textarea", { name: "payload", id: "job-payload", rows: 2, placeholder: "{}" }, editing ? JSON.stringify(job.payload) : ""))),
      preview,
      h("datalist", { id: "zones" }, ["UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney"].map((z) => h("option", { value: z }))),
      h("p", { id: "job-error", class: "bad", role: "alert" }),
      h("div", { class: "row" }, h("button", { type: "submit", id: "job-submit", disabled: true }, editing ? "Save" : "Create job"),
        editing ? h("button", { type: "button", class: "ghost", onclick: () => { document.getElementById("job-form").replaceWith(jobForm(null)); } }, "Cancel edit") : null));
    if (editing) setTimeout(check, 0);
    return form;
  }

  // ---- queues -------------------------------------------------------------------------------------
  async function queues() {
    if (!document.getElementById("q-title")) main.append(h("h2", { id: "q-title" }, "Queues"));
    const list = await optional("/api/queues", "queues");
    if (!list) { slot("queue-list", notAvailable("Queues are")); return; }
    const editing = document.activeElement && document.activeElement.closest && document.activeElement.closest("form.queue-edit");
    if (editing) return; // do not pull the form away from under the user's fingers
    if (!changed("queues", list)) return;
    const rows = list.queues.map((queue) => {
      const c = queue.counts || {};
      const limit = queue.rateLimit;
      const save = async (event) => {
        event.preventDefault();
        const f = event.target.elements;
        const number = (v) => v.trim() === "" ? null : Number(v);
        const body = { concurrency: number(f.concurrency.value), perKeyConcurrency: number(f.perKey.value) };
        body.rateLimit = f.rateLimit.value.trim() === "" ? null : { limit: Number(f.rateLimit.value), periodMs: Number(f.periodMs.value || 60000) };
        if (await act("Saved " + queue.name, api("PATCH", "/api/queues/" + encodeURIComponent(queue.name), body))) refresh(true);
      };
      return h("tr", { "data-name": queue.name, "data-paused": queue.paused ? "true" : "false" },
        h("td", {}, h("a", { href: "#/tasks?queue=" + encodeURIComponent(queue.name) }, h("strong", {}, queue.name)), h("div", {}, queue.paused ? chip("paused") : chip("active"))),
        h("td", { class: "mono" }, STATUSES.map((s) => c[s] ? h("div", {}, h("span", { class: "s-" + s }, s), " " + c[s]) : null)),
        h("td", { title: queue.oldestReadyAt || "" }, queue.oldestReadyAt ? ago(queue.oldestReadyAt) : "—"),
        h("td", {}, h("form", { class: "queue-edit row", onsubmit: save },
          h("label", {}, "concurrency", h("input", { name: "concurrency", type: "number", min: 1, max: 10000, value: queue.concurrency ?? "", placeholder: "∞", style: "width:90px" })),
          h("label", {}, "per key", h("input", { name: "perKey", type: "number", min: 1, max: 10000, value: queue.perKeyConcurrency ?? "", placeholder: "∞", style: "width:80px" })),
          h("label", {}, "rate limit", h("input", { name: "rateLimit", type: "number", min: 1, max: 1000000, value: limit ? limit.limit : "", placeholder: "none", style: "width:90px" })),
          h("label", {}, "per ms", h("input", { name: "periodMs", type: "number", min: 1, max: 86400000, value: limit ? limit.periodMs : "", placeholder: "60000", style: "width:100px" })),
          h("button", { type: "submit", class: "small ghost save" }, "Save"))),
        h("td", {}, queue.paused
          ? h("button", { type: "button", class: "small resume", onclick: async () => { await act("Resumed " + queue.name, api("POST", `/api/queues/${encodeURIComponent(queue.name)}/resume`)); refresh(true); } }, "Resume")
          : h("button", { type: "button", class: "small ghost pause", onclick: async () => { await act("Paused " + queue.name, api("POST", `/api/queues/${encodeURIComponent(queue.name)}/pause`)); refresh(true); } }, "Pause")));
    });
    slot("queue-list", h("div", { class: "scroll panel", style: "padding:0" }, h("table", { id: "queue-table" },
      h("thead", {}, h("tr", {}, ["queue", "counts", "oldest ready", "limits (empty = none)", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No queues yet."))))));
  }

  // ---- batches --------------------------------------------------------------------------------------
  async function batches() {
    if (!document.getElementById("b-title")) main.append(h("h2", { id: "b-title" }, "Batches"));
    const list = await optional("/api/batches?limit=50", "batches");
    if (!list) { slot("batch-list", notAvailable("Batches are")); return; }
    const callbacks = await Promise.all(list.batches.map((b) => b.callbackTaskId ? api("GET", "/api/tasks/" + b.callbackTaskId).catch(() => null) : null));
    if (!changed("batches", [list, callbacks])) return;
    const rows = list.batches.map((batch, i) => {
      const c = batch.counts || {};
      const done = (c.completed || 0) + (c.failed || 0) + (c.cancelled || 0);
      const percent = batch.total ? Math.round((done * 100) / batch.total) : 100;
      const callback = callbacks[i];
      return h("tr", { "data-id": batch.id, "data-status": batch.status },
        h("td", {}, h("a", { href: "#/tasks?batchId=" + encodeURIComponent(batch.id) }, "#" + batch.id)),
        h("td", {}, chip(batch.status)),
        h("td", {}, h("div", { class: "bar", role: "progressbar", "aria-valuenow": percent, "aria-valuemin": 0, "aria-valuemax": 100 }, h("span", { style: `width:${percent}%` })), h("div", { class: "muted" }, `${done}/${batch.total} final · ${percent}%`)),
        h("td", { class: "mono" }, STATUSES.map((s) => c[s] ? h("span", { class: "s-" + s }, `${s} ${c[s]} `) : null)),
        h("td", {}, callback ? h("span", {}, h("a", { href: "#/tasks/" + callback.id }, "#" + callback.id), " ", chip(callback.status)) : h("span", { class: "muted" }, "none")),
        h("td", { title: batch.createdAt }, ago(batch.createdAt)), h("td", {}, batch.finishedAt ? ago(batch.finishedAt) : "—"),
        h("td", {}, batch.status === "running" ? h("button", { type: "button", class: "small danger", onclick: async () => { if (await confirmBox(`Cancel every unfinished task of batch #${batch.id}?`, "Cancel batch")) { await act("Cancelled batch " + batch.id, api("POST", `/api/batches/${batch.id}/cancel`)); refresh(true); } } }, "Cancel") : null));
    });
    slot("batch-list", h("div", { class: "scroll panel", style: "padding:0" }, h("table", { id: "batch-table" },
      h("thead", {}, h("tr", {}, ["batch", "status", "progress", "counts", "callback", "created", "finished", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No batches yet."))))));
  }

  const VIEWS = { overview, tasks, task, jobs, queues, batches };

  // ---- keyboard -------------------------------------------------------------------------------------
  let pendingG = false;
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (document.querySelector("dialog[open]")) return;
    const key = event.key;
    if (pendingG) {
      pendingG = false;
      const to = { o: "#/", t: "#/tasks", j: "#/jobs", q: "#/queues", b: "#/batches" }[key];
      if (to) { location.hash = to; event.preventDefault(); }
      return;
    }
    if (key === "g") { pendingG = true; setTimeout(() => { pendingG = false; }, 1200); }
    else if (key === "r") { refresh(false); }
    else if (key === "/") {
      const input = document.getElementById("filter-type") || document.getElementById("job-schedule");
      if (input) { input.focus(); event.preventDefault(); }
    } else if (key === "?") {
      flash("g o / g t / g j / g q / g b: switch view · /: filter · r: refresh · Tab: move · Enter/Space: act");
    }
  });
  document.getElementById("token-button").addEventListener("click", async () => {
    sessionStorage.removeItem(TOKEN_KEY);
    if (await askToken()) { reconnectEvents(); refresh(false); }
  });
  if (token()) document.getElementById("token-button").hidden = false;

  window.addEventListener("hashchange", () => { route(); main.focus({ preventScroll: true }); });
  // Relative times and the chart drift; redraw the overview every 30 s even when nothing happens.
  setInterval(() => { if (!document.hidden && state.view === "overview") refresh(true); }, 30000);
  window.workerDashboard = { state, refresh };
  route();
  connectEvents();
})();
