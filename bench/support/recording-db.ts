import type { Queryable } from '@openhands/db';

export interface RecordedQuery {
  text: string;
  params: readonly unknown[] | undefined;
}

/** A Queryable that notes every statement it runs, so that the benchmark can EXPLAIN them after. */
export function recording(inner: Queryable): { db: Queryable; queries: RecordedQuery[] } {
  const queries: RecordedQuery[] = [];
  return {
    queries,
    db: {
      query(text, params) {
        queries.push({ text, params });
        return inner.query(text, params);
      },
      exec: (script) => inner.exec(script),
    },
  };
}

/** `EXPLAIN (ANALYZE, BUFFERS)` of a read-only statement, as text. Writes are not explained. */
export async function explain(db: Queryable, query: RecordedQuery): Promise<string | undefined> {
  if (!/^\s*(SELECT|WITH)\b/i.test(query.text) || /\bINSERT\b/i.test(query.text)) return undefined;
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query.text}`,
    query.params,
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}
