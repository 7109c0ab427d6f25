/* 一张图: draw the region map from its JSON block (see templates/_map.html).
   The boundaries are our own static file (GB/T 2260 codes as feature ids); each drawn area is
   renamed to the region's name, coloured by readiness band or verdict status, and a click
   opens its drill-down (or dashboard). */
(function () {
  /* The same colours as static/map.css (legend swatches) and the verdict chips of app.css. */
  var BAND = { b90: "#2f855a", b70: "#9ae6b4", b50: "#f6e05e", b0: "#fc8181", none: "#e2e8f0" };
  var STATUS = {
    met: "#2f855a", not_met: "#c53030", needs_review: "#6b46c1", in_progress: "#b7791f",
    no_data: "#cbd5e0", not_applicable: "#edf2f7"
  };
  var SYMBOL = { air: "circle", water: "triangle", noise: "rect", other: "pin", project: "diamond" };

  function text(area, labels) {
    var lines = [area.name];
    if (area.boundary_name && area.boundary_name !== area.name) {
      lines.push(labels.boundary + "：" + area.boundary_name + "（" + area.division_code + "）");
    }
    if (area.share !== null && area.share !== undefined) {
      lines.push(labels.readiness + " " + Math.round(area.share * 100) + "%（" + area.met + "/" + area.applicable + "）");
    }
    if (area.status) {
      var value = area.latest ? (area.latest.text !== null ? area.latest.text : area.latest.value) + "（" + area.latest.year + "）" : labels.no_value;
      lines.push(value + " · " + labels.status[area.status]);
      var reason = labels.lang === "zh" ? area.reason_zh : area.reason_en;
      if (reason) lines.push(reason);
    }
    return lines;
  }

  function escape(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function draw(el) {
    var data = JSON.parse(document.getElementById(el.getAttribute("data-map")).textContent);
    var labels = JSON.parse(document.getElementById("region-map-labels").textContent);
    fetch(data.file, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      var byCode = {};
      data.areas.forEach(function (a) { byCode[a.division_code] = a; });
      geo.features.forEach(function (f) {
        var area = byCode[f.properties.code];
        f.properties.name = area ? area.name : f.properties.name;
      });
      echarts.registerMap(data.map_name, geo);
      var byName = {};
      var regions = data.areas.map(function (a) {
        byName[a.name] = a;
        var colour = data.mode === "indicator" ? STATUS[a.status || "no_data"] : BAND[a.band];
        return { name: a.name, itemStyle: { areaColor: colour }, label: { fontWeight: "bold" } };
      });
      var chart = echarts.init(el);
      chart.setOption({
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            if (p.componentType === "geo") {
              var area = byName[p.name];
              return area ? text(area, labels).map(escape).join("<br>") : escape(p.name);
            }
            return escape((p.data.type === "project" ? labels.project : labels.station) + " · " + p.data.name);
          }
        },
        geo: {
          map: data.map_name,
          roam: false,
          layoutCenter: ["50%", "50%"],
          layoutSize: "95%",
          label: { show: true, color: "#1b1f24", fontSize: 13, textBorderColor: "#fff", textBorderWidth: 2 },
          itemStyle: { areaColor: "#f4f5f7", borderColor: "#555", borderWidth: 1 },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#9ecbff" } },
          select: { disabled: true },
          tooltip: { show: true },
          regions: regions
        },
        series: [{
          type: "scatter",
          coordinateSystem: "geo",
          symbolSize: 11,
          itemStyle: { color: "#1f3a93", borderColor: "#fff", borderWidth: 1 },
          data: data.points.map(function (p) {
            return {
              name: p.name, type: p.type, value: [p.lon, p.lat],
              symbol: SYMBOL[p.kind] || "circle",
              itemStyle: p.type === "project" ? { color: "#8e44ad" } : undefined
            };
          })
        }]
      });
      chart.on("click", function (p) {
        if (p.componentType === "geo" && byName[p.name]) {
          window.location.href = byName[p.name].url;
        }
      });
      window.addEventListener("resize", function () { chart.resize(); });
      el.setAttribute("data-map-ready", "1");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(draw);
  });
})();
