// The time plan as a Gantt chart, drawn with ECharts from the JSON the page embeds: one row
// per project (group headings between), per stage a planned bar above the actual one, the
// delay in red, milestones as diamonds (hollow planned, filled achieved) and today's line.
// The office drags a hollow diamond sideways to re-plan it; the page posts the new date
// to the milestone service and redraws. ECharts draws it: its custom series puts plan and
// actual on one row, which a one-bar-per-row Gantt library cannot.
(function () {
  "use strict";
  const element = document.getElementById("gantt-chart");
  if (!element || typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById("gantt-data").textContent);
  const labels = JSON.parse(document.getElementById("gantt-labels").textContent);
  const status = document.getElementById("gantt-status");
  const ROW = 30;
  const COLOURS = { preparation: "#6f42c1", construction: "#0a58ca", production: "#146c43" };
  const DAY = 86400000;

  function time(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  }
  function iso(ms) {
    return new Date(Math.round(ms / DAY) * DAY).toISOString().slice(0, 10);
  }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  }
  function escape(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  const rows = data.rows;
  const today = time(data.today);
  element.style.height = rows.length * ROW + 90 + "px";
  const chart = echarts.init(element, null, { renderer: "svg" });

  function extent() {
    let low = today, high = today;
    data.bars.concat(data.marks).forEach((item) => {
      [item.start, item.end, item.date].forEach((value) => {
        if (!value) return;
        low = Math.min(low, time(value));
        high = Math.max(high, time(value));
      });
    });
    return [low - 30 * DAY, high + 30 * DAY];
  }
  const bounds = extent();
  // What each zoom button shows around today: weeks to years.
  const WINDOWS = {
    week: [-28, 84],
    month: [-183, 365],
    quarter: [-365, 3 * 365],
    year: null,
  };

  function renderBar(params, api) {
    const bar = data.bars[params.dataIndex];
    const start = api.coord([api.value(1), api.value(0)]);
    const end = api.coord([api.value(2), api.value(0)]);
    const band = api.size([0, 1])[1];
    const planned = bar.kind === "planned";
    const shape = echarts.graphic.clipRectByRect(
      {
        x: start[0],
        y: planned ? start[1] - band * 0.34 : start[1] + band * 0.02,
        width: Math.max(end[0] - start[0], 2),
        height: planned ? band * 0.26 : band * 0.3,
      },
      { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
    );
    if (!shape) return null;
    const colour = bar.kind === "delay" ? "#dc3545" : COLOURS[bar.stage];
    return {
      type: "rect",
      shape: shape,
      style: planned
        ? { fill: colour, opacity: 0.35, stroke: colour, lineWidth: 1 }
        : { fill: colour },
    };
  }

  function markSeries(kind) {
    const marks = data.marks.filter((m) => m.kind === kind);
    return {
      id: kind,
      name: labels[kind],
      type: "scatter",
      symbol: "diamond",
      symbolSize: kind === "planned" ? 13 : 11,
      symbolOffset: [0, kind === "planned" ? -7 : 7],
      z: kind === "planned" ? 4 : 3,
      cursor: kind === "planned" ? "grab" : "pointer",
      data: marks.map((m) => ({
        value: [time(m.date), m.row],
        mark: m,
        itemStyle: kind === "planned"
          ? { color: "#fff", borderColor: m.late ? "#dc3545" : "#495057", borderWidth: 2 }
          : { color: m.late ? "#b02a37" : "#198754" },
      })),
      label: { show: false, position: "top", formatter: (p) => p.data.mark.name, fontSize: 10 },
    };
  }

  function tooltip(params) {
    if (params.seriesId === "bars") {
      const bar = data.bars[params.dataIndex];
      const days = Math.round((time(bar.end) - time(bar.start)) / DAY);
      return escape(bar.label) + " · " + escape(labels[bar.kind]) + "<br>" + bar.start + " → " + bar.end +
        (bar.kind === "delay" ? "<br>" + escape(format(labels.days, { days: days })) : "");
    }
    const mark = params.data.mark;
    return "<strong>" + escape(mark.name) + "</strong><br>" + escape(rows[mark.row].label) + "<br>" +
      escape(labels.planned) + " " + (mark.planned || "—") + "<br>" + escape(labels.actual) + " " + (mark.actual || "—");
  }

  function option() {
    return {
      animation: false,
      aria: { enabled: true },
      tooltip: { trigger: "item", formatter: tooltip, confine: true },
      grid: { left: 8, right: 24, top: 36, bottom: 52, containLabel: true },
      xAxis: {
        type: "time", position: "top", min: bounds[0], max: bounds[1],
        splitLine: { show: true, lineStyle: { color: "#e9ecef" } },
        axisLabel: { hideOverlap: true },
      },
      yAxis: {
        type: "category", inverse: true, data: rows.map((r) => r.label),
        axisTick: { show: false }, splitLine: { show: true, lineStyle: { color: "#f1f3f5" } },
        triggerEvent: true,
        axisLabel: {
          width: 180, overflow: "truncate", interval: 0,
          formatter: (value, index) => (rows[index].group ? "{group|" + value + "}" : value),
          rich: { group: { fontWeight: "bold", color: "#212529" } },
        },
      },
      dataZoom: [
        { id: "slider", type: "slider", xAxisIndex: 0, filterMode: "weakFilter", bottom: 8, height: 22 },
        { id: "inside", type: "inside", xAxisIndex: 0, filterMode: "weakFilter", zoomOnMouseWheel: "ctrl", moveOnMouseWheel: false },
      ],
      series: [
        {
          id: "bars", type: "custom", renderItem: renderBar, clip: true,
          encode: { x: [1, 2], y: 0 },
          data: data.bars.map((b) => [b.row, time(b.start), time(b.end)]),
          markLine: {
            silent: true, symbol: "none", label: { show: false },
            lineStyle: { color: "#0d6efd", width: 2, type: "solid" },
            data: [{ xAxis: today }],
          },
        },
        markSeries("planned"),
        markSeries("actual"),
      ],
    };
  }
  chart.setOption(option());

  function zoom(scale) {
    const window_ = WINDOWS[scale];
    const range = window_ ? [today + window_[0] * DAY, today + window_[1] * DAY] : bounds;
    chart.dispatchAction({ type: "dataZoom", dataZoomIndex: 0, startValue: range[0], endValue: range[1] });
    document.querySelectorAll("[data-gantt-scale]").forEach((link) => {
      const on = link.dataset.ganttScale === scale;
      link.classList.toggle("btn-primary", on);
      link.classList.toggle("btn-outline-primary", !on);
      if (on) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }
  zoom(element.dataset.scale);
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-gantt-scale]");
    if (!link) return;
    event.preventDefault();
    zoom(link.dataset.ganttScale);
    history.replaceState(null, "", link.href);
  });

  chart.on("click", (params) => {
    if (params.componentType === "yAxis" && rows[params.dataIndex] && rows[params.dataIndex].url) {
      window.location.href = rows[params.dataIndex].url;
    }
  });

  // Dragging a planned milestone: the chart stops panning while a diamond is held, a ghost
  // follows the pointer with the date it would get, and letting go posts that date.
  let dragging = null;
  chart.on("mousedown", { seriesId: "planned" }, (params) => {
    if (!params.data.mark.draggable) return;
    dragging = params.data.mark;
    chart.setOption({ dataZoom: [{ id: "inside", disabled: true }] });
  });
  const zr = chart.getZr();
  zr.on("mousemove", (event) => {
    if (!dragging) return;
    const value = chart.convertFromPixel({ gridIndex: 0 }, [event.offsetX, event.offsetY]);
    const point = chart.convertToPixel({ gridIndex: 0 }, [value[0], dragging.row]);
    chart.setOption({
      graphic: [{
        id: "ghost", type: "group", x: event.offsetX, y: point[1] - 7, silent: true,
        children: [
          { type: "circle", shape: { r: 6 }, style: { fill: "#ffc107", stroke: "#212529" } },
          { type: "text", x: 9, y: -18, style: { text: dragging.name + " " + iso(value[0]), fill: "#212529", backgroundColor: "#fff", padding: 2 } },
        ],
      }],
    });
  });
  zr.on("mouseup", (event) => {
    if (!dragging) return;
    const mark = dragging;
    dragging = null;
    chart.setOption({ dataZoom: [{ id: "inside", disabled: false }], graphic: [{ id: "ghost", $action: "remove" }] });
    const day = iso(chart.convertFromPixel({ gridIndex: 0 }, [event.offsetX, event.offsetY])[0]);
    if (day !== mark.planned) replan(mark, day);
  });

  function csrf() {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"];
  }

  function replan(mark, day) {
    status.textContent = labels.saving;
    status.className = "small mt-1";
    const body = new URLSearchParams({ planned_date: day });
    fetch(element.dataset.replanUrl.replace("/0/", "/" + mark.id + "/"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" },
    })
      .then((response) => response.json().then((answer) => ({ ok: response.ok, answer: answer }))
        .catch(() => ({ ok: false, answer: { errors: [response.statusText] } })))
      .then(({ ok, answer }) => {
        if (!ok) throw new Error((answer.errors || []).join(" "));
        data.marks.filter((m) => m.id === mark.id).forEach((m) => {
          m.planned = answer.planned_date;
          if (m.kind === "planned") m.date = answer.planned_date;
        });
        // The stage bars the milestone opens or closes follow it (their delays are redrawn
        // by the server when the page is next loaded).
        data.bars.forEach((bar) => {
          if (bar.row !== mark.row || bar.kind !== "planned") return;
          if (bar.opens === mark.code) bar.start = answer.planned_date;
          if (bar.closes === mark.code) bar.end = answer.planned_date;
        });
        chart.setOption({
          series: [
            { id: "bars", data: data.bars.map((b) => [b.row, time(b.start), time(b.end)]) },
            markSeries("planned"),
            markSeries("actual"),
          ],
        });
        status.textContent = format(labels.saved, { name: mark.name, date: answer.planned_date });
        status.className = "small mt-1 text-success";
      })
      .catch((error) => {
        status.textContent = format(labels.failed, { reason: error.message });
        status.className = "small mt-1 text-danger";
      });
  }

  // On paper (A3 landscape) the chart takes the sheet's width and names the planned
  // milestones; the table under it lists every one with its dates.
  const A3_WIDTH = 1480;
  window.addEventListener("beforeprint", () => {
    chart.setOption({ series: [{ id: "planned", label: { show: true } }] });
    chart.resize({ width: A3_WIDTH });
  });
  window.addEventListener("afterprint", () => {
    chart.setOption({ series: [{ id: "planned", label: { show: false } }] });
    chart.resize();
  });
  window.addEventListener("resize", () => chart.resize());
})();
