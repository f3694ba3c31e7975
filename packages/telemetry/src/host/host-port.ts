/**
 * Everything the engine knows about the product that embeds it. The host hands over facts, never
 * its environment: a collector cannot read a secret the host did not mean to give, and the
 * host's own rules (what "enterprise" means, who the admin is) stay in the host.
 */
export interface HostPort {
  /** Sent as the check-in's version label. */
  appVersion: string;
  /** The name the vendor shows for this instance. */
  instanceName: string;
  /** Whether the license warning applies at all (the host's rule, e.g. its SSO settings). */
  isEnterprise: boolean;
  /** When the host process started (for uptime metrics). */
  startedAt: Date;
  /** The admin email now, and where it came from; undefined while there is none. */
  adminEmail(): Promise<AdminEmail | undefined>;
  /** Facts for collectors, by name (e.g. `githubAppConfigured: true`); the host decides which. */
  facts: Readonly<Record<string, string | number | boolean>>;
}

export interface AdminEmail {
  email: string;
  /** e.g. `env` (OPENHANDS_ADMIN_EMAIL) or `first_user`. */
  source: string;
}
