/**
 * `npm run docs:chart [-- --check]`: writes charts/openhands/README.md (what `helm show readme`
 * prints) from the comments of values.yaml, so the reference can never drift from the values.
 * With `--check`, exits 1 when the README on disk differs; the chart tests check it too.
 *
 * The rule: the comment above a value (or beside it) describes it. A map whose entries carry no
 * comment of their own is one row with its whole default; a value with no comment at all is an
 * error, so a new value cannot ship undocumented.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, parse, parseDocument, type YAMLMap } from 'yaml';

const CHART_DIR = fileURLToPath(new URL('../charts/openhands/', import.meta.url));
export const README_PATH = `${CHART_DIR}README.md`;

interface Row {
  path: string;
  defaultValue: string;
  description: string;
}

interface Section {
  key: string;
  description: string;
  rows: Row[];
}

const clean = (comment: string | null | undefined) =>
  (comment ?? '')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();

/** Joins comment lines into one paragraph; keeps list-like lines ("embedded: …") apart with `<br>`. */
function paragraph(comment: string): string {
  const lines = comment
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.replaceAll('<', '&lt;').replaceAll('>', '&gt;'));
  return lines
    .map((line, index) => (index > 0 && /^[a-z][A-Za-z]*: /.test(line) ? `<br>${line}` : line))
    .join(' ')
    .replace(/\s+<br>/g, '<br>')
    .replaceAll('|', '\\|');
}

function hasOwnComments(node: Node | null | undefined): boolean {
  if (!isMap(node)) return false;
  return (
    Boolean(node.commentBefore) ||
    node.items.some(
      (pair) =>
        Boolean((pair.key as Node).commentBefore) ||
        Boolean((pair.value as Node | null)?.comment) ||
        hasOwnComments(pair.value as Node),
    )
  );
}

function describe(pair: Pair, index: number, parent: YAMLMap): string {
  const before = clean((pair.key as Node).commentBefore ?? (index === 0 ? parent.commentBefore : undefined));
  const inline = clean((pair.value as Node | null)?.comment);
  return [before, inline].filter(Boolean).join(' ');
}

function rowsOf(map: YAMLMap, prefix: string, problems: string[]): Row[] {
  const rows: Row[] = [];
  map.items.forEach((pair, index) => {
    if (!isPair(pair) || !isScalar(pair.key)) return;
    const path = `${prefix}${String(pair.key.value)}`;
    const value = pair.value as Node | null;
    const description = describe(pair, index, map);
    if (isMap(value) && value.items.length > 0 && hasOwnComments(value)) {
      if (description) rows.push({ path, defaultValue: '', description: paragraph(description) });
      rows.push(...rowsOf(value, `${path}.`, problems));
      return;
    }
    if (!description) problems.push(path);
    const json = value === null ? null : isScalar(value) || isSeq(value) || isMap(value) ? value.toJSON() : null;
    rows.push({ path, defaultValue: `\`${JSON.stringify(json)}\``, description: paragraph(description) });
  });
  return rows;
}

/** A Markdown table with padded columns, as the repository's formatter (biome) writes them. */
function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

export function renderChartReadme(valuesYaml: string, chartYaml: string): string {
  const document = parseDocument(valuesYaml);
  const root = document.contents;
  if (!isMap(root)) throw new Error('values.yaml is not a map');
  const chart = parse(chartYaml) as { name: string; version: string; appVersion: string; description: string };
  const problems: string[] = [];
  const sections: Section[] = root.items.map((pair, index) => {
    const key = String((pair.key as { value: unknown }).value);
    let description = clean((pair.key as Node).commentBefore);
    // The file's own header comment sticks to the first key: keep only the last paragraph.
    if (index === 0) description = description.split(/\n\s*\n/).at(-1) ?? '';
    const value = pair.value as Node | null;
    const rows =
      isMap(value) && value.items.length > 0 && hasOwnComments(value)
        ? rowsOf(value, `${key}.`, problems)
        : [
            {
              path: key,
              defaultValue: `\`${JSON.stringify(isScalar(value) || isSeq(value) || isMap(value) ? value.toJSON() : null)}\``,
              description: '',
            },
          ];
    const only = rows.length === 1 ? rows[0] : undefined;
    if (only && only.path === key && !only.description) {
      if (!description) problems.push(key);
      // A value on its own: the description goes in its row.
      return { key, description: '', rows: [{ ...only, description: paragraph(description) }] };
    }
    return { key, description: paragraph(description), rows };
  });
  if (problems.length > 0) {
    throw new Error(
      `values.yaml: these values have no comment to describe them: ${problems.join(', ')}. Add a comment line above each.`,
    );
  }
  const out = [
    `# ${chart.name} ${chart.version}`,
    '',
    '<!-- Generated from values.yaml by `npm run docs:chart`; edit the comments there, not this file. -->',
    '',
    `${chart.description.trim()} It installs OpenHands Enterprise ${chart.appVersion} by default.`,
    '',
    '## Install',
    '',
    '```sh',
    'helm install openhands ./charts/openhands --namespace openhands --create-namespace \\',
    '  --set image.repository=registry.example.com/openhands-enterprise \\',
    '  --set telemetry.adminEmail=admin@example.com',
    'helm test openhands --namespace openhands   # asks /readyz through the Service',
    '```',
    '',
    '`helm lint` and `helm install` check the values against `values.schema.json` first and name the',
    'value at fault. Usage telemetry cannot be turned off; every metric it sends is listed by the server',
    'itself at `/docs/metrics`, and the troubleshooting guide at `/docs/troubleshooting`. When uploads',
    'fail, run the doctor in a server pod (it needs `telemetry.adminToken`):',
    '',
    '```sh',
    'kubectl -n openhands exec deploy/openhands -- node apps/server/dist/cli/telemetry/main.js doctor',
    '```',
    '',
    'Several replicas need `database.mode: external`; they then get a PodDisruptionBudget and spread',
    'over nodes and zones (`highAvailability`). Prometheus users can turn on a ServiceMonitor and',
    'alerts (`metrics`).',
    '',
    '## Values',
    '',
  ];
  for (const section of sections) {
    out.push(`### \`${section.key}\``, '');
    if (section.description) out.push(section.description, '');
    out.push(
      ...alignedTable(
        ['Value', 'Default', 'Description'],
        section.rows.map((row) => [`\`${row.path}\``, row.defaultValue, row.description]),
      ),
      '',
    );
  }
  return out.join('\n');
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const expected = renderChartReadme(
    await readFile(`${CHART_DIR}values.yaml`, 'utf8'),
    await readFile(`${CHART_DIR}Chart.yaml`, 'utf8'),
  );
  if (check) {
    const actual = await readFile(README_PATH, 'utf8').catch(() => undefined);
    if (actual === expected) {
      console.log('charts/openhands/README.md is current.');
      return 0;
    }
    console.error('charts/openhands/README.md is stale: run `npm run docs:chart` and commit the result.');
    return 1;
  }
  await writeFile(README_PATH, expected);
  console.log('Wrote charts/openhands/README.md.');
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error((error as Error).message);
      process.exitCode = 1;
    },
  );
}
