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
  var KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  function size(word) { return Array.from(word).length; }

  function stem(word) {
    var n = size(word);
    if (n > 4 && word.endsWith("ies")) { return word.slice(0, -3) + "y"; }
    if (n > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) { return word.slice(0, -1); }
    return word;
  }

  function words(text) {
    var found = text.normalize("NFC").toLowerCase().match(LETTERS) || [];
    return found.filter(function (w) { return size(w) >= 2; }).map(stem);
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

  /* One fetch per file, shared by every search that needs it; a file that is not there (no word
     of the area starts so) reads as `empty`. */
  Index.prototype.load = function (path, empty) {
    if (!this.files.has(path)) {
      var url = new URL(path, this.base).href;
      this.files.set(path, fetch(url).then(function (answer) {
        if (answer.status === 404) { return empty; }
        if (!answer.ok) { throw new Error(url + ": " + answer.status); }
        return answer.json();
      }).catch(function (error) { this.files.delete(path); throw error; }.bind(this)));
    }
    return this.files.get(path);
  };

  Index.prototype.meta = function () { return this.load("index.json", null); };

  /* {organisation number: score} for one word in one area. */
  Index.prototype.hits = async function (area, word) {
    var shard = await this.load(area + "/w-" + key(word) + ".json", {});
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
      return at === -1 ? [] : self.load(area + "/f-" + name + "-" + at + ".json", []);
    }));
    lists.forEach(function (gaps) {
      var number = 0;
      gaps.forEach(function (gap) { number += gap; out.add(number); });
    });
    return out;
  };

  /* The organisation numbers for `term` within `filters` ({name: {any: [value, ...]}}), best
     first; null if the index cannot answer. */
  Index.prototype.search = async function (term, filters) {
    var meta = await this.meta();
    var names = (filters.area && filters.area.any) || [];
    var areas = names.map(function (name) { return meta.areas.indexOf(name); });
    if (!areas.length || areas.indexOf(-1) !== -1) { return null; }
    var query = Array.from(new Set(words(term))), self = this, best = new Map();
    if (!query.length) { return []; }
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
    return Array.from(best.keys()).sort(function (a, b) {
      return best.get(b) - best.get(a) || a - b;
    });
  };

  /* What the page shows for organisation `number`: {url, title, text}. */
  Index.prototype.doc = async function (number) {
    var meta = await this.meta();
    var file = await this.load("docs/d-" + Math.floor(number / meta.chunk) + ".json", []);
    var row = file[number % meta.chunk];
    return { url: new URL(row[0], new URL("../../", this.base)).href, title: row[1], text: row[2] };
  };

  /* About `length` words of `text` from just before the first word of the search, as
     [[text, marked], ...]: the words the search found are marked. */
  function excerpt(text, term, length) {
    var query = words(term), runs = [], match;
    LETTERS.lastIndex = 0;
    while ((match = LETTERS.exec(text)) !== null) {
      var w = match[0], s = size(w) >= 2 ? stem(w.normalize("NFC").toLowerCase()) : "";
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
