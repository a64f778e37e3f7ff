/** The emulator's page: static markup; everything it shows is filled in by page-script.ts. */
export const PAGE_HTML = String.raw`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>lc-service-sim cloud</title>
    <link rel="stylesheet" href="/app.css" />
  </head>
  <body data-status="starting">
    <header class="top">
      <div class="title">
        <h1>lc-service-sim cloud</h1>
        <span id="status" class="badge">starting</span>
        <span id="conn" class="badge failed" hidden>disconnected: retrying</span>
      </div>
      <div class="run">
        <span id="clock"></span>
        <progress id="progress"></progress>
        <span id="counts"></span>
      </div>
      <dl class="where">
        <dt>service</dt><dd id="service"></dd>
        <dt>API emulator</dt><dd id="api"></dd>
        <dt>org</dt><dd id="org"></dd>
      </dl>
    </header>
    <nav id="tabs" role="tablist">
      <button type="button" role="tab" data-tab="timeline">Timeline</button>
      <button type="button" role="tab" data-tab="jobs">Jobs <span id="count-jobs" class="count">0</span></button>
      <button type="button" role="tab" data-tab="rules">Rules <span id="count-rules" class="count">0</span></button>
      <button type="button" role="tab" data-tab="tasks">Tasks <span id="count-tasks" class="count">0</span></button>
      <button type="button" role="tab" data-tab="sensors">Sensors</button>
      <button type="button" role="tab" data-tab="actions" id="actions-tab" hidden>Actions</button>
    </nav>
    <main>
      <section id="tab-timeline" role="tabpanel">
        <label class="toolbar"><input type="checkbox" id="hide-crons" /> hide crons</label>
        <table id="timeline" class="timeline">
          <thead>
            <tr><th>simulated</th><th>call</th><th>about</th><th>result</th><th>details</th></tr>
          </thead>
          <tbody id="timeline-body"></tbody>
        </table>
      </section>
      <section id="tab-jobs" role="tabpanel" hidden><div id="jobs"></div></section>
      <section id="tab-rules" role="tabpanel" hidden><div id="rules"></div></section>
      <section id="tab-tasks" role="tabpanel" hidden>
        <table class="data">
          <thead>
            <tr><th>task</th><th>simulated</th><th>sensor</th><th>commands</th><th>investigation id</th><th>what came of it</th></tr>
          </thead>
          <tbody id="tasks-body"></tbody>
        </table>
      </section>
      <section id="tab-sensors" role="tabpanel" hidden><div id="sensors"></div></section>
      <section id="tab-actions" role="tabpanel" hidden>
        <div class="action-form">
          <label>action <select id="action"></select></label>
          <p id="action-desc" class="muted"></p>
          <div id="action-fields"></div>
          <button type="button" id="action-send">Send request</button>
          <span id="action-result"></span>
        </div>
      </section>
    </main>
    <script src="/app.js"></script>
  </body>
</html>
`;

