import { readFile, writeFile } from 'node:fs/promises';
import type {
  CollectNowResult,
  TelemetryOverview,
  TelemetryPreview,
  UploadNowResult,
  UploadOutcome,
} from '@openhands/telemetry/api';
import { diagnosisSentence } from '@openhands/telemetry/diagnosis';
import {
  type DoctorReport,
  doctorReport,
  factsFromOverview,
  networkChecks,
  stateChecks,
  verdictOf,
} from '@openhands/telemetry/doctor';
import type { AdminApi } from './admin-api.js';
import { CannotTell } from './admin-api.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { docsBaseOf, formatChecks, formatDoctor, table, utc } from './output.js';

export interface CommandContext {
  api: AdminApi;
  json: boolean;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
  print: (text: string) => void;
  /** Progress and notes that must not mix with --json output. */
  note: (text: string) => void;
}

const PATHS = {
  overview: '/api/admin/telemetry',
  preview: '/api/admin/telemetry/preview',
  export: '/api/admin/telemetry/export',
  collect: '/api/admin/telemetry/collect',
  upload: '/api/admin/telemetry/upload',
  doctor: '/api/admin/telemetry/doctor',
};

const printJson = (ctx: CommandContext, value: unknown) => ctx.print(JSON.stringify(value, null, 2));

/** `status`: the admin page's diagnosis and facts; exit 1 when anything needs attention. */
export async function status(ctx: CommandContext): Promise<ExitCode> {
  const overview = (await ctx.api.get(PATHS.overview)).body as TelemetryOverview;
  const checks = stateChecks(factsFromOverview(overview, ctx.now()));
  // The diagnosis, when the server gives one, decides: the admin page shows the same sentence.
  const tone = overview.diagnosis?.tone;
  const verdict = tone ? (tone === 'good' || tone === 'waiting' ? 'healthy' : 'warning') : verdictOf(checks);
  const exitCode = verdict === 'healthy' ? EXIT.healthy : EXIT.warning;
  if (ctx.json) {
    printJson(ctx, {
      verdict,
      exitCode,
      sentence: overview.diagnosis ? diagnosisSentence(overview.diagnosis, utc) : null,
      checks,
      overview,
    });
    return exitCode;
  }
  const lines = [`OpenHands telemetry at ${ctx.api.baseUrl}: ${verdict === 'healthy' ? 'healthy' : 'needs attention'}`];
  if (overview.diagnosis) lines.push(`  ${diagnosisSentence(overview.diagnosis, utc)}`);
  lines.push(
    ...table([
      ['Vendor endpoint', overview.endpoint],
      ['Sending', overview.sending.note],
      ['Enterprise install', overview.enterprise ? 'yes' : 'no (no license warning can show)'],
      ['Phase', overview.phase],
      ['Last collection', utc(overview.lastCollection?.at)],
      ['Last upload', utc(overview.lastUpload?.at)],
      [
        'Last check-in',
        `${utc(overview.lastCheckIn.at)}${overview.lastCheckIn.error ? ` (failed: ${overview.lastCheckIn.error})` : ''}`,
      ],
      ['Next check', overview.next.checkAt ? utc(overview.next.checkAt) : 'not known'],
      ['License', overview.license.warn ? overview.license.message : 'no warning'],
    ]),
    ...formatChecks(checks, docsBaseOf(ctx.api.baseUrl)),
  );
  ctx.print(lines.join('\n'));
  return exitCode;
}

/** `preview`: exactly what the next upload sends. */
export async function preview(ctx: CommandContext): Promise<ExitCode> {
  const body = (await ctx.api.get(PATHS.preview)).body as TelemetryPreview;
  if (ctx.json) {
    printJson(ctx, body);
    return EXIT.healthy;
  }
  const lines = [
    `The next upload to ${body.endpoint}${body.adminEmail ? `, as ${body.adminEmail}` : ''}:`,
    body.willSend ? '' : '  Nothing will be sent yet (no admin email, or nothing to send).',
  ].filter(Boolean);
  if (body.batches.length === 0) lines.push('  No batch waiting.');
  for (const batch of body.batches) {
    lines.push(`  ${batch.request}  (batch ${batch.id}, collected ${utc(batch.collectedAt)})`);
    lines.push(
      ...table(
        batch.metrics.map((m) => [
          `  ${m.key}`,
          `${JSON.stringify(m.value)}${m.description ? `  ${m.description}` : ''}`,
        ]),
      ),
    );
  }
  lines.push(`  ${body.checkIn.request}  (status ${body.checkIn.status}, version ${body.checkIn.versionLabel})`);
  ctx.print(lines.join('\n'));
  return EXIT.healthy;
}

/** `collect`: a collection now; exit 1 when a collector failed (the batch is partial). */
export async function collect(ctx: CommandContext): Promise<ExitCode> {
  const { batch } = (await ctx.api.post(PATHS.collect)).body as CollectNowResult;
  const exitCode = batch.errors.length > 0 ? EXIT.warning : EXIT.healthy;
  if (ctx.json) {
    printJson(ctx, { batch, exitCode });
    return exitCode;
  }
  const lines = [
    `Collected batch ${batch.id} at ${utc(batch.collectedAt)}: ${Object.keys(batch.metrics).length} metrics.`,
  ];
  for (const error of batch.errors) lines.push(`  [WARN] collector ${error.collector} failed: ${error.message}`);
  ctx.print(lines.join('\n'));
  return exitCode;
}

