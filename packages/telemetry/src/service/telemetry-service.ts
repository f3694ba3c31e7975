import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '@openhands/db';
import { ReplicatedClient } from '@openhands/replicated';
import { type CollectorRegistry, collectBatch, type StoredBatch } from '../collection/index.js';
import { KICK_CHANNEL, REPLICATED_APP_SLUG, REPLICATED_PUBLISHABLE_KEY, STATE_CHANNEL } from '../config/constants.js';
import { type Env, readTelemetrySettings, type SettingProblem, type TelemetrySettings } from '../config/settings.js';
import { renderPrometheus } from '../http/prometheus.js';
import { type LicenseStatus, licenseStatusAt } from '../license/license-state.js';
import { withJitter } from '../schedule/jitter.js';
import {
  checkIntervalMs,
  isCollectionDue,
  isUploadDue,
  nextCheckDelayMs,
  type Phase,
  phaseOf,
} from '../schedule/rules.js';
import { writeLeaderRow } from '../storage/leader-row.js';
import { readScheduleState, type ScheduleState } from '../storage/schedule-state.js';
import { type Clock, systemClock } from '../time/clock.js';
import { runUploadCycle, type UploadCycleReport } from '../upload/upload-cycle.js';
import type { AdminViewInput } from './admin-view.js';
import { TelemetryEventEmitter, type TelemetryEventName, type TelemetryEvents } from './events.js';
import { Leadership } from './leadership.js';
import { type Logger, silentLogger } from './logger.js';
import { SerialLoop } from './serial-loop.js';
import { UploadLog } from './upload-log.js';

/** What the embedding server provides. */
export interface TelemetryHost {
  appVersion: string;
  startedAt: Date;
  env: Env;
  /** OPENHANDS_ADMIN_EMAIL, else the first user to accept the Terms; undefined when neither. */
  resolveAdminEmail(): Promise<{ email: string; source: string } | undefined>;
  /** The name the vendor shows for this instance. */
  instanceName?: string;
}

export interface TelemetryServiceOptions {
  db: Db;
  host: TelemetryHost;
  registry: CollectorRegistry;
  /** Read from `host.env` when absent. */
  settings?: TelemetrySettings;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: Math.random; jitter and back-off draw from it. */
  random?: () => number;
  logger?: Logger;
  /** Default: a client of `settings.replicatedApiUrl` with the built-in publishable key. */
  client?: ReplicatedClient;
  /** A collector that runs longer is cut off. Default 30 000 ms. */
  collectorTimeoutMs?: number;
}

export interface TickReport {
  collected: StoredBatch | undefined;
  upload: UploadCycleReport | undefined;
  phase: Phase;
  /** The stored state after the tick: what the next sleep is computed from. */
  state: ScheduleState;
}

/**
 * The embedded telemetry service (design §4.3 with DECISIONS.md): collects weekly, uploads daily,
 * checks every 180 s until the vendor identity exists and hourly after, sends from one replica
 * only, and never lets an error reach the host. One loop, never overlapping itself: a timer
 * wakes it, `runOnce()` and admin actions queue behind it.
 */
export class TelemetryService {
  readonly settings: TelemetrySettings;
  readonly settingProblems: SettingProblem[];
  /** This process, as leases and the leader row name it. */
  readonly processId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly db: Db;
  private readonly host: TelemetryHost;
  private readonly registry: CollectorRegistry;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Logger;
  private readonly client: ReplicatedClient;
  private readonly collectorTimeoutMs: number;
  private readonly events: TelemetryEventEmitter;
  private readonly leadership: Leadership;

  private readonly loop: SerialLoop;
  private readonly uploadLog: UploadLog;
  private running = false;
  private inFlight: AbortController | undefined;
  private kicked = false;
  private lastPhase: Phase | undefined;
  private leaderSince: Date | undefined;
  private unlistenState: (() => Promise<void>) | undefined;
  /** Collections and uploads by result, since the process started (for /metrics). */
  readonly counters = { collections: { success: 0, partial: 0 }, uploads: { success: 0, failure: 0, rejected: 0 } };

  constructor(options: TelemetryServiceOptions) {
    const read = readTelemetrySettings(options.host.env);
    this.settings = options.settings ?? read.settings;
    this.settingProblems = options.settings ? [] : read.problems;
    this.db = options.db;
    this.host = options.host;
    this.registry = options.registry;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.log = options.logger ?? silentLogger;
    this.collectorTimeoutMs = options.collectorTimeoutMs ?? 30_000;
    this.client =
      options.client ??
      new ReplicatedClient({
        baseUrl: this.settings.replicatedApiUrl,
        publishableKey: REPLICATED_PUBLISHABLE_KEY,
        appSlug: REPLICATED_APP_SLUG,
      });
    this.events = new TelemetryEventEmitter((event, error) =>
      this.log.error({ err: error, event }, 'a telemetry event listener failed'),
    );
    this.leadership = new Leadership(this.db, (reason) => this.onLeadershipLost(reason));
    this.loop = new SerialLoop(this.clock, () => this.wake());
    this.uploadLog = new UploadLog(this.log);
  }

