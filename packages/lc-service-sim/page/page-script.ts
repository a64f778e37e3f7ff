/**
 * The page script, compiled for the browser into dist/page. It polls `/api/state` and renders the
 * service's timeline, jobs, rules and tasks. Everything the service sent is put in the DOM with
 * textContent, never parsed as markup.
 */

/** The parts of the emulator's snapshot (CloudSimulator.snapshot) that the page reads. */
interface RunView {
  status: string;
  service: string;
  apiUrl: string;
  speed: number;
  oid: string;
  now: number;
  end: number | null;
  calls: number;
  ok: number;
  failed: number;
}
interface TaskView {
  id: number;
  at: number;
  hostname: string;
  commands: string[];
  investigationId?: string;
  outcomes: string[];
}
interface CallView {
  seq: number;
  kind: 'call';
  at: number;
  etype: string;
  target: string;
  about?: string;
  data: unknown;
  status?: number;
  reply?: unknown;
  error?: string;
  ms: number;
  ok: boolean;
}
interface NoteView {
  seq: number;
  kind: 'note';
  at: number;
  level: 'info' | 'warn';
  text: string;
}
interface TaskEntryView {
  seq: number;
  kind: 'task';
  at: number;
  task: TaskView;
}
type EntryView = CallView | NoteView | TaskEntryView;
interface JobView {
  id: string;
  cause?: string;
  start?: number;
  end?: number;
  sensors: string[];
  history: { ts: number; msg: string; attachments: unknown[]; important: boolean }[];
  reportedBy: number[];
}
interface RuleView {
  namespace: string;
  name: string;
  detect: unknown;
  respond: unknown;
  enabled: boolean;
  state: 'installed' | 'removed';
  changedAt: number;
  changedBy: string;
}
interface SensorView {
  sid: string;
  hostname: string;
  online: boolean;
  isolated: boolean;
  tags: string[];
}
interface SubscriptionsView {
  callbacks: string[];
  detections: string[];
  commands: string[];
}
interface ExtParamView {
  name: string;
  type: string;
  required: boolean;
  description: string;
}
interface ExtActionView {
  name: string;
  description: string;
  params: ExtParamView[];
}
interface PageState {
  run: RunView;
  extension: { actions: ExtActionView[] } | null;
  sensors: SensorView[];
  subscriptions: SubscriptionsView | null;
  timeline: EntryView[];
  total: number;
  rules: RuleView[];
  tasks: TaskView[];
  jobs: JobView[];
}

const POLL_MS = 700;
const RETRY_MS = 3000;
const MAX_HEX_BYTES = 65536;
let since = 0;
const last: Record<'jobs' | 'rules' | 'tasks' | 'sensors' | 'actions', string> = {
  actions: '',
  jobs: '',
  rules: '',
  tasks: '',
  sensors: '',
};
const hostnames = new Map<string, string>();

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
}
function el(tag: string, cls?: string | null, text?: unknown): HTMLElement {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function append(
  parent: HTMLElement,
  ...children: (Node | string | null | undefined)[]
): HTMLElement {
  for (const child of children) {
    if (child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return parent;
}
function clear(node: HTMLElement): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}
function pad(n: number | string, width: number): string {
  return String(n).padStart(width, '0');
}
function simTime(ms: number): string {
  const total = Math.floor(ms / 1000);
  const day = Math.floor(total / 86400);
  const rest = total % 86400;
  return `d${day} ${pad(Math.floor(rest / 3600), 2)}:${pad(Math.floor((rest % 3600) / 60), 2)}:${pad(rest % 60, 2)}`;
}
const SPAN_UNITS: [string, number][] = [
  ['d', 86400000],
  ['h', 3600000],
  ['m', 60000],
  ['s', 1000],
];
function span(ms: number): string {
  for (const [unit, size] of SPAN_UNITS) {
    if (ms >= size && ms % size === 0) return ms / size + unit;
  }
  return (ms / 1000).toFixed(1) + 's';
}
function wallTime(epochMs: unknown): string {
  if (typeof epochMs !== 'number' || !isFinite(epochMs)) return '';
  return new Date(epochMs).toISOString().replace('T', ' ').slice(0, 23);
}
function hostOf(sid: string): string {
  const hostname = hostnames.get(sid);
  return hostname === undefined ? String(sid) : `${hostname} (${sid})`;
}

/* JSON, highlighted token by token; every token is a text node. */
const JSON_TOKEN =
  /("(?:\\.|[^"\\])*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}[\],]/g;