/** Every outcome the API declares; a new one fails the type check here. */
const UPLOAD_OUTCOMES: Record<UploadOutcome, string> = {
  uploaded: 'Uploaded',
  checked_in: 'Nothing to upload; checked in with the vendor',
  no_admin_email: 'Nothing sent: there is no admin email',
  failed: 'The upload failed',
  aborted: 'The upload was stopped',
};

/** `upload`: an upload cycle now; exit 1 unless the vendor took it. */
export async function upload(ctx: CommandContext): Promise<ExitCode> {
  const { upload: report } = (await ctx.api.post(PATHS.upload)).body as UploadNowResult;
  const exitCode = report.outcome === 'uploaded' || report.outcome === 'checked_in' ? EXIT.healthy : EXIT.warning;
  if (ctx.json) {
    printJson(ctx, { upload: report, exitCode });
    return exitCode;
  }
  const lines = [
    `${UPLOAD_OUTCOMES[report.outcome]}: ${report.sent.length} batch(es) sent, check-in ${report.checkIn}.`,
  ];
  for (const rejected of report.rejected) lines.push(`  [FAIL] batch ${rejected.batchId} rejected: ${rejected.error}`);
  if (report.failure) {
    lines.push(
      `  [FAIL] ${report.failure.stage}: ${report.failure.error}${report.failure.retryAt ? ` (next try ${utc(report.failure.retryAt)})` : ''}`,
    );
    lines.push('  Run `openhands-telemetry doctor` to find the cause.');
  }
  ctx.print(lines.join('\n'));
  return exitCode;
}

/** `export`: the payload file for an air-gapped install, to a file or stdout. */
export async function exportPayload(ctx: CommandContext, output: string | undefined): Promise<ExitCode> {
  const answer = await ctx.api.get(PATHS.export);
  const text = `${JSON.stringify(answer.body, null, 2)}\n`;
  const batches = (answer.body as { batches?: unknown[] }).batches?.length ?? 0;
  if (!output || output === '-') {
    ctx.print(text.trimEnd());
    ctx.note(`${batches} batch(es) exported.`);
    return EXIT.healthy;
  }
  await writeFile(output, text, { mode: 0o600 });
  if (ctx.json) printJson(ctx, { file: output, batches, exitCode: EXIT.healthy });
  else ctx.print(`Wrote ${batches} batch(es) to ${output}; hand this file to the vendor.`);
  return EXIT.healthy;
}

export interface DoctorOptions {
  here: boolean;
  /** The vendor endpoint for --here when the server cannot say. Default https://replicated.app. */
  endpoint: string | undefined;
  timeoutMs: number;
  /** --ca: a PEM file whose CAs alone are trusted by the --here checks. */
  caFile?: string | undefined;
  /** The CLI's --timeout: the server's doctor gets at least a minute. */
  requestTimeoutMs: number;
}

async function readCaFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CannotTell(
      'bad_ca',
      `--ca ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new CannotTell('bad_ca', `--ca ${file} holds no PEM certificate.`);
  return text;
}

/** `doctor`: the server's checks (its egress), and with --here the same network checks from this machine. */
export async function doctor(ctx: CommandContext, options: DoctorOptions): Promise<ExitCode> {
  let server: DoctorReport | null = null;
  let serverError: CannotTell | null = null;
  try {
    // The server runs each network step with its own timeout (5 s); wait for all of them.
    server = (await ctx.api.get(PATHS.doctor, Math.max(options.requestTimeoutMs, 60_000))).body as DoctorReport;
  } catch (error) {
    if (!(error instanceof CannotTell)) throw error;
    serverError = error;
  }
  let here: DoctorReport | null = null;
  if (options.here) {
    const endpoint = options.endpoint ?? server?.endpoint ?? 'https://replicated.app';
    const ca = options.caFile ? await readCaFile(options.caFile) : undefined;
    const checks = await networkChecks({
      endpoint,
      env: ctx.env,
      now: ctx.now,
      timeoutMs: options.timeoutMs,
      ...(ca ? { ca } : {}),
    });
    here = doctorReport('here', endpoint, ctx.now(), checks);
  }
  const verdicts = [server?.verdict, here?.verdict].filter(Boolean);
  const exitCode: ExitCode = serverError ? EXIT.cannotTell : verdicts.includes('warning') ? EXIT.warning : EXIT.healthy;
  if (ctx.json) {
    printJson(ctx, {
      exitCode,
      server,
      here,
      error: serverError ? { code: serverError.code, message: serverError.message } : null,
    });
    return exitCode;
  }
  const lines: string[] = [];
  if (server)
    lines.push(...formatDoctor(server, `Doctor inside the server at ${ctx.api.baseUrl}`, docsBaseOf(ctx.api.baseUrl)));
  if (serverError) lines.push(`Doctor inside the server: cannot tell. ${serverError.message}`);
  if (here)
    lines.push('', ...formatDoctor(here, 'Doctor from here (where this command runs)', docsBaseOf(ctx.api.baseUrl)));
  ctx.print(lines.join('\n'));
  return exitCode;
}