  on<E extends TelemetryEventName>(event: E, listener: (payload: TelemetryEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  once<E extends TelemetryEventName>(event: E): Promise<TelemetryEvents[E]> {
    return this.events.once(event);
  }

  get isRunning(): boolean {
    return this.running;
  }

  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  /** Starts the loop; a second call is a no-op. Never throws: failures are logged and retried. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (const problem of this.settingProblems) {
      this.log.warn(problem, `ignoring ${problem.name}=${JSON.stringify(problem.value)}: ${problem.problem}`);
    }
    this.log.info(
      { endpoint: this.settings.replicatedApiUrl, metrics: 'docs/metrics.md' },
      `Telemetry is active: usage metrics are collected every ${this.settings.collectionIntervalDays} days and ` +
        `sent every ${this.settings.uploadIntervalHours} hours to ${this.settings.replicatedApiUrl}; every metric is ` +
        'listed in docs/metrics.md and admins see the exact payload at /admin/telemetry.',
    );
    try {
      this.unlistenState = await this.db.listen(STATE_CHANNEL, () => this.events.emit('state:changed', {}));
    } catch (error) {
      this.log.warn({ err: error }, 'cannot listen for telemetry state changes; caches will expire on their own');
    }
    this.schedule(0);
  }

  /**
   * Stops promptly: no new work, an in-flight vendor request is aborted (its batch stays
   * pending), the current step finishes, leadership is released. `start()` works again after.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.loop.cancel();
    this.inFlight?.abort();
    await this.loop.idle();
    await this.unlistenState?.().catch(() => undefined);
    this.unlistenState = undefined;
    if (this.leadership.isLeader) {
      await this.leadership.release();
      this.leaderSince = undefined;
      this.events.emit('leader:lost', { holder: this.processId, reason: 'stopped' });
    }
  }

  /**
   * The host says a user accepted the Terms: the admin email may exist now, so the sender
   * (whichever replica it is) uploads at once instead of at its next check.
   */
  async notifyTermsAccepted(): Promise<void> {
    try {
      await this.db.notify(KICK_CHANNEL, 'terms_accepted');
    } catch (error) {
      this.log.warn({ err: error }, 'could not tell the telemetry sender about a Terms acceptance');
    }
  }

  /** One cycle now, queued behind any running one: collect if due, upload if due. */
  runOnce(): Promise<TickReport> {
    return this.loop.serialized(() => this.tick());
  }

  /** The admin's "Collect now": a batch whether due or not. */
  collectNow(): Promise<StoredBatch> {
    return this.loop.serialized(() => this.collect());
  }

  /** The admin's "Upload now": a full upload cycle whether due or not. */
  uploadNow(): Promise<UploadCycleReport> {
    return this.loop.serialized(async () => this.upload(phaseOf(await readScheduleState(this.db))));
  }

  /** The license warning now, from the stored state. */
  async licenseStatus(): Promise<LicenseStatus> {
    const state = await readScheduleState(this.db);
    return licenseStatusAt(state, this.settings, this.clock.now());
  }

  /** This process's state in the Prometheus text format, for `/metrics`. */
  prometheusText(): Promise<string> {
    return renderPrometheus({
      db: this.db,
      settings: this.settings,
      now: this.clock.now(),
      isLeader: this.leadership.isLeader,
      counters: this.counters,
    });
  }

  /** What the admin views read: the stored state as seen by this process, now. */
  async adminView(): Promise<AdminViewInput & { appVersion: string; instanceName: string }> {
    return {
      db: this.db,
      settings: this.settings,
      now: this.clock.now(),
      admin: await this.host.resolveAdminEmail(),
      processId: this.processId,
      isLeader: this.leadership.isLeader,
      appVersion: this.host.appVersion,
      instanceName: this.instanceName,
    };
  }

  get instanceName(): string {
    return this.host.instanceName ?? 'OpenHands Enterprise';
  }

  now(): Date {
    return this.clock.now();
  }

  /** When this process will next check. */
  get nextCheck(): Date | undefined {
    return this.loop.next;
  }

  /** Resolves once no check, collection or upload is running or queued (for tests and shutdown). */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  private schedule(delayMs: number): void {
    if (this.running) this.loop.schedule(delayMs);
  }

  /** A timer fired: lead if we can, then do what is due, then sleep until the next check. */
  private async wake(): Promise<void> {
    if (!this.running) return;
    let delay: number;
    try {
      if (!this.leadership.isLeader || !(await this.leadership.verify())) await this.tryToLead();
      if (this.leadership.isLeader) {
        const report = await this.tick();
        delay = nextCheckDelayMs(report.state, this.clock.now(), this.settings, this.random);
        await this.writeHeartbeat(delay);
        this.events.emit('tick:done', {
          collected: report.collected !== undefined,
          uploaded: report.upload !== undefined,
          nextCheckInMs: delay,
        });
      } else {
        delay = withJitter(checkIntervalMs(phaseOf(await readScheduleState(this.db))), this.random);
      }
    } catch (error) {
      // Never out of the loop, never into the host: log, and try again at the bootstrap pace.
      this.log.error({ err: error }, 'telemetry check failed; retrying at the next check');
      delay = withJitter(checkIntervalMs('bootstrap'), this.random);
    }
    this.schedule(delay);
  }

  private async tryToLead(): Promise<void> {
    if (!(await this.leadership.tryAcquire())) return;
    this.leaderSince = this.clock.now();
    await this.leadership.listenWhileLeading(KICK_CHANNEL, () => this.kick());
    this.log.info({ holder: this.processId }, 'this process is now the telemetry sender');
    this.events.emit('leader:acquired', { holder: this.processId });
  }

  private onLeadershipLost(reason: string): void {
    this.leaderSince = undefined;
    this.inFlight?.abort();
    this.log.warn({ reason }, 'this process is no longer the telemetry sender');
    this.events.emit('leader:lost', { holder: this.processId, reason });
    this.schedule(withJitter(checkIntervalMs('bootstrap'), this.random));
  }

  private kick(): void {
    if (!this.running || !this.leadership.isLeader) return;
    this.kicked = true;
    this.schedule(0);
  }

  private async tick(): Promise<TickReport> {
    let state = await readScheduleState(this.db);
    this.notePhase(phaseOf(state));
    const now = this.clock.now();
    let collected: StoredBatch | undefined;
    // A first user just accepted the Terms and the vendor does not know us yet: collect afresh,
    // so that the first thing the vendor sees already counts that user.
    const freshForFirstUpload = this.kicked && !state.identityEstablished;
    this.kicked = false;
    if (isCollectionDue(state, now, this.settings) || freshForFirstUpload) {
      collected = await this.collect();
      state = await readScheduleState(this.db);
    }
    let upload: UploadCycleReport | undefined;
    if (isUploadDue(state, this.clock.now(), this.settings)) {
      upload = await this.upload(phaseOf(state));
      state = await readScheduleState(this.db);
    }
    const phase = phaseOf(state);
    this.notePhase(phase);
    return { collected, upload, phase, state };
  }

  private async collect(): Promise<StoredBatch> {
    const batch = await collectBatch({
      db: this.db,
      registry: this.registry,
      now: this.clock.now(),
      host: { appVersion: this.host.appVersion, startedAt: this.host.startedAt, env: this.host.env },
      timeoutMs: this.collectorTimeoutMs,
    });
    this.counters.collections[batch.errors.length === 0 ? 'success' : 'partial'] += 1;
    this.log.info(
      { batchId: batch.id, metrics: Object.keys(batch.metrics).length, collectorErrors: batch.errors.length },
      'telemetry batch collected',
    );
    for (const error of batch.errors) this.log.warn(error, `collector ${error.collector} failed: ${error.message}`);
    this.events.emit('batch:collected', { batch });
    await this.announceStateChange();
    return batch;
  }

  private async upload(phase: Phase): Promise<UploadCycleReport> {
    const admin = await this.host.resolveAdminEmail();
    this.inFlight = new AbortController();
    let report: UploadCycleReport;
    try {
      report = await runUploadCycle({
        db: this.db,
        client: this.client,
        adminEmail: admin?.email,
        appVersion: this.host.appVersion,
        instanceName: this.instanceName,
        holder: this.processId,
        now: () => this.clock.now(),
        random: this.random,
        maxBackoffMs: checkIntervalMs(phase),
        signal: this.inFlight.signal,
        onBatchSent: (batch) =>
          this.events.emit('upload:succeeded', { batchId: batch.id, collectedAt: batch.collectedAt }),
      });
    } finally {
      this.inFlight = undefined;
    }
    this.uploadLog.write(report, admin?.email);
    this.counters.uploads.success += report.sent.length;
    this.counters.uploads.rejected += report.rejected.length;
    if (report.failure && report.failure.stage !== 'checkin') this.counters.uploads.failure += 1;
    if (report.failure) this.events.emit('upload:failed', report.failure);
    this.events.emit('upload:cycle', { report });
    if (report.requests > 0) await this.announceStateChange();
    return report;
  }

  private notePhase(phase: Phase): void {
    if (this.lastPhase !== undefined && this.lastPhase !== phase) {
      this.log.info({ from: this.lastPhase, to: phase }, `telemetry phase: ${phase}`);
      this.events.emit('phase:changed', { from: this.lastPhase, to: phase });
    }
    this.lastPhase = phase;
  }

  private async writeHeartbeat(delayMs: number): Promise<void> {
    const now = this.clock.now();
    await writeLeaderRow(this.db, {
      holder: this.processId,
      acquiredAt: this.leaderSince ?? now,
      heartbeatAt: now,
      nextCheckAt: new Date(now.getTime() + delayMs),
    });
  }

  private async announceStateChange(): Promise<void> {
    await this.db.notify(STATE_CHANNEL, 'changed').catch(() => undefined);
  }
}
