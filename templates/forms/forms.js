/* Progressive enhancement for the Social Value forms (templates/forms/*.html).

   The form works without this file: the intake server checks every answer and shows the same
   error summary. With it, the browser runs the SAME rules first (read from the JSON blob
   <script type="application/json" id="sv-form-rules"> that the template embeds from the intake
   Table Schemas), shows the same messages without a round trip, pre-fills answers from the
   link (?measure=..&organisation=..&commitment=..&contract=..&update=..), reveals conditional questions and shows
   the unit of the chosen measure.

   The checking core (svValidate) is pure: the test suite runs it under Node against the same
   table of answers as the server's rules (tests/intake/test_forms_js.py). */
(function (root) {
  "use strict";

  var CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
  var DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

  function tidy(text) {
    return String(text).replace(/\r\n?/g, "\n").replace(CONTROL, "").trim();
  }

  function normalise(rule, text) {
    var steps = rule.normalise || [];
    if (steps.indexOf("nospace") >= 0) { text = text.replace(/\s+/g, ""); }
    if (steps.indexOf("upper") >= 0) { text = text.toUpperCase(); }
    return text;
  }

  function length(text) { return Array.from(text).length; }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function checkString(rule, text) {
    var c = rule.constraints, m = rule.messages;
    if (c.maxLength !== undefined && length(text) > c.maxLength) { return [null, m.maxLength]; }
    if (c.minLength !== undefined && length(text) < c.minLength) { return [null, m.minLength]; }
    if (c.pattern !== undefined && !new RegExp("^(?:" + c.pattern + ")$").test(text)) {
      return [null, m.pattern];
    }
    if (c["enum"] && c["enum"].indexOf(text) < 0) { return [null, m["enum"]]; }
    if (rule.choices && rule.choices.indexOf(text) < 0) { return [null, m.choice]; }
    return [text, null];
  }

  function checkNumber(rule, text, data, whole) {
    var c = rule.constraints, m = rule.messages;
    text = text.replace(/[\s,£]/g, "");
    if (text.length > 40 || !NUMBER.test(text)) { return [null, m.type]; }
    var n = Number(text);
    if (c.exclusiveMinimum !== undefined && n <= c.exclusiveMinimum) {
      return [null, m.exclusiveMinimum];
    }
    if (c.minimum !== undefined && n < c.minimum) { return [null, m.minimum]; }
    if (c.maximum !== undefined && n > c.maximum) { return [null, m.maximum]; }
    if (rule.wholeWhen && whole.indexOf(data[rule.wholeWhen]) >= 0 && !Number.isInteger(n)) {
      return [null, m.whole];
    }
    return [n, null];
  }

  function checkDate(rule, text, data) {
    var found = DATE.exec(text);
    var when = null;
    if (found) {
      var y = +found[1], mo = +found[2], d = +found[3];
      var date = new Date(Date.UTC(y, mo - 1, d));
      if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d &&
          y >= 1900 && y <= 2200) {
        when = y + "-" + pad(mo) + "-" + pad(d);
      }
    }
    if (when === null) { return [null, rule.messages.type]; }
    var other = rule.notBefore ? data[rule.notBefore] : null;
    if (other && when < other) { return [null, rule.messages.notBefore]; }
    return [when, null];
  }

  function checkBoolean(rule, text) {
    if (rule.trueValues.indexOf(text) >= 0) { return [true, null]; }
    if (rule.falseValues.indexOf(text) >= 0) { return [false, null]; }
    return [null, rule.messages.type || rule.messages.required];
  }

  function checkArray(rule, items) {
    var seen = [];
    items.forEach(function (item) {
      item = tidy(item);
      if (item && seen.indexOf(item) < 0) { seen.push(item); }
    });
    if (!seen.length) {
      var required = rule.constraints.required || rule.requiredWhen;
      return [null, required ? rule.messages.required : null];
    }
    if (rule.choices && seen.some(function (i) { return rule.choices.indexOf(i) < 0; })) {
      return [null, rule.messages.choice];
    }
    return [seen, null];
  }

  function check(rule, value, data, whole) {
    if (rule.type === "array") {
      return checkArray(rule, Array.isArray(value) ? value : [value]);
    }
    var text = normalise(rule, tidy(typeof value === "string" ? value : ""));
    if (text === "") {
      var required = rule.constraints.required || rule.requiredWhen;
      return [null, required ? rule.messages.required : null];
    }
    if (rule.type === "number") { return checkNumber(rule, text, data, whole); }
    if (rule.type === "date") { return checkDate(rule, text, data); }
    if (rule.type === "boolean") { return checkBoolean(rule, text); }
    return checkString(rule, text);
  }

  /* The answers (name -> text or list of texts) -> [{field, message}] in question order. */
  function svValidate(rules, raw) {
    var data = {}, errors = [];
    rules.order.forEach(function (name) {
      var rule = rules.fields[name];
      var when = rule.requiredWhen;
      if (when && data[when.field] !== when.value) { return; }
      var result = check(rule, raw[name] === undefined ? "" : raw[name], data,
                         rules.wholeMeasures || []);
      if (result[1]) {
        errors.push({field: name, message: result[1]});
      } else if (result[0] !== null) {
        data[name] = result[0];
      }
    });
    return errors;
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {svValidate: svValidate};
  }
  if (typeof document === "undefined") { return; }

  /* ---- In the browser ---- */

  function answers(form, rules) {
    var raw = {};
    rules.order.forEach(function (name) {
      var rule = rules.fields[name];
      if (rule.type === "array") {
        raw[name] = Array.prototype.map.call(
          form.querySelectorAll("input[name='" + name + "']:checked"),
          function (input) { return input.value; });
      } else if (rule.type === "date") {
        var parts = ["day", "month", "year"].map(function (part) {
          var input = form.elements[name + "-" + part];
          return input ? tidy(input.value) : "";
        });
        raw[name] = parts.join("") ? parts[2] + "-" + parts[1] + "-" + parts[0] : "";
      } else {
        raw[name] = value(form, name);
      }
    });
    return raw;
  }

  function value(form, name) {
    var checked = form.querySelector("input[name='" + name + "']:checked");
    if (checked) { return checked.value; }
    var field = form.querySelector("input[name='" + name + "']:not([type=radio]):not([type=checkbox]), " +
                                   "select[name='" + name + "'], textarea[name='" + name + "']");
    return field ? field.value : "";
  }

  function describe(element, id, on) {
    var ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids = ids.filter(function (x) { return x !== id; });
    if (on) { ids.push(id); }
    if (ids.length) { element.setAttribute("aria-describedby", ids.join(" ")); }
    else { element.removeAttribute("aria-describedby"); }
  }

  function showFieldError(form, name, message) {
    var group = form.querySelector("[data-sv-field='" + name + "']");
    if (!group) { return; }
    var id = "sv-" + name + "-error";
    var old = document.getElementById(id);
    if (old) { old.parentNode.removeChild(old); }
    group.classList.toggle("sv-form-group--error", Boolean(message));
    var fieldset = group.querySelector("fieldset");
    var target = fieldset || group.querySelector("input, select, textarea");
    Array.prototype.forEach.call(group.querySelectorAll(".sv-input, .sv-select, .sv-textarea"),
      function (input) {
        var base = input.classList.contains("sv-select") ? "sv-select" :
          input.classList.contains("sv-textarea") ? "sv-textarea" : "sv-input";
        input.classList.toggle(base + "--error", Boolean(message));
      });
    if (target) { describe(target, id, Boolean(message)); }
    if (!message) { return; }
    var p = document.createElement("p");
    p.id = id;
    p.className = "sv-error-message";
    var hidden = document.createElement("span");
    hidden.className = "sv-visually-hidden";
    hidden.textContent = "Error:";
    p.appendChild(hidden);
    p.appendChild(document.createTextNode(" " + message));
    var hint = document.getElementById("sv-" + name + "-hint");
    var after = hint || group.querySelector("legend, label");
    after.parentNode.insertBefore(p, after.nextSibling);
  }

  function showErrors(form, rules, errors) {
    var summary = form.querySelector(".sv-error-summary");
    var list = summary.querySelector(".sv-error-summary__list");
    list.textContent = "";
    errors.forEach(function (error) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#sv-" + error.field;
      a.textContent = error.message;
      li.appendChild(a);
      list.appendChild(li);
    });
    rules.order.forEach(function (name) {
      var found = errors.filter(function (e) { return e.field === name; })[0];
      showFieldError(form, name, found ? found.message : "");
    });
    var title = document.title.replace(/^Error: /, "");
    document.title = errors.length ? "Error: " + title : title;
    summary.hidden = !errors.length;
    if (errors.length) { summary.focus(); }
  }

  function followSummaryLink(event) {
    var link = event.target.closest && event.target.closest(".sv-error-summary a");
    if (!link) { return; }
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) { return; }
    event.preventDefault();
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    var label = legend || document.querySelector("label[for='" + input.id + "']") || input;
    label.scrollIntoView();
    input.focus({preventScroll: true});
  }

  function prefill(form, rules) {
    var query = new URLSearchParams(window.location.search);
    var measure = query.get("measure"), organisation = query.get("organisation");
    var commitment = query.get("commitment");
    setIfEmpty(form, rules, "measure", measure);
    checkIfKnown(form, rules, "measures", measure);
    if (setIfEmpty(form, rules, "organisation", organisation)) {
      checkIfKnown(form, rules, "request_type", "update");
    }
    if (checkIfKnown(form, rules, "commitments", commitment)) {
      checkIfKnown(form, rules, "commitments_scope", "chosen");
    }
    /* The delivery forms, from a contract's page: ?contract=<reference>&commitment=..&update=.. */
    fillIfEmpty(form, "contract_reference", query.get("contract"));
    fillIfEmpty(form, "commitment", commitment);
    fillIfEmpty(form, "update", query.get("update"));
  }

  function fillIfEmpty(form, name, text) {
    var field = form.querySelector("input[type=text][name='" + name + "']");
    if (!text || !field || field.value) { return; }
    field.value = text.slice(0, 80);
  }

  function setIfEmpty(form, rules, name, id) {
    var field = form.querySelector("select[name='" + name + "']");
    var rule = rules.fields[name];
    if (!id || !field || !rule || field.value || (rule.choices || []).indexOf(id) < 0) {
      return false;
    }
    field.value = id;
    return true;
  }

  function checkIfKnown(form, rules, name, id) {
    if (!id || !rules.fields[name]) { return false; }
    var boxes = form.querySelectorAll("input[name='" + name + "']");
    var box = Array.prototype.filter.call(boxes, function (b) { return b.value === id; })[0];
    if (!box) { return false; }
    box.checked = true;
    return true;
  }

  function reveal(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-sv-show-when]"), function (el) {
      var parts = el.getAttribute("data-sv-show-when").split("=");
      el.hidden = value(form, parts[0]) !== parts[1];
    });
  }

  function showUnit(form) {
    var select = form.querySelector("select[name='measure']");
    var suffix = document.getElementById("sv-quantity-suffix");
    if (!select || !suffix) { return; }
    var option = select.options[select.selectedIndex];
    var unit = option ? option.getAttribute("data-unit") || "" : "";
    suffix.textContent = unit;
    suffix.hidden = !unit;
    describe(document.getElementById("sv-quantity"), suffix.id, Boolean(unit));
  }

  function start() {
    var form = document.querySelector("form[data-sv-form]");
    var blob = document.getElementById("sv-form-rules");
    if (!form || !blob || form.getAttribute("data-sv-ready")) { return; }
    form.setAttribute("data-sv-ready", "true");
    var rules = JSON.parse(blob.textContent);
    var sending = false;
    prefill(form, rules);
    reveal(form);
    showUnit(form);
    form.addEventListener("change", function () { reveal(form); showUnit(form); });
    form.addEventListener("click", followSummaryLink);
    form.addEventListener("submit", function (event) {
      if (sending) { event.preventDefault(); return; }
      var errors = svValidate(rules, answers(form, rules));
      if (errors.length) {
        event.preventDefault();
        showErrors(form, rules, errors);
        return;
      }
      sending = true;  /* one click, one submission */
    });
    window.addEventListener("pageshow", function () { sending = false; });
    var summary = form.querySelector(".sv-error-summary");
    if (summary && !summary.hidden) { summary.focus(); }
  }

  if (root.document$ && typeof root.document$.subscribe === "function") {
    root.document$.subscribe(start);  /* mkdocs-material's instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}(this));
