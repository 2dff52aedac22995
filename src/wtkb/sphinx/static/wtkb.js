/* wtkb handbook: copy-citation buttons, sortable tables, asking questions and building briefing
   packs through the wtkb server, and small accessibility repairs of the theme. No dependencies.
   Everything that comes from the server is inserted as text (textContent), never as HTML. */
(function () {
  "use strict";

  /* ==== citations (book engineer): copy citation ============================================
     A case-record citation of the ORIGINAL document (data-source: publisher, date, title, section,
     printed page, the publication's address; built by wtkb.corpus.citation) followed by this
     handbook's permalink. A record without one falls back to "label — URL". */

  function citation(button) {
    var id = button.getAttribute("data-target");
    var url = window.location.origin + window.location.pathname + "#" + id;
    var source = button.getAttribute("data-source");
    if (source) { return source + " Handbook: " + url; }
    return button.getAttribute("data-cite") + " — " + url;
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; },
        function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function flash(button, message) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = message;
    button.classList.add("wtkb-copied");
    window.setTimeout(function () {
      button.textContent = original;
      button.classList.remove("wtkb-copied");
    }, 1800);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.wtkb-cite") : null;
    if (!button) { return; }
    var text = citation(button);
    button.setAttribute("data-citation", text);
    copy(text).then(function (ok) {
      flash(button, ok ? "Copied" : "Copy failed: select the link instead");
    });
  });

  /* ---- sortable tables: <table class="wtkb-sortable"> ------------------ */

  function cellValue(row, index) {
    var cell = row.cells[index];
    var text = cell ? cell.textContent.trim() : "";
    var number = parseFloat(text.replace(/[,%£]/g, ""));
    return { text: text, number: /^[\d.,%£\s-]+$/.test(text) && !isNaN(number) ? number : null };
  }

  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.map.call(body.rows, function (row, i) { return { row: row, i: i }; });
    rows.sort(function (a, b) {
      var x = cellValue(a.row, index), y = cellValue(b.row, index), c;
      if (x.number !== null && y.number !== null) { c = x.number - y.number; }
      else { c = x.text.localeCompare(y.text, undefined, { numeric: true, sensitivity: "base" }); }
      if (!ascending) { c = -c; }
      return c || a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tHead.rows.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "wtkb-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      button.setAttribute("title", "Sort by this column");
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
    table.classList.add("wtkb-sortable-ready");
  }

  /* ---- the wtkb server: /health, /ask, /briefings ---------------------- */

  var MAX_QUESTION = 1000;
  /* a message: text, with {code: "..."} parts shown as code */
  var NO_SERVER = ["Asking questions and building briefing packs need this handbook's answering service, and " +
    "this copy is being read without it. Everything else works: browse the topics, the duties register and " +
    "the sources, or use the search box. If you expected to be able to ask, tell whoever runs this handbook " +
    "for your organisation (the service is started with ", { code: "wtkb serve" }, ")."];

  function contentRoot() {
    var root = document.documentElement.getAttribute("data-content_root");
    if (root === null) { root = (window.DOCUMENTATION_OPTIONS && DOCUMENTATION_OPTIONS.URL_ROOT) || "./"; }
    return root;
  }

  /* an API path ("ask") or a handbook link from the API ("/sources/x.html#id") -> URL of this site */
  function siteUrl(path) {
    return new URL(contentRoot() + String(path).replace(/^\//, ""), window.location.href).href;
  }

  /* a citation's address from the API: already public (WTKB_BASE_URL: "/", "/wtkb/" or a full URL), so it
     is resolved as it is, never re-rooted under this page's folder */
  function citationUrl(url) {
    return new URL(String(url), window.location.href).href;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  var serverCheck = null;
  /* resolves to {ok: true} or {ok: false, message: "..."}; asked once per page */
  function checkServer() {
    if (serverCheck) { return serverCheck; }
    if (window.location.protocol === "file:" || !window.fetch) {
      serverCheck = Promise.resolve({ ok: false, message: NO_SERVER });
      return serverCheck;
    }
    serverCheck = fetch(siteUrl("health"), { headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (body && body.status === "ok") { return { ok: true }; }
        if (body && typeof body.status === "string") {
          return { ok: false, message: ["The wtkb server is running but cannot answer yet: " +
            (body.message || body.status) + "."] };
        }
        return { ok: false, message: NO_SERVER };
      }, function () { return { ok: false, message: NO_SERVER }; });
    }, function () { return { ok: false, message: NO_SERVER }; });
    return serverCheck;
  }

  function problem(response) {
    return response.json().then(function (body) {
      return (body && body.detail) ? String(body.detail) : "the server answered " + response.status;
    }, function () { return "the server answered " + response.status; });
  }

  function setStatus(node, message, kind) {
    node.textContent = "";
    [].concat(message || []).forEach(function (part) {
      node.appendChild(typeof part === "string" ? document.createTextNode(part) : el("code", null, part.code));
    });
    node.className = "wtkb-status" + (kind ? " wtkb-status-" + kind : "");
  }

  /* ---- answers (Ask page / ask box block: voice labels, quoted-sentence links) ---------------- */

  var CITE = /\s*\[([A-Za-z0-9][A-Za-z0-9, -]*)\]/g;
  var QUOTE_PARAM = "quote";  /* ?quote=START-END#record-id: the answer's sentence within the paragraph */

  function squash(text) { return String(text || "").replace(/\s+/g, " ").trim(); }

  /* the link to a cited paragraph; with a sentence, the link also names where that sentence is in it */
  function citeHref(c, sentence) {
    var url = new URL(citationUrl(c.url));
    var para = squash(c.text), quoted = squash(sentence).replace(/^…/, "");
    var at = quoted ? para.indexOf(quoted) : -1;
    /* an answer may put whose words they are before the sentence ("Respondents' views: …") */
    var lead = quoted.indexOf(": ");
    if (at < 0 && lead > 0) { quoted = quoted.slice(lead + 2); at = para.indexOf(quoted); }
    if (at >= 0) { url.search = "?" + QUOTE_PARAM + "=" + at + "-" + (at + quoted.length); }
    return url.href;
  }

  /* "Government decision", "Summary of respondents' views", …: shown on every citation, when the API gives it */
  function voiceLabel(c) {
    if (!c.voice_label) { return null; }
    var span = el("span", "wtkb-voice wtkb-voice-" + String(c.voice || "other").replace(/[^a-z-]/g, "") +
      (c.myth ? " wtkb-voice-myth" : ""), c.voice_label);
    return span;
  }

  function citationList(items, className) {
    var list = el("ol", className);
    items.forEach(function (c) {
      var li = el("li");
      var voice = voiceLabel(c);
      if (voice) { li.appendChild(voice); }
      var a = el("a", "wtkb-answer-cite", c.label);
      a.href = citationUrl(c.url);
      a.setAttribute("data-id", c.id);
      li.appendChild(a);
      var more = el("details", "wtkb-answer-para");
      more.appendChild(el("summary", null, "Show the paragraph"));
      more.appendChild(el("blockquote", null, c.text));
      li.appendChild(more);
      list.appendChild(li);
    });
    return list;
  }

  function renderAnswer(out, data) {
    out.textContent = "";
    /* headings follow the page's outline: h2 on the Ask page (under its h1), h3 in a page's ask box */
    var level = out.closest(".wtkb-ask-page") ? 2 : 3;
    var sub = "h" + (level + 1);
    var head = el("h" + level, "wtkb-answer-heading", !data.supported ? "Not answered by the sources" :
      data.hedged ? "Not a direct answer: the closest the sources come" : "Answer");
    out.appendChild(head);
    var text = String(data.answer || ""), last = 0, m;
    if (data.hedged) {  /* the hedge opens the answer text: shown apart, as a warning, before the sentences */
      var first = (data.sentences || [])[0], start = first ? text.indexOf((first.lead || "") + first.text) : -1;
      if (start > 0) {
        out.appendChild(el("p", "wtkb-answer-hedge", text.slice(0, start).trim()));
        text = text.slice(start);
      }
    }
    var body = el("p", data.supported ? "wtkb-answer-text" : "wtkb-answer-text wtkb-answer-none");
    var ids = (data.citations || []).map(function (c) { return c.id; });
    CITE.lastIndex = 0;
    while ((m = CITE.exec(text)) !== null) {
      var copied = text.slice(last, m.index).replace(/^\s+/, ""), sentence = copied;
      /* a list item copied without its lead-in ("we will:") starts mid-sentence: mark the cut */
      if (/^[a-z]/.test(sentence)) { sentence = "…" + sentence; }
      body.appendChild(document.createTextNode((last ? " " : "") + sentence + " "));
      m[1].split(/,\s*/).forEach(function (id) {
        var n = ids.indexOf(id);
        if (n < 0) { return; }
        var c = data.citations[n];
        var a = el("a", "wtkb-answer-marker", "[" + (n + 1) + "]");
        a.href = citeHref(c, copied);
        a.setAttribute("aria-label", "source " + (n + 1) + ": " + (c.voice_label ? c.voice_label + ", " : "") +
          c.label);
        body.appendChild(a);
      });
      last = CITE.lastIndex;
    }
    body.appendChild(document.createTextNode(text.slice(last)));
    out.appendChild(body);
    if (data.citations && data.citations.length) {
      out.appendChild(el(sub, "wtkb-answer-sub", "Sources cited"));
      out.appendChild(citationList(data.citations, "wtkb-citations"));
    }
    if (data.see_also && data.see_also.length) {
      out.appendChild(el(sub, "wtkb-answer-sub", data.supported ? "See also" : "Nearest paragraphs"));
      out.appendChild(citationList(data.see_also, "wtkb-see-also"));
    }
    out.appendChild(el("p", "wtkb-answer-note", "Answer sentences are copied from the cited paragraphs; " +
      "read them in context before relying on them. Not legal advice."));
  }

  function answeredStatus(data) {
    var n = (data.citations || []).length, paras = n + " cited paragraph" + (n === 1 ? "" : "s");
    if (!data.supported) { return "The sources do not answer this question."; }
    return data.hedged ? "The sources may not answer this exactly: the closest sentences, from " + paras + "." :
      "Answered from " + paras + ".";
  }

  /* ---- keeping an answer across Back (Ask page / ask box block) ----------------------------------
     The question and the answer are kept in this page's own history entry (history.state): Back or
     a reload shows them again; they are never put in the address, never sent anywhere, and they go
     when the tab is closed. "Clear" removes them. */

  function stateKey(form) { return "wtkbAsk" + form.getAttribute("data-ask-index"); }

  function remember(form, question, data) {
    form.classList.toggle("wtkb-has-answer", !!data);
    if (!window.history || !history.replaceState) { return; }
    var state = {};
    var old = history.state;
    if (old && typeof old === "object") { Object.keys(old).forEach(function (k) { state[k] = old[k]; }); }
    if (data) { state[stateKey(form)] = { question: question, data: data }; } else { delete state[stateKey(form)]; }
    try { history.replaceState(state, ""); } catch (e) { /* too large or not allowed: not kept */ }
  }

  function restore(form) {
    var kept = window.history && history.state && history.state[stateKey(form)];
    if (!kept || !kept.data) { return false; }
    var out = form.parentNode.querySelector(".wtkb-answer");
    form.querySelector("[name=question]").value = kept.question || "";
    renderAnswer(out, kept.data);
    setStatus(form.querySelector(".wtkb-status"), answeredStatus(kept.data), "done");
    form.classList.add("wtkb-has-answer");
    return true;
  }

  function clearAnswer(form) {
    form.querySelector("[name=question]").value = "";
    form.parentNode.querySelector(".wtkb-answer").textContent = "";
    setStatus(form.querySelector(".wtkb-status"), "");
    remember(form, "", null);
    form.querySelector("[name=question]").focus();
  }

  /* ---- the quoted sentence on the page a citation leads to (Ask page / ask box block) ------------ */

  function markQuoted() {
    var m = new RegExp("[?&]" + QUOTE_PARAM + "=(\\d+)-(\\d+)").exec(window.location.search);
    var id = decodeURIComponent(window.location.hash.slice(1));
    var record = m && id ? document.getElementById(id) : null;
    var textNode = record ? record.querySelector(".wtkb-text") : null;
    if (!textNode) { return; }
    var start = parseInt(m[1], 10), end = parseInt(m[2], 10);
    /* walk the paragraph's text (not its footnote markers), counting characters as the answer did:
       runs of white space count as one, leading white space not at all */
    var walker = document.createTreeWalker(textNode, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) { return n.parentNode.closest(".wtkb-fnmark") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
    });
    var pos = 0, prevSpace = true, pieces = [], node;
    while (pos < end && (node = walker.nextNode())) {
      var s = node.nodeValue, from = -1, to = -1;
      for (var i = 0; i < s.length && pos < end; i++) {
        var space = /\s/.test(s[i]);
        if (space && prevSpace) { continue; }
        prevSpace = space;
        if (pos >= start) { if (from < 0) { from = i; } to = i + 1; }
        pos += 1;
      }
      if (from >= 0) { pieces.push({ node: node, from: from, to: to }); }
    }
    if (pos < end || !pieces.length) { return; }  /* the paragraph changed since the answer: no sentence */
    pieces.forEach(function (p, i) {
      var range = document.createRange();
      range.setStart(p.node, p.from);
      range.setEnd(p.node, p.to);
      range.surroundContents(el("mark", "wtkb-quoted" + (i === 0 ? " wtkb-quoted-first" : "")));
    });
    record.classList.add("wtkb-has-quoted");
    /* a long paragraph: once the browser has scrolled to it, bring the quoted sentence on screen too */
    window.addEventListener("load", function () {
      window.setTimeout(function () {
        var first = record.querySelector("mark.wtkb-quoted"), box = first.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) { first.scrollIntoView({ block: "center" }); }
      }, 50);
    });
  }

  function ask(form) {
    var input = form.querySelector("[name=question]");
    var status = form.querySelector(".wtkb-status");
    var out = form.parentNode.querySelector(".wtkb-answer");
    var question = input.value.trim();
    if (!question) { setStatus(status, "Type a question first.", "error"); input.focus(); return; }
    if (question.length > MAX_QUESTION) {
      setStatus(status, "That question is " + question.length + " characters long; the limit is " +
        MAX_QUESTION + ". Shorten it.", "error");
      return;
    }
    setStatus(status, "Looking in the sources…", "busy");
    checkServer().then(function (server) {
      if (!server.ok) { setStatus(status, server.message, "error"); return null; }
      return fetch(siteUrl("ask"), {
        method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ question: question, top_k: 5 })
      }).then(function (r) {
        if (!r.ok) { return problem(r).then(function (msg) { setStatus(status, "Could not ask: " + msg, "error"); }); }
        return r.json().then(function (data) {
          renderAnswer(out, data);
          setStatus(status, answeredStatus(data), "done");
          remember(form, question, data);
        });
      });
    }).catch(function () {
      setStatus(status, "The wtkb server did not answer. Is it still running?", "error");
    });
  }

  var askCount = 0;
  function askForm(compact) {
    askCount += 1;
    var id = "wtkb-q-" + askCount;
    var form = el("form", "wtkb-ask-form" + (compact ? " wtkb-ask-compact" : ""));
    form.setAttribute("novalidate", "");
    form.setAttribute("data-ask-index", String(askCount));
    var label = el("label", null, compact ? "Ask the handbook a question" : "Your question");
    label.setAttribute("for", id);
    var input = el(compact ? "input" : "textarea");
    input.id = id;
    input.name = "question";
    input.setAttribute("maxlength", String(MAX_QUESTION));
    input.setAttribute("autocomplete", "off");
    input.setAttribute("placeholder", "e.g. can a DV worker be lead practitioner?");
    if (compact) { input.type = "text"; } else { input.rows = 3; }
    var button = el("button", "wtkb-button", "Ask");
    button.type = "submit";
    var row = el("div", "wtkb-ask-row");
    row.appendChild(input);
    var buttons = el("div", "wtkb-ask-buttons");
    buttons.appendChild(button);
    var clear = el("button", "wtkb-button wtkb-button-secondary", "Clear");
    clear.type = "button";
    clear.setAttribute("aria-label", "Clear the question and the answer");
    clear.addEventListener("click", function () { clearAnswer(form); });
    buttons.appendChild(clear);
    row.appendChild(buttons);
    form.appendChild(label);
    form.appendChild(row);
    form.appendChild(el("p", "wtkb-ask-privacy", "Do not include names or details that identify a child or family."));
    var status = el("p", "wtkb-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);
    form.addEventListener("submit", function (event) { event.preventDefault(); ask(form); });
    if (!compact) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); ask(form); }
      });
    }
    return form;
  }

  function answerArea() {
    var out = el("div", "wtkb-answer");
    out.setAttribute("aria-live", "polite");
    return out;
  }

  function initAskPage(mount) {
    mount.textContent = "";
    var form = askForm(false);
    mount.appendChild(form);
    mount.appendChild(answerArea());
    restore(form);
    var status = form.querySelector(".wtkb-status");
    checkServer().then(function (server) {
      if (!server.ok) {
        mount.classList.add("wtkb-no-server");
        if (!status.textContent) { setStatus(status, server.message, "error"); }
      } else {
        mount.classList.add("wtkb-server-ok");
      }
    });
  }

  function initAskBox() {
    var article = document.querySelector("article.bd-article");
    if (!article || document.querySelector(".wtkb-ask-page")) { return; }
    var box = el("aside", "wtkb-askbox d-print-none");
    box.setAttribute("aria-label", "Ask the handbook");
    var form = askForm(true);
    box.appendChild(form);
    box.appendChild(answerArea());
    article.appendChild(box);
    restore(form);
  }

  /* ---- briefing packs ------------------------------------------------------- */

  function filename(response, fallback) {
    var cd = response.headers.get("Content-Disposition") || "";
    var m = /filename="?([^";]+)"?/.exec(cd);
    return m ? m[1] : fallback;
  }

  function buildBriefing(form) {
    var status = form.querySelector(".wtkb-status");
    var button = form.querySelector("button[type=submit]");
    var audience = form.querySelector("[name=audience]").value.trim();
    var format = form.querySelector("[name=format]").value;
    var body = { topic: form.getAttribute("data-topic"), format: format };
    if (audience) { body.audience = audience; }
    setStatus(status, "Building the pack…", "busy");
    button.disabled = true;
    checkServer().then(function (server) {
      if (!server.ok) { setStatus(status, server.message, "error"); return null; }
      return fetch(siteUrl("briefings"), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
      }).then(function (r) {
        if (!r.ok) { return problem(r).then(function (msg) { setStatus(status, "Could not build the pack: " + msg, "error"); }); }
        var name = filename(r, "briefing." + format);
        return r.blob().then(function (blob) {
          var a = el("a", null, name);
          a.href = URL.createObjectURL(blob);
          a.download = name;
          document.body.appendChild(a);
          a.click();
          document.body.removeChild(a);
          window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
          var slides = r.headers.get("X-Wtkb-Slides");
          setStatus(status, "Downloaded " + name + (slides ? " (" + slides + " slides)" : "") + ".", "done");
        });
      });
    }).catch(function () {
      setStatus(status, "The wtkb server did not answer. Is it still running?", "error");
    }).then(function () { button.disabled = false; });
  }

  /* ---- small accessibility repairs of the theme's markup ----------------------- */

  function repairTheme() {
    /* icon-only <summary> toggles in the sidebar: give each the name of its section */
    Array.prototype.forEach.call(document.querySelectorAll("nav summary"), function (summary) {
      if (summary.textContent.trim()) { return; }
      var link = summary.parentNode && summary.parentNode.parentNode ?
        summary.parentNode.parentNode.querySelector("a") : null;
      summary.setAttribute("aria-label", "Show or hide " + (link ? link.textContent.trim() : "this section"));
    });
    /* the search button's name must contain its visible text */
    Array.prototype.forEach.call(document.querySelectorAll("button.search-button-field"), function (b) {
      var text = b.textContent.replace(/\s+/g, " ").trim();
      if (text) { b.setAttribute("aria-label", text); }
    });
    /* the colour-mode button shows only icons; Font Awesome turns them into SVGs titled "Light", "Dark"
       (whenever it gets to them), which then read as visible text that its name "Color mode" lacks */
    Array.prototype.forEach.call(document.querySelectorAll("button.theme-switch-button"), function (b) {
      function untitle() {
        Array.prototype.forEach.call(b.querySelectorAll("svg title"), function (t) { t.parentNode.removeChild(t); });
        Array.prototype.forEach.call(b.querySelectorAll("svg"), function (svg) {
          if (svg.getAttribute("aria-hidden") === "true" && !svg.hasAttribute("role")) { return; }
          svg.removeAttribute("aria-labelledby");
          svg.removeAttribute("role");
          svg.setAttribute("aria-hidden", "true");  /* decoration: the button has the name */
        });
      }
      untitle();
      if (window.MutationObserver) { new MutationObserver(untitle).observe(b, { childList: true, subtree: true }); }
    });
  }

  /* ==== search (book engineer): result snippets without button text ========================
     Sphinx's search page fetches each result's HTML and shows the words around the match. The
     "Copy citation" buttons, duty chips and forms are not content: strip them before it does, so
     a snippet reads as the paragraph. Sphinx defines Search as a global const (not window.Search). */

  function cleanSearchSnippets() {
    if (typeof Search === "undefined" || !Search.htmlToText || Search.wtkbClean) { return; }
    var original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      var doc = new DOMParser().parseFromString(htmlString, "text/html");
      Array.prototype.forEach.call(doc.querySelectorAll("button, form, .wtkb-chips, .wtkb-askbox, " +
        ".wtkb-briefing-pointer, .wtkb-meta"), function (node) { node.parentNode.removeChild(node); });
      return original.call(Search, doc.documentElement.outerHTML, anchor);
    };
    Search.wtkbClean = true;
  }
  cleanSearchSnippets();

  /* ==== end of search ====================================================================== */

  /* ==== navigation (book engineer): the theme's menu buttons ===================================
     pydata-sphinx-theme attaches its handlers to the FIRST .primary-toggle / .secondary-toggle, which
     sits in the site header that wtkb.css hides; the visible buttons are the book theme's, in the
     article header, and had no handler at all, so below 992 px the menu never opened. Each visible
     button now forwards its tap to the one the theme listens on (the theme then opens its dialog on
     a phone, or collapses the sidebar on a wide screen), and gets a plain-words name instead of the
     theme's "Toggle primary sidebar" tooltip. */

  var TOGGLES = [
    { cls: "primary-toggle", name: "Contents", title: "Show the handbook's contents" },
    { cls: "secondary-toggle", name: "On this page", title: "Show the headings of this page" }
  ];

  function repairToggles() {
    TOGGLES.forEach(function (t) {
      var all = document.querySelectorAll("button." + t.cls);
      if (!all.length) { return; }
      var handled = all[0];
      Array.prototype.forEach.call(all, function (button, i) {
        button.setAttribute("aria-label", t.name);
        button.setAttribute("title", t.title);
        button.removeAttribute("data-bs-toggle");  /* a tooltip on tap hid the menu; the name says it */
        if (i === 0) { return; }
        button.addEventListener("click", function (event) {
          event.preventDefault();
          handled.click();
        });
      });
    });
  }

  /* ==== end of navigation ================================================================== */

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.wtkb-sortable"), makeSortable);
    repairTheme();
    markQuoted();
    repairToggles();
    cleanSearchSnippets();
    Array.prototype.forEach.call(document.querySelectorAll(".wtkb-ask-page"), initAskPage);
    initAskBox();
    Array.prototype.forEach.call(document.querySelectorAll("form.wtkb-briefing-form"), function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); buildBriefing(form); });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
