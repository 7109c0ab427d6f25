// ecociv: forms of the project, problem and task pages send their fields to /api/v1 (JSON, or
// multipart for a file) with the session's CSRF token, then reload the page; a refusal is shown
// in the form's [data-error] element.  No inline script: the CSP forbids it.
(function () {
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"]; }
    catch (e) { return ""; }
  }
  function value(field) {
    var type = field.getAttribute("data-type") || "text";
    var raw = field.type === "checkbox" ? field.checked : field.value;
    if (type === "bool") return raw === true || raw === "true";
    if (type === "nullable-number") return raw.trim() === "" ? null : Number(raw);
    if (typeof raw === "string" && raw.trim() === "") return undefined;
    if (type === "number") return Number(raw);
    if (type === "int") return parseInt(raw, 10);
    if (type === "list") return raw.split(/[、,，;；\n]/).map(function (s) { return s.trim(); }).filter(Boolean);
    if (type === "auto") {
      var picked = field.form.querySelector("select[name=field] option:checked");
      var kind = picked ? picked.getAttribute("data-kind") : "text";
      if (kind === "units") return raw.split(/[、,，;；]/).map(function (s) { return s.trim(); }).filter(Boolean);
      if (kind === "amount" || kind === "year") return Number(raw);
      return raw;
    }
    return raw;
  }
  function body(form) {
    if (form.querySelector("input[type=file]")) return new FormData(form);
    var data = {};
    form.querySelectorAll("[name]").forEach(function (field) {
      var v = value(field);
      if (v === undefined) return;
      var name = field.name;
      if (name.endsWith("[]")) { name = name.slice(0, -2); (data[name] = data[name] || []).push(v); }
      else if (name.indexOf(".") > 0) {
        // "scores.code.score" → {scores: {code: {score: v}}}
        var parts = name.split("."), at = data;
        parts.slice(0, -1).forEach(function (part) { at = at[part] = at[part] || {}; });
        at[parts[parts.length - 1]] = v;
      }
      else data[name] = v;
    });
    return JSON.stringify(data);
  }
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form.hasAttribute("data-api")) return;
    evt.preventDefault();
    var submitter = evt.submitter;
    if (submitter && submitter.name) {
      var hidden = form.querySelector("input[data-submitter]");
      if (!hidden) { hidden = document.createElement("input"); hidden.type = "hidden"; hidden.setAttribute("data-submitter", ""); form.appendChild(hidden); }
      hidden.name = submitter.name; hidden.value = submitter.value;
      if (submitter.getAttribute("data-type")) hidden.setAttribute("data-type", submitter.getAttribute("data-type"));
    }
    var payload = body(form);
    // data-put-if: when that field is filled, PUT to data-api + "/" + the key field's value
    // (an update); else POST with the key in the body under the key field's data-key.
    var putIf = form.getAttribute("data-put-if"), keyField = form.getAttribute("data-key-field");
    var method = form.getAttribute("data-method"), suffix = "";
    if (keyField) {
      var key = document.getElementById(keyField);
      var keyValue = value(key);
      if (putIf && document.getElementById(putIf).value.trim() !== "") {
        method = "PUT"; suffix = "/" + encodeURIComponent(key.value.trim());
      } else {
        var parsed = JSON.parse(payload); parsed[key.getAttribute("data-key")] = keyValue; payload = JSON.stringify(parsed);
      }
    }
    var headers = { "X-CSRF-Token": csrf() };
    if (typeof payload === "string") headers["Content-Type"] = "application/json";
    var error = form.querySelector("[data-error]");
    if (error) error.textContent = "";
    var url = form.getAttribute("data-api") + suffix;
    var periodField = form.getAttribute("data-period-field");
    if (periodField) url += encodeURIComponent(document.getElementById(periodField).value.trim());
    fetch(url, {
      method: method || (periodField ? "PUT" : "POST"),
      headers: headers, body: payload, credentials: "same-origin"
    }).then(function (response) {
      if (response.ok) {
        var next = form.getAttribute("data-next");
        if (next === "created") return response.json().then(function (row) { location.href = form.getAttribute("data-created").replace("{id}", row.id); });
        location.reload();
        return;
      }
      return response.json().then(function (problem) {
        var lang = document.documentElement.lang === "en" ? "detail_en" : "detail";
        if (error) error.textContent = problem[lang] || problem.detail || response.status;
      });
    });
  });
})();
