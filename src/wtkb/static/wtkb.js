/* wtkb handbook: copy-citation buttons and sortable tables. No dependencies. */
(function () {
  "use strict";

  /* ---- copy citation: "label — URL" ---------------------------------- */

  function citation(button) {
    var id = button.getAttribute("data-target");
    var url = window.location.origin + window.location.pathname + "#" + id;
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

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.wtkb-sortable"), makeSortable);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
