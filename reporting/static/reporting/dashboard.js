// REP-2: a small trend chart per indicator (the city's value over the years, and its target), drawn
// by the vendored Apache ECharts from the JSON the page carries.
(function () {
  "use strict";
  var data = document.getElementById("dashboard-data");
  if (!data || !window.echarts) { return; }
  var chart = JSON.parse(data.textContent);
  var byCode = {};
  chart.series.forEach(function (s) { byCode[s.code] = s; });
  document.querySelectorAll(".indicator-chart").forEach(function (el) {
    var s = byCode[el.getAttribute("data-code")];
    if (!s) { return; }
    var unit = s.measure === "percent" ? "%" : "";
    var series = [{ type: "line", data: s.values, name: s.name, connectNulls: false, symbolSize: 6 }];
    if (s.targets.some(function (t) { return t !== null; })) {
      series.push({ type: "line", data: s.targets, lineStyle: { type: "dashed" }, symbol: "none", name: "目标" });
    }
    var instance = window.echarts.init(el, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      grid: { left: 40, right: 10, top: 10, bottom: 20 },
      xAxis: { type: "category", data: chart.years },
      yAxis: { type: "value", axisLabel: { formatter: "{value}" + unit } },
      tooltip: { trigger: "axis" },
      series: series
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
  var print = document.querySelector("body.printable");
  if (print) { window.addEventListener("load", function () { window.print(); }); }
})();
