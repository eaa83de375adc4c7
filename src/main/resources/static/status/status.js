/*
 * Tally status page: plain JavaScript, no build step, no libraries.
 *
 * Every value from the API reaches the DOM through textContent / createTextNode / setAttribute (see el()):
 * nothing is ever inserted as HTML.
 *
 * URL fragment parameters: #token=<admin token> (moved into sessionStorage and removed from the address bar),
 * #item=<stock item key> (opens the item view with its ledger and level chart).
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'tally.adminToken';
  var REFRESH_MS = 5000;
  var ITEMS_LIMIT = 200;
  var DEAD_LETTER_LIMIT = 100;
  var EVENTS_LIMIT = 50;
  var LEDGER_CHART_LIMIT = 2000;
  var LEDGER_TABLE_ROWS = 100;
  var SVG_NS = 'http://www.w3.org/2000/svg';

  var state = { item: null, loading: false, again: null, authFailed: false };
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

  var LISTING_STATES = {
    in_sync: ['ok', 'In sync'],
    pending: ['warn', 'Pending push'],
    failed: ['bad', 'Push failed'],
    hidden: ['grey', 'Hidden']
  };

  function listingStateBadge(s) {
    var d = LISTING_STATES[s] || ['grey', text(s)];
    return badge(d[0], d[1]);
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
          return json;
        });
      });
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
    var calls = [
      settle(api('/api/items?limit=' + ITEMS_LIMIT)),
      settle(api('/api/listings')),
      settle(api('/api/dead-letters?limit=' + DEAD_LETTER_LIMIT)),
      settle(api('/api/ledger')),
      settle(api('/api/events?status=parked&limit=' + EVENTS_LIMIT)),
      settle(api('/api/events?status=waiting&limit=' + EVENTS_LIMIT)),
      settle(api('/api/events?status=rejected&limit=' + EVENTS_LIMIT)),
      itemKey ? settle(api('/api/items/' + encodeURIComponent(itemKey))) : Promise.resolve(null),
      itemKey ? settle(api('/api/items/' + encodeURIComponent(itemKey) + '/ledger?limit=' + LEDGER_CHART_LIMIT))
        : Promise.resolve(null)
    ];
    return Promise.all(calls).then(function (r) {
      var auth = r.filter(function (x) { return x && !x.ok && x.error instanceof AuthError; })[0];
      if (auth) { handleAuthError(auth.error); return; }
      // the item's own calls (7, 8) report their errors inside the item view
      var failures = r.slice(0, 7).filter(function (x) { return !x.ok; });
      showMessage(failures.length ? 'Some data could not be loaded: ' + failures[0].error.message : '');
      showTokenForm(false);

      var focusKey = document.activeElement && document.activeElement.getAttribute
        ? document.activeElement.getAttribute('data-focus-key') : null;

      renderSummary(r[0], r[2], r[3]);
      renderItems(r[0], r[1]);
      renderDeadLetters(r[2]);
      renderEvents([['parked', r[4]], ['waiting', r[5]], ['rejected', r[6]]]);
      renderItem(itemKey, r[7], r[8], opts && opts.focusItem);

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
      tile('Out of sync', fmtNum(outOfSync), outOfSync ? 'warn' : 'ok');
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

  // ------------------------------------------------------------------ items

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

  function listingCells(l) {
    var mismatch = l.state !== 'hidden' && !l.hidden && l.lastPushed !== l.target;
    return {
      mismatch: mismatch,
      cells: [
        el('td', null, el('span', { class: 'store' }, l.store), ' / ', el('span', { class: 'ref' }, l.ref),
          l.master ? [' ', badge('info', 'Master')] : null),
        el('td', null, l.channel),
        el('td', { class: 'num target' }, fmtNum(l.target)),
        el('td', { class: 'num pushed' }, fmtNum(l.lastPushed),
          mismatch ? el('span', { class: 'visually-hidden' }, ' (differs from target)') : null),
        el('td', null, listingStateBadge(l.state))
      ]
    };
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
        el('th', { scope: 'col' }, 'Listing (store / ref)'),
        el('th', { scope: 'col' }, 'Channel'),
        el('th', { scope: 'col', class: 'num' }, 'Target'),
        el('th', { scope: 'col', class: 'num' }, 'Last pushed'),
        el('th', { scope: 'col' }, 'Listing state'))));
    list.forEach(function (item) {
      var ls = byItem[item.key] || [];
      var span = Math.max(1, ls.length);
      var group = el('tbody', {
        class: 'item-group' + (item.oversold ? ' is-oversold' : '') + (Number(item.outOfSync) > 0 ? ' is-outofsync' : ''),
        'data-item': item.key
      });
      var first = el('tr', null,
        el('th', { scope: 'rowgroup', rowspan: span }, itemLink(item.key)),
        el('td', { class: 'num on-hand', rowspan: span, 'data-on-hand': item.onHand }, fmtNum(item.onHand)),
        el('td', { rowspan: span }, itemStatusBadges(item)));
      if (!ls.length) {
        first.appendChild(el('td', { colspan: 5, class: 'muted' },
          listings.ok ? 'No listings' : fmtNum(item.listings) + ' listings (details unavailable)'));
        group.appendChild(first);
      } else {
        ls.forEach(function (l, i) {
          var c = listingCells(l);
          var row = i === 0 ? first : el('tr');
          if (c.mismatch) { row.classList.add('mismatch'); }
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

  // ------------------------------------------------------------------ one item: listings, chart, ledger

  function renderItem(key, itemResult, ledgerResult, focus) {
    var section = $('item-section');
    if (!key) { section.hidden = true; return; }
    section.hidden = false;
    $('item-heading').textContent = 'Item ' + key;
    var body = $('item-body');
    if (!itemResult.ok) {
      replace(body, emptyNote(itemResult.error.status === 404
        ? 'There is no stock item \u201C' + key + '\u201D.'
        : 'The item could not be loaded: ' + itemResult.error.message));
    } else {
      var item = itemResult.value;
      var nodes = [];
      var facts = el('dl', { class: 'facts' },
        el('div', null, el('dt', null, 'On hand'), el('dd', { id: 'item-on-hand' }, fmtNum(item.onHand))),
        el('div', null, el('dt', null, 'Status'), el('dd', null, itemStatusBadges({
          oversold: item.oversold, bundle: item.bundle, listings: (item.listings || []).length,
          outOfSync: (item.listings || []).filter(function (l) {
            return l.state !== 'hidden' && l.target !== l.lastPushed;
          }).length
        }))),
        el('div', null, el('dt', null, 'Listings'), el('dd', null, fmtNum((item.listings || []).length))));
      if (item.components) {
        var comps = Object.keys(item.components).map(function (c, i) {
          return [i ? ', ' : '', item.components[c] + ' \u00D7 ', itemLink(c)];
        });
        facts.appendChild(el('div', null, el('dt', null, 'Components'),
          el('dd', null, comps.length ? comps : 'none')));
      }
      nodes.push(facts);

      nodes.push(el('h3', null, 'Listings'));
      if (!(item.listings || []).length) {
        nodes.push(emptyNote('No listings.'));
      } else {
        var lbody = el('tbody');
        item.listings.forEach(function (l) {
          var c = listingCells(l);
          lbody.appendChild(el('tr', { class: c.mismatch ? 'mismatch' : null }, c.cells));
        });
        nodes.push(el('div', { class: 'table-wrap' }, el('table', { id: 'item-listings-table' },
          el('caption', { class: 'visually-hidden' }, 'Listings of ' + key),
          el('thead', null, el('tr', null,
            el('th', { scope: 'col' }, 'Listing (store / ref)'),
            el('th', { scope: 'col' }, 'Channel'),
            el('th', { scope: 'col', class: 'num' }, 'Target'),
            el('th', { scope: 'col', class: 'num' }, 'Last pushed'),
            el('th', { scope: 'col' }, 'State'))),
          lbody)));
      }

      if (!ledgerResult.ok) {
        nodes.push(emptyNote('The ledger could not be loaded: ' + ledgerResult.error.message));
      } else {
        var entries = ledgerResult.value || [];
        var levels = levelsAfter(item.onHand, entries);
        nodes.push(el('h3', { id: 'chart-heading' }, 'On hand over time'));
        nodes.push(chartFigure(key, item.onHand, entries, levels));
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

  /** A step line of the on-hand level over time, as inline SVG, with a text summary. */
  function chartFigure(key, onHand, entries, levels) {
    var figure = el('figure', { class: 'chart-wrap', id: 'level-chart' });
    if (!entries.length) {
      figure.appendChild(emptyNote('No ledger entries yet: nothing to chart.'));
      return figure;
    }
    // Oldest first: the level before the oldest entry we have, then after each entry, then now.
    var points = [];
    var oldest = entries.length - 1;
    var startLevel = levels[oldest] - Number(entries[oldest].delta);
    var t0 = toDate(entries[oldest].at);
    var now = Date.now();
    if (t0) { points.push({ t: t0.getTime(), v: startLevel }); }
    for (var i = oldest; i >= 0; i--) {
      var d = toDate(entries[i].at);
      if (d) { points.push({ t: d.getTime(), v: levels[i] }); }
    }
    var last = points.length ? points[points.length - 1].t : now;
    points.push({ t: Math.max(now, last), v: Number(onHand) });

    var W = 860, H = 260, L = 64, R = 18, T = 14, B = 34;
    var tMin = points[0].t;
    var tMax = points[points.length - 1].t;
    if (tMax - tMin < 1000) { tMin -= 30000; tMax += 30000; }
    var vs = points.map(function (p) { return p.v; });
    var vMin = Math.min(0, Math.min.apply(null, vs));
    var vMax = Math.max(1, Math.max.apply(null, vs));
    var step = niceStep(vMax - vMin, 4);
    vMin = Math.floor(vMin / step) * step;
    vMax = Math.ceil(vMax / step) * step;
    if (vMax === vMin) { vMax = vMin + step; }
    function x(t) { return L + (t - tMin) / (tMax - tMin) * (W - L - R); }
    function y(v) { return T + (vMax - v) / (vMax - vMin) * (H - T - B); }

    var titleId = 'chart-title';
    var descId = 'chart-desc';
    var minV = Math.min.apply(null, vs);
    var maxV = Math.max.apply(null, vs);
    var summary = 'On hand of ' + key + ' from ' + fmtTime(points[0].t) + ' (' + fmtNum(points[0].v) + ') to now ('
      + fmtNum(onHand) + '); lowest ' + fmtNum(minV) + ', highest ' + fmtNum(maxV) + ', over '
      + fmtNum(entries.length) + ' ledger entries.';
    var chart = svg('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-labelledby': titleId + ' ' + descId, preserveAspectRatio: 'xMidYMid meet' },
      svg('title', { id: titleId }, 'On hand of ' + key + ' over time'),
      svg('desc', { id: descId }, summary));

    for (var v = vMin; v <= vMax + step / 2; v += step) {
      chart.appendChild(svg('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
      chart.appendChild(svg('text', { x: L - 8, y: y(v) + 4, 'text-anchor': 'end' }, fmtNum(v)));
    }
    if (vMin < 0) {
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

    // Step path: the level holds until the next entry changes it.
    var d0 = 'M' + x(points[0].t).toFixed(1) + ' ' + y(points[0].v).toFixed(1);
    var path = d0;
    for (var p = 1; p < points.length; p++) {
      path += ' H' + x(points[p].t).toFixed(1) + ' V' + y(points[p].v).toFixed(1);
    }
    var base = y(Math.max(vMin, 0)).toFixed(1);
    chart.appendChild(svg('path', { class: 'area', d: path + ' V' + base + ' H' + x(points[0].t).toFixed(1) + ' Z' }));
    chart.appendChild(svg('path', { class: 'line', d: path }));
    if (points.length <= 200) {
      for (var q = 1; q < points.length - 1; q++) {
        chart.appendChild(svg('circle', { class: 'dot', cx: x(points[q].t).toFixed(1), cy: y(points[q].v).toFixed(1), r: 2.5 },
          svg('title', null, fmtTime(points[q].t) + ': ' + fmtNum(points[q].v))));
      }
    }
    figure.appendChild(chart);
    figure.appendChild(el('figcaption', { class: 'chart-note muted' }, summary
      + (entries.length >= LEDGER_CHART_LIMIT ? ' Only the newest ' + fmtNum(LEDGER_CHART_LIMIT) + ' entries are drawn.' : '')));
    return figure;
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
