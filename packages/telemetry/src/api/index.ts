/** `@openhands/telemetry/api`: the admin API's schemas and types, with no dependency but typebox. */
export * from './schemas.js';
