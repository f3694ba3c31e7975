import type { EmulatorState, RequestLogEntry } from './state.js';

/**
 * The page a person watches while the server talks to the emulator. Server-rendered and refreshed by
 * the browser every few seconds, so it needs no script; inline CSS, no external assets, so it works
 * on an offline machine.
 */
const REFRESH_SECONDS = 3;
const SHOWN_REQUESTS = 100;
const SHOWN_EVENTS = 100;
const SHOWN_CHECK_INS = 50;

export function renderPage(state: EmulatorState, now: Date, url: string): string {
  const counters = [
    ['Customers', state.customers.length],
    ['Instances', state.instances.length],
    ['Metric events', state.events.length],
    ['Check-ins', state.checkIns.length],
    ['Requests', state.requests.length],
    ['Pending faults', state.faults.reduce((sum, fault) => sum + fault.remaining, 0)],
  ] as const;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>Replicated emulator</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <div class="brand"><span class="logo" aria-hidden="true">R</span> Replicated emulator</div>
  <div class="meta">Vendor API at <code>${escapeHtml(url)}</code> · started ${time(state.startedAt)} · now ${time(now.toISOString())} ·
    refreshes every ${REFRESH_SECONDS} s · <a href="/_emulator/state">state as JSON</a></div>
</header>
<main>
<section class="counters">
${counters.map(([label, value]) => `<div class="counter"><div class="value">${value}</div><div class="label">${label}</div></div>`).join('\n')}
</section>
${section(
  'Customers',
  ['Customer', 'Email', 'Name', 'Channel', 'App', 'Service token', 'Instances', 'Created'],
  state.customers.map((c) => [
    code(c.id),
    escapeHtml(c.email),
    escapeHtml(c.name ?? '—'),
    escapeHtml(c.channel),
    escapeHtml(c.appSlug),
    code(c.serviceToken),
    String(c.instanceIds.length),
    time(c.createdAt),
  ]),
  'No customer yet. Point the server at this address (REPLICATED_API_URL) and let it upload.',
)}
${section(
  'Instances',
  ['Instance', 'Customer', 'Name', 'Version', 'Status', 'Fingerprint', 'Last metrics', 'Last check-in'],
  state.instances.map((i) => [
    code(i.id),
    code(i.customerId),
    escapeHtml(i.instanceName ?? '—'),
    escapeHtml(i.versionLabel ?? '—'),
    badge(i.appStatus, i.appStatus === 'ready' ? 'ok' : i.appStatus === 'missing' ? 'muted' : 'warn'),
    code(`${i.machineFingerprint.slice(0, 12)}…`),
    time(i.lastMetricsAt),
    time(i.lastCheckInAt),
  ]),
  'No instance yet.',
)}
<section>
<h2>Current metrics</h2>
${
  state.metricSets.length === 0
    ? '<p class="empty">No metrics received yet.</p>'
    : state.metricSets
        .map(
          (set) => `<h3>Instance ${code(set.instanceId)} <span class="sub">received ${time(set.receivedAt)}</span></h3>
${table(
  ['Key', 'Value'],
  Object.entries(set.data).map(([key, value]) => [code(key), escapeHtml(JSON.stringify(value))]),
)}`,
        )
        .join('\n')
}
</section>
${section(
  'Metric events',
  ['At', 'Instance', 'Key', 'Previous', 'New'],
  state.events
    .slice(-SHOWN_EVENTS)
    .reverse()
    .map((e) => [
      time(e.at),
      code(e.instanceId),
      code(e.key),
      e.previous === null ? '<span class="muted">new</span>' : escapeHtml(JSON.stringify(e.previous)),
      escapeHtml(JSON.stringify(e.value)),
    ]),
  'No event yet: one appears each time a metric value changes.',
)}
${section(
  'Check-ins',
  ['At', 'Instance', 'Status', 'Version', 'Name', 'Force'],
  state.checkIns
    .slice(-SHOWN_CHECK_INS)
    .reverse()
    .map((c) => [
      time(c.at),
      code(c.instanceId),
      badge(c.appStatus, c.appStatus === 'ready' ? 'ok' : 'warn'),
      escapeHtml(c.versionLabel ?? '—'),
      escapeHtml(c.instanceName ?? '—'),
      c.force ? 'yes' : 'no',
    ]),
  'No check-in yet.',
)}
${section(
  'Pending faults',
  ['Kind', 'Detail', 'Path', 'Remaining'],
  state.faults.map((f) => [
    escapeHtml(f.kind),
    escapeHtml(f.kind === 'status' ? `HTTP ${f.status}` : f.kind === 'slow-body' ? `${f.durationMs} ms` : ''),
    escapeHtml(f.path ?? 'any'),
    String(f.remaining),
  ]),
  'None. POST /_emulator/faults to inject some.',
)}
${section(
  'Requests',
  ['At', 'Method', 'Path', 'Status', 'Time', 'Authorization', 'Error', 'Fault'],
  state.requests
    .slice(-SHOWN_REQUESTS)
    .reverse()
    .map((r) => [
      time(r.at),
      escapeHtml(r.method),
      code(r.path),
      statusBadge(r),
      r.durationMs === null ? '…' : `${r.durationMs} ms`,
      code(r.authorization ?? '—'),
      escapeHtml(r.errorCode ?? ''),
      escapeHtml(r.fault ?? ''),
    ]),
  'No request yet.',
)}
</main>
</body>
</html>
`;
}

function section(title: string, headings: string[], rows: string[][], empty: string): string {
  const body = rows.length === 0 ? `<p class="empty">${escapeHtml(empty)}</p>` : table(headings, rows);
  return `<section>\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function table(headings: string[], rows: string[][]): string {
  const head = headings.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function statusBadge(entry: RequestLogEntry): string {
  if (entry.status === null) return badge(entry.durationMs === null ? 'pending' : 'no answer', 'muted');
  const tone = entry.status < 300 ? 'ok' : entry.status < 500 ? 'warn' : 'bad';
  return badge(String(entry.status), tone);
}

function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'muted'): string {
  return `<span class="badge ${tone}">${escapeHtml(text)}</span>`;
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function time(iso: string | null): string {
  if (iso === null) return '<span class="muted">—</span>';
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time>`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
:root { color-scheme: light; --ink: #1f2430; --muted: #6b7280; --line: #e5e7eb; --bg: #f6f7f9; --brand: #4f46e5; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { background: #111827; color: #f9fafb; padding: 14px 28px; display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; }
header .brand { font-size: 18px; font-weight: 600; display: flex; align-items: center; gap: 10px; }
header .logo { display: inline-grid; place-items: center; width: 26px; height: 26px; border-radius: 6px; background: var(--brand); font-weight: 700; }
header .meta { color: #9ca3af; font-size: 13px; }
header a { color: #c7d2fe; }
main { padding: 20px 28px 40px; max-width: 1400px; }
.counters { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 8px; }
.counter { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.counter .value { font-size: 24px; font-weight: 600; }
.counter .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
section { margin-top: 24px; }
h2 { font-size: 15px; margin: 0 0 8px; }
h3 { font-size: 13px; margin: 14px 0 6px; font-weight: 600; }
h3 .sub { color: var(--muted); font-weight: 400; }
.scroll { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 7px 12px; border-bottom: 1px solid var(--line); white-space: nowrap; vertical-align: top; }
th { background: #f9fafb; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
tbody tr:last-child td { border-bottom: none; }
tbody tr:hover { background: #f5f7ff; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.empty { color: var(--muted); background: #fff; border: 1px dashed var(--line); border-radius: 8px; padding: 14px 16px; margin: 0; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge.ok { background: #dcfce7; color: #166534; }
.badge.warn { background: #fef3c7; color: #92400e; }
.badge.bad { background: #fee2e2; color: #991b1b; }
.badge.muted { background: #f3f4f6; color: var(--muted); }
`;
