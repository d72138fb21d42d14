/* The opportunity finder (match/). It reads the answers from the address (GET form), fetches only
   the shards it needs from match/data/ (written by socialvalue/matchpages.py) and ranks them.
   THE RULES BELOW MIRROR socialvalue/match.py FUNCTION BY FUNCTION: change the two together.
   Weights, stopwords, related words and Charter themes come from meta.json, written from the Python constants.
   tests/match/test_match_parity.py runs the same profiles through both and compares the results. */
(function () {
  "use strict";
  var root = document.getElementById("svm");
  var kit = window.svKit;
  if (!root || !kit || !window.fetch || !window.Map || !window.Set || !window.URLSearchParams) { return; }
  var DATA = root.getAttribute("data-data");
  var SITE = root.getAttribute("data-site");
  var THRESHOLD = Number(root.getAttribute("data-threshold"));
  var PAGE = 50;
  var TOP = 3; // shown as cards; the rest wait behind "Show N more matches"
  var form = document.getElementById("svm-form");
  var cache = {};
  var latest = 0;

  // ---- The rules: one function for each in socialvalue/match.py ----

  function subjectWords(text, meta) { // subjectwords.subject_words: stem -> word shown
    var seen = new Map(), stopwords = new Set(meta.stopwords);
    function add(stem, word) { if (!seen.has(stem)) { seen.set(stem, word); } }
    ((text || "").toLowerCase().match(/[a-z0-9]+/g) || []).forEach(function (word) {
      if (Object.prototype.hasOwnProperty.call(meta.related, word)) {
        meta.related[word].forEach(function (related) { add(related.toLowerCase().slice(0, 5), related); });
      } else if (word.length >= 3 && !stopwords.has(word)) { add(word.slice(0, 5), word); }
    });
    return seen;
  }

  function names(ids, ctx) { // match._names: area names in register order
    return ctx.meta.areas.filter(function (a) { return ids.indexOf(a[0]) >= 0; })
      .map(function (a) { return a[1]; }).join(", ");
  }

  function place(profile, org, ctx) { // match._place
    var shared = org.areas.filter(function (a) { return profile.areas.indexOf(a) >= 0 && a !== ctx.meta.county; });
    if (shared.length) { return ["local", "works in " + names(shared, ctx)]; }
    if (org.areas.indexOf(ctx.meta.county) >= 0) { return ["county", "works across " + ctx.meta.countyName]; }
    if (profile.areas.indexOf(ctx.meta.county) >= 0) { return ["county", "works in " + names(org.areas, ctx)]; }
    return null;
  }

  function deliverable(profile, measure) { // match._deliverable
    return measure.offers.some(function (o) { return profile.offers.indexOf(o) >= 0; }) &&
      (!profile.priorities.length || profile.priorities.indexOf(measure.priority) >= 0);
  }

  function score(profile, org, ctx) { // match._score
    var offers = ctx.meta.offers.filter(function (o) {
      return org.offers.indexOf(o[0]) >= 0 && profile.offers.indexOf(o[0]) >= 0;
    });
    var where = offers.length ? place(profile, org, ctx) : null;
    if (!where) { return null; }
    var measures = org.measures.filter(function (m) { return ctx.deliverable.has(m.id); });
    var priorities = profile.priorities.length ? new Set(measures.map(function (m) { return m.priority; })).size : 0;
    var mentioned = [];
    ctx.subject.forEach(function (word, stem) { if (ctx.words[stem] && ctx.words[stem].has(org.rank)) { mentioned.push(word); } });
    var w = ctx.meta.weights;
    var total = w.offer * offers.length + w[where[0]] + w.measure * measures.length +
      w.priority * priorities + w.subject * mentioned.length;
    var reasons = ["welcomes " + offers.map(function (o) { return o[2]; }).join(", "), where[1]];
    if (measures.length) {
      var shown = measures.slice(0, ctx.meta.maxMeasuresShown).map(function (m) { return m.label; });
      var more = measures.length - shown.length;
      reasons.push("helps with " + shown.join(", ") + (more ? " and " + more + " more" : ""));
    }
    if (mentioned.length) { reasons.push("mentions " + mentioned.join(", ")); }
    return { org: org, score: total, why: reasons.join("; "), measures: measures.map(function (m) { return m.id; }) };
  }

  function compare(a, b) { // match.sort_key: score, then rank (= name casefolded, then id)
    return b.score - a.score || a.org.rank - b.org.rank;
  }

  function match(profile, orgs, ctx) { // match.match
    return orgs.map(function (org) { return score(profile, org, ctx); })
      .filter(function (found) { return found; }).sort(compare);
  }

  function deliverableMeasures(profile, meta) { // match.deliverable_measures
    return meta.priorities.map(function (p) {
      var chosen = !profile.priorities.length || profile.priorities.indexOf(p[0]) >= 0;
      return { priority: p, measures: chosen ? meta.measures.filter(function (m) {
        return m.priority === p[0] && deliverable(profile, m);
      }) : [] };
    }).filter(function (group) { return group.measures.length; });
  }

  function relevantCommitments(profile, meta) { // match.relevant_commitments
    var themes = profile.offers.map(function (o) { return meta.themesByOffer[o]; }).filter(Boolean);
    var chosen = meta.commitments.filter(function (c) { return themes.indexOf(c[2]) >= 0; });
    return chosen.length ? chosen : meta.commitments;
  }

  // ---- Data: meta.json, the shards a profile needs, the subject's keyword index ----

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(DATA + path).then(function (response) {
        if (response.status === 404 && path.indexOf("words/") === 0) { return {}; }
        if (!response.ok) { throw new Error(path + ": " + response.status); }
        return response.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  /* Per area, the per-offer shards or the area's whole shard, whichever is fewer bytes. A supplier
     working county-wide reaches every organisation: all areas, or the "any" shards if smaller. */
  function shardPlan(profile, meta) {
    function choose(area) {
      var sizes = meta.shards[area];
      var bytes = profile.offers.reduce(function (sum, o) { return sum + sizes[o]; }, 0);
      return bytes <= sizes.all ? { bytes: bytes, files: profile.offers.map(function (o) { return area + "/" + o + ".json"; }) }
        : { bytes: sizes.all, files: [area + "/all.json"] };
    }
    function join(areas) {
      return areas.map(choose).reduce(function (plan, one) {
        return { bytes: plan.bytes + one.bytes, files: plan.files.concat(one.files) };
      }, { bytes: 0, files: [] });
    }
    var districts = meta.areas.map(function (a) { return a[0]; }).filter(function (a) { return a !== meta.county; });
    if (meta.county && profile.areas.indexOf(meta.county) >= 0) {
      var everywhere = join(meta.areas.map(function (a) { return a[0]; }));
      var any = choose(meta.anywhere);
      return (any.bytes <= everywhere.bytes ? any : everywhere).files;
    }
    return join(profile.areas.filter(function (a) { return districts.indexOf(a) >= 0; })
      .concat(meta.county ? [meta.county] : [])).files;
  }

  function decode(rows, meta, into) {
    rows.forEach(function (r) {
      if (into.has(r[0])) { return; }
      into.set(r[0], { rank: r[0], id: r[1], name: r[2], summary: r[6],
        areas: r[3].map(function (i) { return meta.areas[i][0]; }),
        offers: r[4].map(function (i) { return meta.offers[i][0]; }),
        measures: r[5].map(function (i) { return meta.measures[i]; }) });
    });
  }

  function ranksOf(gaps) {
    var ranks = new Set(), rank = 0;
    gaps.forEach(function (gap) { rank += gap; ranks.add(rank); });
    return ranks;
  }

  function run(profile, meta) {
    var subject = subjectWords(profile.subject, meta);
    var prefixes = [];
    subject.forEach(function (word, stem) { if (prefixes.indexOf(stem.slice(0, 2)) < 0) { prefixes.push(stem.slice(0, 2)); } });
    var shards = shardPlan(profile, meta).map(load);
    var words = prefixes.map(function (p) { return load("words/" + p + ".json"); });
    return Promise.all([Promise.all(shards), Promise.all(words)]).then(function (loaded) {
      var orgs = new Map();
      loaded[0].forEach(function (rows) { decode(rows, meta, orgs); });
      var ctx = { meta: meta, subject: subject, words: {}, deliverable: new Set() };
      meta.measures.forEach(function (m) { if (deliverable(profile, m)) { ctx.deliverable.add(m.id); } });
      loaded[1].forEach(function (index) {
        Object.keys(index).forEach(function (stem) { if (subject.has(stem)) { ctx.words[stem] = ranksOf(index[stem]); } });
      });
      return match(profile, Array.from(orgs.values()), ctx);
    });
  }

  // ---- The page: answers from the address, errors, results ----

  function unique(values, known) {
    return values.filter(function (v, i) { return known.indexOf(v) >= 0 && values.indexOf(v) === i; });
  }

  function ids(list) { return list.map(function (item) { return item[0]; }); }

  function readAnswers(params, meta) {
    var answers = {
      offers: unique(params.getAll("offer"), ids(meta.offers)),
      areas: unique(params.getAll("area"), ids(meta.areas)),
      priorities: unique(params.getAll("priority"), ids(meta.priorities)),
      subject: (params.get("subject") || "").trim(),
      value: null, errors: []
    };
    if (!answers.offers.length) { answers.errors.push({ field: "offer", message: "Select at least one kind of help you can offer" }); }
    if (!answers.areas.length) { answers.errors.push({ field: "area", message: "Select where you work" }); }
    if ((params.get("value") || "").trim()) {
      var amount = kit.parseAmount(params.get("value"));
      if (amount.error === "negative") {
        answers.errors.push({ field: "value", message: "Contract value must be £0 or more" });
      } else if (amount.error) {
        answers.errors.push({ field: "value", message: "Contract value must be a number, like 25000 or 25,000.50" });
      } else { answers.value = amount.value; }
    }
    if (answers.subject.length > 200) {
      answers.errors.push({ field: "subject", message: "What the contract is for must be 200 characters or fewer" });
    }
    return answers;
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  function labels(chosen, list, index) {
    return list.filter(function (item) { return chosen.indexOf(item[0]) >= 0; }).map(function (item) { return item[index]; }).join(", ");
  }

  function thresholdText(value) {
    var money = kit.formatGbp(value), limit = kit.formatGbp(THRESHOLD);
    return kit.applies("contract", value, THRESHOLD)
      ? "Your contract is worth " + money + ", excluding VAT. That is more than " + limit + ", so social value applies to it."
      : "Your contract is worth " + money + ", excluding VAT. That is not more than " + limit +
        ", so social value is not required, but you are still welcome to offer it.";
  }

  /* Arriving from "Does social value apply?" with only the contract's value: say what it means
     above the form (the value is already in the form), with no errors for questions not yet asked. */
  function showCarried(params) {
    var box = document.getElementById("svm-carried");
    var amount = kit.parseAmount(params ? params.get("value") : "");
    box.textContent = "";
    box.hidden = !!amount.error;
    if (box.hidden) { return; }
    box.appendChild(el("p", thresholdText(amount.value) + " Now tell us what you can offer and where you work."));
  }

  function showSummary(answers, meta) {
    var parts = ["You offer " + labels(answers.offers, meta.offers, 2) + ".",
      answers.areas.indexOf(meta.county) >= 0 ? "You can work anywhere in " + meta.countyName + "."
        : "You work in " + labels(answers.areas, meta.areas, 1) + "."];
    if (answers.priorities.length) { parts.push("Your priorities: " + labels(answers.priorities, meta.priorities, 1) + "."); }
    if (answers.subject) { parts.push("The contract is for: " + answers.subject + "."); }
    document.getElementById("svm-summary").textContent = parts.join(" ");
    var box = document.getElementById("svm-threshold");
    box.textContent = "";
    box.hidden = answers.value === null;
    if (answers.value === null) { return; }
    box.appendChild(el("p", thresholdText(answers.value)));
    var p = el("p");
    p.appendChild(el("a", "Check whether social value applies to repeat orders", { href: SITE + "check/" }));
    box.appendChild(p);
  }

  function whereText(org, meta) { // matchpages.where_it_works
    if (org.areas.indexOf(meta.county) >= 0) { return "Works across " + meta.countyName; }
    return "Works in " + meta.areas.filter(function (a) { return org.areas.indexOf(a[0]) >= 0; })
      .map(function (a) { return a[1]; }).join(", ");
  }

  /* One result: the name, what the organisation does, where it works and why it matched. */
  function card(item, meta) {
    var li = el("li", null, { "data-org": item.org.id, class: "svm-card" });
    var heading = el("h3", null, { class: "svm-list__title" });
    heading.appendChild(el("a", item.org.name, { href: SITE + "register/" + item.org.id + "/" }));
    li.appendChild(heading);
    li.appendChild(el("p", item.org.summary, { class: "svm-card__text" }));
    li.appendChild(el("p", whereText(item.org, meta), { class: "svm-card__where" }));
    var why = el("p", null, { class: "svm-why" });
    why.appendChild(el("strong", "Why it matched:"));
    why.appendChild(document.createTextNode(" " + item.why));
    li.appendChild(why);
    return li;
  }

  /* The best TOP matches as cards; the rest inside "Show N more matches", PAGE at a time. */
  function showList(found, from, meta) {
    var first = null;
    found.slice(from, from + PAGE).forEach(function (item, n) {
      var li = card(item, meta);
      document.getElementById(from + n < TOP ? "svm-list" : "svm-list-rest").appendChild(li);
      first = first || li.querySelector("a");
    });
    var rest = document.getElementById("svm-rest");
    rest.hidden = found.length <= TOP;
    document.getElementById("svm-rest-count").textContent = "Show " + (found.length - TOP) + " more " +
      (found.length - TOP === 1 ? "match" : "matches");
    var more = document.getElementById("svm-more");
    more.hidden = found.length <= from + PAGE;
    more.onclick = function () {
      var next = showList(found, from + PAGE, meta);
      if (next) { next.focus(); }
    };
    return first;
  }

  function showMeasures(answers, meta) {
    var box = document.getElementById("svm-measures");
    box.textContent = "";
    deliverableMeasures(answers, meta).forEach(function (group) {
      box.appendChild(el("h3", group.priority[1]));
      var ul = el("ul", null, { class: "svm-measures" });
      group.measures.forEach(function (m) {
        var li = el("li", null, { "data-measure": m.id });
        li.appendChild(el("a", m.title, { href: SITE + "measures/" + m.id + "/" }));
        li.appendChild(document.createTextNode(", measured in " + m.unit));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    });
    var list = document.getElementById("svm-commitments");
    list.textContent = "";
    var commitments = relevantCommitments(answers, meta);
    document.getElementById("svm-commitments-intro").textContent = commitments.length === meta.commitments.length
      ? "The Charter asks every supplier about its staff and how it runs its business. All of its commitments apply to you."
      : "The Charter asks every supplier about its staff and how it runs its business. These commitments fit the help you offer most closely.";
    commitments.forEach(function (c) {
      var li = el("li", null, { "data-commitment": c[0] });
      li.appendChild(el("a", c[1], { href: SITE + "charter/#" + c[0] }));
      list.appendChild(li);
    });
  }

  function showResults(found, answers, meta, focus) {
    var n = found.length;
    var title = n ? n + " organisation" + (n === 1 ? "" : "s") + " would welcome your help" : "No organisations match your answers";
    var heading = document.getElementById("svm-results-title");
    heading.textContent = title;
    showSummary(answers, meta);
    document.getElementById("svm-list").textContent = "";
    document.getElementById("svm-list-rest").textContent = "";
    document.getElementById("svm-rest").open = false;
    showList(found, 0, meta);
    document.getElementById("svm-none").hidden = n > 0;
    showMeasures(answers, meta);
    var results = document.getElementById("svm-results");
    results.hidden = false;
    results.setAttribute("data-state", "done");
    document.getElementById("svm-status").textContent = title;
    if (window.performance && performance.mark) { performance.mark("svm-rendered"); }
    if (focus) { heading.focus(); }
  }

  function render(params, focus) {
    var token = ++latest;
    var results = document.getElementById("svm-results");
    kit.clearErrors(form);
    document.getElementById("svm-failed").hidden = true;
    if (!params) { results.hidden = true; return; }
    results.setAttribute("data-state", "loading");
    document.getElementById("svm-status").textContent = "Finding organisations…";
    load("meta.json").then(function (meta) {
      var answers = readAnswers(params, meta);
      if (answers.errors.length) {
        results.hidden = true;
        document.getElementById("svm-status").textContent = "";
        kit.showErrors(form, answers.errors, focus);
        return null;
      }
      return run(answers, meta).then(function (found) {
        if (token === latest) { showResults(found, answers, meta, focus); }
      });
    }).catch(function () {
      if (token !== latest) { return; }
      document.getElementById("svm-status").textContent = "";
      document.getElementById("svm-failed").hidden = false;
    });
  }

  load("meta.json").catch(function () { /* shown when the answers are submitted */ });
  kit.wire(form, ["offer", "area", "priority", "subject"], function (params, focus) {
    showCarried(params ? null : new URLSearchParams(window.location.search));
    render(params, focus);
  });
})();
