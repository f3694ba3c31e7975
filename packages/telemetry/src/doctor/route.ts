import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TelemetryOverview } from '../api/schemas.js';
import { networkChecks } from './network-checks.js';
import type { ProxyEnv } from './proxy-settings.js';
import { type DoctorReport, doctorReport } from './report.js';
import { DoctorReportSchema } from './schema.js';
import { factsFromOverview, stateChecks } from './state-checks.js';

export interface DoctorRouteOptions {
  /** The admin check the other admin routes use (session or TELEMETRY_ADMIN_TOKEN). */
  preHandler: (request: FastifyRequest) => Promise<void>;
  /** The admin overview, as GET /api/admin/telemetry answers it: the doctor reads the same facts. */
  overview: () => Promise<TelemetryOverview>;
  /** The vendor API the sender uses. */
  endpoint: string;
  now: () => Date;
  /** The proxy and CA variables the vendor client sees. Default: process.env, which the client reads. */
  env?: ProxyEnv;
  /** Default: the system resolver. */
  lookup?: (host: string) => Promise<string[]>;
  /** Per network step. Default 5 000 ms. */
  timeoutMs?: number;
}

/**
 * `GET /api/admin/telemetry/doctor`: the doctor run inside the server, because the server's egress
 * (its proxy, DNS, firewall and CA bundle) is what uploads go through, plus what only the server
 * knows (admin email, sender, pending batches, license).
 */
export async function registerDoctorRoute(app: FastifyInstance, options: DoctorRouteOptions): Promise<void> {
  app.get(
    '/api/admin/telemetry/doctor',
    { preHandler: options.preHandler, schema: { response: { 200: DoctorReportSchema } } },
    async () => serverDoctor(options),
  );
}

export async function serverDoctor(options: Omit<DoctorRouteOptions, 'preHandler'>): Promise<DoctorReport> {
  const [network, overview] = await Promise.all([
    networkChecks({
      endpoint: options.endpoint,
      env: options.env ?? process.env,
      now: options.now,
      ...(options.lookup ? { lookup: options.lookup } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }),
    options.overview(),
  ]);
  const now = options.now();
  return doctorReport('server', options.endpoint, now, [...network, ...stateChecks(factsFromOverview(overview, now))]);
}
