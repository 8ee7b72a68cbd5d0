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

  // A timeline per incident, to read at a glance: the five SLO phases as one band (breached red,
  // running amber), every event of the incident and of its change as a dot on the same time axis
  // with a short label, labels stacked in rows so that none overlaps another, and long quiet gaps
  // (a deployment days before the alert) drawn as a break instead of squeezing the rest.
  var COLORS = { 'change.deployed': '#58a6ff', 'change.merged': '#58a6ff', 'incident.detected': '#f85149', 'decision.made': '#d29922', 'recovery.executed': '#a371f7', 'recovery.verified': '#3fb950', 'incident.resolved': '#3fb950' };
  var measureCtx = null;
  function textWidth(t) {
    if (!measureCtx) { measureCtx = document.createElement('canvas').getContext('2d'); measureCtx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'; }
    return measureCtx.measureText(t).width;
  }
  function field(summary, key) {
    var m = new RegExp('(?:^| )' + key + '=(\\S+)').exec(summary || '');
    return m ? m[1] : null;
  }
  var DONE = { rollback: 'rolled back', rollforward: 'rolled forward', compensate: 'compensated', restore: 'restored', 'repair-state': 'state repaired', 'abort-rollout': 'rollout aborted', pause: 'paused', 'break-glass': 'break-glass done' };
  function labelOf(e) {
    var s = e.summary;
    switch (e.type) {
      case 'change.deployed': return 'deployed';
      case 'change.merged': return 'merged';
      case 'change.declared': return 'declared';
      case 'change.assessed': return field(s, 'gate') === 'failed' ? 'gate failed' : 'assessed';
      case 'incident.detected': return 'alert';
      case 'decision.made': return 'decided: ' + (field(s, 'transition') || '?');
      case 'recovery.executed': return DONE[field(s, 'transition')] || 'recovery done';
      case 'recovery.verified': return field(s, 'result') === 'failed' ? 'verify failed' : 'verified';
      case 'incident.resolved': return 'resolved';
      case 'evidence.attached': return 'evidence: ' + (field(s, 'item') || '');
      case 'pause.started': return 'paused';
      case 'pause.ended': return 'resumed';
      case 'postmortem.action': return 'postmortem';
      default: return e.type;
    }
  }
  function hhmm(ms, withDate) {
    var iso = new Date(ms).toISOString();
    return (withDate ? iso.slice(5, 10) + ' ' : '') + iso.slice(11, 16);
  }

  // Real time to x: linear, except that a quiet gap of more than 10 minutes taking more than half of
  // the span (the change declared an hour before it shipped, deployed days before the alert) is cut
  // to a short break, so that the minutes of the incident get the width.
  function timeScale(times, x0, x1) {
    var ts = times.slice().sort(function (a, b) { return a - b; });
    var gaps = [];
    for (var k = 1; k < ts.length; k++) if (ts[k] > ts[k - 1]) gaps.push({ from: ts[k - 1], to: ts[k], len: ts[k] - ts[k - 1] });
    var total = ts[ts.length - 1] - ts[0];
    var breaks = [];
    for (var round = 0; round < 3; round++) {
      var big = null;
      gaps.forEach(function (g) { if (!g.cut && (!big || g.len > big.len)) big = g; });
      var kept = gaps.reduce(function (n, g) { return n + (g.cut ? g.shown : g.len); }, 0);
      if (!big || big.len < 0.5 * kept || big.len < 600e3) break;
      big.cut = true;
      big.shown = Math.max(60e3, 0.15 * (kept - big.len));
      breaks.push(big);
    }
    var eff = function (t) {
      var v = t - ts[0];
      breaks.forEach(function (b) { if (t >= b.to) v -= b.len - b.shown; else if (t > b.from) v -= Math.min(t - b.from, b.len) * (1 - b.shown / b.len); });
      return v;
    };
    var span = Math.max(eff(ts[ts.length - 1]), 1000);
    var f = function (t) { return x0 + (eff(t) / span) * (x1 - x0); };
    f.breaks = breaks;
    f.msPerPx = span / (x1 - x0);
    f.start = ts[0];
    f.end = ts[ts.length - 1];
    f.total = total;
    return f;
  }

  function timeline(i) {
    var ev = i.timeline;
    var W = 900, L = 14, R = 14, ROW = 17, MAXROWS = 6;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' 60', width: '100%', role: 'img', 'aria-label': 'timeline of ' + i.id, class: 'timeline' });
    if (!ev.length) return s;
    var now = Date.now();
    var times = ev.map(function (e) { return Date.parse(e.occurredAt); });
    var endAt = i.open ? Math.max(now, Math.max.apply(null, times)) : Math.max.apply(null, times);
    // Phase boundaries: each phase starts where the one before ended (detect ends at the alert).
    var detected = Date.parse(i.detectedAt);
    var spans = [];
    if (i.phases) {
      var p = i.phases, t = detected;
      if (p.detect.seconds !== null) spans.push({ phase: 'detect', from: detected - p.detect.seconds * 1000, to: detected, r: p.detect });
      ['decide', 'execute', 'verify', 'evidence'].some(function (name) {
        var r = p[name];
        if (r.seconds === null) { if (i.open || r.breached) spans.push({ phase: name, from: t, to: endAt, r: r, running: true }); return true; }
        spans.push({ phase: name, from: t, to: t + r.seconds * 1000, r: r });
        t += r.seconds * 1000;
        return false;
      });
    }
    var all = times.concat([endAt]);
    spans.forEach(function (sp) { all.push(sp.from, sp.to); });
    var x = timeScale(all, L, W - R);

    // Labels: each centred on its dot where it fits, in the lowest row where it overlaps nothing.
    var rows = [], placed = [], hidden = 0;
    ev.map(function (e, k) { return { e: e, cx: x(times[k]) }; })
      .sort(function (a, b) { return a.cx - b.cx; })
      .forEach(function (it) {
        var text = labelOf(it.e), w = textWidth(text) + 6;
        // Centred on the dot, else starting at it, else ending at it; kept inside the picture.
        var at = [it.cx - w / 2, it.cx - 3, it.cx + 3 - w].map(function (l) { return Math.min(Math.max(l, L - 6), W - R + 6 - w); });
        for (var r = 0; r < MAXROWS; r++) {
          for (var c = 0; c < at.length; c++) {
            if (rows[r] === undefined || at[c] > rows[r] + 4) { rows[r] = at[c] + w; placed.push({ it: it, text: text, left: at[c], w: w, row: r }); return; }
          }
        }
        hidden++;
      });
    var nRows = Math.max(rows.length, 1);
    var axisY = 8 + nRows * ROW + 10, bandY = axisY + 12, tickY = bandY + 34;
    var H = tickY + 6;
    s.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    s.setAttribute('height', H);

    placed.forEach(function (pl) {
      var y = 8 + (nRows - 1 - pl.row) * ROW + 12;
      s.appendChild(svg('line', { x1: pl.it.cx, y1: y + 3, x2: pl.it.cx, y2: axisY - 6, class: 'leader' }));
      var t = svg('text', { x: pl.left + 3, y: y, class: 'label' }, pl.text);
      t.appendChild(svg('title', {}, pl.it.e.type + ' ' + clock(pl.it.e.occurredAt) + ' ' + pl.it.e.summary));
      s.appendChild(t);
    });
    s.appendChild(svg('line', { x1: L, y1: axisY, x2: W - R, y2: axisY, class: 'axis', 'stroke-width': 2 }));
    x.breaks.forEach(function (b) {
      var bx = (x(b.from) + x(b.to)) / 2;
      s.appendChild(svg('rect', { x: bx - 9, y: axisY - 6, width: 18, height: 12, class: 'break' }));
      s.appendChild(svg('text', { x: bx - 5, y: axisY + 4, class: 'muted' }, '//'));
      s.appendChild(svg('text', { x: bx, y: tickY, class: 'muted', 'text-anchor': 'middle' }, dur(b.len / 1000) + ' later'));
    });
    ev.forEach(function (e, k) {
      var c = svg('circle', { cx: x(times[k]), cy: axisY, r: 5.5, fill: COLORS[e.type] || '#8b98a5', class: 'dot' });
      c.appendChild(svg('title', {}, e.type + ' ' + clock(e.occurredAt) + ' ' + e.summary));
      s.appendChild(c);
    });
    // The phase band.
    spans.forEach(function (sp) {
      var a = x(sp.from), b = Math.max(x(sp.to), a + 2);
      var state = sp.r.breached ? 'breached' : sp.running ? 'running' : 'ok';
      var rect = svg('rect', { x: a, y: bandY, width: b - a, height: 16, rx: 2, class: 'band ' + state });
      rect.appendChild(svg('title', {}, sp.phase + (sp.running ? ' running' : ' ' + dur(sp.r.seconds)) + (sp.r.target !== null ? ', target ' + dur(sp.r.target) : '') + (sp.r.breached ? ', BREACHED' : '')));
      s.appendChild(rect);
      var text = sp.phase + (sp.r.breached ? ' !' : '');
      if (textWidth(text) + 8 < b - a) s.appendChild(svg('text', { x: a + 4, y: bandY + 12, class: 'band-label' }, text));
    });
    // Ticks at a round step at least 80 px apart, skipping breaks; the date on the first tick of a day.
    var steps = [60e3, 300e3, 600e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 86400e3, 7 * 86400e3];
    var step = steps.filter(function (st) { return st / x.msPerPx >= 80; })[0] || steps[steps.length - 1];
    var lastDay = null, lastX = -1e9;
    var taken = x.breaks.map(function (b) { return (x(b.from) + x(b.to)) / 2; });
    if (i.open) taken.push(x(endAt) - 14);
    for (var tt = Math.ceil(x.start / step) * step; tt <= x.end; tt += step) {
      if (x.breaks.some(function (b) { return tt > b.from && tt < b.to; })) continue;
      var tx = x(tt);
      if (tx - lastX < 70 || taken.some(function (o) { return Math.abs(o - tx) < 50; })) continue;
      var day = new Date(tt).toISOString().slice(0, 10);
      s.appendChild(svg('line', { x1: tx, y1: bandY + 18, x2: tx, y2: bandY + 22, class: 'axis' }));
      s.appendChild(svg('text', { x: tx, y: tickY, class: 'muted', 'text-anchor': 'middle' }, hhmm(tt, day !== lastDay)));
      lastDay = day;
      lastX = tx;
    }
    if (i.open) {
      var nx = x(endAt);
      s.appendChild(svg('line', { x1: nx, y1: axisY - 8, x2: nx, y2: bandY + 20, class: 'now' }));
      s.appendChild(svg('text', { x: nx - 4, y: tickY, class: 'now-label', 'text-anchor': 'end' }, 'now'));
    }
    if (hidden) s.appendChild(svg('text', { x: W - R, y: 12, class: 'muted', 'text-anchor': 'end' }, '+' + hidden + ' more (hover the dots)'));
    return s;
  }

  function renderWindows() {
    var box = document.getElementById('windows');
    box.textContent = '';
    var list = data.windows;
    var total = data.windowsOpen === undefined ? list.length : data.windowsOpen;
    document.getElementById('window-count').textContent = !list.length ? '' : total > list.length ? '(' + total + ', the ' + list.length + ' closing soonest shown)' : '(' + total + ')';
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
    var H = top + data.services.length * (rowH * 5 + 16 + 22);
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': 'rollback SLO per service' });
    [60, 600, 3600, 86400].forEach(function (t) {
      if (t > max * 1.2) return;
      s.appendChild(svg('line', { x1: scale(t), y1: top - 6, x2: scale(t), y2: H, class: 'axis' }));
      s.appendChild(svg('text', { x: scale(t) + 2, y: top - 10, class: 'muted' }, dur(t)));
    });
    var y = top;
    data.services.forEach(function (svc) {
      s.appendChild(svg('text', { x: 0, y: y + 14, 'font-weight': 700, 'font-size': 13 }, svc.service));
      y += 22;
      svc.phases.forEach(function (p) {
        var breached = p.breaches > 0 || (p.target !== null && p.p90 !== null && p.p90 > p.target);
        s.appendChild(svg('text', { x: 16, y: y + 20, class: 'muted' }, p.phase));
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
