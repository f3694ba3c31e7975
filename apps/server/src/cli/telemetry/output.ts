import type { DoctorCheck, DoctorReport } from '@openhands/telemetry/doctor';

/** Human output: plain lines a terminal and a ticket both show well; UTC times say so. */

const MARKS: Record<DoctorCheck['status'], string> = { ok: '[ ok ]', warn: '[WARN]', fail: '[FAIL]', skip: '[skip]' };

/** `docsBase`: where the troubleshooting guide is served, e.g. `http://localhost:3000/docs/troubleshooting`. */
export function formatChecks(checks: readonly DoctorCheck[], docsBase: string): string[] {
  const width = Math.max(...checks.map((check) => check.id.length));
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`  ${MARKS[check.status]} ${check.id.padEnd(width)}  ${check.summary}`);
    const indent = ' '.repeat(width + 11);
    if (check.fix && (check.status === 'warn' || check.status === 'fail')) lines.push(`${indent}→ ${check.fix}`);
    if (check.docs && (check.status === 'warn' || check.status === 'fail'))
      lines.push(`${indent}  ${docsBase}#${check.docs}`);
  }
  return lines;
}

export function formatDoctor(report: DoctorReport, heading: string, docsBase: string): string[] {
  const attention = report.checks.filter((check) => check.status === 'warn' || check.status === 'fail');
  return [
    `${heading} (vendor endpoint ${report.endpoint}, ${utc(report.at)})`,
    ...formatChecks(report.checks, docsBase),
    attention.length === 0
      ? '  Healthy: every check passed.'
      : `  Needs attention: ${attention.map((check) => check.id).join(', ')}.`,
  ];
}

/** The troubleshooting guide as the server serves it (GET /docs/troubleshooting). */
export function docsBaseOf(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/docs/troubleshooting`;
}

export function utc(iso: string | null | undefined): string {
  if (!iso) return 'never';
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function table(rows: Array<[string, string]>): string[] {
  const width = Math.max(0, ...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`);
}