/** The page style. Served as its own file so the CSP can forbid inline styles. */
export const PAGE_CSS = String.raw`:root {
  --fg: #1d2330;
  --muted: #6b7385;
  --bg: #f6f7fa;
  --card: #ffffff;
  --line: #dfe3eb;
  --ok: #1a7f37;
  --bad: #c62828;
  --warn: #9a6700;
  --accent: #2f5dd8;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { position: sticky; top: 0; z-index: 2; background: var(--card); border-bottom: 1px solid var(--line); padding: 10px 18px; display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: center; }
.title { display: flex; gap: 10px; align-items: center; }
h1 { font-size: 17px; margin: 0; }
h3 { font-size: 15px; margin: 0; }
h4 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 10px 0 4px; }
.run { display: flex; gap: 12px; align-items: center; font-variant-numeric: tabular-nums; }
progress { width: 160px; }
dl.where { display: grid; grid-template-columns: auto auto; gap: 0 8px; margin: 0; font-size: 12px; }
dl.where dt { color: var(--muted); }
dl.where dd { margin: 0; font-family: var(--mono); }
nav { display: flex; gap: 4px; padding: 8px 18px 0; border-bottom: 1px solid var(--line); }
nav button { font: inherit; border: 1px solid transparent; border-bottom: none; background: none; padding: 6px 14px; border-radius: 6px 6px 0 0; cursor: pointer; color: var(--muted); }
nav button[aria-selected='true'] { background: var(--card); border-color: var(--line); color: var(--fg); margin-bottom: -1px; }
.count { display: inline-block; min-width: 18px; padding: 0 5px; border-radius: 9px; background: var(--line); font-size: 11px; text-align: center; }
main { padding: 14px 18px 40px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: var(--line); white-space: nowrap; }
.badge.ok, .badge.closed, .badge.installed, .status-finished { background: #dafbe1; color: var(--ok); }
.badge.failed, .status-failed { background: #ffebe9; color: var(--bad); }
.badge.open, .badge.task, .status-running, .status-waiting { background: #ddf4ff; color: var(--accent); }
.badge.removed, .status-stopped, .status-stopping { background: #eef0f4; color: var(--muted); }
.badge.important { background: #fff8c5; color: var(--warn); }
.bad { color: var(--bad); }
.muted { color: var(--muted); }
.toolbar { display: inline-block; margin-bottom: 8px; color: var(--muted); }
table { border-collapse: collapse; background: var(--card); }
table.timeline, #tab-tasks table { width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #fafbfc; }
td.time { font-family: var(--mono); white-space: nowrap; color: var(--muted); }
td.etype { font-family: var(--mono); white-space: nowrap; }
td.target { font-family: var(--mono); word-break: break-all; }
tr.call { cursor: pointer; }
tr.call:hover, tr.call:focus { background: #f0f4ff; outline: none; }
tr.failed td.note { color: var(--bad); }
tr.note td.note-text { color: var(--muted); font-style: italic; }
tr.note.warn td.note-text { color: var(--warn); font-style: normal; }
tr.task td { background: #fbfcff; }
tr.detail > td { background: #fafbfc; padding: 6px 14px 14px; }
.hide-crons tr.cron, .hide-crons tr.cron + tr.detail { display: none; }
article { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 14px; }
article > header { display: flex; gap: 10px; align-items: center; justify-content: space-between; }
article.removed { opacity: 0.7; }
.meta { color: var(--muted); font-size: 12px; margin: 4px 0 8px; }
ol.history { margin: 0; padding-left: 20px; }
ol.history li { margin: 6px 0 10px; }
ol.history li.important .msg { font-weight: 600; }
ol.history time { font-family: var(--mono); font-size: 12px; color: var(--muted); }
figure.attachment { margin: 8px 0 0; }
figcaption { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
.att-type { font-family: var(--mono); background: var(--line); padding: 0 5px; border-radius: 4px; }
table.data { font-size: 13px; }
table.data td { font-family: var(--mono); }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
pre.code { margin: 0; padding: 8px 10px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; overflow: auto; max-height: 420px; font: 12px/1.5 var(--mono); white-space: pre; }
pre.code .k { color: #8250df; }
pre.code .s { color: #0a3069; }
pre.code .num { color: #0550ae; }
pre.code .b, pre.code .n { color: #cf222e; }
pre.code .p { color: var(--muted); }
pre.code .c { color: var(--muted); font-style: italic; }
pre.hex .off { color: var(--muted); }
pre.hex .ascii { color: #116329; }
td.inv { font-family: var(--mono); font-size: 11px; word-break: break-all; max-width: 360px; }
ul.outcomes { margin: 0; padding-left: 16px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
dt { color: var(--muted); }
dd { margin: 0; font-family: var(--mono); }
.action-form { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; max-width: 720px; }
.action-form label { display: block; margin: 6px 0; }
.action-form input, .action-form select { font: inherit; margin-left: 6px; min-width: 260px; }
.action-form .muted { color: var(--muted); }
#action-result.failed { color: var(--bad); }
`;
