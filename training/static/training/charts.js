/* Draws the training report and survey charts with the vendored Chart.js (window.Chart).
   Data comes from the page's <script type="application/json" id="training-chart-data">. */
(function () {
  "use strict";
  var canvas = document.getElementById("training-chart");
  var source = document.getElementById("training-chart-data");
  if (!canvas || !source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#2e6da4", "#5cb85c", "#f0ad4e", "#d9534f", "#5bc0de", "#9467bd", "#8c564b", "#e377c2",
                 "#7f7f7f", "#bcbd22"];
  var config;
  if (data.type === "report") {
    config = {
      data: {
        labels: data.labels,
        datasets: [
          {type: "bar", label: data.names.enrolled, data: data.series.enrolled, backgroundColor: palette[0], yAxisID: "y"},
          {type: "bar", label: data.names.completed, data: data.series.completed, backgroundColor: palette[1], yAxisID: "y"},
          {type: "bar", label: data.names.placed, data: data.series.placed, backgroundColor: palette[2], yAxisID: "y"},
          {type: "line", label: data.names.output_rate, data: data.series.output_rate, borderColor: palette[3],
           backgroundColor: palette[3], yAxisID: "rate", spanGaps: true},
          // Yuan arrive as exact strings ("3040.00"); the chart needs numbers.
          {type: "line", label: data.names.subsidy_paid, data: (data.series.subsidy_paid || []).map(Number),
           borderColor: palette[5], backgroundColor: palette[5], borderDash: [6, 4], yAxisID: "money"}
        ]
      },
      options: {
        responsive: true,
        scales: {
          y: {beginAtZero: true, position: "left", ticks: {precision: 0}},
          rate: {beginAtZero: true, max: 100, position: "right", grid: {drawOnChartArea: false},
                 title: {display: true, text: "%"}},
          money: {beginAtZero: true, position: "right", grid: {drawOnChartArea: false},
                  title: {display: true, text: data.names.subsidy_paid}}
        }
      }
    };
  } else {
    config = {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          return {label: set.label, data: set.data, backgroundColor: palette[i % palette.length]};
        })
      },
      options: {responsive: true, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}}
    };
  }
  new window.Chart(canvas, config);
})();