function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value, null, 2) as string | undefined;
  return text === undefined ? 'undefined' : text;
}
function highlightJson(text: string): HTMLElement {
  const pre = el('pre', 'code json');
  let at = 0;
  let match: RegExpExecArray | null;
  JSON_TOKEN.lastIndex = 0;
  while ((match = JSON_TOKEN.exec(text)) !== null) {
    if (match.index > at) append(pre, text.slice(at, match.index));
    const token = match[0];
    let cls: string;
    if (match[1] !== undefined) cls = match[2] !== undefined ? 'k' : 's';
    else if (token === 'true' || token === 'false') cls = 'b';
    else if (token === 'null') cls = 'n';
    else if (/^[{}[\],]$/.test(token)) cls = 'p';
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
const YAML_LINE = /^(\s*)(-\s+)?(?:((?:"[^"]*"|'[^']*'|[^\s#'"][^:#]*?)):(?=\s|$))?(\s*)(.*)$/;
function yamlScalar(pre: HTMLElement, value: string): void {
  const comment = value.search(/(^|\s)#/);
  const body = comment >= 0 ? value.slice(0, comment) : value;
  const rest = comment >= 0 ? value.slice(comment) : '';
  const trimmed = body.trim();
  let cls: string | null = null;
  if (/^(["']).*\1$/.test(trimmed)) cls = 's';
  else if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) cls = 'num';
  else if (/^(true|false|yes|no)$/i.test(trimmed)) cls = 'b';
  else if (/^(null|~)$/i.test(trimmed)) cls = 'n';
  else if (trimmed !== '' && !/^[|>][-+]?$/.test(trimmed)) cls = 's';
  if (cls) append(pre, el('span', cls, body));
  else append(pre, body);
  if (rest) append(pre, el('span', 'c', rest));
}
function highlightYaml(text: unknown): HTMLElement {
  const pre = el('pre', 'code yaml');
  const lines = String(text).split('\n');
  lines.forEach((line, i) => {
    if (/^\s*#/.test(line)) {
      append(pre, el('span', 'c', line));
    } else {
      const m = YAML_LINE.exec(line);
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
  });
  return pre;
}

/* Bytes as offset, hex and printable ASCII, 16 to a line. */
function hexDump(base64: unknown): HTMLElement {
  const pre = el('pre', 'code hex');
  let binary: string;
  try {
    binary = atob(String(base64));
  } catch {
    append(pre, el('span', 'c', 'not base64 data: ' + String(base64).slice(0, 200)));
    return pre;
  }
  const shown = Math.min(binary.length, MAX_HEX_BYTES);
  for (let off = 0; off < shown; off += 16) {
    let hex = '';
    let ascii = '';
    for (let j = 0; j < 16; j++) {
      if (off + j < shown) {
        const code = binary.charCodeAt(off + j);
        hex += pad(code.toString(16), 2) + ' ';
        ascii += code >= 0x20 && code < 0x7f ? binary.charAt(off + j) : '.';
      } else {
        hex += '   ';
      }
      if (j === 7) hex += ' ';
    }
    append(
      pre,
      el('span', 'off', pad(off.toString(16), 8)),
      '  ',
      el('span', 'bytes', hex),
      ' ',
      el('span', 'ascii', '|' + ascii + '|'),
      '\n',
    );
  }
  if (binary.length === 0) append(pre, el('span', 'c', '(no bytes)'));
  if (binary.length > shown)
    append(pre, el('span', 'c', '... ' + (binary.length - shown) + ' more bytes'));
  return pre;
}

function tableView(headers: unknown, rows: unknown): HTMLElement {
  const table = el('table', 'data');
  const head = el('tr');
  for (const h of Array.isArray(headers) ? headers : []) append(head, el('th', null, h));
  append(table, append(el('thead'), head));
  const body = el('tbody');
  for (const row of Array.isArray(rows) ? rows : []) {
    const tr = el('tr');
    for (const cell of Array.isArray(row) ? row : [row]) {
      append(
        tr,
        el('td', null, cell === null ? '' : typeof cell === 'object' ? JSON.stringify(cell) : cell),
      );
    }
    append(body, tr);
  }
  append(table, body);
  return table;
}

interface AttachmentView {
  att_type?: unknown;
  caption?: unknown;
  headers?: unknown;
  rows?: unknown;
  data?: unknown;
}
function attachmentView(value: unknown): HTMLElement {
  const fig = el('figure', 'attachment');
  if (value === null || typeof value !== 'object') {
    return append(fig, highlightJson(jsonText(value)));
  }
  const att = value as AttachmentView;
  const type = String(att.att_type);
  append(
    fig,
    append(
      el('figcaption'),
      el('span', 'att-type', type),
      ' ',
      String(att.caption === undefined ? '' : att.caption),
    ),
  );
  if (type === 'table') append(fig, tableView(att.headers, att.rows));
  else if (type === 'hex_dump') append(fig, hexDump(att.data));
  else if (type === 'yaml') append(fig, highlightYaml(att.data));
  else if (type === 'json') append(fig, highlightJson(String(att.data)));
  else append(fig, highlightJson(jsonText(att)));
  return fig;
}

/* Header */
function renderRun(run: RunView): void {
  const status = byId('status');
  status.textContent = run.status;
  status.className = 'badge status-' + run.status;
  byId('clock').textContent =
    'simulated ' +
    simTime(run.now) +
    (run.end === null ? '' : ' of ' + span(run.end)) +
    ' at ' +
    run.speed +
    'x';
  const progress = byId('progress') as HTMLProgressElement;
  if (run.end) {
    progress.max = run.end;
    progress.value = Math.min(run.now, run.end);
  } else {
    progress.removeAttribute('value');
  }
  const counts = byId('counts');
  counts.textContent = run.calls + ' calls · ' + run.ok + ' ok · ' + run.failed + ' failed';
  counts.className = run.failed > 0 ? 'bad' : '';
  byId('service').textContent = run.service;
  byId('api').textContent = run.apiUrl;
  byId('org').textContent = run.oid;
}

/* Timeline */
function detailRow(entry: CallView): HTMLElement {
  const tr = el('tr', 'detail');
  const td = el('td') as HTMLTableCellElement;
  td.colSpan = 5;
  if (entry.about) append(td, el('p', null, entry.about));
  if (entry.error) append(td, el('p', 'bad', entry.error));
  append(td, el('h4', null, 'data sent'), highlightJson(jsonText(entry.data)));
  append(
    td,
    el('h4', null, 'answer' + (entry.status === undefined ? '' : ' (HTTP ' + entry.status + ')')),
  );
  append(
    td,
    entry.reply === undefined ? el('p', 'muted', 'none') : highlightJson(jsonText(entry.reply)),
  );
  append(tr, td);
  tr.hidden = true;
  return tr;
}
function timelineRow(entry: EntryView): HTMLElement[] {
  const tr = el('tr', 'entry ' + entry.kind);
  tr.id = 'entry-' + entry.seq;
  append(tr, el('td', 'time', simTime(entry.at)));
  if (entry.kind === 'call') {
    if (/_per_/.test(entry.etype)) tr.className += ' cron';
    tr.className += entry.ok ? ' ok' : ' failed';
    append(tr, el('td', 'etype', entry.etype), el('td', 'target', entry.target));
    append(
      tr,
      append(
        el('td'),
        el('span', entry.ok ? 'badge ok' : 'badge failed', entry.ok ? 'ok' : 'failed'),
      ),
    );
    let note = entry.ms + ' ms';
    if (entry.about) note += ' · ' + entry.about;
    if (entry.error) note += ' · ' + entry.error;
    const reply = entry.reply as { jobs?: unknown } | null | undefined;
    const jobs = Array.isArray(reply?.jobs) ? reply.jobs.length : 0;
    if (jobs) note += ' · ' + jobs + (jobs === 1 ? ' job' : ' jobs');
    append(tr, el('td', 'note', note));
    const detail = detailRow(entry);
    tr.tabIndex = 0;
    tr.title = 'show the data sent and the answer';
    const toggle = () => {
      detail.hidden = !detail.hidden;
    };
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        toggle();
      }
    });
    return [tr, detail];
  }
  if (entry.kind === 'task') {
    const t = entry.task;
    append(tr, el('td', 'etype', 'task #' + t.id), el('td', 'target', t.hostname));
    append(tr, append(el('td'), el('span', 'badge task', t.investigationId ? 'tracked' : 'task')));
    append(tr, el('td', 'note', t.commands.join(', ')));
    return [tr];
  }
  const cell = el('td', 'note-text', entry.text) as HTMLTableCellElement;
  cell.colSpan = 4;
  if (entry.level === 'warn') tr.className += ' warn';
  append(tr, cell);
  return [tr];
}
function renderTimeline(entries: EntryView[]): void {
  const body = byId('timeline-body');
  for (const entry of entries) {
    for (const row of timelineRow(entry)) body.appendChild(row);
    since = entry.seq;
  }
}

/* Jobs */
function jobView(job: JobView): HTMLElement {
  const card = el('article', 'job ' + (job.end === undefined ? 'open' : 'closed'));
  card.id = 'job-' + job.id;
  const head = el('header');
  append(
    head,
    el('h3', null, job.cause === undefined ? '(update of a job started elsewhere)' : job.cause),
  );
  let state = job.end === undefined ? 'open' : 'closed';
  if (job.end !== undefined && job.start !== undefined)
    state += ' after ' + ((job.end - job.start) / 1000).toFixed(2) + ' s';
  append(head, el('span', 'badge ' + (job.end === undefined ? 'open' : 'closed'), state));
  append(card, head);
  const meta = el('p', 'meta');
  append(meta, 'id ', el('code', null, job.id));
  if (job.start !== undefined) append(meta, ' · started ' + wallTime(job.start));
  if (job.sensors.length) append(meta, ' · sensors: ' + job.sensors.map(hostOf).join(', '));
  append(
    meta,
    ' · reported by call' +
      (job.reportedBy.length === 1 ? ' #' : 's #') +
      job.reportedBy.join(', #'),
  );
  append(card, meta);
  const list = el('ol', 'history');
  for (const h of job.history) {
    const li = el('li', h.important ? 'important' : null);
    append(li, el('time', null, wallTime(h.ts)), ' ', el('span', 'msg', h.msg));
    if (h.important) append(li, ' ', el('span', 'badge important', 'important'));
    for (const att of h.attachments) append(li, attachmentView(att));
    append(list, li);
  }
  if (job.history.length === 0) append(list, el('li', 'muted', 'no narration'));
  append(card, list);
  return card;
}
function renderJobs(jobs: JobView[]): void {
  const box = byId('jobs');
  clear(box);
  byId('count-jobs').textContent = String(jobs.length);
  if (jobs.length === 0) append(box, el('p', 'muted', 'The service has not reported a job yet.'));
  for (const job of jobs) append(box, jobView(job));
}

/* Rules */
function renderRules(rules: RuleView[]): void {
  const box = byId('rules');
  clear(box);
  byId('count-rules').textContent = String(rules.filter((r) => r.state === 'installed').length);
  if (rules.length === 0) append(box, el('p', 'muted', 'The service has not installed a rule.'));
  for (const rule of rules) {
    const card = el('article', 'rule ' + rule.state);
    const head = el('header');
    append(head, el('h3', null, rule.namespace + ' / ' + rule.name));
    append(
      head,
      el('span', 'badge ' + rule.state, rule.state + (rule.enabled ? '' : ' (disabled)')),
    );
    append(card, head);
    append(
      card,
      el(
        'p',
        'meta',
        (rule.state === 'installed' ? 'set' : 'removed') +
          ' during ' +
          rule.changedBy +
          ' at ' +
          simTime(rule.changedAt),
      ),
    );
    const cols = el('div', 'cols');
    append(cols, append(el('div'), el('h4', null, 'detect'), highlightJson(jsonText(rule.detect))));
    append(
      cols,
      append(el('div'), el('h4', null, 'respond'), highlightJson(jsonText(rule.respond))),
    );
    append(card, cols);
    append(box, card);
  }
}

/* Tasks */
function renderTasks(tasks: TaskView[]): void {
  const body = byId('tasks-body');
  clear(body);
  byId('count-tasks').textContent = String(tasks.length);
  for (const t of tasks) {
    const tr = el('tr');
    append(
      tr,
      el('td', null, '#' + t.id),
      el('td', 'time', simTime(t.at)),
      el('td', null, t.hostname),
      el('td', null, t.commands.join(', ')),
    );
    append(tr, el('td', 'inv', t.investigationId === undefined ? '' : t.investigationId));
    const outcomes = el('td');
    const list = el('ul', 'outcomes');
    for (const o of t.outcomes) append(list, el('li', null, o));
    if (t.outcomes.length === 0) append(list, el('li', 'muted', 'waiting for the reply'));
    append(outcomes, list);
    append(tr, outcomes);
    append(body, tr);
  }
}

/* Sensors and subscriptions */
function renderSensors(sensors: SensorView[], subs: SubscriptionsView | null): void {
  const box = byId('sensors');
  clear(box);
  const rows = sensors.map((s) => {
    hostnames.set(s.sid, s.hostname);
    return [
      s.hostname,
      s.sid,
      s.online ? 'online' : 'offline',
      s.isolated ? 'isolated' : '',
      s.tags.join(', '),
    ];
  });
  append(box, tableView(['hostname', 'sid', 'state', 'network', 'tags'], rows));
  if (subs) {
    append(box, el('h3', null, 'What the service listed in health'));
    const dl = el('dl');
    append(dl, el('dt', null, 'callbacks'), el('dd', null, subs.callbacks.join(', ')));
    append(
      dl,
      el('dt', null, 'detection subscriptions'),
      el('dd', null, subs.detections.join(', ') || 'none'),
    );
    append(dl, el('dt', null, 'commands'), el('dd', null, subs.commands.join(', ') || 'none'));
    append(box, dl);
  }
}

/* An extension's actions, and the form that sends one */
let actions: ExtActionView[] = [];
let firstSid = '';

function renderActionFields(): void {
  const select = byId('action') as HTMLSelectElement;
  const action = actions.find((a) => a.name === select.value);
  byId('action-desc').textContent = action?.description ?? '';
  const box = byId('action-fields');
  clear(box);
  for (const param of action?.params ?? []) {
    const label = el('label', null, param.name + (param.required ? ' *' : ''));
    const input = document.createElement('input');
    input.setAttribute('data-param', param.name);
    input.placeholder = param.type;
    input.title = param.description;
    if (param.type === 'sid') input.value = firstSid;
    append(label, input);
    append(box, label);
  }
}

function renderActions(ext: PageState['extension'], sensors: SensorView[]): void {
  byId('actions-tab').hidden = ext === null;
  actions = ext?.actions ?? [];
  firstSid = sensors[0]?.sid ?? '';
  const select = byId('action') as HTMLSelectElement;
  const chosen = select.value;
  clear(select);
  for (const action of actions) {
    const option = document.createElement('option');
    option.value = action.name;
    option.textContent = action.name;
    append(select, option);
  }
  if (actions.some((a) => a.name === chosen)) select.value = chosen;
  renderActionFields();
}

/** A typed value as the CLI reads one: JSON when it parses, else the text. */
function typedValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sendAction(): void {
  const params: Record<string, unknown> = {};
  for (const input of byId('action-fields').querySelectorAll('input')) {
    const name = input.getAttribute('data-param');
    if (name !== null && input.value !== '') params[name] = typedValue(input.value);
  }
  const result = byId('action-result');
  result.textContent = 'sending…';
  result.classList.remove('failed');
  fetch('/api/request', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: (byId('action') as HTMLSelectElement).value, params }),
  })
    .then((res) =>
      res.json().then((body: { seq?: number; ok?: boolean; error?: string }) => ({ res, body })),
    )
    .then(({ res, body }) => {
      const failed = !res.ok || body.ok === false;
      result.classList.toggle('failed', failed);
      result.textContent = !res.ok
        ? String(body.error ?? 'HTTP ' + res.status)
        : 'sent: call #' + body.seq + (body.ok ? ' answered' : ' failed') + ', see the timeline';
    })
    .catch((err: unknown) => {
      result.classList.add('failed');
      result.textContent = String(err);
    });
}

function changed(key: keyof typeof last, value: unknown): boolean {
  const text = JSON.stringify(value);
  if (last[key] === text) return false;
  last[key] = text;
  return true;
}

function apply(state: PageState): boolean {
  renderRun(state.run);
  if (changed('sensors', [state.sensors, state.subscriptions]))
    renderSensors(state.sensors, state.subscriptions);
  if (changed('actions', [state.extension, state.sensors[0]?.sid])) {
    renderActions(state.extension, state.sensors);
  }
  renderTimeline(state.timeline);
  if (changed('jobs', state.jobs)) renderJobs(state.jobs);
  if (changed('rules', state.rules)) renderRules(state.rules);
  if (changed('tasks', state.tasks)) renderTasks(state.tasks);
  document.body.setAttribute('data-status', state.run.status);
  return since < state.total;
}

function poll(): void {
  fetch('/api/state?since=' + since, { cache: 'no-store' })
    .then((res) => {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json() as Promise<PageState>;
    })
    .then((state) => {
      byId('conn').hidden = true;
      const more = apply(state);
      setTimeout(poll, more ? 0 : POLL_MS);
    })
    .catch(() => {
      byId('conn').hidden = false;
      setTimeout(poll, RETRY_MS);
    });
}

function showTab(name: string): void {
  for (const tab of document.querySelectorAll('[data-tab]')) {
    const tabName = tab.getAttribute('data-tab');
    tab.setAttribute('aria-selected', tabName === name ? 'true' : 'false');
    byId('tab-' + tabName).hidden = tabName !== name;
  }
}

byId('tabs').addEventListener('click', (ev) => {
  const button = ev.target instanceof Element ? ev.target.closest('[data-tab]') : null;
  const name = button?.getAttribute('data-tab');
  if (name) showTab(name);
});
byId('hide-crons').addEventListener('change', (ev) => {
  const checked = ev.target instanceof HTMLInputElement && ev.target.checked;
  byId('timeline').classList.toggle('hide-crons', checked);
});
byId('action').addEventListener('change', renderActionFields);
byId('action-send').addEventListener('click', sendAction);
showTab('timeline');
poll();
