// tollmap's web map: places as circles (area proportional to the killed), origins, a
// governorate choropleth, a period slider and popups listing each place's claims.
// Every text from articles is set with textContent (never as HTML); links only for http(s).
(function () {
  'use strict';
  var D = window.TOLLMAP_DATA;
  var status = document.getElementById('status');
  function say(text) { status.textContent = text; }
  if (!D) { say('data.js is missing: rebuild with tollmap build.'); return; }
  if (typeof L === 'undefined') {
    say('Leaflet did not load (offline?). Build with --web-assets DIR to bundle it.');
    return;
  }

  var COLORS = {
    civilians: '#d62728', pro_government: '#1f77b4', opposition: '#2ca02c',
    jihadist: '#4d4d4d', kurdish_forces: '#ff7f0e', foreign_forces: '#9467bd', unknown: '#8c8c8c'
  };
  var LABELS = {
    civilians: 'civilians', pro_government: 'pro-government forces', opposition: 'opposition',
    jihadist: 'jihadists', kurdish_forces: 'Kurdish forces', foreign_forces: 'foreign forces',
    unknown: 'not said'
  };
  var R_MAX = 38, R_MIN = 4;

  var map = L.map('map', { preferCanvas: false, worldCopyJump: false });
  var osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
  }).addTo(map);
  map.attributionControl.addAttribution(
    'Claims: tollmap; places: GeoNames, Who\u2019s On First, OCHA; boundaries: OCHA (CC BY-IGO)');

  // The outlines and the choropleth in a pane under the circles (Leaflet's overlay pane is
  // at z-index 400), the outlines first.
  map.createPane('areas');
  map.getPane('areas').style.zIndex = 390;
  // The bundled governorate outlines: drawn under everything, so the map reads offline.
  var outlines = L.geoJSON(null, {
    pane: 'areas',
    interactive: false,
    style: { color: '#6b6b6b', weight: 1, fill: true, fillColor: '#fafafa', fillOpacity: 0.35 }
  });
  var areaShapes = D.areas.map(function (a) {
    return { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: a.rings } };
  });
  outlines.addData(areaShapes).addTo(map);

  var choropleth = L.layerGroup();
  var places = L.layerGroup().addTo(map);
  var origins = L.layerGroup();
  L.control.layers({ 'OpenStreetMap': osm }, {
    'Governorate outlines': outlines,
    'Event places (where people died)': places,
    'Origins (where the dead came from)': origins,
    'Governorates: killed (choropleth)': choropleth
  }, { collapsed: false }).addTo(map);

  var bounds = outlines.getBounds();
  D.places.forEach(function (p) { bounds.extend([p.lat, p.lon]); });
  function home() {
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [20, 20], animate: false });
    } else {
      map.setView([35, 38], 6, { animate: false });
    }
  }
  home();

  // The confidence a claim must reach for its place-period to be drawn (0: every claim).
  var minConfidence = 0;
  function sure(i) { var c = D.claims[i]; return !c || typeof c.confidence !== 'number' || c.confidence >= minConfidence; }

  // The outcomes of a row: low and high keys, and their words.
  var OUTCOMES = [['kl', 'kh', 'killed'], ['wl', 'wh', 'wounded'], ['ol', 'oh', 'killed or wounded'],
    ['cl', 'ch', 'captured'], ['ml', 'mh', 'missing']];

  function emptyTotals() {
    return { kl: 0, kh: 0, wl: 0, wh: 0, ol: 0, oh: 0, cl: 0, ch: 0, ml: 0, mh: 0, vk: {}, c: [] };
  }

  // Adds row `r` into totals `t` (a high is null, unbounded, once any part is).
  function addRow(t, r) {
    OUTCOMES.forEach(function (o) {
      if (r[o[0]] === undefined) { return; }
      t[o[0]] += r[o[0]];
      t[o[1]] = (t[o[1]] === null || r[o[1]] === null) ? null : t[o[1]] + (r[o[1]] || 0);
    });
    Object.keys(r.vk).forEach(function (k) { t.vk[k] = (t.vk[k] || 0) + r.vk[k]; });
    t.c = t.c.concat(r.c);
  }

  // Totals of one place in the chosen period (index into D.periods) or in all of them (-1);
  // a place-period none of whose claims is at least `minConfidence` sure is left out.
  function totals(rows, period) {
    var t = null;
    rows.forEach(function (r) {
      if (period >= 0 && r.p !== period) { return; }
      if (minConfidence > 0 && !r.c.some(sure)) { return; }
      if (!t) { t = emptyTotals(); }
      addRow(t, r);
    });
    return t;
  }

  // Every outcome counted: "12 killed; 100+ killed or wounded; 60 captured".
  function outcomeText(t) {
    var parts = [];
    OUTCOMES.forEach(function (o) {
      var low = t[o[0]], high = t[o[1]];
      if (low > 0 || high === null || high > 0) { parts.push(range(low, high) + ' ' + o[2]); }
    });
    return parts.length ? parts.join('; ') : 'no one counted';
  }

  function dominant(vk) {
    var best = 'unknown', n = 0;
    Object.keys(vk).sort().forEach(function (k) { if (vk[k] > n) { best = k; n = vk[k]; } });
    return best;
  }

  function range(low, high) {
    if (high === null) { return low.toLocaleString('en') + '+'; }
    if (high === low) { return low.toLocaleString('en'); }
    return low.toLocaleString('en') + '\u2013' + high.toLocaleString('en');
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function safeUrl(u) {
    if (typeof u !== 'string') { return null; }
    try {
      var url = new URL(u);
      return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
    } catch (e) { return null; }
  }

  var PRECISION = {
    1: 'exact place', 2: 'within about 25 km of the place named', 3: 'a district',
    4: 'a governorate', 5: 'larger than a governorate', 6: 'the country', 7: 'at sea or in the air'
  };

  function nameOf(p) { return p.name || p.admin1 || 'unnamed place (' + p.id + ')'; }

  function popup(place, t, period, role) {
    var box = el('div', null, 'tm-popup');
    box.appendChild(el('h3', nameOf(place) + (place.site ? ' (' + place.site + ')' : '')));
    var when = period >= 0 ? D.periods[period].id : 'all periods';
    var line = role === 'origin' ? 'dead from here, ' : '';
    box.appendChild(el('p', line + when + ': ' + outcomeText(t), 'totals'));
    if (place.precision >= 2) {
      box.appendChild(el('p', '\u26a0 Approximate location (precision ' + place.precision + ': ' +
        (PRECISION[place.precision] || 'coarse') + ')', 'warn'));
    }
    var list = el('ol');
    var shown = t.c.slice(0, 50);
    shown.forEach(function (i) {
      var c = D.claims[i];
      var li = el('li');
      li.appendChild(el('div', range(c.low, c.high) + ' ' + c.outcome.replace(/_/g, ' ') +
        (c.victims && c.victims !== 'unknown' ? ' \u00b7 ' + (LABELS[c.victims] || c.victims) : '') +
        (c.victims_text ? ' (' + c.victims_text + ')' : '')));
      var meta = [];
      meta.push(c.date ? 'date: ' + c.date : 'date: not given');
      meta.push('according to ' + (c.claimant || 'the article'));
      meta.push('place precision ' + c.precision);
      if (typeof c.confidence === 'number') {
        meta.push('confidence ' + c.confidence.toFixed(2) + (c.reasons ? ' (' + c.reasons.replace(/_/g, ' ') + ')' : ''));
      }
      if (!sure(i)) { li.className = 'unsure'; }
      li.appendChild(el('div', meta.join(' \u00b7 '), 'meta'));
      if (c.quote) { li.appendChild(el('blockquote', c.quote)); }
      var src = el('div', null, 'meta');
      var href = safeUrl(c.url);
      var name = c.title || c.outlet || c.doc;
      if (href) {
        var a = el('a', name || href);
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        src.appendChild(a);
      } else if (name) {
        src.textContent = 'source: ' + name;
      }
      li.appendChild(src);
      list.appendChild(li);
    });
    box.appendChild(list);
    if (t.c.length > shown.length) {
      box.appendChild(el('p', 'and ' + (t.c.length - shown.length) + ' more claims in claims.geojson', 'meta'));
    }
    return box;
  }

  var maxKilled = Math.max(1, D.max_killed || 0);
  D.places.concat(D.origins).forEach(function (p) {
    var t = totals(p.rows, -1);
    if (t && t.kl > maxKilled) { maxKilled = t.kl; }
  });
  // Circles are scaled to the period shown: its largest place has the largest circle.
  var scale = maxKilled;
  function periodMax(period) {
    var m = 0;
    D.places.concat(D.origins).forEach(function (p) {
      var t = totals(p.rows, period);
      if (t && t.kl > m) { m = t.kl; }
    });
    return Math.max(1, m);
  }
  function radius(n) { return Math.max(R_MIN, R_MAX * Math.sqrt(n / scale)); }
  var radii = [];
  var markers = {};
  var panel = document.getElementById('panel');

  function draw(group, list, period, role) {
    group.clearLayers();
    // Largest first, so that small circles stay on top and clickable.
    var shown = [];
    list.forEach(function (p) {
      var t = totals(p.rows, period);
      if (t) { shown.push([p, t]); }
    });
    shown.sort(function (a, b) { return b[1].kl - a[1].kl || (a[0].id < b[0].id ? -1 : 1); });
    shown.forEach(function (pt) {
      var p = pt[0], t = pt[1];
      var color = COLORS[dominant(t.vk)] || COLORS.unknown;
      var r = radius(t.kl);
      if (t.kh === null || t.kh > t.kl) {
        // The high end: a ring, dashed when open-ended ("at least 75").
        var rh = t.kh === null ? r * 1.3 + 3 : radius(t.kh);
        L.circleMarker([p.lat, p.lon], {
          radius: rh, color: color, weight: 1.5, fill: false, dashArray: t.kh === null ? '4 3' : null,
          interactive: false, className: 'tollmap-' + role + '-high'
        }).addTo(group);
      }
      var m = L.circleMarker([p.lat, p.lon], {
        radius: r, color: role === 'origin' ? '#5b2a86' : '#222', weight: role === 'origin' ? 2 : 1,
        fillColor: role === 'origin' ? '#ffffff' : color, fillOpacity: role === 'origin' ? 0.4 : 0.65,
        dashArray: p.precision >= 2 ? '3 2' : null,
        className: 'tollmap-' + role
      });
      // Popups pan clear of the panel in the top left corner.
      m.bindPopup(function () { return popup(p, t, period, role); }, {
        maxWidth: 380,
        autoPanPaddingTopLeft: L.point(panel.offsetLeft + panel.offsetWidth + 10, 10)
      });
      // An element, never a string: Leaflet sets a string tooltip as HTML.
      m.bindTooltip(el('span', nameOf(p) + ': ' + outcomeText(t) + (p.precision >= 2 ? ' \u26a0' : '')));
      m.addTo(group);
      if (role === 'place') { markers[p.id] = m; radii.push(r); }
    });
    return shown.length;
  }

  // The choropleth: none killed, then five quantile classes of the period's governorates.
  var RAMP = ['#f7f7f7', '#fee0d2', '#fcbba1', '#fb6a4a', '#cb181d', '#67000d'];
  var breaks = [];
  function quantileBreaks(values) {
    var v = values.filter(function (x) { return x > 0; }).sort(function (a, b) { return a - b; });
    var out = [];
    for (var k = 1; k <= 5 && v.length; k += 1) {
      var b = v[Math.min(v.length - 1, Math.ceil(v.length * k / 5) - 1)];
      if (out[out.length - 1] !== b) { out.push(b); }
    }
    return out;
  }
  function shade(n) {
    if (n <= 0) { return RAMP[0]; }
    var shades = RAMP.slice(RAMP.length - Math.max(1, breaks.length));
    for (var i = 0; i < breaks.length; i += 1) { if (n <= breaks[i]) { return shades[i]; } }
    return RAMP[RAMP.length - 1];
  }

  function drawAreas(period) {
    choropleth.clearLayers();
    breaks = quantileBreaks(D.areas.map(function (a) { var t = totals(a.rows, period); return t ? t.kl : 0; }));
    D.areas.forEach(function (a, i) {
      var t = totals(a.rows, period) || emptyTotals();
      var layer = L.geoJSON(areaShapes[i], {
        pane: 'areas',
        style: { color: '#444', weight: 1, fillColor: shade(t.kl), fillOpacity: 0.7, className: 'tollmap-area' }
      });
      layer.bindTooltip(el('span', a.name + ': ' + outcomeText(t)));
      layer.addTo(choropleth);
    });
    if (areaLegendBox) { fillAreaLegend(period); }
  }

  // The choropleth's legend, shown with the choropleth.
  var areaLegend = L.control({ position: 'bottomleft' });
  var areaLegendBox = null;
  function fillAreaLegend(period) {
    var box = areaLegendBox;
    box.textContent = '';
    box.appendChild(el('div', 'Governorates: killed, ' + (period >= 0 ? D.periods[period].id : 'all periods')));
    var rows = [['0', RAMP[0]]];
    var shades = RAMP.slice(RAMP.length - Math.max(1, breaks.length));
    var low = 1;
    breaks.forEach(function (b, i) {
      rows.push([low === b ? String(b) : low.toLocaleString('en') + '\u2013' + b.toLocaleString('en'), shades[i]]);
      low = b + 1;
    });
    rows.forEach(function (r) {
      var row = el('div');
      var sw = el('i', null, 'sq');
      sw.style.background = r[1];
      row.appendChild(sw);
      row.appendChild(document.createTextNode(r[0]));
      box.appendChild(row);
    });
  }
  areaLegend.onAdd = function () {
    areaLegendBox = el('div', null, 'tm-legend tm-area-legend');
    fillAreaLegend(currentPeriod);
    return areaLegendBox;
  };
  var currentPeriod = -1;
  map.on('overlayadd', function (e) { if (e.layer === choropleth) { areaLegend.addTo(map); } writeHash(); });
  map.on('overlayremove', function (e) { if (e.layer === choropleth) { areaLegend.remove(); areaLegendBox = null; } writeHash(); });

  var scaleNote = null;
  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    var box = el('div', null, 'tm-legend');
    box.appendChild(el('div', 'Killed, by the victims most reported'));
    Object.keys(COLORS).forEach(function (k) {
      var row = el('div');
      var dot = el('i');
      dot.style.background = COLORS[k];
      row.appendChild(dot);
      row.appendChild(document.createTextNode(LABELS[k]));
      box.appendChild(row);
    });
    var ring = el('div');
    ring.appendChild(el('i', null, 'ring'));
    ring.appendChild(document.createTextNode('high end of the range (dashed: open-ended)'));
    box.appendChild(ring);
    scaleNote = el('div', 'Circle area \u221d killed');
    box.appendChild(scaleNote);
    box.appendChild(el('div', 'Dashed outline, \u26a0: approximate place'));
    return box;
  };
  legend.addTo(map);

  // Large maps: the places come from tiles.pmtiles (protomaps-leaflet), read by range
  // requests; clusters at low zooms carry the summed totals and point_count.
  var tiled = null;
  var tiledPeriod = -1;
  var tileRadii = [];
  function victimsOfProps(props) {
    var vk = {};
    Object.keys(COLORS).forEach(function (k) {
      var n = props['killed_' + k + '_low'];
      if (typeof n === 'number' && n > 0) { vk[k] = n; }
    });
    return vk;
  }
  function tiledPopup(props, latlng) {
    var box = el('div', null, 'tm-popup');
    var high = typeof props.killed_high === 'number' ? props.killed_high : null;
    if (props.point_count) {
      box.appendChild(el('h3', props.point_count.toLocaleString('en') + ' place-periods here'));
      box.appendChild(el('p', 'killed ' + range(props.killed_low || 0, high) + ', wounded ' +
        range(props.wounded_low || 0, typeof props.wounded_high === 'number' ? props.wounded_high : null) +
        ' (all periods; zoom in for each place)', 'totals'));
    } else {
      box.appendChild(el('h3', props.name || props.admin1 || props.place_id || 'place'));
      box.appendChild(el('p', (props.period || '') + ': killed ' + range(props.killed_low || 0, high) +
        ', wounded ' + range(props.wounded_low || 0, typeof props.wounded_high === 'number' ? props.wounded_high : null), 'totals'));
      if (props.precision >= 2) {
        box.appendChild(el('p', '\u26a0 Approximate location (precision ' + props.precision + ')', 'warn'));
      }
      box.appendChild(el('p', (props.claims || 0) + ' claims, ' + (props.events || 0) + ' events' +
        (props.claimants ? '; according to ' + props.claimants : '') +
        '. Their sentences are in claims.geojson and tollmap.gpkg.', 'meta'));
    }
    L.popup({ maxWidth: 380 }).setLatLng(latlng).setContent(box).openOn(map);
  }
  if (D.mode === 'tiles') {
    if (!D.tiles) {
      say(D.place_rows + ' place-periods: too many to draw here, and this build wrote no tiles (--no-tiles).');
    } else if (location.protocol === 'file:') {
      say(D.place_rows.toLocaleString('en') + ' place-periods are read from ' + D.tiles +
        ', which needs a web server: run tollmap serve on this folder and open the address it prints.');
    } else if (typeof protomapsL === 'undefined') {
      say('protomaps-leaflet did not load: the places in ' + D.tiles + ' cannot be drawn.');
    } else {
      // Clusters hold up to the whole country's dead: sizes on a log scale of the total, so
      // that a cluster of thousands and one of tens differ.
      var logTop = Math.log(1 + Math.max(1, D.killed_total || maxKilled));
      var tileRadius = function (f) {
        var r = R_MIN + (R_MAX - R_MIN) * Math.log(1 + (f.props.killed_low || 0)) / logTop;
        if (tileRadii.length < 20000) { tileRadii.push(r); }
        return Math.min(R_MAX, r);
      };
      var rule = {
        dataLayer: 'places',
        symbolizer: new protomapsL.CircleSymbolizer({
          radius: function (z, f) { return tileRadius(f); },
          fill: function (z, f) { return COLORS[dominant(victimsOfProps(f.props))] || COLORS.unknown; },
          stroke: '#222', width: 1, opacity: 0.65
        }),
        filter: function (z, f) {
          return tiledPeriod < 0 || f.props.period === D.periods[tiledPeriod].id;
        }
      };
      tiled = protomapsL.leafletLayer({ url: D.tiles, paintRules: [rule], labelRules: [], maxDataZoom: D.tiles_max_zoom });
      tiled.addTo(map);
      map.on('click', function (e) {
        var hits = [];
        tiled.queryTileFeaturesDebug(e.latlng.lng, e.latlng.lat, 12).forEach(function (list) {
          list.forEach(function (q) { if (q.layerName === 'places' && rule.filter(0, q.feature)) { hits.push(q.feature); } });
        });
        if (hits.length) { tiledPopup(hits[0].props, e.latlng); }
      });
    }
  }

  var sureSlider = document.getElementById('min-confidence');
  var sureLabel = document.getElementById('min-confidence-label');
  if (D.mode === 'tiles') {
    // The tiles carry place totals, not their claims' confidence.
    sureSlider.disabled = true;
    sureSlider.title = 'Only on maps of up to 20,000 place-periods (filter claims.geojson by confidence instead).';
  }

  var slider = document.getElementById('period');
  var label = document.getElementById('period-label');
  var play = document.getElementById('play');
  var totalsLine = document.getElementById('totals');
  slider.max = String(D.periods.length);
  var current = { places: 0, origins: 0 };

  // A map drawn from tiles has no rows in the page: no chart, totals, search or table.
  if (D.mode === 'tiles') {
    ['chart', 'totals', 'table-box'].forEach(function (id) { document.getElementById(id).hidden = true; });
    document.querySelector('.tm-search').hidden = true;
  }

  // Killed per period (the event places' rows), stacked by victims: the chart's bars.
  var perPeriod = D.periods.map(function () { return emptyTotals(); });
  D.places.forEach(function (p) {
    p.rows.forEach(function (r) { if (r.p !== null && perPeriod[r.p]) { addRow(perPeriod[r.p], r); } });
  });
  var bars = [];
  (function chart() {
    var box = document.getElementById('chart');
    if (!D.periods.length) { return; }
    var NS = 'http://www.w3.org/2000/svg';
    var W = 300, H = 60;
    var top = Math.max(1, Math.max.apply(null, perPeriod.map(function (t) { return t.kl; })));
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'group');
    svg.setAttribute('aria-label', 'Killed per period, by victims; choose a bar to show its period');
    var w = W / D.periods.length;
    perPeriod.forEach(function (t, i) {
      var g = document.createElementNS(NS, 'g');
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('data-period', String(i));
      g.setAttribute('data-killed', String(t.kl));
      g.setAttribute('aria-label', D.periods[i].id + ': ' + range(t.kl, t.kh) + ' killed');
      var title = document.createElementNS(NS, 'title');
      title.textContent = D.periods[i].id + ': ' + outcomeText(t);
      g.appendChild(title);
      var y = H;
      Object.keys(COLORS).forEach(function (k) {
        var n = t.vk[k] || 0;
        if (!n) { return; }
        var h = H * n / top;
        var rect = document.createElementNS(NS, 'rect');
        rect.setAttribute('x', String(i * w));
        rect.setAttribute('width', String(Math.max(0.5, w * 0.85)));
        rect.setAttribute('y', String(y - h));
        rect.setAttribute('height', String(h));
        rect.setAttribute('fill', COLORS[k]);
        rect.setAttribute('data-victims', k);
        rect.setAttribute('data-killed', String(n));
        g.appendChild(rect);
        y -= h;
      });
      // The whole column answers clicks, even a short bar's.
      var hit = document.createElementNS(NS, 'rect');
      hit.setAttribute('class', 'hit');
      hit.setAttribute('x', String(i * w));
      hit.setAttribute('width', String(Math.max(0.5, w * 0.85)));
      hit.setAttribute('y', '0');
      hit.setAttribute('height', String(H));
      hit.setAttribute('fill', 'transparent');
      g.appendChild(hit);
      var choose = function () { show(i + 1); writeHash(); };
      g.addEventListener('click', choose);
      g.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(); }
      });
      svg.appendChild(g);
      bars.push(g);
    });
    box.appendChild(svg);
  }());

  // Search: the place names, and the marker of the place found.
  var names = document.getElementById('place-names');
  var seen = {};
  D.places.map(nameOf).sort().forEach(function (n) {
    if (seen[n]) { return; }
    seen[n] = true;
    var o = document.createElement('option');
    o.value = n;
    names.appendChild(o);
  });
  var search = document.getElementById('search');
  function find(text) {
    var q = String(text || '').trim().toLowerCase();
    if (!q) { return null; }
    var exact = D.places.filter(function (p) { return nameOf(p).toLowerCase() === q; });
    var hits = exact.length ? exact : D.places.filter(function (p) { return nameOf(p).toLowerCase().indexOf(q) === 0; });
    if (!hits.length) { return null; }
    // The place with the most killed of that name.
    hits.sort(function (a, b) { return (totals(b.rows, -1) || emptyTotals()).kl - (totals(a.rows, -1) || emptyTotals()).kl; });
    return hits[0];
  }
  function goTo(p) {
    if (!markers[p.id]) { show(0); }
    map.setView([p.lat, p.lon], Math.max(map.getZoom(), 9), { animate: false });
    var m = markers[p.id];
    if (m) { m.openPopup(); }
    writeHash();
  }
  search.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter') { return; }
    e.preventDefault();
    var p = find(search.value);
    if (p) { goTo(p); } else { say('No place called \u201c' + search.value + '\u201d on this map.'); }
  });
  search.addEventListener('change', function () { var p = find(search.value); if (p) { goTo(p); } });

  function show(index) {
    var period = index - 1;
    currentPeriod = period;
    slider.value = String(index);
    label.textContent = period >= 0 ? D.periods[period].id : 'all periods';
    scale = periodMax(period);
    if (scaleNote && D.mode === 'tiles') {
      scaleNote.textContent = 'Circle size: killed, on a log scale (clusters add up their places)';
    } else if (scaleNote) {
      scaleNote.textContent = 'Circle area \u221d killed (largest here: ' + scale.toLocaleString('en') + ')';
    }
    radii = [];
    markers = {};
    current.places = draw(places, D.places, period, 'place');
    current.origins = draw(origins, D.origins, period, 'origin');
    drawAreas(period);
    bars.forEach(function (g, i) { g.setAttribute('class', i === period ? 'sel' : ''); });
    fillTable();
    // The country's totals for the period: every event place's rows.
    var t = emptyTotals();
    D.places.forEach(function (p) { var pt = totals(p.rows, period); if (pt) { addRow(t, pt); } });
    totalsLine.textContent = 'Syria, ' + (period >= 0 ? D.periods[period].id : 'all periods') + ': ' + outcomeText(t);
    if (tiled) {
      tiledPeriod = period;
      tiled.rerenderTiles();
      say(D.place_rows.toLocaleString('en') + ' place-periods from ' + D.tiles +
        (period >= 0 ? ' (this period: zoom in, clusters cover all periods)' : ''));
    } else if (D.mode !== 'tiles') {
      var claims = {};
      D.places.forEach(function (p) { var pt = totals(p.rows, period); if (pt) { pt.c.forEach(function (c) { claims[c] = 1; }); } });
      var n = Object.keys(claims).length;
      say(current.places + (current.places === 1 ? ' place, ' : ' places, ') + n + (n === 1 ? ' claim' : ' claims') +
        (minConfidence > 0 ? '; only places with a claim at least ' + minConfidence.toFixed(2) + ' sure' : ''));
    }
  }

  // The table of the places in view in the period shown, sortable by any column.
  var tableBody = document.querySelector('#places-table tbody');
  var sortKey = 'kl', sortDown = true;
  function fillTable() {
    if (!tableBody || !document.getElementById('table-box').open) { return; }
    var bounds = map.getBounds();
    var rows = [];
    D.places.forEach(function (p) {
      if (!markers[p.id] || !bounds.contains([p.lat, p.lon])) { return; }
      var t = totals(p.rows, currentPeriod);
      if (!t) { return; }
      rows.push({ p: p, name: nameOf(p), admin1: p.admin1 || '', kl: t.kl, kh: t.kh, claims: t.c.length, t: t });
    });
    rows.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      var c = (typeof x === 'number') ? x - y : String(x).localeCompare(String(y));
      return (sortDown ? -c : c) || a.name.localeCompare(b.name);
    });
    tableBody.textContent = '';
    rows.slice(0, 300).forEach(function (r) {
      var tr = document.createElement('tr');
      var name = document.createElement('td');
      var go = el('button', r.name);
      go.type = 'button';
      go.addEventListener('click', function () { goTo(r.p); });
      name.appendChild(go);
      tr.appendChild(name);
      tr.appendChild(el('td', r.admin1));
      var k = el('td', range(r.kl, r.kh), 'num');
      k.title = outcomeText(r.t);
      tr.appendChild(k);
      tr.appendChild(el('td', r.claims, 'num'));
      tableBody.appendChild(tr);
    });
    document.querySelectorAll('#places-table th').forEach(function (th) {
      var b = th.querySelector('button');
      th.setAttribute('aria-sort', b && b.getAttribute('data-sort') === sortKey ? (sortDown ? 'descending' : 'ascending') : 'none');
    });
  }
  document.querySelectorAll('#places-table th button').forEach(function (b) {
    b.addEventListener('click', function () {
      var key = b.getAttribute('data-sort');
      if (key === sortKey) { sortDown = !sortDown; } else { sortKey = key; sortDown = key === 'kl' || key === 'claims'; }
      fillTable();
    });
  });
  document.getElementById('table-box').addEventListener('toggle', fillTable);
  map.on('moveend', fillTable);

  // The view in the address: #period=2016-08&z=7&lat=35.1&lon=38.2&layers=places,areas&sure=0.5
  var LAYER_KEYS = [['places', places], ['origins', origins], ['areas', choropleth], ['outlines', outlines]];
  var restoring = true;
  function writeHash() {
    if (restoring !== false) { return; }
    var c = map.getCenter();
    var on = LAYER_KEYS.filter(function (k) { return map.hasLayer(k[1]); }).map(function (k) { return k[0]; });
    var parts = [
      'period=' + encodeURIComponent(currentPeriod >= 0 ? D.periods[currentPeriod].id : 'all'),
      'z=' + map.getZoom(),
      'lat=' + c.lat.toFixed(4),
      'lon=' + c.lng.toFixed(4),
      'layers=' + on.join(',')
    ];
    if (minConfidence > 0) { parts.push('sure=' + minConfidence.toFixed(2)); }
    var hash = '#' + parts.join('&');
    if (location.hash !== hash) {
      try { history.replaceState(null, '', hash); } catch (e) { location.hash = hash; }
    }
  }
  function readHash() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) { out[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }
    });
    return out;
  }

  function setMinConfidence(x) {
    minConfidence = Math.max(0, Math.min(1, Number(x) || 0));
    sureSlider.value = String(minConfidence);
    sureLabel.textContent = minConfidence > 0 ? minConfidence.toFixed(2) : 'any';
    show(Number(slider.value));
    writeHash();
  }
  sureSlider.addEventListener('input', function () { setMinConfidence(sureSlider.value); });

  slider.addEventListener('input', function () { show(Number(slider.value)); writeHash(); });
  var timer = null;
  play.addEventListener('click', function () {
    if (timer) {
      clearInterval(timer);
      timer = null;
      play.textContent = '\u25b6';
      play.setAttribute('aria-pressed', 'false');
      return;
    }
    play.textContent = '\u23f8';
    play.setAttribute('aria-pressed', 'true');
    timer = setInterval(function () {
      var next = Number(slider.value) + 1;
      show(next > D.periods.length ? 0 : next);
      writeHash();
    }, 1200);
  });

  // The view the address asks for, else all periods over the whole map.
  (function restore() {
    var h = readHash();
    if (h.sure) { minConfidence = Math.max(0, Math.min(1, Number(h.sure) || 0)); sureSlider.value = String(minConfidence); sureLabel.textContent = minConfidence > 0 ? minConfidence.toFixed(2) : 'any'; }
    if (h.layers !== undefined) {
      var want = h.layers.split(',');
      LAYER_KEYS.forEach(function (k) {
        var on = want.indexOf(k[0]) >= 0;
        if (on && !map.hasLayer(k[1])) { k[1].addTo(map); }
        if (!on && map.hasLayer(k[1])) { map.removeLayer(k[1]); }
      });
    }
    var index = 0;
    if (h.period && h.period !== 'all') {
      var i = D.periods.map(function (p) { return p.id; }).indexOf(h.period);
      if (i >= 0) { index = i + 1; }
    }
    show(index);
    var z = Number(h.z), lat = Number(h.lat), lon = Number(h.lon);
    if (h.z !== undefined && isFinite(z) && isFinite(lat) && isFinite(lon)) {
      map.setView([lat, lon], z, { animate: false });
    }
    restoring = false;
    map.on('moveend', writeHash);
  }());
  // For tests and scripts: what is drawn, and a way to choose the period.
  window.tollmap = {
    map: map,
    ready: true,
    periods: D.periods.map(function (p) { return p.id; }),
    drawn: function () { return { places: current.places, origins: current.origins }; },
    radii: function () { return radii.slice(); },
    tileRadii: function () { return tileRadii.slice(); },
    maxRadius: R_MAX,
    home: home,
    tiled: function () { return tiled; },
    setPeriod: function (index) { show(index); writeHash(); },
    setMinConfidence: setMinConfidence
  };
}());
