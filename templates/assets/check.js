/* "Does social value apply?" (check/), plus the helpers the opportunity finder shares: window.svKit.
   `applies` MIRRORS socialvalue/match.py `applies` (change them together): one contract must be
   worth MORE than the threshold; repeat orders must ADD UP TO the threshold or more over the rolling
   period. The figures come from the page (data-threshold, data-months, from register/settings.yaml). */
(function () {
  "use strict";
  document.documentElement.setAttribute("data-svm-js", "");

  /* "£12,000.50" -> {value: 12000.5}; otherwise {error: "empty" | "nan" | "negative"}. */
  function parseAmount(raw) {
    var text = String(raw == null ? "" : raw).trim().replace(/^£\s*/, "").replace(/,/g, "");
    if (!text) { return { error: "empty" }; }
    if (!/^-?(\d+(\.\d{1,2})?|\.\d{1,2})$/.test(text)) { return { error: "nan" }; }
    var value = Number(text);
    return value < 0 ? { error: "negative" } : { value: value + 0 };
  }

  /* Like the site's `gbp` filter: £5,000 for whole pounds, £5,000.50 otherwise. */
  function formatGbp(value) {
    var parts = (Math.floor(value) === value ? String(value) : value.toFixed(2)).split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return "£" + parts.join(".");
  }

  function applies(kind, value, threshold) {
    return kind === "contract" ? value > threshold : value >= threshold;
  }

  function byId(id) { return document.getElementById(id); }

  /* GOV.UK error pattern: summary at the top (focused), a message above each field, "Error: " title. */
  function clearErrors(form) {
    form.querySelectorAll(".svm-form-group--error").forEach(function (group) {
      group.classList.remove("svm-form-group--error");
    });
    form.querySelectorAll(".svm-error-message").forEach(function (p) { p.hidden = true; });
    form.querySelectorAll(".svm-input--error").forEach(function (i) { i.classList.remove("svm-input--error"); });
    form.querySelectorAll("[data-svm-described]").forEach(function (el) {
      el.setAttribute("aria-describedby", el.getAttribute("data-svm-described"));
      el.removeAttribute("data-svm-described");
    });
    byId("svm-error-summary").hidden = true;
    document.title = document.title.replace(/^Error: /, "");
  }

  function showErrors(form, errors, focus) {
    var summary = byId("svm-error-summary");
    var list = summary.querySelector("ul");
    list.textContent = "";
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#svm-" + error.field;
      link.textContent = error.message;
      item.appendChild(link);
      list.appendChild(item);
      var message = byId("svm-" + error.field + "-error");
      message.querySelector(".svm-error-message__text").textContent = error.message;
      message.hidden = false;
      var group = message.closest(".svm-form-group");
      group.classList.add("svm-form-group--error");
      var described = group.querySelector("fieldset") || byId("svm-" + error.field);
      described.setAttribute("data-svm-described", described.getAttribute("aria-describedby") || "");
      described.setAttribute("aria-describedby", ((described.getAttribute("aria-describedby") || "") + " " + message.id).trim());
      var input = byId("svm-" + error.field);
      if (input.type === "text") { input.classList.add("svm-input--error"); }
    });
    summary.hidden = false;
    if (!/^Error: /.test(document.title)) { document.title = "Error: " + document.title; }
    if (focus) { summary.focus(); }
  }

  /* Links in the error summary focus the field and show its question (GOV.UK behaviour). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".svm-error-summary a");
    if (!link) { return; }
    var input = byId(link.getAttribute("href").slice(1));
    if (!input) { return; }
    event.preventDefault();
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    (legend || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });

  /* The form's answers as a tidy query string (empty text fields left out). */
  function formQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "") { params.append(name, String(value).trim()); }
    });
    return params;
  }

  /* Put the answers from the query string back into the form. */
  function fillForm(form, params) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = params.getAll(el.name).indexOf(el.value) >= 0;
      } else if (el.type === "text") {
        el.value = params.get(el.name) || "";
      }
    });
  }

  /* Run `render(params, focus)` on submit (the answers go into the address, focus moves to the
     answer or the error summary), and without moving focus on load and on back/forward. */
  function wire(form, names, render) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (window.performance && performance.mark) { performance.mark("svm-submit"); }
      var params = formQuery(form);
      history.pushState(null, "", "?" + params.toString());
      render(params, true);
    });
    function fromAddress(focus) {
      var params = new URLSearchParams(window.location.search);
      var asked = names.some(function (name) { return params.has(name); });
      fillForm(form, params);
      if (asked) { render(params, focus); } else { render(null, false); }
    }
    window.addEventListener("popstate", function () { fromAddress(false); });
    fromAddress(false);
  }

  window.svKit = { parseAmount: parseAmount, formatGbp: formatGbp, applies: applies, clearErrors: clearErrors,
    showErrors: showErrors, wire: wire };

  // ---- The threshold check page ----
  var root = byId("svc");
  var form = byId("svc-form");
  if (!root || !form || !window.URLSearchParams || !window.FormData) { return; }
  var threshold = Number(root.getAttribute("data-threshold"));
  var months = Number(root.getAttribute("data-months"));
  var MESSAGES = {
    kind: "Select one contract or repeat orders",
    empty: "Enter how much it is worth, excluding VAT",
    nan: "The amount must be a number, like 4500 or 12,000.50",
    negative: "The amount must be £0 or more"
  };

  function answer(kind, value) {
    var money = formatGbp(value), limit = formatGbp(threshold), yes = applies(kind, value, threshold);
    if (kind === "contract") {
      return yes ? { yes: true, title: "Yes, social value applies to this contract",
        why: "The contract is worth " + money + ", excluding VAT. That is more than " + limit +
          ", so we will ask you for social value, and what you agree will be written into the contract.",
        next: "Choose measures that fit your business, and find organisations that would welcome your help." }
        : { yes: false, title: "No, this contract does not need social value",
          why: "The contract is worth " + money + ", excluding VAT. We ask for social value only when a contract is worth more than " + limit + ".",
          next: "You are still welcome to offer social value. If you also supply us with repeat orders, check those too." };
    }
    return yes ? { yes: true, title: "Yes, we will invite you to offer social value",
      why: "Your repeat orders add up to " + money + ", excluding VAT, over the last " + months + " months. That reaches the " + limit +
        " threshold, so we will invite you to tell us what social value you can offer.",
      next: "Choose measures that fit your business, and find organisations that would welcome your help." }
      : { yes: false, title: "No, not yet",
        why: "Your repeat orders add up to " + money + ", excluding VAT, over the last " + months + " months. That is less than " + limit +
          ", so we will not ask you for social value.",
        next: "If your orders reach " + limit + " in any " + months + " months in a row, we will invite you to offer some. You are still welcome to offer it now." };
  }

  function render(params, focus) {
    var panel = byId("svc-answer");
    clearErrors(form);
    panel.hidden = true;
    if (!params) { return; }
    var kind = params.get("kind");
    var amount = parseAmount(params.get("value"));
    var errors = [];
    if (kind !== "contract" && kind !== "repeat") { errors.push({ field: "kind", message: MESSAGES.kind }); }
    if (amount.error) { errors.push({ field: "value", message: MESSAGES[amount.error] }); }
    if (errors.length) { showErrors(form, errors, focus); return; }
    var result = answer(kind, amount.value);
    byId("svc-answer-title").textContent = result.title;
    byId("svc-answer-why").textContent = result.why;
    byId("svc-answer-next").textContent = result.next;
    panel.classList.toggle("svm-panel--yes", result.yes);
    /* The finder keeps a contract's value and says what it means (repeat orders are not one contract). */
    var onward = byId("svc-answer-match");
    onward.href = onward.getAttribute("data-base") +
      (kind === "contract" ? "?" + new URLSearchParams({ value: String(amount.value) }).toString() : "");
    panel.hidden = false;
    if (focus) { panel.focus(); }
  }

  wire(form, ["kind", "value"], render);
})();
