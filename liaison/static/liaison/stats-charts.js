// Charts on the statistics pages (docs/statistics.md, "Charts"), drawn with the vendored Apache
// ECharts from the tables already on the page: each chart box names its table in data-table.
// The tables stay for screen readers, printing and browsers without JavaScript; the charts are
// aria-hidden pictures of them. A cell that is not a plain number (the public page's "<5") is
// left out of the picture rather than guessed.
(function () {
  "use strict";
  if (!window.echarts) { return; }

  function number(cell) {
    var text = cell ? cell.textContent.trim() : "";
    return /^[0-9]+$/.test(text) ? parseInt(text, 10) : null;
  }

  function read(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) {
      return c.textContent.trim();
    });
    var labels = [], columns = [];
    rows.forEach(function (row) {
      var th = row.querySelector("th");
      if (!th) { return; } // "None in this period."
      labels.push(th.textContent.trim());
      Array.prototype.forEach.call(row.querySelectorAll("td"), function (td, i) {
        (columns[i] = columns[i] || []).push(number(td));
      });
    });
    return { labels: labels, heads: heads.slice(1), columns: columns };
  }

  function option(kind, data) {
    var common = {
      animation: false,
      aria: { enabled: false }, // the table beside it is what assistive technology reads
      // Rich text is drawn on the canvas: an HTML tooltip would carry inline styles (CSP).
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true }
    };
    if (kind === "trend") {
      var series = [0, 1].map(function (i) {
        return { name: data.heads[i], type: "line", data: data.columns[i] || [], connectNulls: false };
      });
      return Object.assign(common, {
        legend: { top: 0 },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value", minInterval: 1 },
        series: series
      });
    }
    // A breakdown: horizontal bars, the largest on top.
    return Object.assign(common, {
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels.slice().reverse() },
      series: [{ name: data.heads[0], type: "bar", data: (data.columns[0] || []).slice().reverse() }]
    });
  }

  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    if (!table || !table.tHead || !table.tBodies.length) { return; }
    var data = read(table);
    if (!data.labels.length) { return; }
    box.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option(box.getAttribute("data-chart"), data));
    box.setAttribute("data-drawn", "");
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
