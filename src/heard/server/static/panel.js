/* heard's panel inside a helpdesk (templates/panel.html).
 *
 * The helpdesk tells the panel which conversation is open with a window message:
 *   Chatwoot: its Dashboard App "appContext" ({"event": "appContext", "data": {"conversation",
 *             "contact", "currentAgent"}}, a JSON string); asked again with
 *             "chatwoot-dashboard-app:fetch-info".
 *   bridge:   heard's own messages, which the Zendesk app's bridge
 *             (integrations/zendesk_app/files/assets/bridge.js) speaks: it sends
 *             {"event": "heard:context", ...} the same way; "heard:fetch-info" asks again and
 *             {"event": "heard:insert", "text"} puts a line into the agent's reply.
 * A message from an origin that is not the connection's (data-origins) is ignored. Everything
 * shown is set as text, never as HTML: it holds what customers wrote.
 */
(function () {
  "use strict";
  var root = document.getElementById("panel");
  if (!root) return;
  var mode = root.dataset.mode;
  var api = root.dataset.api;
  var origins = JSON.parse(root.dataset.origins || "[]");
  var parentOrigin = null;
  var conversation = null;
  var poll = null;
  var reviewTimer = null;
  var asking = null;
  var ignored = 0;  // messages refused for their origin (shown as data-ignored: tests and support read it)
  var $ = function (id) { return document.getElementById(id); };

  function allowed(origin) {
    return origins.some(function (o) {
      if (o === origin) return true;
      var star = o.indexOf("://*.");
      if (star < 0) return false;  // "https://*.example.com": any subdomain, same scheme
      var scheme = o.slice(0, star + 3), suffix = o.slice(star + 4);
      return origin.indexOf(scheme) === 0 && origin.length > scheme.length + suffix.length &&
        origin.slice(-suffix.length) === suffix;
    });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function status(text) { $("status").textContent = text; $("status").hidden = !text; }

  function askContext() {
    if (window.parent === window) return;
    var ask = mode === "chatwoot" ? "chatwoot-dashboard-app:fetch-info" : JSON.stringify({ event: "heard:fetch-info" });
    window.parent.postMessage(ask, "*");  // a request with nothing in it; the answer's origin is checked
  }

  window.addEventListener("message", function (event) {
    if (!allowed(event.origin)) { root.dataset.ignored = String(++ignored); return; }
    var message = event.data;
    if (typeof message === "string") {
      try { message = JSON.parse(message); } catch (e) { return; }
    }
    if (!message || typeof message !== "object") return;
    if (message.event !== "appContext" && message.event !== "heard:context") return;
    var data = message.data || {};
    var id = data.conversation && data.conversation.id;
    if (id === undefined || id === null || id === "") return;
    parentOrigin = event.origin;
    if (asking) { window.clearInterval(asking); asking = null; }
    var agent = data.currentAgent && data.currentAgent.name;
    root.dataset.agent = agent || "";
    open(String(id));
  });

  function open(id) {
    if (id !== conversation) {
      conversation = id;
      $("draft").value = "";
      $("review").textContent = "";
      $("view").hidden = true;
      status("Reading conversation " + id + "…");
    }
    refresh();
    if (!poll) poll = window.setInterval(refresh, 5000);  // live: new messages arrive by webhook
  }

  function url(tail) { return api + "/conversations/" + encodeURIComponent(conversation) + (tail || ""); }

  function refresh() {
    if (!conversation) return;
    var asked = conversation;
    fetch(url(), { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        if (asked !== conversation) return;
        if (!answer.ok) { $("view").hidden = true; status(answer.body.detail || "heard cannot show this conversation"); return; }
        show(answer.body);
      })
      .catch(function () { status("heard is not reachable; retrying"); });
  }

  function copyButton(text) {
    var button = el("button", "Copy", "small");
    button.type = "button";
    button.addEventListener("click", function () {
      var done = function () { button.textContent = "Copied"; window.setTimeout(function () { button.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text) && done(); });
      } else if (fallbackCopy(text)) { done(); }
    });
    return button;
  }

  function fallbackCopy(text) {
    var area = el("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  function insertButton(text) {
    var button = el("button", "Insert", "small primary");
    button.type = "button";
    button.addEventListener("click", function () {
      if (!parentOrigin) return;
      window.parent.postMessage(JSON.stringify({ event: "heard:insert", text: text }), parentOrigin);
      button.textContent = "Inserted";
      window.setTimeout(function () { button.textContent = "Insert"; }, 1500);
    });
    return button;
  }

  function line(kind, text) {
    var item = el("li", null, "line");
    item.appendChild(el("span", kind, "kind"));
    item.appendChild(el("p", text, "text"));
    var buttons = el("div", null, "buttons");
    buttons.appendChild(copyButton(text));
    if (mode === "bridge") buttons.appendChild(insertButton(text));
    item.appendChild(buttons);
    return item;
  }

  function fill(list, items) {
    list.textContent = "";
    items.forEach(function (item) { list.appendChild(item); });
    if (!items.length) list.appendChild(el("li", "Nothing yet.", "empty"));
  }

  function show(view) {
    status("");
    $("view").hidden = false;
    var level = $("level");
    level.textContent = view.level || "no customer message yet";
    level.className = "level level-" + (view.level || "none");
    fill($("trend"), view.trend.map(function (p, i) {
      var dot = el("li", null, "dot level-" + p.level);
      dot.title = "message " + (i + 1) + ": " + p.level;
      return dot;
    }));
    $("venting").hidden = !view.venting;
    var next = view.next_action;
    $("next").textContent = next ? next.why : "";
    var s = view.suggestions, lines = [];
    if (s.reflection) lines.push(line("Reflect", s.reflection));
    if (s.acknowledgement) lines.push(line("Acknowledge", s.acknowledgement));
    if (s.apology) lines.push(line("Apologise", s.apology));
    (s.questions || []).forEach(function (q) { lines.push(line("Ask", q.text)); });
    fill($("suggestions"), lines);
    fill($("offers"), view.offers.map(function (o) {
      var item = line(o.needs_approval ? "Needs " + (o.approver || "lead") + " approval" : "Offer", o.text);
      return item;
    }));
    var card = view.scorecard;
    $("score").textContent = card ? card.score + " / 100 on the playbook so far" : "";
    fill($("steps"), card ? card.steps.filter(function (st) { return st.status !== "not_needed"; }).map(function (st) {
      return el("li", st.step.replace(/_/g, " ") + ": " + st.status.replace(/_/g, " "), "step step-" + st.status);
    }) : []);
  }

  function review() {
    var draft = $("draft").value;
    if (!draft.trim() || !conversation) { $("review").textContent = ""; return; }
    var asked = draft;
    fetch(url("/review"), {
      method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ draft: draft })
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        if ($("draft").value !== asked) return;  // the agent typed on: a newer review is coming
        var box = $("review");
        box.textContent = "";
        if (!answer.ok) { box.appendChild(el("p", answer.body.detail || "heard cannot review this draft", "warn")); return; }
        box.appendChild(el("p", "Draft: " + answer.body.score + " / 100", "score"));
        var list = el("ul", null, "findings");
        answer.body.findings.forEach(function (f) {
          var item = el("li", null, "finding finding-" + f.severity);
          item.appendChild(el("p", f.message));
          if (f.suggestion) item.appendChild(el("p", "Try: " + f.suggestion, "suggestion"));
          list.appendChild(item);
        });
        if (!answer.body.findings.length) list.appendChild(el("li", "Nothing to change.", "empty"));
        box.appendChild(list);
      })
      .catch(function () { $("review").textContent = "heard is not reachable; retrying when you type"; });
  }

  $("draft").addEventListener("input", function () {
    window.clearTimeout(reviewTimer);
    reviewTimer = window.setTimeout(review, 350);
  });

  // Ask now, and again every two seconds until the helpdesk answers: its page may not be
  // listening yet when the panel loads (an answer that came too early is lost).
  askContext();
  asking = window.setInterval(askContext, 2000);
})();
