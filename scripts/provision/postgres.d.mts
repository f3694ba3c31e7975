export function ensureTestPostgres(): Promise<{ url: string; stop(): Promise<void> }>;
