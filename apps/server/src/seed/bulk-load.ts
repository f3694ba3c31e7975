import type { Queryable } from '@openhands/db';

/** The DDL to take a table's indexes down before a bulk load and to build them again after. */
export interface IndexPlan {
  table: string;
  drop: string[];
  create: string[];
}

/**
 * Loading millions of rows into indexed tables costs a random B-tree insert per row and index;
 * building each index once afterwards is several times faster. This reads the table's own
 * indexes and unique constraints from the catalogue, so it follows the migrations without
 * repeating them. Constraints that a foreign key depends on are left in place.
 */
export async function planIndexRebuild(q: Queryable, table: string): Promise<IndexPlan> {
  const { rows } = await q.query<{ drop_ddl: string; create_ddl: string }>(
    `SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', c.conrelid::regclass::text, c.conname) AS drop_ddl,
            format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.conrelid::regclass::text, c.conname,
                   pg_get_constraintdef(c.oid)) AS create_ddl
     FROM pg_constraint c
     WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)
     UNION ALL
     SELECT format('DROP INDEX %s', i.indexrelid::regclass::text), pg_get_indexdef(i.indexrelid)
     FROM pg_index i
     WHERE i.indrelid = $1::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [table],
  );
  return { table, drop: rows.map((row) => row.drop_ddl), create: rows.map((row) => row.create_ddl) };
}

/** Rows the planner believes the table has; good enough to choose between two load strategies. */
export async function estimatedRows(q: Queryable, table: string): Promise<number> {
  const { rows } = await q.query<{ estimate: number }>(
    'SELECT greatest(reltuples, 0)::bigint AS estimate FROM pg_class WHERE oid = $1::regclass',
    [table],
  );
  return rows[0]?.estimate ?? 0;
}
