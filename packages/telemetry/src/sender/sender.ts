import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db, Unlisten } from '@openhands/db';
import type { ReplicatedClient } from '@openhands/replicated';
import type { CollectNowResult } from '../api/schemas.js';
import { type CollectorRegistry, collectBatch, type StoredBatch } from '../collection/index.js';
import { COMMAND_CHANNEL } from '../commands/channel.js';
import {
  type CommandKind,
  finishCommands,
  pruneCommands,
  reopenForeignCommands,
  takeCommands,
} from '../commands/command-rows.js';
import { STATE_CHANNEL } from '../config/constants.js';
import type { TelemetrySettings } from '../config/settings.js';
import type { HostPort } from '../host/host-port.js';
import type { Logger } from '../log/logger.js';
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
import { dropUntriedBatches, freeForeignClaims } from '../storage/pending-batches.js';
import { readScheduleState, type ScheduleState } from '../storage/schedule-state.js';
import type { Clock } from '../time/clock.js';
import { sendingPolicy } from '../upload/release-guard.js';
import { runUploadCycle, type UploadCycleReport } from '../upload/upload-cycle.js';
import { TelemetryEventEmitter, type TelemetryEventName, type TelemetryEvents } from './events.js';
import { Leadership } from './leadership.js';
import { SerialLoop } from './serial-loop.js';
import { UploadLog } from './upload-log.js';

export interface SenderOptions {
  db: Db;
  host: HostPort;
  registry: CollectorRegistry;
  settings: TelemetrySettings;
  clock: Clock;
  random: () => number;
  logger: Logger;
  client: ReplicatedClient;
  /** A collector (and each of its statements) that runs longer is cut off. */
  collectorTimeoutMs: number;
  /** `stop()` waits at most this long for the step in progress (whose SQL it cancels). */
  stopTimeoutMs: number;
  /** How long the sender lets a burst of commands gather before it runs them (real time). */
  commandCoalesceMs: number;
}

export interface TickReport {
  collected: StoredBatch | undefined;
  upload: UploadCycleReport | undefined;
  phase: Phase;
  /** The stored state after the tick: what the next sleep is computed from. */
  state: ScheduleState;
}

/** What the queries may know about this process: whether it sends, and what it did. */
export interface SenderStatus {
  readonly processId: string;
  readonly isLeader: boolean;
  readonly counters: {
    collections: { success: number; partial: number };
    uploads: { success: number; failure: number; rejected: number };
  };
}

/**
 * The one writer (design §4.3 with DECISIONS.md). It works only while this process holds the
 * sender lock, and then owns every telemetry write: collections, the vendor identity, uploads,
 * the heartbeat check-in, the leader row, the admins' commands and the pruning of old commands.
 * One serial loop: a timer wakes it, commands and `runOnce()` queue behind it. One AbortSignal
 * per run reaches the SQL of collections and the vendor requests, so `stop()` is bounded.
 */
export class Sender implements SenderStatus {
  readonly processId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly counters = { collections: { success: 0, partial: 0 }, uploads: { success: 0, failure: 0, rejected: 0 } };
  private readonly events: TelemetryEventEmitter;
  private readonly leadership: Leadership;
  private readonly loop: SerialLoop;
  private readonly uploadLog: UploadLog;
  private running = false;
  /** Aborted by stop() and by a lost lock: reaches the collection's SQL and the vendor requests. */
  private run = new AbortController();
  private lastPhase: Phase | undefined;
  private leaderSince: Date | undefined;
  private unlisten: Unlisten[] = [];
  /** The copied-database warning is said once per process. */
  private copyReported = false;

