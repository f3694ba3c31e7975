// Pages the server renders itself (apps/server/src/routes/docs-pages.ts), outside the single-page app:
// plain links, so the browser loads them.

/** Every metric the product sends, generated from the collectors (the same source as docs/metrics.md). */
export const METRICS_DICTIONARY_PATH = '/docs/metrics';

/** docs/troubleshooting.md; the diagnosis links to its sections by their heading anchors. */
export const TROUBLESHOOTING_PATH = '/docs/troubleshooting';
