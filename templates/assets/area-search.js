/*
 * The area index (socialvalue/areaindex.py) in the browser: a search among the organisations of
 * the areas ticked, for search.js on a large site, where one Pagefind search with an area ticked
 * costs seconds and over a megabyte. It fetches index.json, one small file per word typed and
 * area ticked, one per other filter value ticked, and the files of the results it shows.
 *
 * - `words` and `key` cut text exactly as areaindex.py does (tests/site/test_area_index.py);
 * - every word of the search must be found (as the start of a word) in an organisation's name
 *   or description; a word in the name ranks above one in the description, a whole word above
 *   the start of a longer one; ties keep the register's order;
 * - `search` answers null when the index cannot answer (no area ticked, or an area it does not
 *   know), and search.js then asks Pagefind.
 */
(function () {
  "use strict";
  var LETTERS = /[\p{L}\p{N}]+/gu;
  var RUN = /[\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)*/gu;
  var HYPHENS = /[-\u2010\u2011]/;
  var JOINERS = /['\u2019\u02bc\u00ad\u200b\u200c\u200d\u2060\ufeff]/g;
  var KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  var VOWELS = "aeiou";
  var NONE = {}; /* a file that is not there */

  function size(word) { return Array.from(word).length; }
  function hasVowel(text) { return /[aeiou]/.test(text); }

  /* areaindex.stem, exactly. */
  function stem(word) {
    var n = size(word);
    if (n > 3 && word.endsWith("ies")) { word = word.slice(0, -3) + "i"; }
    else if (word.endsWith("sses")) { word = word.slice(0, -2); }
    else if (n > 4 && /(ches|shes|xes|zes)$/.test(word)) { word = word.slice(0, -2); }
    else if (n > 3 && word.endsWith("ie")) { word = word.slice(0, -1); }
    else if (word.endsWith("s") && !/(ss|us|is)$/.test(word) && hasVowel(word.slice(0, -2))) {
      word = word.slice(0, -1);
    }
    if (size(word) > 5 && word.endsWith("ing") && hasVowel(word.slice(0, -3))) {
      word = word.slice(0, -3);
      var last = word.charAt(word.length - 1);
      if (size(word) > 2 && last === word.charAt(word.length - 2) && "bdfgmnprt".indexOf(last) !== -1) {
        word = word.slice(0, -1);
      }
    }
    if (size(word) > 2 && word.endsWith("y") && VOWELS.indexOf(word.charAt(word.length - 2)) === -1) {
      word = word.slice(0, -1) + "i";
    }
    return word;
  }

  /* areaindex.fold: lower case without accents or joiners. */
  function fold(text) {
    return text.replace(JOINERS, "").toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "");
  }

  /* areaindex.words (without `joined`: a search's words). */
  function words(text) {
    var out = [];
    (fold(text).match(RUN) || []).forEach(function (run) {
      run.split(HYPHENS).forEach(function (w) { if (size(w) >= 2) { out.push(stem(w)); } });
    });
    return out;
  }

  function key(word) {
    return Array.from(word).slice(0, 2).map(function (c) {
      return KEY_CHARS.indexOf(c) !== -1 ? c : "_" + c.codePointAt(0).toString(16);
    }).join("");
  }

  function Index(base) {
    this.base = base;
    this.files = new Map();
  }

  /* One fetch per file, shared by every search that needs it. A file that is not there (no
     word of the area starts so) reads as `empty` and is asked for again next time (it may be
     there after a rebuild). Every file carries index.json's version ("v"): one with another
     version (the site was rebuilt while this page was open) is fetched again past the
     browser's cache, and if it still differs the search fails (search.js then asks Pagefind,
     and `reset` makes the next search start from the new index.json). */
  Index.prototype.load = function (path, empty) {
    var self = this;
    if (!self.files.has(path)) {
      self.files.set(path, (async function () {
        var meta = path === "index.json" ? null : await self.meta();
        var data = await self.fetchJSON(path, empty, path === "index.json");
        if (meta !== null && data !== empty && data.v !== meta.v) {
          data = await self.fetchJSON(path, empty, true);
          if (data !== empty && data.v !== meta.v) { throw new Error(path + ": the index changed"); }
        }
        if (data === empty) { self.files.delete(path); }
        return data;
      })().catch(function (error) { self.files.delete(path); throw error; }));
    }
    return self.files.get(path);
  };

  Index.prototype.fetchJSON = async function (path, empty, fresh) {
    var url = new URL(path, this.base).href;
    var answer = await fetch(url, fresh ? { cache: "no-cache" } : {});
    if (answer.status === 404) { return empty; }
    if (!answer.ok) { throw new Error(url + ": " + answer.status); }
    return answer.json();
  };

  Index.prototype.reset = function () { this.files.clear(); };

  Index.prototype.meta = function () { return this.load("index.json", null); };

  /* Fetch the files a search for `term` within `filters` will read (as the person types). */
  Index.prototype.preload = function (term, filters) {
    var self = this;
    self.meta().then(function (meta) {
      ((filters.area && filters.area.any) || []).forEach(function (name) {
        var area = meta.areas.indexOf(name);
        if (area === -1) { return; }
        words(term).forEach(function (word) {
          self.load(area + "/w-" + key(word) + ".json", NONE).catch(function () {});
        });
      });
    }).catch(function () {}); /* the search itself will say */
  };

  /* {organisation number: score} for one word in one area. */
  Index.prototype.hits = async function (area, word) {
    var shard = (await this.load(area + "/w-" + key(word) + ".json", NONE)).w || {};
    var found = new Map();
    Object.keys(shard).forEach(function (stored) {
      if (!stored.startsWith(word)) { return; }
      var whole = stored === word ? 2 : 1, code = 0;
      shard[stored].forEach(function (gap) {
        code += gap;
        var number = code >> 1, score = whole * (code & 1 ? 3 : 1);
        if (!(found.get(number) >= score)) { found.set(number, score); }
      });
    });
    return found;
  };

  /* The organisation numbers of an area with any of `values` of the filter `name`. */
  Index.prototype.allowed = async function (area, name, values, meta) {
    var known = meta.filters[name] || [], self = this, out = new Set();
    var lists = await Promise.all(values.map(function (value) {
      var at = known.indexOf(value);
      return at === -1 ? NONE : self.load(area + "/f-" + name + "-" + at + ".json", NONE);
    }));
    lists.forEach(function (file) {
      var number = 0;
      (file.n || []).forEach(function (gap) { number += gap; out.add(number); });
    });
    return out;
  };

  /* {numbers, v}: the organisation numbers for `term` within `filters` ({name: {any: [value,
     ...]}}), best first, and the index's version they come from; null if the index cannot
     answer (no area, or one it does not know). */
  Index.prototype.search = async function (term, filters) {
    var meta = await this.meta();
    var names = (filters.area && filters.area.any) || [];
    var areas = names.map(function (name) { return meta.areas.indexOf(name); });
    if (!areas.length || areas.indexOf(-1) !== -1) { return null; }
    var query = Array.from(new Set(words(term))), self = this, best = new Map();
    if (!query.length) { return { numbers: [], v: meta.v }; }
    var others = Object.keys(filters).filter(function (name) { return name !== "area"; });
    await Promise.all(areas.map(async function (area) {
      var each = await Promise.all(query.map(function (word) { return self.hits(area, word); }));
      var sets = await Promise.all(others.map(function (name) {
        return self.allowed(area, name, filters[name].any, meta);
      }));
      each[0].forEach(function (score, number) {
        for (var i = 1; i < each.length; i++) {
          if (!each[i].has(number)) { return; }
          score += each[i].get(number);
        }
        if (sets.some(function (set) { return !set.has(number); })) { return; }
        if (!(best.get(number) >= score)) { best.set(number, score); }
      });
    }));
    var numbers = Array.from(best.keys()).sort(function (a, b) {
      return best.get(b) - best.get(a) || a - b;
    });
    return { numbers: numbers, v: meta.v };
  };

  /* What the page shows for organisation `number` of the index's version `v`: {url, title,
     text}; an error if the index is no longer that version. */
  Index.prototype.doc = async function (number, v) {
    var meta = await this.meta();
    if (meta.v !== v) { throw new Error("the index changed since the search"); }
    var file = await this.load("docs/d-" + Math.floor(number / meta.chunk) + ".json", NONE);
    var row = (file.d || [])[number % meta.chunk];
    if (!row) { throw new Error("no organisation " + number + " in the index"); }
    return { url: new URL(row[0], new URL("../../", this.base)).href, title: row[1], text: row[2] };
  };

  /* About `length` words of `text` from just before the first word of the search, as
     [[text, marked], ...]: the words the search found are marked. */
  function excerpt(text, term, length) {
    var query = words(term), runs = [], match;
    LETTERS.lastIndex = 0;
    while ((match = LETTERS.exec(text)) !== null) {
      var w = match[0], f = fold(w), s = size(f) >= 2 ? stem(f) : "";
      runs.push([match.index, match.index + w.length,
                 s !== "" && query.some(function (q) { return s.startsWith(q); })]);
    }
    if (!runs.length) { return [[text, false]]; }
    var first = runs.findIndex(function (r) { return r[2]; });
    var from = Math.max(0, Math.min(first === -1 ? 0 : first - 5, runs.length - length));
    var to = Math.min(runs.length, from + length);
    var out = [], at = from ? runs[from][0] : 0;
    if (from) { out.push(["\u2026 ", false]); }
    for (var i = from; i < to; i++) {
      if (runs[i][0] > at) { out.push([text.slice(at, runs[i][0]), false]); }
      out.push([text.slice(runs[i][0], runs[i][1]), runs[i][2]]);
      at = runs[i][1];
    }
    out.push(to < runs.length ? [" \u2026", false] : [text.slice(at), false]);
    return out;
  }

  window.svAreaSearch = { words: words, key: key, excerpt: excerpt, Index: Index };
})();
