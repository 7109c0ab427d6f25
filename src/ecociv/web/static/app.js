// ecociv: draw every ECharts chart whose option is embedded in the page as JSON.
(function () {
  function draw(root) {
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var option = JSON.parse(document.getElementById(el.getAttribute("data-chart")).textContent);
      var chart = echarts.getInstanceByDom(el) || echarts.init(el);
      chart.setOption(option, true);
      el.setAttribute("data-chart-ready", "1");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { draw(evt.detail.elt.ownerDocument); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el); if (chart) chart.resize();
    });
  });
})();
// "Edit" buttons of the values table fill the entry form with the stored value and its version.
document.addEventListener("click", function (evt) {
  var button = evt.target.closest("[data-fill]");
  if (!button) return;
  var values = JSON.parse(button.getAttribute("data-fill"));
  var fields = Object.keys(values).map(function (name) { return document.getElementById(name); })
    .filter(function (field) { return field; });
  // every field first (source, note and version included: an edit keeps what it does not change),
  // then the change events, so that the check sees the whole form
  fields.forEach(function (field) { field.value = values[field.id]; });
  fields.forEach(function (field) { field.dispatchEvent(new Event("change", { bubbles: true })); });
});
// A <select data-autosubmit> sends its form when changed (no inline handlers: the CSP forbids them).
document.addEventListener("change", function (evt) {
  if (evt.target.matches("select[data-autosubmit]")) evt.target.form.submit();
});
// A [data-print] button prints the page (the print stylesheet hides the controls).
document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) window.print();
});


// A failed htmx request is never silent: an error response that is not a fragment written for
// the target (data-error-fragment), or no response at all, replaces the target with a visible
// "not saved" notice carrying the server's message (issue 13: a 409 used to leave "✓ 可以保存").
(function () {
  function notice(target, text) {
    if (!target) return;
    var box = document.createElement("div");
    box.id = target.id || "";
    box.className = "notice error";
    var line = document.createElement("div");
    line.id = "save-failed";
    line.textContent = text;
    box.appendChild(line);
    target.replaceWith(box);
  }
  function serverMessage(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var found = doc.getElementById("error-message") || doc.querySelector("h1");
    return (found ? found.textContent.trim() : "") || String(xhr.status);
  }
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    var landed = xhr.responseURL ? new URL(xhr.responseURL).pathname : "";
    var signedOut = landed === "/login" && evt.detail.requestConfig.path.indexOf("/login") !== 0;
    if (signedOut) {  // the session ended: the server sent the request on to the sign-in form
      evt.detail.shouldSwap = false;
      notice(evt.detail.target, document.body.dataset.signedOut);
      return;
    }
    if (xhr.status < 400) return;
    if ((xhr.responseText || "").indexOf("data-error-fragment") >= 0) return;
    evt.detail.shouldSwap = false;
    notice(evt.detail.target, document.body.dataset.requestFailed + " (" + xhr.status + ") " + serverMessage(xhr));
  });
  document.addEventListener("htmx:sendError", function (evt) {
    notice(evt.detail.target, document.body.dataset.noConnection);
  });
})();
// Typing another year after 修改 starts a new entry: the version of the value being edited no
// longer applies (only the user's typing fires "input"; a fill dispatches "change" alone).
document.addEventListener("input", function (evt) {
  if (evt.target.id !== "year") return;
  var version = document.getElementById("expected_version");
  if (version) version.value = "";
});
