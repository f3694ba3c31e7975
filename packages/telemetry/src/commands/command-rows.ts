import type { Queryable } from '@openhands/db';

export type CommandKind = 'collect' | 'upload' | 'terms_accepted';

export interface TakenCommand {
  id: string;
  kind: CommandKind;
}

export interface CommandRow {
  state: 'pending' | 'running' | 'done' | 'failed' | 'expired';
  result: unknown;
  error: string | null;
}

/** A new command, open for `ttlMs` (the database's clock). */
export async function insertCommand(q: Queryable, kind: CommandKind, ttlMs: number): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO telemetry_commands (kind, expires_at)
     VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1000)) RETURNING id::text AS id`,
    [kind, ttlMs],
  );
  return rows[0]!.id;
}

export async function readCommand(q: Queryable, id: string): Promise<CommandRow | undefined> {
  const { rows } = await q.query<CommandRow>('SELECT state, result, error FROM telemetry_commands WHERE id = $1', [id]);
  return rows[0];
}

/** The requester gives up on a command no sender took: it will never run. True when it expired it. */
export async function expireCommand(q: Queryable, id: string): Promise<boolean> {
  const { affectedRows } = await q.query(
    "UPDATE telemetry_commands SET state = 'expired', finished_at = clock_timestamp() WHERE id = $1 AND state = 'pending'",
    [id],
  );
  return affectedRows > 0;
}

/** The sender takes every open command of one kind at once: one execution answers them all. */
export async function takeCommands(q: Queryable, holder: string, kind?: CommandKind): Promise<TakenCommand[]> {
  const { rows } = await q.query<TakenCommand>(
    `UPDATE telemetry_commands SET state = 'running', taken_by = $1
     WHERE state = 'pending' AND expires_at > clock_timestamp() AND ($2::text IS NULL OR kind = $2)
     RETURNING id::text AS id, kind`,
    [holder, kind ?? null],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

export async function finishCommands(
  q: Queryable,
  ids: readonly string[],
  outcome: { result: unknown } | { error: string },
): Promise<void> {
  if (ids.length === 0) return;
  const failed = 'error' in outcome;
  await q.query(
    `UPDATE telemetry_commands SET state = $2, result = $3::text::jsonb, error = $4, finished_at = clock_timestamp()
     WHERE id = ANY($1::bigint[])`,
    [
      ids,
      failed ? 'failed' : 'done',
      failed ? null : JSON.stringify(outcome.result ?? null),
      failed ? outcome.error : null,
    ],
  );
}

/**
 * A new sender gives back what a previous one took and never finished (it died mid-command):
 * the commands still open run again, once, under the new sender.
 */
export async function reopenForeignCommands(q: Queryable, holder: string): Promise<number> {
  const { affectedRows } = await q.query(
    "UPDATE telemetry_commands SET state = 'pending', taken_by = NULL WHERE state = 'running' AND taken_by <> $1",
    [holder],
  );
  return affectedRows;
}

/** Finished commands older than a day go: the table holds only what someone may still wait for. */
export async function pruneCommands(q: Queryable): Promise<void> {
  await q.query(
    "DELETE FROM telemetry_commands WHERE state NOT IN ('pending', 'running') AND requested_at < clock_timestamp() - interval '1 day'",
  );
}
