/* Pagefind search page: the UI with filters, started from the query string (?q=&area=&offer=&priority=&type=). */
(function () {
  "use strict";
  var root = document.getElementById("sv-search");
  if (!root || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({
    element: "#sv-search",
    bundlePath: root.getAttribute("data-bundle"),
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    openFilters: ["area", "offer", "priority", "type"],
    translations: { placeholder: "Search the register", zero_results: "No results for [SEARCH_TERM]" }
  });
  var params = new URLSearchParams(window.location.search);
  var filters = {};
  ["area", "offer", "priority", "type"].forEach(function (name) {
    var value = params.get(name);
    if (value) { filters[name] = [value]; }
  });
  if (Object.keys(filters).length) { ui.triggerFilters(filters); }
  var q = params.get("q");
  if (q) { ui.triggerSearch(q); }
  var header = document.getElementById("sv-search-q");
  if (header && q) { header.value = q; }
})();
