/*
 * The search page: a small accessible UI on the Pagefind JS API (pagefind.js), in place of
 * Pagefind's default UI (its input is labelled only by a title, and it weighs ~120 KB).
 *
 * - one labelled search box; filters as checkboxes in fieldsets with legends (any value within a
 *   filter, every filter together);
 * - the result count is announced in a polite live region; results are a list of links;
 * - state lives in the query string (?q=&area=&offer=&priority=&type=), so the header search form
 *   and the register's filter form (both plain GET forms) open it with results shown;
 * - a filter value's count is how many results choosing it would give with the other filters
 *   as they are (one more Pagefind search per filter in use, after the results are shown; not
 *   on a site of over FACET_LIMIT pages, where each costs seconds); a value with none says "none";
 * - a search with no results suggests the nearest words of the site's own vocabulary
 *   (search/words.json, written by pages.py) by edit distance, and links to the finder and
 *   the register;
 * - on a site of over FACET_LIMIT pages a search with an area ticked asks the area index
 *   (area-search.js, socialvalue/areaindex.py) instead of Pagefind, and Pagefind itself starts
 *   only for a search the area index cannot answer (its own start fetches half a megabyte there).
 */
(function () {
  "use strict";
  var root = document.getElementById("sv-search");
  if (!root) { return; }
  var FILTERS = [["area", "Area"], ["priority", "Priority"], ["offer", "What you can offer"], ["type", "Kind of page"]];
  var PAGE = 10;
  var DEBOUNCE = 100; /* ms after the last keystroke */
  /* On a very large site a Pagefind search cannot be stopped once started and takes seconds, so
     a pause mid-word must not start one: wait longer there (FACET_LIMIT pages and more), unless
     the area index answers (a few milliseconds). */
  var DEBOUNCE_LARGE = 300;
  /* A search with filters but no word makes Pagefind download its whole word index (megabytes at
     10,000 organisations), so on a large site filters narrow a search but do not start one. */
  var FILTER_ONLY_LIMIT = 2000;
  /* Each extra search for the counts of a filter in use costs as much as the search itself, and
     Pagefind's search time grows with the square of the site (results x filter entries): ~12 s
     at 100,000 organisations. Above this many pages those counts are left blank. */
  var FACET_LIMIT = 20000;
  /* A large site is one of over FACET_LIMIT pages; data-large-from, which the built page never
     carries, lets a test try a large site's behaviour on a small one. */
  var largeFrom = root.hasAttribute("data-large-from") ? Number(root.getAttribute("data-large-from")) : FACET_LIMIT;
  var areaIndex = root.getAttribute("data-areas") && window.svAreaSearch
    ? new window.svAreaSearch.Index(new URL(root.getAttribute("data-areas"), document.baseURI).href) : null;
  var pageCount = 0;
  var large = false; /* over largeFrom pages: no per-filter counts, a longer pause, the area index */
  var bundle = new URL(root.getAttribute("data-bundle") || "/pagefind/", document.baseURI).href;
  var pagefind = null;
  var results = [];
  var shown = 0;
  var serial = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Pagefind's excerpt is HTML with <mark>: keep the marks, turn everything else into text. */
  function excerpt(html) {
    var p = el("p", { "class": "sv-list__text" });
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (n) {
      p.appendChild(n.nodeName === "MARK" ? el("mark", {}, n.textContent) : document.createTextNode(n.textContent));
    });
    return p;
  }

  /* The area index's excerpt: [[text, marked], ...]. */
  function marked(parts) {
    var p = el("p", { "class": "sv-list__text" });
    parts.forEach(function (part) { p.appendChild(part[1] ? el("mark", {}, part[0]) : document.createTextNode(part[0])); });
    return p;
  }

  var form = el("form", { "class": "sv-search-form", role: "search", "aria-label": "Search and filter", action: "" });
  var box = el("div", { "class": "sv-search-form__box" });
  var input = el("input", { id: "sv-q", name: "q", type: "search", autocomplete: "off", spellcheck: "false" });
  box.append(el("label", { "for": "sv-q", "class": "sv-search-form__label" }, "Search for"), input,
             el("button", { type: "submit", "class": "sv-button" }, "Search"));
  var details = el("details", { "class": "sv-filters" });
  details.appendChild(el("summary", {}, "Filter the results"));
  form.append(box, details);
  var status = el("p", { id: "sv-search-status", "class": "sv-search-status", role: "status", "aria-live": "polite" });
  var list = el("ol", { "class": "sv-list sv-results", "aria-labelledby": "sv-search-status" });
  var help = el("div", { "class": "sv-search-help", hidden: "" });
  var more = el("button", { type: "button", "class": "sv-button sv-button--secondary", hidden: "" }, "Show more results");
  var layout = el("div", { "class": "sv-search-layout" });
  var output = el("div", { "class": "sv-search-results" });
  output.append(status, help, list, more);
  layout.append(form, output);
  root.appendChild(layout);

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  /* Filters start open beside the results on a wide screen, or when the address chose some. */
  details.open = window.matchMedia("(min-width: 60em)").matches ||
    FILTERS.some(function (f) { return params.getAll(f[0]).some(Boolean); });

  function chosen() {
    var filters = {};
    FILTERS.forEach(function (f) {
      var values = Array.prototype.map.call(form.querySelectorAll("input[name='" + f[0] + "']:checked"),
                                            function (c) { return c.value; });
      if (values.length) { filters[f[0]] = { any: values }; }
    });
    return filters;
  }

  function buildFilters(available) {
    FILTERS.forEach(function (f, i) {
      var values = available[f[0]] || [];
      if (!values.length) { return; }
      var wanted = params.getAll(f[0]);
      var set = el("fieldset", { "class": "sv-filters__group" });
      set.appendChild(el("legend", {}, f[1]));
      var note = f[0] === "area" && root.getAttribute("data-county-note");
      if (note) { set.appendChild(el("p", { "class": "sv-filters__hint" }, note)); }
      values.forEach(function (value, j) {
        var id = "sv-f-" + i + "-" + j;
        var row = el("div", { "class": "sv-filters__item" });
        var box = el("input", { type: "checkbox", id: id, name: f[0], value: value });
        box.checked = wanted.indexOf(value) !== -1;
        var label = el("label", { "for": id }, value + " ");
        label.appendChild(el("span", { "class": "sv-filters__count", "data-filter": f[0], "data-value": value }));
        row.append(box, label);
        set.appendChild(row);
      });
      details.appendChild(set);
    });
  }

  /* Without choices in the page, list every value Pagefind knows (downloads every filter index). */
  async function listFilters() {
    var all = await pagefind.filters(), out = {};
    Object.keys(all).forEach(function (k) { out[k] = Object.keys(all[k]).sort(); });
    return out;
  }

  async function countPages() {
    try {
      var entry = await (await fetch(bundle + "pagefind-entry.json")).json();
      return Object.keys(entry.languages).reduce(function (n, k) { return n + entry.languages[k].page_count; }, 0);
    } catch (e) { return 0; }
  }

  function updateCounts(counts) {
    form.querySelectorAll(".sv-filters__count").forEach(function (span) {
      var known = counts[span.getAttribute("data-filter")];
      var n = known ? known[span.getAttribute("data-value")] || 0 : null;
      span.textContent = n === null ? "" : "(" + (n || "none") + ")";
    });
  }

  /* Pagefind counts each value within the results as filtered, so with "Norwich" chosen every
     other area would count only what is also in Norwich. For a filter in use, count its values
     with the other filters only: what choosing one more of them would show. */
  async function facetCounts(term, filters, counts) {
    var out = Object.assign({}, counts);
    if (large) {
      Object.keys(filters).forEach(function (name) { delete out[name]; });
      return out;
    }
    for (var name of Object.keys(filters)) {
      var others = Object.assign({}, filters);
      delete others[name];
      var search = await pagefind.search(term || null, { filters: others });
      out[name] = (search.filters || {})[name] || {};
    }
    return out;
  }

  function remember(term, filters) {
    var next = new URLSearchParams();
    if (term) { next.set("q", term); }
    Object.keys(filters).forEach(function (k) { filters[k].any.forEach(function (v) { next.append(k, v); }); });
    var query = next.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  async function showMore() {
    var mine = serial, batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    /* Fetch the batch's fragments together; show each result, in order, as soon as it is here. */
    var pending = batch.map(function (r) { return r.data(); });
    pending.forEach(function (p) { p.catch(function () {}); }); /* each is awaited below */
    for (var i = 0; i < pending.length; i++) {
      var d;
      try { d = await pending[i]; } catch (e) {
        if (mine !== serial) { return; }
        /* The area index was rebuilt since the search, or the network failed. */
        if (areaIndex) { areaIndex.reset(); }
        shown -= batch.length - i;
        status.textContent = describe(results.length, input.value.trim(), chosen()) +
          ". Some results could not be shown: search again to see them.";
        more.hidden = true;
        return;
      }
      if (mine !== serial) { return; } /* a newer search has started */
      var item = el("li", { "class": "sv-list__item" });
      item.appendChild(el("a", { "class": "sv-list__title", href: d.url }, (d.meta && d.meta.title) || d.url));
      item.appendChild(d.marked ? marked(d.marked) : excerpt(d.excerpt || ""));
      list.appendChild(item);
    }
    more.hidden = shown >= results.length;
  }

  function describe(count, term, filters) {
    var words = count === 0 ? "No results" : count === 1 ? "1 result" : count + " results";
    if (term) { words += " for \u201c" + term + "\u201d"; }
    var parts = Object.keys(filters).map(function (k) { return filters[k].any.join(" or "); });
    return parts.length ? words + " in " + parts.join(", ") : words;
  }

  /* No search to run: no results, and `prompt` says what to do. */
  function waiting(prompt) {
    results = []; shown = 0; list.replaceChildren(); more.hidden = true; updateCounts({});
    help.hidden = true;
    status.textContent = prompt;
    return true;
  }

  function idle(term, filters) {
    if (areaIndexFor(filters) && term && !window.svAreaSearch.words(term).length) {
      /* A letter alone would have Pagefind search for seconds on a large site. */
      return waiting("Type a word of two letters or more to search within these filters.");
    }
    if (term || (Object.keys(filters).length && pageCount <= FILTER_ONLY_LIMIT && !large)) { return false; }
    return waiting(Object.keys(filters).length
      ? "Type a word to search within these filters. The area pages list every organisation in an area."
      : "Type a word or choose a filter to see results.");
  }

  /* One Pagefind search at a time: a search cannot be cancelled, so while one runs, later
     keystrokes only ask for one more search, with whatever the form holds when it ends. */
  var busy = false, again = false;

  async function run(debounced) {
    var mine = ++serial;
    var term = input.value.trim(), filters = chosen();
    remember(term, filters);
    if (idle(term, filters)) { return; }
    if (debounced) {
      /* Our own pause, not pagefind.debouncedSearch: that preloads the index for every prefix typed
         ("s", "se", ...), which fetched megabytes over a large register. */
      await new Promise(function (done) { setTimeout(done, large && !areaIndexFor(chosen()) ? DEBOUNCE_LARGE : DEBOUNCE); });
      if (mine !== serial) { return; }
    }
    if (busy) { again = true; return; }
    busy = true;
    try {
      do { again = false; await searchNow(); } while (again);
    } finally { busy = false; }
  }

  async function searchNow() {
    var mine = serial, term = input.value.trim(), filters = chosen();
    if (idle(term, filters)) { return; }
    var search = await byArea(term, filters);
    if (search === null) { search = await pagefind.search(term || null, { filters: filters }); }
    if (mine !== serial) { again = true; return; } /* the form changed meanwhile: search again */
    results = search.results; shown = 0;
    var counts = Object.assign({}, search.filters || {});
    Object.keys(filters).forEach(function (name) { delete counts[name]; }); /* counted below */
    updateCounts(counts);
    list.replaceChildren();
    status.textContent = describe(results.length, term, filters);
    await showHelp(results.length ? "" : term, mine);
    await showMore();
    if (mine !== serial || !Object.keys(filters).length) { return; }
    counts = await facetCounts(term, filters, search.filters || {});
    if (mine === serial) { updateCounts(counts); }
  }

  /* Whether the area index answers a search with these filters (a large site, an area ticked). */
  function areaIndexFor(filters) { return large && areaIndex !== null && filters.area !== undefined; }

  /* The area index's answer in Pagefind's shape, or null when it is not the one to ask. */
  async function byArea(term, filters) {
    if (!areaIndexFor(filters)) { return null; }
    var found;
    try { found = await areaIndex.search(term, filters); } catch (e) { areaIndex.reset(); return null; }
    if (found === null) { return null; }
    return { filters: {}, results: found.numbers.map(function (number) {
      return { data: async function () {
        var doc = await areaIndex.doc(number, found.v);
        return { url: doc.url, meta: { title: doc.title }, marked: window.svAreaSearch.excerpt(doc.text, term, 24) };
      } };
    }) };
  }

  /* ---- No results: nearest words of the site's vocabulary, and where else to look ---- */

  var vocabulary = null;

  async function loadWords() {
    if (vocabulary === null) {
      try {
        var where = new URL(root.getAttribute("data-words") || "words.json", document.baseURI);
        vocabulary = await (await fetch(where)).json();
      } catch (e) { vocabulary = []; }
    }
    return vocabulary;
  }

  function searchLink(words) {
    var next = new URLSearchParams(window.location.search);
    next.set("q", words);
    var link = el("a", { href: "?" + next.toString(), "class": "sv-search-help__suggestion" }, words);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      input.value = words;
      run(false);
      input.focus();
    });
    return link;
  }

  async function showHelp(term, mine) {
    if (!term) { help.hidden = true; help.replaceChildren(); return; }
    var tries = window.svSearchWords.suggestions(term, await loadWords());
    if (mine !== serial) { return; }
    help.replaceChildren();
    if (tries.length) {
      var p = el("p", {}, "Did you mean ");
      tries.forEach(function (words, i) {
        if (i) { p.appendChild(document.createTextNode(i === tries.length - 1 ? " or " : ", ")); }
        p.appendChild(searchLink(words));
      });
      p.appendChild(document.createTextNode("?"));
      help.appendChild(p);
    }
    var where = el("p", {}, "You can also ");
    where.append(el("a", { href: root.getAttribute("data-finder") || "../match/" }, "find opportunities by area and kind of help"),
                 document.createTextNode(", or "),
                 el("a", { href: root.getAttribute("data-register") || "../register/" }, "browse the register from A to Z"),
                 document.createTextNode("."));
    help.appendChild(where);
    help.hidden = false;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(false); });
  input.addEventListener("input", function () {
    /* Fetch the index for the word so far while the person types (3+ letters: shorter prefixes
       span too much of a large index), so little is left to fetch after the last keystroke. */
    var term = input.value.trim();
    var filters = chosen();
    if (areaIndexFor(filters)) {
      areaIndex.preload(term, filters);
    } else if (pagefind && term.length >= 3) { pagefind.preload(term, { filters: filters }); }
    run(true);
  });
  form.addEventListener("change", function (event) { if (event.target.type === "checkbox") { run(false); } });
  more.addEventListener("click", async function () {
    var first = list.children.length;
    await showMore();
    /* The last batch hides the button: focus goes to its first result, not to the page. */
    var added = list.children[first];
    if (more.hidden && added) { added.querySelector("a").focus(); }
  });

  import(bundle + "pagefind.js").then(async function (module) {
    pagefind = module;
    await pagefind.options({ excerptLength: 24 });
    pageCount = await countPages();
    large = pageCount > largeFrom;
    if (!large) { await pagefind.init(); } /* a large site's starts with its first search */
    var given = root.getAttribute("data-filters");
    buildFilters(given ? JSON.parse(given) : await listFilters());
    root.setAttribute("data-ready", "");
    await run(false);
  }).catch(function () {
    status.textContent = "Search could not start. You can browse the register by area or from A to Z instead.";
  });
})();
