// Draws the landing-speed chart from the JSON the page embeds: the median days from
// signing to each stage per group, with the zone's target as a line. No inline script, so
// a strict Content-Security-Policy holds (as in dashboard.js).
(function () {
  "use strict";
  const source = document.getElementById("landing-data");
  const element = document.getElementById("chart-landing");
  if (!source || !element || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = JSON.parse(document.getElementById("landing-labels").textContent);
  const chart = echarts.init(element, null, { renderer: "svg" });
  const series = data.series.map((s) => ({ name: s.name, type: "bar", data: s.data }));
  series.push({
    name: labels.target,
    type: "line",
    data: data.targets,
    lineStyle: { type: "dashed", color: "#dc3545" },
    itemStyle: { color: "#dc3545" },
  });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 50, right: 16, top: 40, bottom: 30, containLabel: true },
    xAxis: { type: "category", data: data.stages, axisLabel: { interval: 0 } },
    yAxis: { type: "value", name: labels.days },
    series: series,
  });
  window.addEventListener("resize", () => chart.resize());
})();
