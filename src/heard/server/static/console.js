// heard console: the little the server cannot do. Every action is a plain form that works
// without this script; the script adds the live draft review, one-click suggestions and
// rewrites, local times, and a notice when the conversation changes. No dependencies.
"use strict";

(function () {
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  // --- times in the reader's own zone ------------------------------------------------------
  const clock = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function ago(date) {
    const minutes = Math.round((Date.now() - date.getTime()) / 60000);
    if (minutes < 1) return "just now";
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    if (hours < 48) return `${hours} h ago`;
    return `${Math.round(hours / 24)} days ago`;
  }
  function localTimes() {
    for (const t of $$("time[datetime]")) {
      const date = new Date(t.getAttribute("datetime"));
      if (isNaN(date)) continue;
      t.title = clock.format(date);
      t.textContent = t.hasAttribute("data-ago") ? ago(date) : clock.format(date);
    }
  }

  // --- follow-up times: edit in local time, send the offset ----------------------------------
  function pad(n) { return String(n).padStart(2, "0"); }
  function localForms() {
    for (const form of $$("form[data-local-form]")) {
      const input = $('input[type="datetime-local"]', form);
      const utc = new Date(input.dataset.utc);
      if (!isNaN(utc)) {
        input.value = `${utc.getFullYear()}-${pad(utc.getMonth() + 1)}-${pad(utc.getDate())}T${pad(utc.getHours())}:${pad(utc.getMinutes())}`;
      }
      const zone = $("[data-zone]", form);
      if (zone) zone.textContent = `(your time, ${Intl.DateTimeFormat().resolvedOptions().timeZone || "local"})`;
      form.addEventListener("submit", () => {
        const chosen = new Date(input.value);
        $('input[name="tz_offset"]', form).value = String(-chosen.getTimezoneOffset());
      });
    }
  }

  // --- the draft box ----------------------------------------------------------------------
  const draft = $("#draft");
  const review = $("#review");
  const status = $("#review-status");
  const highlights = $("#draft-highlights");
  let reviewed = null; // the draft the findings on screen belong to
  let pending = null;
  let timer = null;

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Mirror the draft behind the textarea with each finding's span marked.
  function paint() {
    if (!highlights) return;
    const text = draft.value;
    const result = $(".review-result", review);
    if (!result || result.dataset.draft !== text) {
      highlights.innerHTML = escape(text) + "\n";
      return;
    }
    const spans = $$(".finding", result)
      .map((f) => ({ start: +f.dataset.start, end: +f.dataset.end, severity: f.dataset.severity }))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    let html = "";
    let at = 0;
    for (const s of spans) {
      if (s.start < at) continue; // overlapping spans: the first one shows
      html += escape(text.slice(at, s.start));
      html += s.start === s.end
        ? '<mark class="insert"></mark>'
        : `<mark class="sev-${s.severity}">${escape(text.slice(s.start, s.end))}</mark>`;
      at = Math.max(at, s.end);
    }
    highlights.innerHTML = html + escape(text.slice(at)) + "\n";
    highlights.scrollTop = draft.scrollTop;
  }

  async function runReview() {
    const text = draft.value;
    if (text === reviewed) return;
    if (pending) pending.abort();
    pending = new AbortController();
    status.textContent = text.trim() ? "Reviewing…" : "";
    try {
      const answer = await fetch(draft.dataset.reviewUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": draft.dataset.csrf, Accept: "text/html-fragment" },
        body: JSON.stringify({ draft: text }),
        signal: pending.signal,
        credentials: "same-origin",
      });
      const html = await answer.text();
      if (draft.value !== text) return; // typed on meanwhile: the next review follows
      review.innerHTML = html;
      reviewed = text;
      const result = $(".review-result", review);
      if (!answer.ok) status.textContent = "The review failed; see below.";
      else if (!result) status.textContent = "";
      else if (+result.dataset.findings === 0) status.textContent = `Ready to send (score ${result.dataset.score}).`;
      else status.textContent = `${result.dataset.findings} to fix (score ${result.dataset.score}).`;
      paint();
    } catch (e) {
      if (e.name !== "AbortError") status.textContent = "Could not reach heard to review the draft.";
    }
  }

  function changed() {
    paint();
    if (draft.dataset.key) sessionStorage.setItem(draft.dataset.key, draft.value);
    clearTimeout(timer);
    timer = setTimeout(runReview, 350);
  }

  // Put a suggestion in: at the cursor if the draft has focus, else at the end.
  function insert(text) {
    const value = draft.value;
    const atCursor = document.activeElement === draft;
    const start = atCursor ? draft.selectionStart : value.length;
    const end = atCursor ? draft.selectionEnd : value.length;
    const before = value.slice(0, start);
    const after = value.slice(end);
    const glue = before && !/\s$/.test(before) ? " " : "";
    const tail = after && !/^\s/.test(after) ? " " : "";
    draft.value = before + glue + text.trim() + tail + after;
    const caret = (before + glue + text.trim()).length;
    draft.focus();
    draft.setSelectionRange(caret, caret);
    changed();
  }

  function apply(button) {
    const text = draft.value;
    if (reviewed !== text) { runReview(); return; } // the spans belong to an older draft
    const start = +button.dataset.start;
    const end = +button.dataset.end;
    let suggestion = button.dataset.suggestion;
    draft.value = (text.slice(0, start) + suggestion + text.slice(end)).replace(/ {2,}/g, " ").trim();
    draft.focus();
    const caret = Math.min(draft.value.length, start + suggestion.length);
    draft.setSelectionRange(caret, caret);
    status.textContent = "Rewrite applied. Reviewing again…";
    changed();
    clearTimeout(timer);
    runReview();
  }

  if (draft) {
    const kept = draft.dataset.key && sessionStorage.getItem(draft.dataset.key);
    if (kept && !draft.value) draft.value = kept;
    draft.addEventListener("input", changed);
    draft.addEventListener("scroll", () => { if (highlights) highlights.scrollTop = draft.scrollTop; });
    draft.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        $("#send-form").requestSubmit();
      }
    });
    $("#send-form").addEventListener("submit", () => { sessionStorage.removeItem(draft.dataset.key); });
    if (draft.value) changed();
  }

  document.addEventListener("click", (e) => {
    const use = e.target.closest("button.use");
    if (use && draft) {
      insert(use.dataset.insert);
      if (use.dataset.remedy) {
        const radio = $(`#resolve-form input[name="remedy"][value="${CSS.escape(use.dataset.remedy)}"]`);
        if (radio && !radio.disabled) radio.checked = true;
      }
      return;
    }
    const fix = e.target.closest("button.apply");
    if (fix && draft) { apply(fix); return; }
    if (e.target.closest("[data-reload]")) location.reload();
  });

  // --- a notice when the conversation changes (the customer wrote, a colleague replied) -------
  const layout = $("[data-conversation]");
  if (layout) {
    const seen = layout.dataset.messages + "/" + layout.dataset.status;
    setInterval(async () => {
      if (document.hidden) return;
      try {
        const answer = await fetch(`/conversations/${layout.dataset.conversation}/since`, { credentials: "same-origin" });
        if (!answer.ok) return;
        const now = await answer.json();
        if (`${now.messages}/${now.status}` !== seen) $("#refresh").hidden = false;
      } catch (e) { /* offline for a moment: try again next time */ }
    }, 8000);
  }

  // --- sections that take a while (the lead's insights): fetched after the page is shown ------
  async function loadFragments() {
    for (const section of $$("[data-fragment]")) {
      try {
        const answer = await fetch(section.dataset.fragment, {
          credentials: "same-origin", headers: { Accept: "text/html-fragment" },
        });
        if (!answer.ok || answer.redirected) throw new Error(String(answer.status));  // signed out
        section.outerHTML = await answer.text();
      } catch (e) {
        const status = $("[data-fragment-status]", section);
        if (status) status.firstChild.textContent = "The insights could not be loaded. ";
        section.removeAttribute("aria-busy");
      }
    }
    localTimes();
  }

  // --- practice: the simulated customer's lines arrive at their times, as in a live chat; the
  // page says when a reply would still cut into their burst (the server tells from when not) ---
  const chat = $("#chat[data-elapsed]");
  if (chat && chat.dataset.burst !== "over") {
    const elapsed = +chat.dataset.elapsed;
    const quiet = +chat.dataset.quiet;
    const began = performance.now();
    const coming = $$("li.msg-customer[data-at]", chat).filter((li) => +li.dataset.at > elapsed);
    const typing = $("#typing");
    const arrive = () => {
      const now = elapsed + (performance.now() - began) / 1000;
      let waiting = 0;
      for (const li of coming) {
        li.hidden = +li.dataset.at > now;
        if (li.hidden) waiting += 1;
      }
      const burst = waiting ? "arriving" : now < quiet ? "venting" : "over";
      chat.dataset.burst = burst;
      typing.hidden = burst === "over";
      for (const says of $$("[data-says]", typing)) says.hidden = says.dataset.says !== burst;
      if (burst !== "over") setTimeout(arrive, 250);
    };
    arrive();
  }
  if (chat) {
    const reply = $("#reply");
    if (reply) {
      reply.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); $("#reply-form").requestSubmit(); }
      });
    }
  }

  localTimes();
  localForms();
  loadFragments();
})();
