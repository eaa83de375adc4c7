/*
 * Tally status page: plain JavaScript, no build step, no libraries.
 *
 * Every value from the API reaches the DOM through textContent / createTextNode / setAttribute (see el()):
 * nothing is ever inserted as HTML.
 *
 * URL fragment parameters: #token=<admin token> (moved into sessionStorage and removed from the address bar),
 * #item=<stock item key> (opens the item view with its ledger and level charts), #minutes=<chart window>.
 *
 * Charts are inline SVG drawn here (no library, no CDN): step lines whose y-axis spans the data, not 0 to the top.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'tally.adminToken';
  var REFRESH_MS = 5000;
  var ITEMS_LIMIT = 200;
  // The listings table joins at most this many pages of /api/listings (1000 each): bounded at any catalog size.
  var LISTING_PAGES = 3;
  var DEAD_LETTER_LIMIT = 100;
  var EVENTS_LIMIT = 50;
  var LEDGER_CHART_LIMIT = 2000;
  var LEDGER_TABLE_ROWS = 100;
  var SVG_NS = 'http://www.w3.org/2000/svg';

  var CHART_WINDOWS = [[15, '15 min'], [60, '1 hour'], [1440, '24 hours'], [10080, '7 days']];

  var state = { item: null, minutes: 60, loading: false, again: null, authFailed: false };
  var numberFormat = new Intl.NumberFormat();

  // ------------------------------------------------------------------ DOM helpers (text only, never HTML)

  function $(id) { return document.getElementById(id); }

  /** el('td', {class: 'num', 'data-id': 3}, 'text', childNode, ...): strings become text nodes. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) {
      append(node, arguments[i]);
    }
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) {
      append(node, arguments[i]);
    }
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) { return; }
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      if (k === 'text') { node.textContent = String(v); return; }
      node.setAttribute(k, v === true ? '' : String(v));
    });
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  function fmtNum(v) {
    if (v === null || v === undefined || v === '') { return '\u2014'; }
    var n = Number(v);
    return isFinite(n) ? numberFormat.format(n) : String(v);
  }

  function fmtDelta(v) {
    var n = Number(v);
    return n > 0 ? '+' + numberFormat.format(n) : numberFormat.format(n);
  }

  function toDate(v) {
    if (v === null || v === undefined || v === '') { return null; }
    var d = new Date(v);
    return isNaN(d.getTime()) ? null : d;
  }

  function fmtTime(v) {
    var d = toDate(v);
    if (!d) { return v ? String(v) : '\u2014'; }
    return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function timeCell(v) {
    var d = toDate(v);
    return el('td', { class: 'time' }, d ? el('time', { datetime: d.toISOString() }, fmtTime(v)) : '\u2014');
  }

  function text(v) {
    if (v === null || v === undefined || v === '') { return '\u2014'; }
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  /** A status badge: colour plus a symbol and words, never colour alone. */
  function badge(kind, label) {
    var symbol = { ok: '\u2713 ', warn: '\u25B2 ', bad: '\u2716 ', info: '\u2139 ', grey: '\u2022 ' }[kind] || '';
    return el('span', { class: 'badge ' + kind },
      el('span', { 'aria-hidden': 'true' }, symbol), label);
  }

  /** The API's listing states (io.tally.api.ListingStates): the page shows them, it never decides them. */
  var LISTING_STATES = {
    in_sync: ['ok', 'In sync'],
    pending: ['warn', 'Pending push'],
    never_pushed: ['info', 'Never pushed'],
    failed: ['bad', 'Push failed, retrying'],
    dead_letter: ['bad', 'Dead letter'],
    hidden: ['grey', 'Hidden']
  };
  var STATE_ORDER = ['in_sync', 'pending', 'never_pushed', 'failed', 'dead_letter', 'hidden'];

  function listingStateBadge(s) {
    var d = LISTING_STATES[s] || ['grey', text(s)];
    var b = badge(d[0], d[1]);
    b.setAttribute('data-state', s);
    return b;
  }

  var DEAD_LETTER_STATES = { open: ['bad', 'Open'], redriven: ['info', 'Redriven'], resolved: ['ok', 'Resolved'] };
  var EVENT_STATES = { parked: ['warn', 'Parked'], waiting: ['info', 'Waiting'], rejected: ['bad', 'Rejected'] };

  function itemLink(key) {
    return el('a', { href: '#item=' + encodeURIComponent(key), 'data-focus-key': 'item:' + key }, key);
  }

  function emptyNote(msg) { return el('p', { class: 'empty' }, msg); }

  function replace(container, node) { container.replaceChildren(node); }

  // ------------------------------------------------------------------ token and URL fragment

  function hashParams() {
    return new URLSearchParams(location.hash.replace(/^#/, ''));
  }

  /** Moves #token=... into sessionStorage and removes it from the address bar; reads #item=... */
  function readHash() {
    var params = hashParams();
    if (params.has('token')) {
      var t = params.get('token').trim();
      if (t) { sessionStorage.setItem(TOKEN_KEY, t); state.authFailed = false; }
      params.delete('token');
      var rest = params.toString();
      history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
    }
    var item = params.get('item');
    state.item = item && item.trim() ? item.trim() : null;
    var minutes = Number(params.get('minutes'));
    state.minutes = CHART_WINDOWS.some(function (w) { return w[0] === minutes; }) ? minutes : 60;
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  // ------------------------------------------------------------------ API

  function AuthError(detail) { this.name = 'AuthError'; this.message = detail; }
  AuthError.prototype = Object.create(Error.prototype);

  function ApiError(status, detail) { this.name = 'ApiError'; this.status = status; this.message = detail; }
  ApiError.prototype = Object.create(Error.prototype);

  function api(path, options) {
    var opts = options || {};
    var headers = { 'Accept': 'application/json, application/problem+json',
      'Authorization': 'Bearer ' + (token() || '') };
    return fetch(path, { method: opts.method || 'GET', headers: headers, cache: 'no-store',
      credentials: 'omit' })
      .then(function (r) {
        return r.text().then(function (body) {
          var json = null;
          try { json = body ? JSON.parse(body) : null; } catch (e) { json = null; }
          if (r.status === 401) {
            throw new AuthError(json && json.detail ? json.detail : 'unauthorized');
          }
          if (!r.ok) {
            throw new ApiError(r.status, (json && (json.detail || json.title)) || ('HTTP ' + r.status));
          }
          return opts.raw ? { json: json, link: r.headers.get('Link') } : json;
        });
      });
  }

  /** The URL of an RFC 8288 rel="next" link, as a same-origin path, or null. */
  function nextLink(header) {
    var m = header ? /<([^>]*)>\s*;\s*rel="next"/.exec(header) : null;
    if (!m) { return null; }
    var u = new URL(m[1], window.location.href);
    return u.pathname + u.search;
  }

  /** Up to maxPages pages of a list endpoint, following Link; the array's more is true when pages were left. */
  function apiPages(path, maxPages) {
    var rows = [];
    function step(p, left) {
      return api(p, { raw: true }).then(function (res) {
        rows = rows.concat(res.json || []);
        var next = nextLink(res.link);
        if (next && left > 1) { return step(next, left - 1); }
        rows.more = !!next;
        return rows;
      });
    }
    return step(path, maxPages);
  }

  function showMessage(msg, kind) {
    var box = $('message');
    box.className = 'message' + (kind ? ' ' + kind : '');
    box.textContent = msg;
    box.hidden = !msg;
  }

  function showTokenForm(show) {
    var wasShown = !$('token-section').hidden;
    $('token-section').hidden = !show;
    $('content').hidden = show;
    $('forget-token').hidden = !token();
    if (show && !wasShown) { $('token-input').focus(); }
  }

  function handleAuthError(e) {
    state.authFailed = true; // no auto-refresh with a refused token: wait for a new one
    var had = !!token();
    showMessage(had
      ? 'Unauthorized (401): the hub refused the admin token (' + e.message + '). Enter the current token.'
      : 'An admin token is needed to read the status.', had ? '' : 'info');
    showTokenForm(true);
  }

  // ------------------------------------------------------------------ refresh

  function settle(promise) {
    return promise.then(function (v) { return { ok: true, value: v }; },
      function (e) { return { ok: false, error: e }; });
  }

  /** Runs the named calls at once; resolves to {name: {ok, value | error}}. */
  function settleAll(calls) {
    var names = Object.keys(calls);
    return Promise.all(names.map(function (n) { return settle(calls[n]); })).then(function (results) {
      var out = {};
      names.forEach(function (n, i) { out[n] = results[i]; });
      return out;
    });
  }

  function refresh(opts) {
    readHash();
    if (!token()) {
      showMessage('Enter the hub\'s admin token to see its status.', 'info');
      showTokenForm(true);
      return Promise.resolve();
    }
    if (state.loading) {
      // a refresh is under way: run once more when it ends (keeps a hash change or a redrive from being lost)
      state.again = { focusItem: !!(opts && opts.focusItem) || !!(state.again && state.again.focusItem) };
      return Promise.resolve();
    }
    state.loading = true;
    var itemKey = state.item;
    var minutes = state.minutes;
    var calls = {
      items: api('/api/items?limit=' + ITEMS_LIMIT),
      listings: apiPages('/api/listings?limit=1000', LISTING_PAGES),
      stores: api('/api/stores'),
      deadLetters: api('/api/dead-letters?limit=' + DEAD_LETTER_LIMIT),
      ledger: api('/api/ledger'),
      parked: api('/api/events?status=parked&limit=' + EVENTS_LIMIT),
      waiting: api('/api/events?status=waiting&limit=' + EVENTS_LIMIT),
      rejected: api('/api/events?status=rejected&limit=' + EVENTS_LIMIT)
    };
    if (itemKey) {
      var k = encodeURIComponent(itemKey);
      calls.item = api('/api/items/' + k);
      calls.itemLedger = api('/api/items/' + k + '/ledger?limit=' + LEDGER_CHART_LIMIT);
      calls.itemHistory = api('/api/items/' + k + '/history?minutes=' + minutes);
    }
    return settleAll(calls).then(function (r) {
      // the store charts need the store list first
      if (!r.stores.ok) { return r; }
      var pushes = {};
      (r.stores.value || []).forEach(function (s) {
        pushes[s.store] = api('/api/stores/' + encodeURIComponent(s.store) + '/pushes?minutes=' + minutes);
      });
      return settleAll(pushes).then(function (p) { r.pushes = p; return r; });
    }).then(function (r) {
      var all = Object.keys(r).filter(function (n) { return n !== 'pushes'; }).map(function (n) { return r[n]; });
      if (r.pushes) { Object.keys(r.pushes).forEach(function (s) { all.push(r.pushes[s]); }); }
      var auth = all.filter(function (x) { return !x.ok && x.error instanceof AuthError; })[0];
      if (auth) { handleAuthError(auth.error); return; }
      // the item's own calls report their errors inside the item view, the charts inside theirs
      var failures = ['items', 'listings', 'stores', 'deadLetters', 'ledger', 'parked', 'waiting', 'rejected']
        .map(function (n) { return r[n]; }).filter(function (x) { return !x.ok; });
      showMessage(failures.length ? 'Some data could not be loaded: ' + failures[0].error.message : '');
      showTokenForm(false);

      var focusKey = document.activeElement && document.activeElement.getAttribute
        ? document.activeElement.getAttribute('data-focus-key') : null;

      renderSummary(r.items, r.deadLetters, r.ledger);
      renderStores(r.stores);
      renderStoreCharts(r.stores, r.pushes || {}, minutes);
      renderItems(r.items, r.listings);
      renderDeadLetters(r.deadLetters);
      renderEvents([['parked', r.parked], ['waiting', r.waiting], ['rejected', r.rejected]]);
      renderItem(itemKey, r.item, r.itemLedger, r.itemHistory, opts && opts.focusItem);

      if (focusKey) {
        var again = document.querySelector('[data-focus-key="' + cssEscape(focusKey) + '"]');
        if (again) { again.focus(); }
      }
      $('refreshed').textContent = 'Updated ' + new Date().toLocaleTimeString();
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (e) {
      showMessage('Could not load the status: ' + (e && e.message ? e.message : e));
    }).then(function () {
      state.loading = false;
      var again = state.again;
      state.again = null;
      if (again) { return refresh(again); }
    });
  }

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : String(s).replace(/["\\]/g, '\\$&');
  }

  // ------------------------------------------------------------------ summary

  function renderSummary(items, deadLetters, ledger) {
    var tiles = [];
    function tile(label, value, kind) {
      tiles.push(el('div', { class: 'tile' + (kind ? ' ' + kind : '') }, el('dt', null, label), el('dd', null, value)));
    }
    if (items.ok) {
      var list = items.value || [];
      var oversold = list.filter(function (i) { return i.oversold; }).length;
      var outOfSync = list.filter(function (i) { return Number(i.outOfSync) > 0; }).length;
      tile('Stock items', fmtNum(list.length) + (list.length >= ITEMS_LIMIT ? '+' : ''));
      tile('Oversold', fmtNum(oversold), oversold ? 'bad' : 'ok');
      tile('Items out of sync', fmtNum(outOfSync), outOfSync ? 'warn' : 'ok');
    }
    if (deadLetters.ok) {
      var open = (deadLetters.value || []).filter(function (d) { return d.status === 'open'; }).length;
      tile('Open dead letters', fmtNum(open), open ? 'bad' : 'ok');
    }
    if (ledger.ok && ledger.value) {
      var l = ledger.value;
      tile('Ledger', l.applying ? 'Applying' : 'Paused', l.applying ? 'ok' : 'warn');
      var inbox = l.inbox || {};
      tile('Inbox pending', fmtNum(inbox.pending || 0));
      tile('Waiting', fmtNum(inbox.waiting || 0), inbox.waiting ? 'warn' : null);
      tile('Parked', fmtNum(inbox.parked || 0), inbox.parked ? 'warn' : null);
      tile('Rejected', fmtNum(inbox.rejected || 0), inbox.rejected ? 'bad' : null);
    }
    $('summary').replaceChildren.apply($('summary'), tiles);
  }

  // ------------------------------------------------------------------ stores: panel and charts

  function countCell(n, kind, name) {
    var v = Number(n) || 0;
    return el('td', { class: 'num count ' + (v ? kind : ''), 'data-count': name, 'data-value': v }, fmtNum(v));
  }

  function renderStores(result) {
    var box = $('stores-body');
    if (!result.ok) { replace(box, emptyNote('Stores could not be loaded: ' + result.error.message)); return; }
    var list = result.value || [];
    if (!list.length) { replace(box, emptyNote('No stores configured.')); return; }
    var body = el('tbody');
    list.forEach(function (s) {
      var st = s.listingStates || {};
      var redrivable = (Number(st.failed) || 0) + (Number(st.dead_letter) || 0) + (Number(s.deadLettersOpen) || 0);
      var errors = [];
      if (s.lastPushError) {
        errors.push(el('div', { class: 'push-error' }, 'Push ', s.lastPushErrorAt ? fmtTime(s.lastPushErrorAt) : '',
          ': ', s.lastPushError));
      }
      if (s.pollError) { errors.push(el('div', { class: 'poll-error' }, 'Poll: ', s.pollError)); }
      body.appendChild(el('tr', { 'data-store': s.store },
        el('th', { scope: 'row' }, el('span', { class: 'store' }, s.store),
          el('div', { class: 'muted small' }, text(s.channel) + (s.role ? ' \u00B7 ' + s.role : ''))),
        countCell(s.listings, '', 'listings'),
        countCell(st.in_sync, 'ok', 'in_sync'),
        countCell(st.pending, 'warn', 'pending'),
        countCell(st.never_pushed, 'info', 'never_pushed'),
        countCell(st.failed, 'bad', 'failed'),
        countCell(s.deadLettersOpen, 'bad', 'dead_letters'),
        timeCell(s.lastPushAt),
        s.channel === 'amazon' || s.channel === 'walmart' || s.lastPollAt || s.pollError
          ? timeCell(s.lastPollAt) : el('td', { class: 'muted' }, 'not polled'),
        el('td', { class: 'error' }, errors.length ? errors : '\u2014'),
        el('td', null, el('button', { type: 'button', class: 'redrive-store', 'data-store': s.store,
          'data-focus-key': 'redrive-store:' + s.store, disabled: redrivable === 0,
          'aria-label': 'Redrive all failed pushes and dead letters of ' + s.store }, 'Redrive all'))));
    });
    replace(box, el('table', { id: 'stores-table' },
      el('caption', { class: 'visually-hidden' }, 'Stores: ' + list.length),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col' }, 'Store'),
        el('th', { scope: 'col', class: 'num' }, 'Listings'),
        el('th', { scope: 'col', class: 'num' }, 'In sync'),
        el('th', { scope: 'col', class: 'num' }, 'Pending'),
        el('th', { scope: 'col', class: 'num' }, 'Never pushed'),
        el('th', { scope: 'col', class: 'num' }, 'Failed'),
        el('th', { scope: 'col', class: 'num' }, 'Dead letters'),
        el('th', { scope: 'col' }, 'Last push'),
        el('th', { scope: 'col' }, 'Last poll'),
        el('th', { scope: 'col' }, 'Last error'),
        el('th', { scope: 'col' }, 'Action'))),
      body));
  }

  function redriveStore(button) {
    var store = button.getAttribute('data-store');
    button.disabled = true;
    button.textContent = 'Redriving\u2026';
    api('/api/stores/' + encodeURIComponent(store) + '/redrive', { method: 'POST' })
      .then(function (answer) {
        showMessage('Store ' + store + ': ' + answer.deadLetters + ' dead letter(s) redriven, ' + answer.listings
          + ' listing(s) re-queued with their current target.', 'info');
        return refresh();
      })
      .catch(function (e) {
        if (e instanceof AuthError) { handleAuthError(e); return; }
        showMessage('Redrive of store ' + store + ' failed: ' + e.message);
        button.disabled = false;
        button.textContent = 'Redrive all';
      });
  }

  function windowPicker(minutes) {
    var links = CHART_WINDOWS.map(function (w, i) {
      var params = hashParams();
      params.set('minutes', w[0]);
      return [i ? ' \u00B7 ' : '', w[0] === minutes
        ? el('strong', { 'aria-current': 'true' }, w[1])
        : el('a', { href: '#' + params.toString() }, w[1])];
    });
    return el('p', { class: 'window-picker muted' }, 'Charts show the last: ', links);
  }

  function renderStoreCharts(stores, pushes, minutes) {
    var box = $('store-charts-body');
    if (!stores.ok) { replace(box, emptyNote('Stores could not be loaded.')); return; }
    var nodes = [windowPicker(minutes)];
    var grid = el('div', { class: 'chart-grid' });
    (stores.value || []).forEach(function (s) {
      var r = pushes[s.store];
      var fig = el('figure', { class: 'chart-wrap store-chart', 'data-store': s.store });
      fig.appendChild(el('figcaption', { class: 'chart-title' }, s.store, ' ',
        el('span', { class: 'muted' }, '(' + text(s.channel) + ')')));
      if (!r || !r.ok) {
        fig.appendChild(emptyNote('Push history could not be loaded' + (r ? ': ' + r.error.message : '.')));
      } else {
        var h = r.value;
        var buckets = h.buckets || [];
        var total = 0;
        var ok = [], failed = [], avg = [], p95 = [];
        buckets.forEach(function (b) {
          var t = toDate(b.at).getTime() + h.bucketSeconds * 500; // the bucket's middle
          total += Number(b.ok) + Number(b.failed) + Number(b.stale);
          ok.push({ t: t, v: Number(b.ok) });
          failed.push({ t: t, v: Number(b.failed) });
          if (b.avgMs !== null && b.avgMs !== undefined) { avg.push({ t: t, v: Number(b.avgMs) }); }
          if (b.p95Ms !== null && b.p95Ms !== undefined) { p95.push({ t: t, v: Number(b.p95Ms) }); }
        });
        var tMin = toDate(h.from).getTime();
        var tMax = toDate(h.to).getTime();
        var per = h.bucketSeconds >= 60 ? (h.bucketSeconds / 60) + ' min' : h.bucketSeconds + ' s';
        if (!total) {
          fig.appendChild(emptyNote('No pushes in this window.'));
        } else {
          fig.appendChild(lineChart({ id: 'pushes-' + s.store, title: 'Pushes to ' + s.store + ' per ' + per,
            unit: 'pushes', tMin: tMin, tMax: tMax, height: 170, counts: true,
            series: [{ name: 'accepted', cls: 's-ok', points: ok }, { name: 'failed', cls: 's-bad', points: failed }] }));
          fig.appendChild(lineChart({ id: 'latency-' + s.store, title: 'Push latency to ' + s.store + ' (ms)',
            unit: 'ms', tMin: tMin, tMax: tMax, height: 150, counts: true,
            series: [{ name: 'average', cls: 's-main', points: avg }, { name: '95th percentile', cls: 's-alt', points: p95 }] }));
        }
      }
      grid.appendChild(fig);
    });
    nodes.push(grid);
    box.replaceChildren.apply(box, nodes);
  }

  // ------------------------------------------------------------------ items

  /** An item's badges, from the API's own counts (outOfSync counts listings whose state is not in sync). */
  function itemStatusBadges(item) {
    var out = [];
    if (item.oversold) { out.push(badge('bad', 'Oversold')); }
    var n = Number(item.outOfSync);
    if (n > 0) { out.push(badge('warn', 'Out of sync: ' + n)); }
    if (!out.length) {
      out.push(Number(item.listings) === 0 ? badge('grey', 'No listings') : badge('ok', 'In sync'));
    }
    if (item.bundle) { out.push(badge('info', 'Bundle')); }
    return out;
  }

  function itemName(item) {
    return [itemLink(item.key), item.name ? el('div', { class: 'item-name' }, item.name) : null];
  }

  function listingCells(l) {
    var off = l.state !== 'in_sync' && l.state !== 'hidden';
    return {
      off: off,
      cells: [
        el('td', { class: 'listing' }, el('div', { class: 'listing-name' }, l.name || l.ref),
          el('div', { class: 'muted small' }, el('span', { class: 'store' }, l.store), ' / ',
            el('span', { class: 'ref' }, l.ref), l.master ? [' ', badge('info', 'Master')] : null)),
        el('td', null, l.channel),
        el('td', { class: 'num target', 'data-value': l.target }, fmtNum(l.target)),
        el('td', { class: 'num level', 'data-value': l.level === null ? '' : l.level }, fmtNum(l.level)),
        el('td', { class: 'num pushed', 'data-value': l.lastPushed === null ? '' : l.lastPushed },
          fmtNum(l.lastPushed)),
        el('td', { class: 'state' }, listingStateBadge(l.state))
      ]
    };
  }

  var LISTING_HEADERS = ['Listing', 'Channel', 'Target', 'Channel level', 'Last pushed', 'State'];

  function listingHeaderCells() {
    return LISTING_HEADERS.map(function (h) {
      return el('th', { scope: 'col', class: /Target|level|pushed/.test(h) ? 'num' : null }, h);
    });
  }

  function renderItems(items, listings) {
    var box = $('items-body');
    if (!items.ok) { replace(box, emptyNote('Items could not be loaded: ' + items.error.message)); return; }
    var list = items.value || [];
    if (!list.length) { replace(box, emptyNote('No stock items yet. Declare listings to create them.')); return; }
    var byItem = {};
    if (listings.ok) {
      (listings.value || []).forEach(function (l) {
        if (l.itemKey) { (byItem[l.itemKey] = byItem[l.itemKey] || []).push(l); }
      });
    }
    var table = el('table', { id: 'items-table', class: 'items' },
      el('caption', { class: 'visually-hidden' }, 'Stock items with their listings: ' + list.length + ' items'),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col' }, 'Item'),
        el('th', { scope: 'col', class: 'num' }, 'On hand'),
        el('th', { scope: 'col' }, 'Item status'),
        listingHeaderCells())));
    list.forEach(function (item) {
      var ls = byItem[item.key] || [];
      var span = Math.max(1, ls.length);
      var group = el('tbody', {
        class: 'item-group' + (item.oversold ? ' is-oversold' : '') + (Number(item.outOfSync) > 0 ? ' is-outofsync' : ''),
        'data-item': item.key
      });
      var first = el('tr', null,
        el('th', { scope: 'rowgroup', rowspan: span }, itemName(item)),
        el('td', { class: 'num on-hand', rowspan: span, 'data-on-hand': item.onHand }, fmtNum(item.onHand)),
        el('td', { rowspan: span }, itemStatusBadges(item)));
      if (!ls.length) {
        first.appendChild(el('td', { colspan: LISTING_HEADERS.length, class: 'muted' },
          listings.ok && !(listings.value && listings.value.more && Number(item.listings) > 0) ? 'No listings'
            : fmtNum(item.listings) + ' listings (details ' + (listings.ok ? 'on the item\'s page' : 'unavailable') + ')'));
        group.appendChild(first);
      } else {
        ls.forEach(function (l, i) {
          var c = listingCells(l);
          var row = i === 0 ? first : el('tr');
          row.setAttribute('data-listing', l.store + '/' + l.ref);
          if (c.off) { row.classList.add('mismatch'); }
          c.cells.forEach(function (cell) { row.appendChild(cell); });
          group.appendChild(row);
        });
      }
      table.appendChild(group);
    });
    var note = list.length >= ITEMS_LIMIT
      ? el('p', { class: 'muted' }, 'Showing the first ' + ITEMS_LIMIT + ' items (oversold and out of sync first).')
      : null;
    box.replaceChildren(table);
    if (note) { box.appendChild(note); }
  }

  // ------------------------------------------------------------------ dead letters

  function renderDeadLetters(result) {
    var box = $('dl-body');
    if (!result.ok) { replace(box, emptyNote('Dead letters could not be loaded: ' + result.error.message)); return; }
    var list = result.value || [];
    if (!list.length) { replace(box, emptyNote('No dead letters: every push was delivered.')); return; }
    var body = el('tbody');
    list.forEach(function (d) {
      var st = DEAD_LETTER_STATES[d.status] || ['grey', text(d.status)];
      var action = d.status === 'open'
        ? el('button', { type: 'button', class: 'redrive', 'data-id': d.id, 'data-focus-key': 'redrive:' + d.id,
          'aria-label': 'Redrive dead letter ' + d.id + ' (' + d.store + ' / ' + d.ref + ')' }, 'Redrive')
        : el('span', { class: 'muted' }, '\u2014');
      body.appendChild(el('tr', { 'data-dead-letter': d.id },
        el('td', { class: 'num' }, String(d.id)),
        timeCell(d.createdAt),
        el('td', null, d.store, ' / ', d.ref),
        el('td', null, d.sku ? itemLink(d.sku) : '\u2014'),
        el('td', { class: 'num' }, fmtNum(d.level)),
        el('td', { class: 'num' }, fmtNum(d.version)),
        el('td', { class: 'num' }, fmtNum(d.attempts)),
        el('td', null, badge(st[0], st[1])),
        el('td', { class: 'error' }, text(d.error)),
        el('td', null, action)));
    });
    replace(box, el('table', { id: 'dead-letters-table' },
      el('caption', { class: 'visually-hidden' }, 'Dead letters: ' + list.length),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col', class: 'num' }, 'ID'),
        el('th', { scope: 'col' }, 'Created'),
        el('th', { scope: 'col' }, 'Listing (store / ref)'),
        el('th', { scope: 'col' }, 'SKU'),
        el('th', { scope: 'col', class: 'num' }, 'Level'),
        el('th', { scope: 'col', class: 'num' }, 'Version'),
        el('th', { scope: 'col', class: 'num' }, 'Attempts'),
        el('th', { scope: 'col' }, 'Status'),
        el('th', { scope: 'col' }, 'Error'),
        el('th', { scope: 'col' }, 'Action'))),
      body));
  }

  function redrive(button) {
    var id = button.getAttribute('data-id');
    button.disabled = true;
    button.textContent = 'Redriving\u2026';
    api('/api/dead-letters/' + encodeURIComponent(id) + '/redrive', { method: 'POST' })
      .then(function () {
        showMessage('Dead letter ' + id + ' redriven: the listing\'s current target is being re-sent.', 'info');
        return refresh();
      })
      .catch(function (e) {
        if (e instanceof AuthError) { handleAuthError(e); return; }
        showMessage('Redrive of dead letter ' + id + ' failed: ' + e.message);
        button.disabled = false;
        button.textContent = 'Redrive';
      });
  }

  // ------------------------------------------------------------------ events

  function eventKey(e) {
    var kinds = ['sku', 'barcode', 'handle', 'ref'];
    for (var i = 0; i < kinds.length; i++) {
      if (e[kinds[i]]) { return kinds[i] + ': ' + e[kinds[i]]; }
    }
    return '\u2014';
  }

  function renderEvents(results) {
    var box = $('events-body');
    var rows = [];
    var errors = [];
    results.forEach(function (pair) {
      var status = pair[0];
      var r = pair[1];
      if (!r.ok) { errors.push(status + ': ' + r.error.message); return; }
      (r.value || []).forEach(function (e) { rows.push([status, e]); });
    });
    var nodes = [];
    if (errors.length) { nodes.push(emptyNote('Some events could not be loaded (' + errors.join('; ') + ').')); }
    if (!rows.length) {
      nodes.push(emptyNote('No parked, waiting or rejected events.'));
    } else {
      var body = el('tbody');
      rows.forEach(function (pair) {
        var e = pair[1];
        var st = EVENT_STATES[pair[0]] || ['grey', pair[0]];
        body.appendChild(el('tr', null,
          el('td', null, badge(st[0], st[1])),
          el('td', null, text(e.id)),
          el('td', null, text(e.store)),
          el('td', null, text(e.type)),
          el('td', null, eventKey(e)),
          el('td', { class: 'num' }, fmtNum(e.quantity)),
          el('td', null, e.orderId ? text(e.orderId) + (e.lineId ? ' / ' + e.lineId : '') : '\u2014'),
          el('td', { class: 'error' }, text(e.outcome)),
          timeCell(e.receivedAt)));
      });
      nodes.push(el('table', { id: 'events-table' },
        el('caption', { class: 'visually-hidden' }, 'Events needing attention: ' + rows.length),
        el('thead', null, el('tr', null,
          el('th', { scope: 'col' }, 'Status'),
          el('th', { scope: 'col' }, 'Event'),
          el('th', { scope: 'col' }, 'Store'),
          el('th', { scope: 'col' }, 'Type'),
          el('th', { scope: 'col' }, 'Key'),
          el('th', { scope: 'col', class: 'num' }, 'Quantity'),
          el('th', { scope: 'col' }, 'Order / line'),
          el('th', { scope: 'col' }, 'Outcome'),
          el('th', { scope: 'col' }, 'Received'))),
        body));
    }
    box.replaceChildren.apply(box, nodes);
  }

  // ------------------------------------------------------------------ one item: listings, charts, ledger

  function renderItem(key, itemResult, ledgerResult, historyResult, focus) {
    var section = $('item-section');
    if (!key) { section.hidden = true; return; }
    section.hidden = false;
    var body = $('item-body');
    if (!itemResult.ok) {
      $('item-heading').textContent = 'Item ' + key;
      replace(body, emptyNote(itemResult.error.status === 404
        ? 'There is no stock item \u201C' + key + '\u201D.'
        : 'The item could not be loaded: ' + itemResult.error.message));
    } else {
      var item = itemResult.value;
      $('item-heading').textContent = item.name ? item.name + ' (' + key + ')' : 'Item ' + key;
      var nodes = [];
      var listings = item.listings || [];
      var facts = el('dl', { class: 'facts' },
        el('div', null, el('dt', null, 'Name'), el('dd', { id: 'item-name' }, item.name || key)),
        el('div', null, el('dt', null, 'On hand'), el('dd', { id: 'item-on-hand' }, fmtNum(item.onHand))),
        el('div', null, el('dt', null, 'Status'), el('dd', { id: 'item-status' }, itemStatusBadges({
          oversold: item.oversold, bundle: item.bundle, listings: listings.length, outOfSync: item.outOfSync
        }))),
        el('div', null, el('dt', null, 'Listings'), el('dd', null, fmtNum(listings.length))));
      if (item.components) {
        var comps = Object.keys(item.components).map(function (c, i) {
          return [i ? ', ' : '', item.components[c] + ' \u00D7 ', itemLink(c)];
        });
        facts.appendChild(el('div', null, el('dt', null, 'Components'),
          el('dd', null, comps.length ? comps : 'none')));
      }
      nodes.push(facts);

      nodes.push(el('h3', null, 'Listings'));
      if (!listings.length) {
        nodes.push(emptyNote('No listings.'));
      } else {
        var lbody = el('tbody');
        listings.forEach(function (l) {
          var c = listingCells(l);
          lbody.appendChild(el('tr', { class: c.off ? 'mismatch' : null, 'data-listing': l.store + '/' + l.ref },
            c.cells));
        });
        nodes.push(el('div', { class: 'table-wrap' }, el('table', { id: 'item-listings-table' },
          el('caption', { class: 'visually-hidden' }, 'Listings of ' + key),
          el('thead', null, el('tr', null, listingHeaderCells())),
          lbody)));
        nodes.push(el('p', { class: 'muted small' }, 'Target: what Tally wants the channel to show. Channel level: '
          + 'what the channel holds as far as Tally knows (its last accepted push, or what Tally read or was told). '
          + 'Last pushed: the last level the channel accepted from Tally.'));
      }

      nodes.push(el('h3', { id: 'history-heading' }, 'Channel level against target'));
      nodes.push(windowPicker(state.minutes));
      if (!historyResult || !historyResult.ok) {
        nodes.push(emptyNote('The history could not be loaded'
          + (historyResult ? ': ' + historyResult.error.message : '.')));
      } else {
        nodes.push(listingCharts(historyResult.value));
      }

      if (!ledgerResult.ok) {
        nodes.push(emptyNote('The ledger could not be loaded: ' + ledgerResult.error.message));
      } else {
        var entries = ledgerResult.value || [];
        var levels = levelsAfter(item.onHand, entries);
        if (historyResult && historyResult.ok) {
          var h = historyResult.value;
          nodes.push(el('h3', { id: 'chart-heading' }, 'On hand over time'));
          nodes.push(el('figure', { class: 'chart-wrap', id: 'level-chart' }, lineChart({
            id: 'onhand', title: 'On hand of ' + key, unit: 'units', height: 220,
            tMin: toDate(h.from).getTime(), tMax: toDate(h.to).getTime(),
            series: [{ name: 'on hand', cls: 's-main', points: seriesPoints(h.onHand), area: true }] })));
        }
        nodes.push(el('h3', null, 'Ledger (newest first)'));
        nodes.push(ledgerTable(key, entries, levels));
      }
      body.replaceChildren.apply(body, nodes);
    }
    if (focus) {
      // the user opened an item from a link further down: bring its view into sight and move focus there
      section.scrollIntoView({ block: 'start' });
      $('item-heading').focus({ preventScroll: true });
    }
  }

  function seriesPoints(list) {
    return (list || []).map(function (p) { return { t: toDate(p.at).getTime(), v: Number(p.level) }; });
  }

  /** One small chart per listing: the target Tally sent and the level the channel took, over the window. */
  function listingCharts(h) {
    var grid = el('div', { class: 'chart-grid', id: 'listing-charts' });
    var tMin = toDate(h.from).getTime();
    var tMax = toDate(h.to).getTime();
    if (!(h.listings || []).length) { return emptyNote('No listings to chart.'); }
    h.listings.forEach(function (l) {
      var fig = el('figure', { class: 'chart-wrap listing-chart', 'data-listing': l.store + '/' + l.ref });
      fig.appendChild(el('figcaption', { class: 'chart-title' }, l.name, ' ',
        el('span', { class: 'muted' }, l.store + ' / ' + l.ref)));
      fig.appendChild(lineChart({ id: 'listing-' + l.store + '-' + l.ref,
        title: 'Target and channel level of ' + l.name + ' in ' + l.store, unit: 'units', height: 170,
        tMin: tMin, tMax: tMax,
        series: [{ name: 'target', cls: 's-target', points: seriesPoints(l.target) },
          { name: 'channel level', cls: 's-main', points: seriesPoints(l.level) }] }));
      grid.appendChild(fig);
    });
    return grid;
  }

  /** On hand right after each entry (entries newest first): current on hand minus the newer deltas. */
  function levelsAfter(onHand, entries) {
    var levels = [];
    var level = Number(onHand);
    for (var i = 0; i < entries.length; i++) {
      levels.push(level);
      level -= Number(entries[i].delta);
    }
    return levels;
  }

  function ledgerTable(key, entries, levels) {
    if (!entries.length) { return emptyNote('No ledger entries for this item.'); }
    var body = el('tbody');
    entries.slice(0, LEDGER_TABLE_ROWS).forEach(function (e, i) {
      var d = Number(e.delta);
      body.appendChild(el('tr', null,
        el('td', { class: 'num' }, String(e.id)),
        timeCell(e.at),
        el('td', null, text(e.kind)),
        el('td', { class: 'num ' + (d < 0 ? 'delta-neg' : 'delta-pos') }, fmtDelta(e.delta)),
        el('td', { class: 'num' }, fmtNum(levels[i])),
        el('td', null, e.store ? text(e.store) + (e.ref ? ' / ' + e.ref : '') : '\u2014'),
        el('td', null, text(e.eventId || e.reason))));
    });
    var wrap = el('div', { class: 'table-wrap' }, el('table', { id: 'ledger-table' },
      el('caption', { class: 'visually-hidden' }, 'Ledger of ' + key + ', newest first'),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col', class: 'num' }, 'Entry'),
        el('th', { scope: 'col' }, 'At'),
        el('th', { scope: 'col' }, 'Kind'),
        el('th', { scope: 'col', class: 'num' }, 'Delta'),
        el('th', { scope: 'col', class: 'num' }, 'On hand after'),
        el('th', { scope: 'col' }, 'Store / ref'),
        el('th', { scope: 'col' }, 'Event / reason'))),
      body));
    if (entries.length > LEDGER_TABLE_ROWS) {
      wrap.appendChild(el('p', { class: 'muted' }, 'Showing the newest ' + LEDGER_TABLE_ROWS + ' of '
        + fmtNum(entries.length) + (entries.length >= LEDGER_CHART_LIMIT ? '+' : '') + ' entries.'));
    }
    return wrap;
  }

  function niceStep(range, count) {
    var raw = range / Math.max(1, count);
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var norm = raw / mag;
    var step = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
    return Math.max(1, step * mag);
  }

  function fmtAxisTime(ms, span) {
    var d = new Date(ms);
    if (span > 2 * 86400000) { return d.toLocaleDateString(undefined, { month: 'short', day: '2-digit' }); }
    if (span > 3600000) { return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }); }
    return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  /**
   * The y range of a chart: around the data (a 3000 -> 2995 step fills the chart), with a margin, on round
   * numbers. Counts and latencies never go below 0; nothing is forced to include 0.
   */
  function yRange(values, counts) {
    var lo = Math.min.apply(null, values);
    var hi = Math.max.apply(null, values);
    var pad = hi - lo < 2 ? 1 : (hi - lo) * 0.1;
    lo -= pad;
    hi += pad;
    if (counts && lo < 0 && Math.min.apply(null, values) >= 0) { lo = 0; }
    var step = niceStep(hi - lo, 4);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    if (hi === lo) { hi = lo + step; }
    return { lo: lo, hi: hi, step: step };
  }

  /**
   * A step-line chart as inline SVG. opts: id, title, unit, tMin, tMax (ms), height, counts (values are >= 0),
   * series: [{name, cls, points: [{t, v}], area}]. The svg carries data-y-min / data-y-max (its axis range) and a
   * text summary for screen readers.
   */
  function lineChart(opts) {
    var W = 860, H = opts.height || 220, L = 64, R = 18, T = 14, B = 30;
    var tMin = opts.tMin, tMax = opts.tMax;
    var series = opts.series.filter(function (s) { return s.points.length; });
    var values = [];
    series.forEach(function (s) { s.points.forEach(function (p) { values.push(p.v); }); });
    if (!values.length) { return emptyNote('Nothing recorded in this window.'); }
    if (tMax - tMin < 1000) { tMin -= 30000; tMax += 30000; }
    var r = yRange(values, opts.counts);
    function x(t) { return L + (Math.min(Math.max(t, tMin), tMax) - tMin) / (tMax - tMin) * (W - L - R); }
    function y(v) { return T + (r.hi - v) / (r.hi - r.lo) * (H - T - B); }

    var summary = series.map(function (s) {
      var vs = s.points.map(function (p) { return p.v; });
      return s.name + ' from ' + fmtNum(vs[0]) + ' to ' + fmtNum(vs[vs.length - 1]) + ' (lowest '
        + fmtNum(Math.min.apply(null, vs)) + ', highest ' + fmtNum(Math.max.apply(null, vs)) + ')';
    }).join('; ') + '.';
    var titleId = 'chart-title-' + opts.id.replace(/[^A-Za-z0-9_-]/g, '_');
    var descId = titleId + '-desc';
    var chart = svg('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-labelledby': titleId + ' ' + descId, preserveAspectRatio: 'xMidYMid meet',
      'data-y-min': r.lo, 'data-y-max': r.hi, 'data-chart': opts.id },
      svg('title', { id: titleId }, opts.title),
      svg('desc', { id: descId }, summary));
    for (var v = r.lo; v <= r.hi + r.step / 2; v += r.step) {
      chart.appendChild(svg('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
      chart.appendChild(svg('text', { class: 'y-label', x: L - 8, y: y(v) + 4, 'text-anchor': 'end' }, fmtNum(v)));
    }
    if (r.lo < 0 && r.hi > 0) {
      chart.appendChild(svg('line', { class: 'zero', x1: L, x2: W - R, y1: y(0), y2: y(0) }));
    }
    var ticks = 5;
    for (var k = 0; k <= ticks; k++) {
      var t = tMin + (tMax - tMin) * k / ticks;
      chart.appendChild(svg('text', { x: x(t), y: H - B + 18,
        'text-anchor': k === 0 ? 'start' : k === ticks ? 'end' : 'middle' }, fmtAxisTime(t, tMax - tMin)));
    }
    chart.appendChild(svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
    chart.appendChild(svg('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));

    series.forEach(function (s) {
      var pts = s.points;
      // Step line: a value holds until the next point changes it.
      var path = 'M' + x(pts[0].t).toFixed(1) + ' ' + y(pts[0].v).toFixed(1);
      for (var p = 1; p < pts.length; p++) {
        path += ' H' + x(pts[p].t).toFixed(1) + ' V' + y(pts[p].v).toFixed(1);
      }
      if (s.area) {
        chart.appendChild(svg('path', { class: 'area ' + s.cls, d: path + ' V' + (H - B) + ' H'
          + x(pts[0].t).toFixed(1) + ' Z' }));
      }
      chart.appendChild(svg('path', { class: 'line ' + s.cls, d: path, 'data-series': s.name }));
      if (pts.length <= 200) {
        pts.forEach(function (q) {
          chart.appendChild(svg('circle', { class: 'dot ' + s.cls, cx: x(q.t).toFixed(1), cy: y(q.v).toFixed(1), r: 2.5 },
            svg('title', null, s.name + ' ' + fmtTime(q.t) + ': ' + fmtNum(q.v) + (opts.unit ? ' ' + opts.unit : ''))));
        });
      }
    });
    var legend = el('p', { class: 'legend' }, series.map(function (s) {
      return el('span', { class: 'key' }, el('span', { class: 'swatch ' + s.cls, 'aria-hidden': 'true' }), s.name);
    }));
    return el('div', { class: 'chart-box' }, chart, legend);
  }

  // ------------------------------------------------------------------ wiring

  function init() {
    readHash();
    $('token-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var t = $('token-input').value.trim();
      if (!t) { return; }
      sessionStorage.setItem(TOKEN_KEY, t);
      state.authFailed = false;
      $('token-input').value = '';
      showMessage('');
      refresh();
    });
    $('forget-token').addEventListener('click', function () {
      sessionStorage.removeItem(TOKEN_KEY);
      showMessage('Token forgotten.', 'info');
      showTokenForm(true);
    });
    $('refresh-now').addEventListener('click', function () { refresh(); });
    $('dl-body').addEventListener('click', function (ev) {
      var b = ev.target.closest('button.redrive');
      if (b && !b.disabled) { redrive(b); }
    });
    $('stores-body').addEventListener('click', function (ev) {
      var b = ev.target.closest('button.redrive-store');
      if (b && !b.disabled) { redriveStore(b); }
    });
    window.addEventListener('hashchange', function () { refresh({ focusItem: true }); });
    setInterval(function () {
      if ($('auto-refresh').checked && !document.hidden && !state.authFailed && token()) { refresh(); }
    }, REFRESH_MS);
    refresh();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
