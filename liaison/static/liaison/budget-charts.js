// Budget charts (docs/budget.md): the execution rate per row of a table, drawn with the vendored
// Apache ECharts from the table beside it (each box names its table in data-table; each rate cell
// carries data-rate). The tables stay for screen readers and printing; the charts are aria-hidden.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-budget-chart]"), function (box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    if (!table || !table.tBodies.length) { return; }
    var labels = [], rates = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var th = row.querySelector("th"), cell = row.querySelector("[data-rate]");
      if (!th || !cell || cell.getAttribute("data-rate") === "") { return; }
      labels.push(th.textContent.trim());
      rates.push(parseFloat(cell.getAttribute("data-rate")));
    });
    if (!labels.length) { return; }
    box.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      aria: { enabled: false },
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: "%" },
      yAxis: { type: "category", data: labels.slice().reverse() },
      series: [{ type: "bar", data: rates.slice().reverse(), label: { show: true, position: "right", formatter: "{c}%" } }]
    });
    box.setAttribute("data-drawn", "");
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
