/**
 * `npm run seed -- --users N --conversations M`: fills the database the server would use
 * (DATABASE_URL, else the embedded one in OPENHANDS_DATA_DIR or .data) with demo data spread
 * over the last 90 days, with a progress bar, and prints how long it took.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Db, migrate, openDatabase } from '@openhands/db';
import cliProgress from 'cli-progress';
import { allMigrations } from '../migrations.js';
import { type SeedPhase, type SeedProgress, seedDemoData } from '../seed/seed.js';

const USAGE = `Usage: npm run seed -- [--users N] [--conversations M] [--database-url URL | --data-dir DIR]

  --users N           users to add (default 1,000)
  --conversations M   conversations to add, spread over the last 90 days (default 5,000)
  --database-url URL  a PostgreSQL server (default: DATABASE_URL)
  --data-dir DIR      the embedded database's folder when there is no server (default: OPENHANDS_DATA_DIR or .data)`;

const PHASE_LABELS: Record<SeedPhase, string> = {
  users: 'users        ',
  conversations: 'conversations',
  integrations: 'integrations ',
  indexes: 'indexes      ',
  vacuum: 'vacuum       ',
};

function count(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const normalised = text.replaceAll(/[_,]/g, '');
  if (!/^\d+$/.test(normalised)) throw new UsageError(`${flag} must be a whole number, not "${text}"`);
  return Number(normalised);
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let options: { users: number; conversations: number; databaseUrl: string | undefined; dataDir: string };
  try {
    const { values } = parseArgs({
      options: {
        users: { type: 'string' },
        conversations: { type: 'string' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    options = {
      users: count(values.users, 1_000, '--users'),
      conversations: count(values.conversations, 5_000, '--conversations'),
      databaseUrl: values['database-url'] || process.env.DATABASE_URL?.trim() || undefined,
      dataDir: resolve(values['data-dir'] || process.env.OPENHANDS_DATA_DIR?.trim() || '.data'),
    };
    if (options.conversations > 0 && options.users === 0) {
      throw new UsageError('--conversations needs --users of at least 1: conversations belong to users');
    }
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const db: Db = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  try {
    await migrate(db, allMigrations);
    console.error(
      `Seeding ${options.users.toLocaleString('en-US')} users and ${options.conversations.toLocaleString('en-US')} ` +
        `conversations into ${db.location}…`,
    );
    const bar = new ProgressBars();
    const report = await seedDemoData(db, { ...options, now: new Date(), onProgress: (p) => bar.update(p) });
    bar.stop();
    const phases = Object.entries(report.phaseMs)
      .map(([phase, ms]) => `${phase} ${seconds(ms)}`)
      .join(', ');
    console.log(
      `Seeded ${report.users.toLocaleString('en-US')} users, ${report.conversations.toLocaleString('en-US')} conversations ` +
        `and ${report.integrationRows.toLocaleString('en-US')} integration rows in ${seconds(report.totalMs)} ` +
        `(${phases}${report.bulk ? '; indexes rebuilt after the load' : ''}).`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One bar per phase, each finished before the next starts; plain lines when not on a terminal. */
class ProgressBars {
  private bar: cliProgress.SingleBar | undefined;
  private phase: SeedPhase | undefined;

  update({ phase, done, total }: SeedProgress): void {
    if (phase !== this.phase) {
      this.bar?.stop();
      this.phase = phase;
      this.bar = new cliProgress.SingleBar(
        {
          format: `${PHASE_LABELS[phase]} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
          formatValue: (value, _options, type) =>
            type === 'value' || type === 'total' ? value.toLocaleString('en-US') : String(value),
          noTTYOutput: true,
          notTTYSchedule: 5_000,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0);
    }
    this.bar?.update(done);
  }

  stop(): void {
    this.bar?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
