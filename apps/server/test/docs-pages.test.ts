import { readFile } from 'node:fs/promises';
import { TROUBLESHOOTING_ANCHORS } from '@openhands/telemetry/diagnosis';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsPageRoutes, headingSlug } from '../src/routes/docs-pages.js';

// The product serves its metrics dictionary and troubleshooting guide (issue 13): the Terms page,
// the admin page and the start log link them, and the admin page's diagnosis links into the guide.

const app = Fastify();
beforeAll(async () => {
  await app.register(docsPageRoutes);
  await app.ready();
});
afterAll(() => app.close());

describe('GET /docs/metrics', () => {
  it('lists every key of the committed docs/metrics.md, from the collectors themselves', async () => {
    const committed = await readFile(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
    const keys = [...committed.matchAll(/^\| `([^`]+)`/gm)].map((match) => match[1]!);
    expect(keys.length).toBeGreaterThan(20);

    const response = await app.inject({ method: 'GET', url: '/docs/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<h1 id="metrics-dictionary">Metrics dictionary</h1>');
    const served = [...response.body.matchAll(/<td><code>([^<]+)<\/code><\/td>/g)].map((match) =>
      match[1]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>'),
    );
    expect(served).toEqual(keys);
  });

  it('links only its own stylesheet (the CSP allows no inline style)', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/metrics' });
    expect(response.body).toContain('<link rel="stylesheet" href="/docs/docs.css">');
    expect(response.body).not.toMatch(/<style|style="/);
    const css = await app.inject({ method: 'GET', url: '/docs/docs.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('prefers-color-scheme: dark');
  });
});

describe('GET /docs/troubleshooting', () => {
  it('has a section for every place the diagnosis links to', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/troubleshooting' });
    expect(response.statusCode).toBe(200);
    const anchors = new Set(
      [...Object.values(TROUBLESHOOTING_ANCHORS), 'dns', 'tls', 'proxy', 'an-answer-that-is-not-the-vendors'].filter(
        Boolean,
      ),
    );
    const missing = [...anchors].filter((anchor) => !response.body.includes(`id="${anchor}"`));
    expect(missing).toEqual([]);
  });
});

describe('heading anchors, as GitHub makes them', () => {
  it.each([
    ["An answer that is not the vendor's", 'an-answer-that-is-not-the-vendors'],
    ['Connection refused or timed out', 'connection-refused-or-timed-out'],
    ['No admin email found', 'no-admin-email-found'],
    ['The `DATABASE_URL` setting', 'the-database_url-setting'],
    ['DNS', 'dns'],
  ])('%s → #%s', (heading, slug) => {
    expect(headingSlug(heading)).toBe(slug);
  });
});
