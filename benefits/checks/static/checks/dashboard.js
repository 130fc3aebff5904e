// Staff dashboard charts: data from the json_script the panel renders (benefits/checks/dashboard.py).
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("checks-dashboard-data");
    if (!node || typeof Chart === "undefined") { return; }
    var d = JSON.parse(node.textContent);
    var colours = ["#2e6da4", "#e07b39", "#3a9d5d", "#b03a48", "#7a5195"];
    new Chart(document.getElementById("checks-chart-trend"), {
      data: {
        labels: d.labels,
        datasets: [
          { type: "line", label: "在保户数", data: d.households, borderColor: colours[0], yAxisID: "y" },
          { type: "bar", label: d.money_label, data: d.money.map(Number), backgroundColor: colours[1] + "99", yAxisID: "y1" }
        ]
      },
      options: { scales: { y: { position: "left", beginAtZero: true }, y1: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } } }
    });
    new Chart(document.getElementById("checks-chart-mix"), {
      type: "doughnut",
      data: { labels: Object.keys(d.category_mix), datasets: [{ data: Object.values(d.category_mix), backgroundColor: colours }] }
    });
    new Chart(document.getElementById("checks-chart-flow"), {
      type: "bar",
      data: { labels: d.labels, datasets: [
        { label: "纳入", data: d.entries, backgroundColor: colours[2] },
        { label: "退出", data: d.exits, backgroundColor: colours[3] }
      ] },
      options: { scales: { y: { beginAtZero: true } } }
    });
    var names = Object.keys(d.placements);
    if (names.length) {
      new Chart(document.getElementById("checks-chart-placements"), {
        type: "line",
        data: { labels: d.labels, datasets: names.map(function (name, i) {
          return { label: name, data: d.placements[name], borderColor: colours[(i + 2) % colours.length] };
        }) },
        options: { scales: { y: { beginAtZero: true } } }
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
