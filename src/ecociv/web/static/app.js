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