  constructor(private readonly o: SenderOptions) {
    this.events = new TelemetryEventEmitter((event, error) =>
      o.logger.error({ err: error, event }, 'a telemetry event listener failed'),
    );
    this.leadership = new Leadership(o.db, {
      onAcquired: () => void this.loop.serialized(() => this.becomeLeader()),
      onLost: (reason) => this.onLeadershipLost(reason),
    });
    this.loop = new SerialLoop(o.clock, () => this.wake());
    this.uploadLog = new UploadLog(o.logger);
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

  /** When this process will next check (only the sender plans checks). */
  get nextCheck(): Date | undefined {
    return this.loop.next;
  }

  /** Starts; a second call is a no-op. Never throws: failures are logged and retried. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.run.signal.aborted) this.run = new AbortController();
    const { settings, logger } = this.o;
    logger.info(
      { endpoint: settings.replicatedApiUrl, metrics: 'docs/metrics.md' },
      `Telemetry is active: usage metrics are collected every ${settings.collectionIntervalDays} days and ` +
        `sent every ${settings.uploadIntervalHours} hours to ${settings.replicatedApiUrl}; every metric is ` +
        'listed at /docs/metrics (docs/metrics.md) and admins see the exact payload at /admin/telemetry. ' +
        sendingPolicy(settings.replicatedApiUrl).note,
    );
    await this.listen(STATE_CHANNEL, () => this.events.emit('state:changed', {}));
    // Every replica hears new commands (and the Terms nudge): the sender runs them, a follower
    // on the embedded database asks for the lock.
    await this.listen(COMMAND_CHANNEL, (payload) => {
      if (payload === 'new') this.onCommand();
    });
    await this.loop.serialized(() => this.seekLeadership());
  }

  /**
   * Stops within `stopTimeoutMs`: no new work, the run's signal aborts the vendor request and
   * cancels the collection's SQL (a stopped collection stores nothing; a batch in flight stays
   * pending), leadership is released. `start()` works again after.
   */
  async stop(): Promise<void> {
    if (!this.running) {
      if (this.leadership.isLeader) await this.loop.serialized(() => this.leadership.release());
      return;
    }
    this.running = false;
    this.loop.cancel();
    this.run.abort(new Error('the telemetry sender is stopping'));
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.o.stopTimeoutMs);
    });
    const finished = await Promise.race([this.loop.idle().then(() => 'idle' as const), bounded]);
    clearTimeout(timer);
    if (finished === 'timeout') this.o.logger.warn('the telemetry step in progress did not stop in time; leaving it');
    for (const unlisten of this.unlisten.splice(0)) await unlisten().catch(() => undefined);
    const wasLeader = this.leadership.isLeader;
    await this.leadership.release();
    this.leaderSince = undefined;
    if (wasLeader) this.events.emit('leader:lost', { holder: this.processId, reason: 'stopped' });
  }

  /**
   * One check now, queued behind any running one: collect if due, upload if due. Takes the lock
   * first when it is free (a stopped sender may run a check; tests drive the schedule this way);
   * throws when another process holds it, since only the holder writes.
   */
  runOnce(): Promise<TickReport> {
    return this.loop.serialized(async () => {
      if (!this.leadership.isLeader) {
        if (!(await this.leadership.tryAcquire())) throw new Error('another process is the telemetry sender');
        await this.takeOffice();
        this.events.emit('leader:acquired', { holder: this.processId });
      }
      return this.tick(false);
    });
  }

  /** Resolves once nothing runs and nothing is queued (for tests and shutdown). */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  private async listen(channel: string, onPayload: (payload: string) => void): Promise<void> {
    try {
      this.unlisten.push(await this.o.db.listen(channel, onPayload));
    } catch (error) {
      this.o.logger.warn({ err: error, channel }, 'cannot listen for telemetry notifications; polling covers it');
    }
  }

  private onCommand(): void {
    if (!this.running) return;
    if (this.leadership.isLeader) void this.loop.serialized(() => this.runCommands());
    else if (this.o.db.kind === 'pglite') void this.loop.serialized(() => this.seekLeadership());
  }

  /** Takes the lock if free; else waits for it (server) or asks again later (embedded). */
  private async seekLeadership(): Promise<void> {
    if (!this.running || this.leadership.isLeader) return;
    try {
      if (await this.leadership.tryAcquire()) return this.becomeLeader();
    } catch (error) {
      this.o.logger.warn({ err: error }, 'cannot ask for the telemetry sender lock; asking again shortly');
    }
    if (this.o.db.kind === 'postgres') {
      this.leadership.startWaiting((ms) => new Promise((resolve) => this.o.clock.setTimeout(resolve, ms)));
    } else {
      this.schedule(withJitter(30_000, this.o.random));
    }
  }

  private async becomeLeader(): Promise<void> {
    if (!this.running) {
      await this.leadership.release();
      return;
    }
    await this.takeOffice();
    this.schedule(0);
    this.events.emit('leader:acquired', { holder: this.processId });
  }

  /** The lock is ours: say so in the leader row, and free what a previous sender left. */
  private async takeOffice(): Promise<void> {
    const { db, logger } = this.o;
    this.leaderSince = this.o.clock.now();
    await this.writeLeaderRow(null);
    // Whatever a previous sender held is free now: its claims and its unfinished commands.
    const freed = await freeForeignClaims(db, this.processId);
    const reopened = await reopenForeignCommands(db, this.processId);
    logger.info({ holder: this.processId, freed, reopened }, 'this process is now the telemetry sender');
  }

  private onLeadershipLost(reason: string): void {
    this.leaderSince = undefined;
    this.run.abort(new Error(`no longer the telemetry sender: ${reason}`));
    this.run = new AbortController();
    this.o.logger.warn({ reason }, 'this process is no longer the telemetry sender');
    this.events.emit('leader:lost', { holder: this.processId, reason });
    this.loop.cancel();
    void this.loop.serialized(() => this.seekLeadership());
  }

  private schedule(delayMs: number): void {
    if (this.running) this.loop.schedule(delayMs);
  }

  /** A timer fired: a follower asks for the lock; the sender checks it still leads, then works. */
  private async wake(): Promise<void> {
    if (!this.running) return;
    if (!this.leadership.isLeader) return this.seekLeadership();
    let delay: number;
    try {
      if (!(await this.leadership.verify())) return;
      const report = await this.tick(false);
      delay = nextCheckDelayMs(report.state, this.o.clock.now(), this.o.settings, this.o.random);
      await this.writeLeaderRow(delay);
      this.events.emit('tick:done', {
        collected: report.collected !== undefined,
        uploaded: report.upload !== undefined,
        nextCheckInMs: delay,
      });
    } catch (error) {
      // Never out of the loop, never into the host: log, and try again at the bootstrap pace.
      this.o.logger.error({ err: error }, 'telemetry check failed; retrying at the next check');
      delay = withJitter(checkIntervalMs('bootstrap'), this.o.random);
    }
    this.schedule(delay);
  }

  /**
   * Every open command, each kind run once. Presses that come together (an admin's double click,
   * three replicas' pages at once) are one action: the sender waits `commandCoalesceMs` for the
   * rest of a burst before taking, and commands that come while it runs share its result.
   */
  private async runCommands(): Promise<void> {
    if (!this.running || !this.leadership.isLeader) return;
    const { db } = this.o;
    await new Promise((resolve) => setTimeout(resolve, this.o.commandCoalesceMs));
    const taken = await takeCommands(db, this.processId);
    const kinds = [...new Set(taken.map((c) => c.kind))];
    for (const kind of kinds) {
      const ids = taken.filter((c) => c.kind === kind).map((c) => c.id);
      let outcome: { result: unknown } | { error: string };
      try {
        outcome = { result: await this.execute(kind) };
      } catch (error) {
        outcome = { error: error instanceof Error ? error.message : String(error) };
      }
      const late = await takeCommands(db, this.processId, kind);
      await finishCommands(db, [...ids, ...late.map((c) => c.id)], outcome);
      await db.notify(COMMAND_CHANNEL, 'done').catch(() => undefined);
    }
  }

  private async execute(kind: CommandKind): Promise<unknown> {
    if (kind === 'collect') return collectedBody(await this.collect());
    if (kind === 'upload') return { upload: await this.upload() };
    await this.tick(true);
    return null;
  }

  /**
   * One check: collect if due, upload if due. `nudged`: a user accepted the Terms; before the
   * vendor knows this installation, the fresh batch replaces the untried waiting one (one batch
   * per burst of acceptances) and goes out at once, so the vendor sees the new user.
   */
  private async tick(nudged: boolean): Promise<TickReport> {
    const { db, settings, clock } = this.o;
    await this.runCommandsInline();
    let state = await readScheduleState(db);
    this.notePhase(phaseOf(state));
    let collected: StoredBatch | undefined;
    const refresh = nudged && !state.identityEstablished;
    if (isCollectionDue(state, clock.now(), settings) || refresh) {
      collected = await this.collect();
      if (refresh) await dropUntriedBatches(db, collected.id);
      state = await readScheduleState(db);
    }
    let upload: UploadCycleReport | undefined;
    // A nudge uploads whether or not a back-off runs (#9's rule: a new user is worth a try now).
    if (nudged || isUploadDue(state, clock.now(), settings)) {
      upload = await this.upload();
      state = await readScheduleState(db);
    }
    await pruneCommands(db).catch(() => undefined);
    const phase = phaseOf(state);
    this.notePhase(phase);
    return { collected, upload, phase, state };
  }

  /**
   * Commands a missed NOTIFY left open, and nudges stored while no sender ran, are run at the
   * next check (a new sender's first check comes at once).
   */
  private async runCommandsInline(): Promise<void> {
    const { rows } = await this.o.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM telemetry_commands WHERE state = 'pending' AND expires_at > clock_timestamp()",
    );
    if ((rows[0]?.n ?? 0) > 0) await this.runCommands();
  }

  private async collect(): Promise<StoredBatch> {
    const { db, host, registry, clock, logger } = this.o;
    const batch = await collectBatch({
      db,
      registry,
      now: clock.now(),
      host: { appVersion: host.appVersion, startedAt: host.startedAt, facts: host.facts },
      timeoutMs: this.o.collectorTimeoutMs,
      signal: this.run.signal,
    });
    this.counters.collections[batch.errors.length === 0 ? 'success' : 'partial'] += 1;
    logger.info(
      { batchId: batch.id, metrics: Object.keys(batch.metrics).length, collectorErrors: batch.errors.length },
      'telemetry batch collected',
    );
    for (const error of batch.errors) logger.warn(error, `collector ${error.collector} failed: ${error.message}`);
    this.events.emit('batch:collected', { batch });
    await this.announceStateChange();
    return batch;
  }

  private async upload(): Promise<UploadCycleReport> {
    const { db, host, client, clock, random } = this.o;
    const admin = await host.adminEmail();
    const report = await runUploadCycle({
      db,
      client,
      adminEmail: admin?.email,
      appVersion: host.appVersion,
      instanceName: host.instanceName,
      holder: this.processId,
      now: () => clock.now(),
      random,
      signal: this.run.signal,
      onBatchSent: (batch) =>
        this.events.emit('upload:succeeded', { batchId: batch.id, collectedAt: batch.collectedAt }),
    });
    this.uploadLog.write(report, admin?.email);
    if (report.copyDetected && !this.copyReported) {
      this.copyReported = true;
      this.o.logger.warn(
        { fromInstanceId: report.copyDetected.fromInstanceId },
        `this database is a copy of another installation's (instance ${report.copyDetected.fromInstanceId ?? 'none'}): ` +
          'registered as a new instance, tagged copied_from_instance',
      );
    }
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
      this.o.logger.info({ from: this.lastPhase, to: phase }, `telemetry phase: ${phase}`);
      this.events.emit('phase:changed', { from: this.lastPhase, to: phase });
    }
    this.lastPhase = phase;
  }

  private async writeLeaderRow(delayMs: number | null): Promise<void> {
    const now = this.o.clock.now();
    await writeLeaderRow(this.o.db, {
      holder: this.processId,
      acquiredAt: this.leaderSince ?? now,
      heartbeatAt: now,
      nextCheckAt: delayMs === null ? null : new Date(now.getTime() + delayMs),
    });
  }

  private async announceStateChange(): Promise<void> {
    await this.o.db.notify(STATE_CHANNEL, 'changed').catch(() => undefined);
  }
}

function collectedBody(batch: StoredBatch): CollectNowResult {
  return {
    batch: {
      id: batch.id,
      collectedAt: batch.collectedAt.toISOString(),
      metrics: batch.metrics,
      errors: batch.errors,
      durations: batch.durations,
    },
  };
}
