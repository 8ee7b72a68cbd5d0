// The rollwright dashboard: plain JavaScript, no build step. It reads /api/v1/dashboard every 5 s
// with the read token kept in this tab's sessionStorage (or none, on a server started with
// --public-read), and redraws. Countdowns tick every second from each window's closing time.
'use strict';
(function () {
  var PHASES = ['detect', 'decide', 'execute', 'verify', 'evidence'];
  var data = null;
  var SVGNS = 'http://www.w3.org/2000/svg';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function dur(s) {
    if (s === null || s === undefined) return '?';
    s = Math.round(s);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (d) return d + 'd ' + h + 'h';
    if (h) return h + 'h ' + m + 'm';
    if (m) return m + 'm ' + (sec < 10 ? '0' : '') + sec + 's';
    return sec + 's';
  }
  function clock(iso) {
    if (!iso) return '-';
    return iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  }

  function token() { return sessionStorage.getItem('rollwright.token'); }

  function load() {
    var headers = {};
    var t = token();
    if (t) headers.Authorization = 'Bearer ' + t;
    return fetch('/api/v1/dashboard', { headers: headers }).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        document.getElementById('login').hidden = false;
        if (t) document.getElementById('login-error').textContent = 'token refused (' + r.status + ')';
        return null;
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      document.getElementById('login').hidden = true;
      return r.json();
    }).then(function (d) {
      if (!d) return;
      data = d;
      render();
    }).catch(function (e) {
      document.getElementById('updated').textContent = 'refresh failed: ' + e.message;
    });
  }

  function render() {
    var led = document.getElementById('ledger');
    var v = data.ledger.verified;
    if (!v) { led.className = 'badge muted'; led.textContent = 'ledger: ' + data.ledger.events + ' events, not verified yet'; }
    else if (v.ok) { led.className = 'badge ok'; led.textContent = 'chain verified: ' + v.events + ' events'; led.title = 'verified at ' + clock(v.at); }
    else { led.className = 'badge bad'; led.textContent = 'CHAIN BROKEN at #' + v.broken.seq + ': ' + v.broken.reason; led.title = v.broken.message; }
    document.getElementById('updated').textContent = 'updated ' + clock(data.at);
    renderIncidents();
    renderWindows();
    renderServices();
    renderChanges();
  }

  function renderIncidents() {
    var box = document.getElementById('incidents');
    box.textContent = '';
    var list = data.incidents;
    var open = list.filter(function (i) { return i.open; }).length;
    document.getElementById('incident-count').textContent = list.length ? '(' + open + ' open, ' + list.length + ' shown)' : '';
    if (!list.length) { box.appendChild(el('p', 'muted', 'No incidents.')); return; }
    list.slice().sort(function (a, b) { return (b.open - a.open) || (a.detectedAt < b.detectedAt ? 1 : -1); }).forEach(function (i) {
      var card = el('article', 'incident ' + (i.open ? 'open' : 'resolved'));
      card.setAttribute('data-incident', i.id);
      var head = el('div', 'head');
      head.appendChild(el('span', 'id mono', i.id));
      head.appendChild(el('span', 'state ' + (i.open ? 'bad' : 'ok'), i.open ? 'open' : 'resolved'));
      head.appendChild(el('span', '', (i.service || '(unknown service)') + (i.environment ? ' / ' + i.environment : '')));
      if (i.severity) head.appendChild(el('span', 'warn', i.severity));
      head.appendChild(el('span', 'muted', 'detected ' + clock(i.detectedAt)));
      if (i.change) head.appendChild(el('span', 'muted mono', 'change ' + i.change.slice(0, 12)));
      card.appendChild(head);
      if (i.description) card.appendChild(el('div', 'muted', i.description));
      var ph = el('div', 'phases');
      PHASES.forEach(function (p) {
        var r = i.phases ? i.phases[p] : null;
        var state = !r ? 'unknown' : r.breached === true ? 'breached' : r.seconds !== null ? (r.target !== null ? 'ok' : 'done') : 'running';
        var box2 = el('div', 'phase ' + state);
        box2.appendChild(el('div', 'name', p + (state === 'breached' ? '  BREACHED' : '')));
        box2.appendChild(el('div', 'value', r && r.seconds !== null ? dur(r.seconds) : state === 'breached' ? 'over' : '...'));
        box2.appendChild(el('div', 'target', r && r.target !== null ? 'target ' + dur(r.target) : 'no target'));
        ph.appendChild(box2);
      });
      card.appendChild(ph);
      var owed = el('div', 'owed');
      if (i.owed.length) {
        owed.appendChild(el('span', 'muted', 'evidence owed: '));
        i.owed.forEach(function (o) { owed.appendChild(el('span', 'item', o)); });
      } else owed.appendChild(el('span', 'ok', 'evidence complete'));
      card.appendChild(owed);
      card.appendChild(timeline(i));
      box.appendChild(card);
    });
  }

  // A timeline: every event of the incident (and of its change) on one time axis.
  function timeline(i) {
    var ev = i.timeline;
    var W = 900, H = 74, L = 10, R = 10;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', height: H, role: 'img', 'aria-label': 'timeline of ' + i.id });
    if (!ev.length) return s;
    var t0 = Date.parse(ev[0].occurredAt);
    var t1 = Math.max(Date.parse(ev[ev.length - 1].occurredAt), i.open ? Date.now() : 0, t0 + 1000);
    var x = function (t) { return L + ((Date.parse(t) - t0) / (t1 - t0)) * (W - L - R); };
    s.appendChild(svg('line', { x1: L, y1: 30, x2: W - R, y2: 30, class: 'axis', 'stroke-width': 2 }));
    var colors = { 'change.deployed': '#58a6ff', 'incident.detected': '#f85149', 'decision.made': '#d29922', 'recovery.executed': '#a371f7', 'recovery.verified': '#3fb950', 'incident.resolved': '#3fb950' };
    // Labels alternate above and below the axis; one too close to the last in its row is left to the tooltip.
    var lastX = [-1000, -1000];
    ev.forEach(function (e) {
      var cx = x(e.occurredAt);
      var c = svg('circle', { cx: cx, cy: 30, r: 6, fill: colors[e.type] || '#8b98a5' });
      c.appendChild(svg('title', {}, e.type + ' ' + clock(e.occurredAt) + ' ' + e.summary));
      s.appendChild(c);
      for (var row = 0; row < 2; row++) {
        if (cx - lastX[row] > 110) {
          s.appendChild(svg('text', { x: Math.min(cx - 4, W - 110), y: row ? 52 : 16 }, e.type));
          lastX[row] = cx;
          break;
        }
      }
    });
    s.appendChild(svg('text', { x: L, y: H - 2, class: 'muted' }, clock(ev[0].occurredAt)));
    s.appendChild(svg('text', { x: W - R - 150, y: H - 2, class: 'muted' }, i.open ? 'now' : clock(ev[ev.length - 1].occurredAt)));
    return s;
  }

  function renderWindows() {
    var box = document.getElementById('windows');
    box.textContent = '';
    var list = data.windows;
    document.getElementById('window-count').textContent = list.length ? '(' + list.length + ')' : '';
    if (!list.length) { box.appendChild(el('p', 'muted', 'No open windows.')); return; }
    list.forEach(function (w) {
      var card = el('div', 'card');
      card.appendChild(el('div', 'title mono', w.change));
      card.appendChild(el('div', 'muted', (w.service || '-') + ' / ' + w.environment + (w.surface ? ' / ' + w.surface : '') + ': ' + w.window));
      var cd = el('div', 'countdown');
      if (w.kind === 'duration') cd.setAttribute('data-closes', w.closesAt);
      else cd.textContent = 'until ' + w.closesOn;
      card.appendChild(cd);
      if (w.kind === 'duration') {
        var bar = el('div', 'bar'), fill = el('div');
        fill.setAttribute('data-opens', w.opensAt);
        fill.setAttribute('data-closes', w.closesAt);
        bar.appendChild(fill);
        card.appendChild(bar);
        card.appendChild(el('div', 'muted small', 'closes ' + clock(w.closesAt)));
      } else card.appendChild(el('div', 'muted small', 'closes when a change.deployed with phase=' + w.closesOn + ' is recorded'));
      box.appendChild(card);
    });
    tick();
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll('.countdown[data-closes]').forEach(function (c) {
      var left = (Date.parse(c.getAttribute('data-closes')) - now) / 1000;
      c.textContent = left > 0 ? dur(left) + ' left' : 'closed';
      c.className = 'countdown' + (left < 3600 ? ' soon' : '');
    });
    document.querySelectorAll('.bar > div[data-closes]').forEach(function (f) {
      var a = Date.parse(f.getAttribute('data-opens')), b = Date.parse(f.getAttribute('data-closes'));
      f.style.width = Math.max(0, Math.min(100, ((b - now) / (b - a)) * 100)) + '%';
    });
  }

  // Per service: one group of five bars (p90 per phase, log scale), the target as a tick, breaches in red.
  function renderServices() {
    var box = document.getElementById('services');
    box.textContent = '';
    if (!data.services.length) { box.appendChild(el('p', 'muted', 'No incidents measured yet.')); return; }
    var rowH = 34, W = 900, L = 150, top = 24, LABEL = W - 250;
    var all = [];
    data.services.forEach(function (s) { s.phases.forEach(function (p) { if (p.p90) all.push(p.p90); if (p.target) all.push(p.target); }); });
    var max = Math.max.apply(null, all.concat([60]));
    var scale = function (v) { return L + (Math.log10(Math.max(v, 1)) / Math.log10(max * 1.2)) * (LABEL - L - 20); };
    var H = top + data.services.length * (rowH * 5 + 16);
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': 'rollback SLO per service' });
    [60, 600, 3600, 86400].forEach(function (t) {
      if (t > max * 1.2) return;
      s.appendChild(svg('line', { x1: scale(t), y1: top - 6, x2: scale(t), y2: H, class: 'axis' }));
      s.appendChild(svg('text', { x: scale(t) + 2, y: top - 10, class: 'muted' }, dur(t)));
    });
    var y = top;
    data.services.forEach(function (svc) {
      s.appendChild(svg('text', { x: 0, y: y + 14, 'font-weight': 700 }, svc.service));
      svc.phases.forEach(function (p) {
        var breached = p.breaches > 0 || (p.target !== null && p.p90 !== null && p.p90 > p.target);
        s.appendChild(svg('text', { x: 60, y: y + 20, class: 'muted' }, p.phase));
        if (p.p90 !== null) s.appendChild(svg('rect', { x: L, y: y + 8, width: Math.max(2, scale(p.p90) - L), height: 16, rx: 3, fill: breached ? '#f85149' : '#3fb950' }));
        else s.appendChild(svg('text', { x: L, y: y + 20, class: 'muted' }, 'not measured yet'));
        if (p.target !== null) s.appendChild(svg('line', { x1: scale(p.target), y1: y + 4, x2: scale(p.target), y2: y + 28, stroke: '#e6edf3', 'stroke-width': 2 }));
        var label = (p.p90 !== null ? 'p90 ' + dur(p.p90) : '') + (p.target !== null ? '  target ' + dur(p.target) : '') + (p.breaches ? '  ' + p.breaches + ' breached' : '');
        s.appendChild(svg('text', { x: LABEL, y: y + 20, class: breached ? 'bad' : '' }, label));
        y += rowH;
      });
      y += 16;
    });
    box.appendChild(s);
  }

  function renderChanges() {
    var body = document.querySelector('#changes tbody');
    body.textContent = '';
    data.changes.forEach(function (c) {
      var tr = el('tr');
      tr.appendChild(el('td', 'mono', c.change.length > 16 ? c.change.slice(0, 12) : c.change));
      tr.appendChild(el('td', '', c.service || '-'));
      tr.appendChild(el('td', '', c.environment || '-'));
      var td = el('td');
      var cls = c.class || c.declaredClass;
      if (cls) td.appendChild(el('span', 'cls ' + cls, cls)); else td.textContent = '-';
      tr.appendChild(td);
      tr.appendChild(el('td', c.gate === 'failed' ? 'bad' : c.gate === 'passed' ? 'ok' : 'muted', c.gate || '-'));
      tr.appendChild(el('td', 'mono', clock(c.deployedAt)));
      body.appendChild(tr);
    });
    if (!data.changes.length) { var tr = el('tr'); var td = el('td', 'muted', 'No changes recorded.'); td.colSpan = 6; tr.appendChild(td); body.appendChild(tr); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('login').addEventListener('submit', function (e) {
      e.preventDefault();
      sessionStorage.setItem('rollwright.token', document.getElementById('token').value.trim());
      load();
    });
    load();
    setInterval(load, 5000);
    setInterval(tick, 1000);
  });
})();
