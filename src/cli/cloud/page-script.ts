/**
 * The page script: plain browser JavaScript, served as is (no build step). It polls
 * `/api/state` and renders the service's timeline, jobs, rules and tasks. Everything the
 * service sent is put in the DOM with textContent, never parsed as markup.
 */
export const PAGE_SCRIPT = String.raw`'use strict';
(function () {
  var POLL_MS = 700;
  var RETRY_MS = 3000;
  var MAX_HEX_BYTES = 65536;
  var since = 0;
  var last = { jobs: '', rules: '', tasks: '', sensors: '' };
  var hostnames = {};

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function append(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return parent;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = '0' + s;
    return s;
  }
  function simTime(ms) {
    var total = Math.floor(ms / 1000);
    var day = Math.floor(total / 86400);
    var rest = total % 86400;
    return 'd' + day + ' ' + pad(Math.floor(rest / 3600), 2) + ':' + pad(Math.floor((rest % 3600) / 60), 2) + ':' + pad(rest % 60, 2);
  }
  function span(ms) {
    var units = [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]];
    for (var i = 0; i < units.length; i++) {
      if (ms >= units[i][1] && ms % units[i][1] === 0) return ms / units[i][1] + units[i][0];
    }
    return (ms / 1000).toFixed(1) + 's';
  }
  function wallTime(epochMs) {
    if (typeof epochMs !== 'number' || !isFinite(epochMs)) return '';
    return new Date(epochMs).toISOString().replace('T', ' ').slice(0, 23);
  }
  function hostOf(sid) {
    return Object.prototype.hasOwnProperty.call(hostnames, sid) ? hostnames[sid] + ' (' + sid + ')' : String(sid);
  }

  /* JSON, highlighted token by token; every token is a text node. */
  var JSON_TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}\[\],]/g;
  function jsonText(value) {
    if (typeof value === 'string') return value;
    var text = JSON.stringify(value, null, 2);
    return text === undefined ? 'undefined' : text;
  }
  function highlightJson(text) {
    var pre = el('pre', 'code json');
    var at = 0;
    var match;
    JSON_TOKEN.lastIndex = 0;
    while ((match = JSON_TOKEN.exec(text)) !== null) {
      if (match.index > at) append(pre, text.slice(at, match.index));
      var token = match[0];
      var cls;
      if (match[1] !== undefined) cls = match[2] !== undefined ? 'k' : 's';
      else if (token === 'true' || token === 'false') cls = 'b';
      else if (token === 'null') cls = 'n';
      else if (/^[{}\[\],]$/.test(token)) cls = 'p';
      else cls = 'num';
      if (cls === 'k') {
        append(pre, el('span', 'k', match[1]), match[2]);
      } else {
        append(pre, el('span', cls, token));
      }
      at = match.index + token.length;
    }
    if (at < text.length) append(pre, text.slice(at));
    return pre;
  }

  /* YAML, highlighted line by line: comments, keys, list dashes and scalars. */
  var YAML_LINE = /^(\s*)(-\s+)?(?:((?:"[^"]*"|'[^']*'|[^\s#'"][^:#]*?)):(?=\s|$))?(\s*)(.*)$/;
  function yamlScalar(pre, value) {
    var comment = value.search(/(^|\s)#/);
    var body = comment >= 0 ? value.slice(0, comment) : value;
    var rest = comment >= 0 ? value.slice(comment) : '';
    var trimmed = body.trim();
    var cls = null;
    if (/^(["']).*\1$/.test(trimmed)) cls = 's';
    else if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) cls = 'num';
    else if (/^(true|false|yes|no)$/i.test(trimmed)) cls = 'b';
    else if (/^(null|~)$/i.test(trimmed)) cls = 'n';
    else if (trimmed !== '' && !/^[|>][-+]?$/.test(trimmed)) cls = 's';
    if (cls) append(pre, el('span', cls, body));
    else append(pre, body);
    if (rest) append(pre, el('span', 'c', rest));
  }
  function highlightYaml(text) {
    var pre = el('pre', 'code yaml');
    var lines = String(text).split('\n');
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (/^\s*#/.test(line)) {
        append(pre, el('span', 'c', line));
      } else {
        var m = YAML_LINE.exec(line);
        if (m === null) {
          append(pre, line);
        } else {
          append(pre, m[1]);
          if (m[2]) append(pre, el('span', 'p', m[2]));
          if (m[3] !== undefined) append(pre, el('span', 'k', m[3]), el('span', 'p', ':'));
          append(pre, m[4]);
          yamlScalar(pre, m[5]);
        }
      }
      if (i < lines.length - 1) append(pre, '\n');
    }
    return pre;
  }

  /* Bytes as offset, hex and printable ASCII, 16 to a line. */
  function hexDump(base64) {
    var pre = el('pre', 'code hex');
    var binary;
    try {
      binary = atob(String(base64));
    } catch (err) {
      append(pre, el('span', 'c', 'not base64 data: ' + String(base64).slice(0, 200)));
      return pre;
    }
    var shown = Math.min(binary.length, MAX_HEX_BYTES);
    for (var off = 0; off < shown; off += 16) {
      var hex = '';
      var ascii = '';
      for (var j = 0; j < 16; j++) {
        if (off + j < shown) {
          var code = binary.charCodeAt(off + j);
          hex += pad(code.toString(16), 2) + ' ';
          ascii += code >= 0x20 && code < 0x7f ? binary.charAt(off + j) : '.';
        } else {
          hex += '   ';
        }
        if (j === 7) hex += ' ';
      }
      append(pre, el('span', 'off', pad(off.toString(16), 8)), '  ', el('span', 'bytes', hex), ' ', el('span', 'ascii', '|' + ascii + '|'), '\n');
    }
    if (binary.length === 0) append(pre, el('span', 'c', '(no bytes)'));
    if (binary.length > shown) append(pre, el('span', 'c', '... ' + (binary.length - shown) + ' more bytes'));
    return pre;
  }

  function tableView(headers, rows) {
    var table = el('table', 'data');
    var head = el('tr');
    (Array.isArray(headers) ? headers : []).forEach(function (h) {
      append(head, el('th', null, h));
    });
    append(table, append(el('thead'), head));
    var body = el('tbody');
    (Array.isArray(rows) ? rows : []).forEach(function (row) {
      var tr = el('tr');
      (Array.isArray(row) ? row : [row]).forEach(function (cell) {
        append(tr, el('td', null, cell === null ? '' : typeof cell === 'object' ? JSON.stringify(cell) : cell));
      });
      append(body, tr);
    });
    append(table, body);
    return table;
  }

  function attachmentView(att) {
    var fig = el('figure', 'attachment');
    if (att === null || typeof att !== 'object') {
      return append(fig, highlightJson(jsonText(att)));
    }
    var type = String(att.att_type);
    append(fig, append(el('figcaption'), el('span', 'att-type', type), ' ', String(att.caption === undefined ? '' : att.caption)));
    if (type === 'table') append(fig, tableView(att.headers, att.rows));
    else if (type === 'hex_dump') append(fig, hexDump(att.data));
    else if (type === 'yaml') append(fig, highlightYaml(att.data));
    else if (type === 'json') append(fig, highlightJson(String(att.data)));
    else append(fig, highlightJson(jsonText(att)));
    return fig;
  }

  /* Header */
  function renderRun(run) {
    var status = document.getElementById('status');
    status.textContent = run.status;
    status.className = 'badge status-' + run.status;
    document.getElementById('clock').textContent =
      'simulated ' + simTime(run.now) + (run.end === null ? '' : ' of ' + span(run.end)) + ' at ' + run.speed + 'x';
    var progress = document.getElementById('progress');
    if (run.end) {
      progress.max = run.end;
      progress.value = Math.min(run.now, run.end);
    } else {
      progress.removeAttribute('value');
    }
    document.getElementById('counts').textContent =
      run.calls + ' calls · ' + run.ok + ' ok · ' + run.failed + ' failed';
    document.getElementById('counts').className = run.failed > 0 ? 'bad' : '';
    document.getElementById('service').textContent = run.service;
    document.getElementById('api').textContent = run.apiUrl;
    document.getElementById('org').textContent = run.oid;
  }

  /* Timeline */
  function detailRow(entry) {
    var tr = el('tr', 'detail');
    var td = el('td');
    td.colSpan = 5;
    if (entry.about) append(td, el('p', null, entry.about));
    if (entry.error) append(td, el('p', 'bad', entry.error));
    append(td, el('h4', null, 'data sent'), highlightJson(jsonText(entry.data)));
    append(td, el('h4', null, 'answer' + (entry.status === undefined ? '' : ' (HTTP ' + entry.status + ')')));
    append(td, entry.reply === undefined ? el('p', 'muted', 'none') : highlightJson(jsonText(entry.reply)));
    append(tr, td);
    tr.hidden = true;
    return tr;
  }
  function timelineRow(entry) {
    var tr = el('tr', 'entry ' + entry.kind);
    tr.id = 'entry-' + entry.seq;
    append(tr, el('td', 'time', simTime(entry.at)));
    if (entry.kind === 'call') {
      if (/_per_/.test(entry.etype)) tr.className += ' cron';
      tr.className += entry.ok ? ' ok' : ' failed';
      append(tr, el('td', 'etype', entry.etype), el('td', 'target', entry.target));
      append(tr, append(el('td'), el('span', entry.ok ? 'badge ok' : 'badge failed', entry.ok ? 'ok' : 'failed')));
      var note = entry.ms + ' ms';
      if (entry.about) note += ' · ' + entry.about;
      if (entry.error) note += ' · ' + entry.error;
      var jobs = entry.reply && Array.isArray(entry.reply.jobs) ? entry.reply.jobs.length : 0;
      if (jobs) note += ' · ' + jobs + (jobs === 1 ? ' job' : ' jobs');
      append(tr, el('td', 'note', note));
      var detail = detailRow(entry);
      tr.tabIndex = 0;
      tr.title = 'show the data sent and the answer';
      var toggle = function () {
        detail.hidden = !detail.hidden;
      };
      tr.addEventListener('click', toggle);
      tr.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          toggle();
        }
      });
      return [tr, detail];
    }
    if (entry.kind === 'task') {
      var t = entry.task;
      append(tr, el('td', 'etype', 'task #' + t.id), el('td', 'target', t.hostname));
      append(tr, append(el('td'), el('span', 'badge task', t.investigationId ? 'tracked' : 'task')));
      append(tr, el('td', 'note', t.commands.join(', ')));
      return [tr];
    }
    var cell = el('td', 'note-text', entry.text);
    cell.colSpan = 4;
    if (entry.level === 'warn') tr.className += ' warn';
    append(tr, cell);
    return [tr];
  }
  function renderTimeline(entries) {
    var body = document.getElementById('timeline-body');
    entries.forEach(function (entry) {
      timelineRow(entry).forEach(function (row) {
        body.appendChild(row);
      });
      since = entry.seq;
    });
  }

  /* Jobs */
  function jobView(job) {
    var card = el('article', 'job ' + (job.end === undefined ? 'open' : 'closed'));
    card.id = 'job-' + job.id;
    var head = el('header');
    append(head, el('h3', null, job.cause === undefined ? '(update of a job started elsewhere)' : job.cause));
    var state = job.end === undefined ? 'open' : 'closed';
    if (job.end !== undefined && job.start !== undefined) state += ' after ' + ((job.end - job.start) / 1000).toFixed(2) + ' s';
    append(head, el('span', 'badge ' + (job.end === undefined ? 'open' : 'closed'), state));
    append(card, head);
    var meta = el('p', 'meta');
    append(meta, 'id ', el('code', null, job.id));
    if (job.start !== undefined) append(meta, ' · started ' + wallTime(job.start));
    if (job.sensors.length) append(meta, ' · sensors: ' + job.sensors.map(hostOf).join(', '));
    append(meta, ' · reported by call' + (job.reportedBy.length === 1 ? ' #' : 's #') + job.reportedBy.join(', #'));
    append(card, meta);
    var list = el('ol', 'history');
    job.history.forEach(function (h) {
      var li = el('li', h.important ? 'important' : null);
      append(li, el('time', null, wallTime(h.ts)), ' ', el('span', 'msg', h.msg));
      if (h.important) append(li, ' ', el('span', 'badge important', 'important'));
      h.attachments.forEach(function (att) {
        append(li, attachmentView(att));
      });
      append(list, li);
    });
    if (job.history.length === 0) append(list, el('li', 'muted', 'no narration'));
    append(card, list);
    return card;
  }
  function renderJobs(jobs) {
    var box = document.getElementById('jobs');
    clear(box);
    document.getElementById('count-jobs').textContent = String(jobs.length);
    if (jobs.length === 0) append(box, el('p', 'muted', 'The service has not reported a job yet.'));
    jobs.forEach(function (job) {
      append(box, jobView(job));
    });
  }

  /* Rules */
  function renderRules(rules) {
    var box = document.getElementById('rules');
    clear(box);
    document.getElementById('count-rules').textContent = String(rules.filter(function (r) { return r.state === 'installed'; }).length);
    if (rules.length === 0) append(box, el('p', 'muted', 'The service has not installed a rule.'));
    rules.forEach(function (rule) {
      var card = el('article', 'rule ' + rule.state);
      var head = el('header');
      append(head, el('h3', null, rule.namespace + ' / ' + rule.name));
      append(head, el('span', 'badge ' + rule.state, rule.state + (rule.enabled ? '' : ' (disabled)')));
      append(card, head);
      append(card, el('p', 'meta', (rule.state === 'installed' ? 'set' : 'removed') + ' during ' + rule.changedBy + ' at ' + simTime(rule.changedAt)));
      var cols = el('div', 'cols');
      append(cols, append(el('div'), el('h4', null, 'detect'), highlightJson(jsonText(rule.detect))));
      append(cols, append(el('div'), el('h4', null, 'respond'), highlightJson(jsonText(rule.respond))));
      append(card, cols);
      append(box, card);
    });
  }

  /* Tasks */
  function renderTasks(tasks) {
    var body = document.getElementById('tasks-body');
    clear(body);
    document.getElementById('count-tasks').textContent = String(tasks.length);
    tasks.forEach(function (t) {
      var tr = el('tr');
      append(tr, el('td', null, '#' + t.id), el('td', 'time', simTime(t.at)), el('td', null, t.hostname), el('td', null, t.commands.join(', ')));
      var inv = el('td', 'inv', t.investigationId === undefined ? '' : t.investigationId);
      append(tr, inv);
      var outcomes = el('td');
      var list = el('ul', 'outcomes');
      t.outcomes.forEach(function (o) {
        append(list, el('li', null, o));
      });
      if (t.outcomes.length === 0) append(list, el('li', 'muted', 'waiting for the reply'));
      append(outcomes, list);
      append(tr, outcomes);
      append(body, tr);
    });
  }

  /* Sensors and subscriptions */
  function renderSensors(sensors, subs) {
    var box = document.getElementById('sensors');
    clear(box);
    var rows = sensors.map(function (s) {
      hostnames[s.sid] = s.hostname;
      return [s.hostname, s.sid, s.online ? 'online' : 'offline', s.isolated ? 'isolated' : '', s.tags.join(', ')];
    });
    append(box, tableView(['hostname', 'sid', 'state', 'network', 'tags'], rows));
    if (subs) {
      append(box, el('h3', null, 'What the service listed in health'));
      var dl = el('dl');
      append(dl, el('dt', null, 'callbacks'), el('dd', null, subs.callbacks.join(', ')));
      append(dl, el('dt', null, 'detection subscriptions'), el('dd', null, subs.detections.join(', ') || 'none'));
      append(dl, el('dt', null, 'commands'), el('dd', null, subs.commands.join(', ') || 'none'));
      append(box, dl);
    }
  }

  function changed(key, value) {
    var text = JSON.stringify(value);
    if (last[key] === text) return false;
    last[key] = text;
    return true;
  }

  function apply(state) {
    renderRun(state.run);
    if (changed('sensors', [state.sensors, state.subscriptions])) renderSensors(state.sensors, state.subscriptions);
    renderTimeline(state.timeline);
    if (changed('jobs', state.jobs)) renderJobs(state.jobs);
    if (changed('rules', state.rules)) renderRules(state.rules);
    if (changed('tasks', state.tasks)) renderTasks(state.tasks);
    document.body.setAttribute('data-status', state.run.status);
    return since < state.total;
  }

  function poll() {
    fetch('/api/state?since=' + since, { cache: 'no-store' })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (state) {
        document.getElementById('conn').hidden = true;
        var more = apply(state);
        setTimeout(poll, more ? 0 : POLL_MS);
      })
      .catch(function () {
        document.getElementById('conn').hidden = false;
        setTimeout(poll, RETRY_MS);
      });
  }

  function showTab(name) {
    var tabs = document.querySelectorAll('[data-tab]');
    for (var i = 0; i < tabs.length; i++) {
      var active = tabs[i].getAttribute('data-tab') === name;
      tabs[i].setAttribute('aria-selected', active ? 'true' : 'false');
      document.getElementById('tab-' + tabs[i].getAttribute('data-tab')).hidden = !active;
    }
  }

  document.getElementById('tabs').addEventListener('click', function (ev) {
    var button = ev.target.closest('[data-tab]');
    if (button) showTab(button.getAttribute('data-tab'));
  });
  document.getElementById('hide-crons').addEventListener('change', function (ev) {
    document.getElementById('timeline').classList.toggle('hide-crons', ev.target.checked);
  });
  showTab('timeline');
  poll();
})();
`;
