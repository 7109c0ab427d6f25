// ecociv big screen (大屏): show the clock of the data and reload the page every N seconds
// (data-refresh on #big-screen). A static file: the CSP allows no inline script.
(function () {
  var screen = document.getElementById("big-screen");
  if (!screen) return;
  var stamp = document.getElementById("screen-time");
  if (stamp) stamp.textContent = new Date().toLocaleString(document.documentElement.lang || "zh-CN");
  var seconds = parseInt(screen.getAttribute("data-refresh"), 10);
  if (seconds > 0) {
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
