(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.change"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("tbody.group"));
  function matches(row, f) {
    var k = row.getAttribute("data-kind");
    if (f === "all") return true;
    if (f === "changed") return k !== "unchanged" || row.getAttribute("data-moved") === "1";
    if (f === "moved") return row.getAttribute("data-moved") === "1";
    return k === f;
  }
  function apply(f) {
    rows.forEach(function (r) { r.hidden = !matches(r, f); });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector("tr.change:not([hidden])");
    });
    document.querySelectorAll(".filters button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-filter") === f ? "true" : "false");
    });
  }
  document.querySelectorAll(".filters button").forEach(function (b) {
    b.addEventListener("click", function () { apply(b.getAttribute("data-filter")); });
  });
  apply("all");
})();
