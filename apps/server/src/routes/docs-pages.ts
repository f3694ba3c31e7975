import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderMetricsDictionary } from '@openhands/telemetry';
import type { FastifyInstance } from 'fastify';
import { Marked, type Tokens } from 'marked';
import { loadCollectors } from '../telemetry/registry.js';

/** Where the product serves its own documentation pages (linked from the Terms page, the admin page and the start log). */
export const METRICS_DICTIONARY_PATH = '/docs/metrics';
export const TROUBLESHOOTING_PATH = '/docs/troubleshooting';
const STYLESHEET_PATH = '/docs/docs.css';

// The repository's docs folder: beside apps/ in a checkout and in the image (the Dockerfile copies docs/).
const DOCS_DIR = new URL('../../../../docs/', import.meta.url);

/** GitHub's heading anchors ("An answer that is not the vendor's" → `an-answer-that-is-not-the-vendors`), so links into docs/*.md work here too. */
export function headingSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

const markdown = new Marked({
  renderer: {
    heading(
      this: { parser: { parseInline(tokens: Tokens.Generic[]): string } },
      { tokens, depth, text }: Tokens.Heading,
    ) {
      return `<h${depth} id="${headingSlug(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} · OpenHands Enterprise</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main class="doc">
<p class="doc__back"><a href="/">OpenHands Enterprise</a></p>
${body}
</main>
</body>
</html>
`;
}

/**
 * The metrics dictionary and the troubleshooting guide, served by the product itself: the
 * dictionary is rendered from the collectors' declarations (the same source as docs/metrics.md,
 * so it can never list other metrics than the ones collected); the guide from docs/troubleshooting.md.
 * Public pages: the Terms page links the dictionary before anyone has accepted anything.
 */
export async function docsPageRoutes(app: FastifyInstance): Promise<void> {
  let dictionary: string | undefined;

  app.get(METRICS_DICTIONARY_PATH, async (_request, reply) => {
    if (dictionary === undefined) {
      const registry = await loadCollectors();
      dictionary = page('Metrics dictionary', await markdown.parse(renderMetricsDictionary(registry.describe())));
    }
    return reply.type('text/html; charset=utf-8').send(dictionary);
  });

  app.get(TROUBLESHOOTING_PATH, async (_request, reply) => {
    const source = await readFile(new URL('troubleshooting.md', DOCS_DIR), 'utf8').catch(() => undefined);
    if (source === undefined) {
      const where = fileURLToPath(new URL('troubleshooting.md', DOCS_DIR));
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(
          page(
            'Troubleshooting',
            `<h1>Troubleshooting</h1><p>The guide is not installed at <code>${where}</code>: see <code>docs/troubleshooting.md</code> in the product's source.</p>`,
          ),
        );
    }
    return reply.type('text/html; charset=utf-8').send(page('Troubleshooting', await markdown.parse(source)));
  });

  app.get(STYLESHEET_PATH, async (_request, reply) => reply.type('text/css; charset=utf-8').send(STYLESHEET));
}

// A page of reading, in the UI's colours, light or dark as the system says.
const STYLESHEET = `:root { color-scheme: light dark; --bg: #f5f6f8; --text: #141821; --muted: #5a6270; --border: #e2e5ea; --code: #eef0f3; --link: #4338ca; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --text: #e6e8eb; --muted: #a3abb8; --border: #30363d; --code: #1c2230; --link: #a5b4fc; } }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.doc { max-width: 56rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; overflow-wrap: anywhere; }
.doc__back { color: var(--muted); font-size: 0.875rem; }
a { color: var(--link); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875em; background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: var(--code); padding: 0.75rem; border-radius: 6px; overflow: auto; }
pre code { padding: 0; }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--border); padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
h1, h2, h3 { line-height: 1.25; }
`;
