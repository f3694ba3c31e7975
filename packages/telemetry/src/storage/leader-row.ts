import type { Queryable } from '@openhands/db';

export interface LeaderRow {
  holder: string;
  acquiredAt: Date;
  heartbeatAt: Date;
  nextCheckAt: Date | null;
}

/** The leader writes itself here at every check; only the lock holder ever writes. */
export async function writeLeaderRow(q: Queryable, row: LeaderRow): Promise<void> {
  await q.query(
    `INSERT INTO telemetry_leader (id, holder, acquired_at, heartbeat_at, next_check_at) VALUES (1, $1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE
     SET holder = $1, acquired_at = $2, heartbeat_at = $3, next_check_at = $4`,
    [row.holder, row.acquiredAt, row.heartbeatAt, row.nextCheckAt],
  );
}

export async function readLeaderRow(q: Queryable): Promise<LeaderRow | undefined> {
  const { rows } = await q.query<LeaderRow>(
    `SELECT holder, acquired_at AS "acquiredAt", heartbeat_at AS "heartbeatAt", next_check_at AS "nextCheckAt"
     FROM telemetry_leader WHERE id = 1`,
  );
  return rows[0];
}
