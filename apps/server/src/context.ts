import type { Db } from '@openhands/db';
import type { Env, ServerConfig } from './config/server-config.js';
import type { User } from './users/users.js';

/** What the host tells whoever listens (the telemetry service) about its users. */
export interface HostEvents {
  onTermsAccepted(listener: (user: User) => void): void;
  termsAccepted(user: User): void;
}

export function createHostEvents(): HostEvents {
  const listeners: Array<(user: User) => void> = [];
  return {
    onTermsAccepted: (listener) => void listeners.push(listener),
    termsAccepted(user) {
      for (const listener of listeners) listener(user);
    },
  };
}

/** Everything a route needs, passed explicitly rather than through module state. */
export interface ServerContext {
  db: Db;
  env: Env;
  config: ServerConfig;
  now: () => Date;
  events: HostEvents;
}
