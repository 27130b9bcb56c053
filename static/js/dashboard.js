// Draws the dashboard's charts from the JSON the page embeds; a click on any segment opens
// the list behind it. No inline script, so a strict Content-Security-Policy holds.
(function () {
  "use strict";
  const source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = JSON.parse(document.getElementById("chart-labels").textContent);
  const charts = [];

  function chart(id, option) {
    const element = document.getElementById(id);
    if (!element) return;
    const instance = echarts.init(element, null, { renderer: "svg" });
    instance.setOption(option);
    instance.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
    charts.push(instance);
  }

  chart("chart-investment", {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [labels.plan, labels.completed] },
    grid: { left: 60, right: 16, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months.map((m) => labels.month.replace("%s", m)) },
    yAxis: { type: "value", name: labels.unit },
    series: [
      { name: labels.plan, type: "line", data: data.plan, lineStyle: { type: "dashed" } },
      { name: labels.completed, type: "bar", data: data.completed },
    ],
  });
  chart("chart-stages", {
    tooltip: { trigger: "item" },
    series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", data: data.stages,
               label: { formatter: "{b} {c}" } }],
  });
  chart("chart-health", {
    tooltip: { trigger: "item" },
    color: ["#198754", "#ffc107", "#dc3545"],
    series: [{ type: "pie", radius: ["40%", "70%"], data: data.health,
               label: { formatter: "{b} {c}" } }],
  });
  chart("chart-categories", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: "65%", data: data.categories,
               label: { formatter: "{b} {c}" } }],
  });
  chart("chart-departments", {
    tooltip: { trigger: "axis" },
    grid: { left: 90, right: 16, top: 10, bottom: 20 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.departments.map((d) => d.name), inverse: true },
    series: [{ type: "bar", data: data.departments, itemStyle: { color: "#0d6efd" } }],
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
