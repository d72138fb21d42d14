/*
 * "Did you mean" for the search page (search.js): the nearest words of the site's own
 * vocabulary (search/words.json, written by socialvalue/pages.py) by edit distance.
 * A word of up to 4 letters may be 1 edit away, up to 8 letters 2, longer words 3.
 */
(function () {
  "use strict";

  function distance(a, b) { /* Levenshtein, with a swap of two letters counting as one edit */
    var d = [];
    for (var i = 0; i <= a.length; i++) { d.push([i]); }
    for (var j = 1; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  function nearest(word, words) {
    var most = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
    return words.map(function (w) { return [distance(word, w), w]; })
      .filter(function (p) { return p[0] <= most && p[1] !== word; })
      .sort(function (x, y) { return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0); })
      .map(function (p) { return p[1]; });
  }

  /* Up to 3 searches to try: the query with its first unknown word replaced by each of its
     nearest words, and every other unknown word by its nearest. */
  function suggestions(term, words) {
    var known = new Set(words), parts = term.toLowerCase().split(/\s+/).filter(Boolean);
    var options = parts.map(function (p) { return known.has(p) ? [p] : nearest(p, words); });
    var first = options.findIndex(function (o, i) { return !known.has(parts[i]) && o.length; });
    if (first === -1) { return []; }
    return options[first].slice(0, 3).map(function (choice) {
      return parts.map(function (p, i) {
        return i === first ? choice : (options[i][0] || p);
      }).join(" ");
    });
  }

  window.svSearchWords = { suggestions: suggestions, distance: distance };
})();
