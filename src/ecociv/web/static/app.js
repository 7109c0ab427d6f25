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
  Object.keys(values).forEach(function (name) {
    var field = document.getElementById(name);
    if (field) { field.value = values[name]; field.dispatchEvent(new Event("change", { bubbles: true })); }
  });
});
// A <select> or checkbox with data-autosubmit sends its form when changed (no inline handlers: the CSP forbids them).
document.addEventListener("change", function (evt) {
  if (evt.target.matches("select[data-autosubmit], input[type=checkbox][data-autosubmit]")) evt.target.form.submit();
});
