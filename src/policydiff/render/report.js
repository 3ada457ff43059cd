(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.change"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("tbody.group"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll(".filters button[data-filter]"));
  function matches(row, f) {
    var k = row.getAttribute("data-kind");
    var moved = row.getAttribute("data-moved") === "1";
    if (f === "all") return true;
    if (f === "changed") return k !== "unchanged" || moved;
    if (f === "moved") return moved;
    return k === f;
  }
  function apply(f) {
    rows.forEach(function (r) { r.hidden = !matches(r, f); });
    groups.forEach(function (g) { g.hidden = !g.querySelector("tr.change:not([hidden])"); });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-filter") === f ? "true" : "false");
    });
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { apply(b.getAttribute("data-filter")); });
  });
  document.querySelectorAll(".filters button[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { apply(b.getAttribute("data-print")); window.print(); });
  });
  // A link into a row the active filter hides: show everything, then go there.
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href^='#']") : null;
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (target && target.closest("[hidden]")) {
      apply(document.body.getAttribute("data-filter") || "all");
      e.preventDefault();
      target.scrollIntoView();
      history.replaceState(null, "", a.getAttribute("href"));
    }
  });
  apply(document.body.getAttribute("data-filter") || "all");
})();
