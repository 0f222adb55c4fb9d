// tollmap's review page: every claim of review-data.js with its sentence (the tool's readings
// marked), what the tool chose, and a form whose changes become rows of a corrections file
// (claim_id,action,value,note,by), downloaded as CSV. Text from articles is only ever set as
// text (createTextNode / textContent / value), never as HTML.
(function () {
  'use strict';
  var data = window.TOLLMAP_REVIEW || { header: ['claim_id', 'action', 'value', 'note', 'by'], choices: { outcomes: [], victims: [] }, claims: [] };
  var FIELDS = ['count', 'outcome', 'victims', 'place', 'date', 'part_of'];
  var LINKS = ['same_event', 'other_event'];
  // Rows made by each claim's form, by claim id (a claim's latest rows replace its earlier).
  var rowsOf = {};

  // An element with attributes (set as attributes, never parsed) and children (strings
  // become text nodes).
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      e.setAttribute(k, v === true ? '' : String(v));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return e;
  }

  // One CSV cell: quoted when it holds a comma, quote or line break.
  function cell(v) {
    var s = String(v === null || v === undefined ? '' : v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function csvLine(values) { return values.map(cell).join(','); }

  function csvText() {
    var lines = [csvLine(data.header)];
    data.claims.forEach(function (c) {
      (rowsOf[c.id] || []).forEach(function (r) { lines.push(csvLine(r)); });
    });
    return lines.join('\n') + '\n';
  }

  function rowCount() {
    return Object.keys(rowsOf).reduce(function (n, k) { return n + rowsOf[k].length; }, 0);
  }

  function refreshCsv() {
    document.getElementById('csv').value = csvText();
    var n = rowCount();
    document.getElementById('pending').textContent = n === 0 ? '' : n + (n === 1 ? ' row' : ' rows') + ' of corrections';
  }

  function confidenceClass(x) { return x < 0.5 ? 'low' : (x <= 0.8 ? 'mid' : 'high'); }

  function sentence(c) {
    var q = el('blockquote', { 'class': 'quote' });
    c.segments.forEach(function (s) {
      q.appendChild(s.mark ? el('mark', { 'class': s.mark, title: s.mark }, [s.text]) : document.createTextNode(s.text));
    });
    return q;
  }

  function reading(c) {
    var r = c.reading;
    var dl = el('dl');
    function row(label, value, cls) {
      if (value === null || value === undefined || value === '') { return; }
      dl.appendChild(el('dt', {}, [label]));
      dl.appendChild(el('dd', { 'class': cls || null }, [value]));
    }
    row('count', r.count + (r.count_words ? ' (“' + r.count_words + '”)' : ''));
    row('outcome', r.outcome);
    row('victims', r.victims + (r.victims_words ? ' (“' + r.victims_words + '”)' : ''));
    row('place', r.place_label ? r.place_label + (r.place ? ' [' + r.place + ']' : '') : (r.place_words ? 'not found: “' + r.place_words + '”' : 'none'));
    row('date', r.date ? r.date + (r.date_words ? ' (“' + r.date_words + '”)' : '') :
      'not in the text' + (c.published ? ' (published ' + c.published + ')' : ''));
    row('claimant', r.claimant || 'none (the article says so)');
    row('scope', r.scope);
    row('part of', r.part_of);
    row('taken from around it', r.inherited.join('; '));
    row('why unsure', c.reasons.join(', '), 'reasons');
    if (c.corrections && c.corrections.length) {
      row('corrected', c.corrections.map(function (x) {
        return x.action + ' ' + x.value + (x.original ? ' (was ' + x.original + ')' : '');
      }).join('; '));
    }
    return dl;
  }

  function input(name, value, label, extra) {
    var attrs = Object.assign({ type: 'text', name: name, value: value, 'data-original': value, autocomplete: 'off' }, extra || {});
    return el('label', {}, [label, el('input', attrs)]);
  }

  function select(name, options, value, label) {
    var s = el('select', { name: name, 'data-original': value });
    options.forEach(function (o) { s.appendChild(el('option', { value: o, selected: o === value }, [o])); });
    return el('label', {}, [label, s]);
  }

  function form(c) {
    var r = c.reading;
    var f = el('form', { 'class': 'fix', 'aria-label': 'Corrections of claim ' + c.id });
    var verdict = el('fieldset', {}, [
      el('legend', {}, ['Is it a claim?']),
      el('label', {}, [el('input', { type: 'radio', name: 'verdict', value: 'keep', checked: true }), 'yes']),
      el('label', {}, [el('input', { type: 'radio', name: 'verdict', value: 'reject' }), 'no: reject it'])
    ]);
    var fields = el('fieldset', {}, [
      el('legend', {}, ['What it says']),
      input('count', r.count, 'count ', { size: 8, title: 'low-high, low- (open-ended) or n' }),
      select('outcome', data.choices.outcomes, r.outcome, 'outcome '),
      select('victims', data.choices.victims, r.victims, 'victims '),
      input('place', r.place, 'place ', { title: 'a gazetteer id (geonames:170063) or lat,lon' }),
      input('date', r.date, 'date ', { title: 'YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD' }),
      input('part_of', r.part_of, 'part of ', { title: 'the id of the total it breaks down; empty for none' })
    ]);
    var links = el('fieldset', {}, [
      el('legend', {}, ['Its event']),
      input('same_event', '', 'same event as ', { title: 'another claim id' }),
      input('other_event', '', 'not the event of ', { title: 'another claim id' })
    ]);
    var note = el('fieldset', {}, [input('note', '', 'note ', { 'class': 'wide' })]);
    var out = el('pre', { 'class': 'rows', 'aria-live': 'polite' });
    var buttons = el('div', {}, [
      el('button', { type: 'submit' }, ['Add rows']),
      ' ',
      el('button', { type: 'button', 'class': 'clear' }, ['Clear'])
    ]);
    [verdict, fields, links, note, buttons, out].forEach(function (x) { f.appendChild(x); });
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      rowsOf[c.id] = rowsFrom(c, f);
      if (rowsOf[c.id].length === 0) { delete rowsOf[c.id]; }
      out.textContent = (rowsOf[c.id] || []).map(csvLine).join('\n');
      refreshCsv();
    });
    f.querySelector('button.clear').addEventListener('click', function () {
      f.reset();
      delete rowsOf[c.id];
      out.textContent = '';
      refreshCsv();
    });
    return f;
  }

  // The rows of a claim's form: a reject alone, or one row per field changed and per link.
  function rowsFrom(c, f) {
    var by = document.getElementById('by').value.trim();
    var note = f.elements.note.value.trim();
    if (f.elements.verdict.value === 'reject') { return [[c.id, 'reject', '', note, by]]; }
    var rows = [];
    FIELDS.forEach(function (name) {
      var field = f.elements[name];
      var v = field.value.trim();
      if (v !== field.getAttribute('data-original')) { rows.push([c.id, name, v, note, by]); }
    });
    LINKS.forEach(function (name) {
      var v = f.elements[name].value.trim();
      if (v !== '') { rows.push([c.id, name, v, note, by]); }
    });
    return rows;
  }

  function card(c) {
    var conf = Number(c.confidence);
    var head = el('h2', {}, [
      el('span', {}, ['#' + c.rank]),
      el('code', {}, [c.id]),
      el('span', { 'class': 'conf ' + confidenceClass(conf), title: 'confidence' }, ['confidence ' + conf.toFixed(2)])
    ]);
    var doc = el('p', { 'class': 'doc' }, [
      c.title ? c.title + ' — ' : null,
      c.published ? 'published ' + c.published + ' — ' : null,
      c.url ? el('a', { href: c.url, rel: 'noopener noreferrer', target: '_blank' }, [c.doc]) : c.doc
    ]);
    var a = el('article', { 'class': 'claim', id: 'claim-' + c.rank, 'data-id': c.id, 'data-confidence': conf });
    [head, doc, sentence(c), reading(c), form(c)].forEach(function (x) { a.appendChild(x); });
    return a;
  }

  function filter() {
    var max = parseFloat(document.getElementById('max-confidence').value);
    if (isNaN(max)) { max = 1; }
    var shown = 0;
    document.querySelectorAll('article.claim').forEach(function (a) {
      var hide = parseFloat(a.getAttribute('data-confidence')) > max;
      a.hidden = hide;
      if (!hide) { shown += 1; }
    });
    document.getElementById('shown').textContent = '(' + shown + ' of ' + data.claims.length + ')';
  }

  function download() {
    var blob = new Blob([csvText()], { type: 'text/csv;charset=utf-8' });
    var url = URL.createObjectURL(blob);
    var a = el('a', { href: url, download: 'corrections.csv' });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  var main = document.getElementById('claims');
  var frag = document.createDocumentFragment();
  data.claims.forEach(function (c) { frag.appendChild(card(c)); });
  main.appendChild(frag);
  document.getElementById('max-confidence').addEventListener('input', filter);
  document.getElementById('download').addEventListener('click', download);
  refreshCsv();
  filter();
}());
