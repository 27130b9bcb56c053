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

  // Labels must fit a 390 px phone as well as a desk: axes reserve the room their labels
  // need (containLabel); long names are cut only where the tooltip shows them whole; pies
  // name their slices in a legend that scrolls rather than in labels pushed off the edge.
  chart("chart-investment", {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [labels.plan, labels.completed] },
    grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months,
             axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", name: labels.unit, nameTextStyle: { align: "left" } },
    series: [
      { name: labels.plan, type: "line", data: data.plan, lineStyle: { type: "dashed" } },
      { name: labels.completed, type: "bar", data: data.completed },
    ],
  });
  chart("chart-stages", {
    tooltip: { trigger: "item" },
    series: [{ type: "funnel", sort: "none", left: "5%", width: "90%", minSize: "40%", data: data.stages,
               label: { position: "inside", formatter: "{b} {c}", color: "#fff",
                        textBorderColor: "#333", textBorderWidth: 2, overflow: "break" } }],
  });
  function pie(id, slices, option) {
    chart(id, Object.assign({
      tooltip: { trigger: "item" },
      legend: { type: "scroll", bottom: 0, left: "center" },
      series: [{ type: "pie", radius: ["30%", "62%"], center: ["50%", "44%"], data: slices,
                 label: { position: "inside", formatter: "{c}", color: "#fff",
                          textBorderColor: "#333", textBorderWidth: 2 } }],
    }, option));
  }
  pie("chart-health", data.health, { color: ["#198754", "#ffc107", "#dc3545"] });
  pie("chart-categories", data.categories, {});
  chart("chart-departments", {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 10, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    // The tooltip names the department in full where its label is cut.
    yAxis: { type: "category", data: data.departments.map((d) => d.name), inverse: true,
             axisLabel: { width: 96, overflow: "truncate" } },
    series: [{ type: "bar", data: data.departments, itemStyle: { color: "#0a58ca" } }],
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
