// Maps, wired by data attributes (no inline script: the Content-Security-Policy forbids it).
//   <div data-map
//        data-features-url="/api/map/?..."  or  data-features-id="id of a json_script"
//        data-tiles="XYZ template or empty"  data-datum="wgs84|gcj02"  data-attribution
//        data-card-url="/map/projects/0/card/"  data-card-target="#map-card"
//        data-list-target="#map-list"  data-layer-labels-id="id of a json_script"
//        data-draw-input="#id_geometry">
// Coordinates arrive in WGS-84; on a GCJ-02 base map gcoord moves them onto it, and a
// drawn shape is moved back before it is sent.
"use strict";

(function () {
  const GREY = "#6c757d";

  function readJSON(id) {
    const element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function converter(datum) {
    if (datum !== "gcj02" || typeof gcoord === "undefined") {
      return { toMap: (g) => g, fromMap: (g) => g };
    }
    return {
      toMap: (g) => gcoord.transform(g, gcoord.WGS84, gcoord.GCJ02),
      fromMap: (g) => gcoord.transform(g, gcoord.GCJ02, gcoord.WGS84),
    };
  }

  function byLayer(features, layer) {
    return features.filter((f) => f.properties && f.properties.layer === layer);
  }

  function collection(features) {
    return { type: "FeatureCollection", features: features };
  }

  function escapeText(text) {
    const span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  function initMap(element) {
    const options = element.dataset;
    const convert = converter(options.datum);
    const labels = readJSON(options.layerLabelsId) || {};
    const map = L.map(element, { zoomControl: true, attributionControl: !!options.tiles });
    if (options.tiles) {
      L.tileLayer(options.tiles, {
        maxZoom: 18,
        subdomains: "01234567",
        attribution: options.attribution || "",
      }).addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    const bounds = L.latLngBounds([]);
    const overlays = {};
    let projectsLayer = null;

    function addGeoJSON(features, style, pointToLayer, extend = true) {
      if (!features.length) return null;
      const layer = L.geoJSON(convert.toMap(collection(features)), {
        style: style,
        pointToLayer: pointToLayer,
      });
      if (extend && layer.getBounds().isValid()) bounds.extend(layer.getBounds());
      return layer;
    }

    function openCard(id) {
      if (!options.cardUrl || !options.cardTarget) return;
      const url = options.cardUrl.replace(/\/0\/card\/$/, "/" + id + "/card/");
      htmx.ajax("GET", url, { target: options.cardTarget, swap: "innerHTML" });
    }

    function show(data) {
      const features = data.features || [];
      // The zone's outline frames the map only when there is nothing else to show.
      let zone = null;
      if (data.zone) {
        zone = addGeoJSON([data.zone], {
          color: "#495057", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.03,
          interactive: false,
        }, null, false);
        if (zone) zone.addTo(map);
      }
      const parcels = addGeoJSON(byLayer(features, "parcel"), {
        color: "#0d6efd", weight: 2, fillOpacity: 0.15,
      });
      if (parcels) {
        parcels.bindTooltip((l) => escapeText(l.feature.properties.name));
        parcels.addTo(map);
        overlays[labels.parcel || "Parcels"] = parcels;
      }
      const points = byLayer(features, "project");
      projectsLayer = addGeoJSON(points, null, (feature, latlng) =>
        L.circleMarker(latlng, {
          radius: 9, color: "#fff", weight: 2, fillOpacity: 0.95,
          fillColor: feature.properties.colour || GREY,
        })
          .bindTooltip(escapeText(feature.properties.name))
          .on("click", () => openCard(feature.properties.id))
      );
      if (projectsLayer) {
        projectsLayer.addTo(map);
        overlays[labels.project || "Projects"] = projectsLayer;
      }
      const withProblems = points.filter((f) => f.properties.open_problems > 0);
      const problems = addGeoJSON(withProblems, null, (feature, latlng) =>
        L.marker(latlng, {
          icon: L.divIcon({
            className: "map-badge map-badge-problem",
            html: escapeText(feature.properties.open_problems),
            iconSize: [22, 22], iconAnchor: [-4, 24],
          }),
          keyboard: false,
        }).on("click", () => openCard(feature.properties.id))
      );
      if (problems) {
        problems.addTo(map);
        overlays[labels.problems || "Open problems"] = problems;
      }
      const graded = points.filter((f) => f.properties.land_grade);
      const grades = addGeoJSON(graded, null, (feature, latlng) =>
        L.marker(latlng, {
          icon: L.divIcon({
            className: "map-badge map-badge-grade",
            html: escapeText(feature.properties.land_grade),
            iconSize: [22, 22], iconAnchor: [26, 24],
          }),
          keyboard: false,
        })
      );
      if (grades) overlays[labels.grade || "Land efficiency"] = grades;
      const pending = points.filter((f) => f.properties.pending_approvals > 0);
      const approvals = addGeoJSON(pending, null, (feature, latlng) =>
        L.marker(latlng, {
          icon: L.divIcon({
            className: "map-badge map-badge-approval",
            html: escapeText(feature.properties.pending_approvals),
            iconSize: [22, 22], iconAnchor: [11, -6],
          }),
          keyboard: false,
        })
      );
      if (approvals) overlays[labels.approvals || "Approvals pending"] = approvals;
      const photos = addGeoJSON(byLayer(features, "photo"), null, (feature, latlng) =>
        L.circleMarker(latlng, { radius: 5, color: "#212529", weight: 1, fillColor: "#ffc107", fillOpacity: 1 })
          .bindTooltip(escapeText(labels.photo || "Photo") + " " + escapeText(feature.properties.taken.slice(0, 10)))
          .on("click", () => openCard(feature.properties.project))
      );
      if (photos) {
        photos.addTo(map);
        overlays[labels.photo || "Photos"] = photos;
      }
      if (Object.keys(overlays).length) {
        L.control.layers(null, overlays, { collapsed: window.innerWidth < 576 }).addTo(map);
      }
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [32, 32], maxZoom: 16 });
      } else if (zone) {
        map.fitBounds(zone.getBounds());
      } else {
        map.setView([30.27, 120.15], 12);
      }
      listProjects(points);
      element.dataset.ready = String(points.length);
    }

    // The same projects as a list beside the map: for keyboards, screen readers and a
    // thumb that misses a dot.
    function listProjects(points) {
      const list = options.listTarget && document.querySelector(options.listTarget);
      if (!list) return;
      list.replaceChildren();
      for (const feature of points) {
        const p = feature.properties;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action d-flex align-items-center gap-2";
        button.dataset.projectId = p.id;
        const dot = document.createElement("span");
        dot.className = "map-dot";
        dot.style.backgroundColor = p.colour || GREY;
        dot.setAttribute("aria-hidden", "true");
        const name = document.createElement("span");
        name.className = "flex-grow-1";
        name.textContent = p.name;
        const state = document.createElement("small");
        state.className = "text-body-secondary";
        state.textContent = p.health_label;
        button.append(dot, name, state);
        button.addEventListener("click", () => {
          openCard(p.id);
          projectsLayer.eachLayer((l) => {
            if (l.feature.properties.id === p.id) map.panTo(l.getLatLng());
          });
        });
        list.append(button);
      }
    }

    if (options.drawInput) enableDrawing(map, options, convert);

    const inline = readJSON(options.featuresId);
    if (inline) {
      show(inline);
    } else if (options.featuresUrl) {
      fetch(options.featuresUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => response.json())
        .then(show);
    }
    element.leafletMap = map;
  }

  function enableDrawing(map, options, convert) {
    const input = document.querySelector(options.drawInput);
    const drawn = new L.FeatureGroup().addTo(map);
    const control = new L.Control.Draw({
      draw: {
        polygon: { allowIntersection: false, showArea: false },
        rectangle: { showArea: false },
        polyline: false, circle: false, marker: false, circlemarker: false,
      },
      edit: { featureGroup: drawn, remove: true },
    });
    map.addControl(control);
    function store() {
      const layers = drawn.getLayers();
      input.value = layers.length ? JSON.stringify(convert.fromMap(layers[layers.length - 1].toGeoJSON())) : "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    map.on(L.Draw.Event.CREATED, (event) => {
      drawn.clearLayers();
      drawn.addLayer(event.layer);
      store();
    });
    map.on(L.Draw.Event.EDITED, store);
    map.on(L.Draw.Event.DELETED, store);
  }

  // Maps arrive with the page and with content htmx swaps in (the big screen's deck).
  function initMaps(root) {
    for (const element of root.querySelectorAll("[data-map]")) {
      if (!element.dataset.mapReady) {
        element.dataset.mapReady = "1";
        initMap(element);
      }
    }
  }
  document.addEventListener("DOMContentLoaded", () => initMaps(document));
  document.addEventListener("htmx:load", (event) => initMaps(event.detail.elt));
})();
