import { createHash } from 'node:crypto';
import { ReplicatedValidationError } from './errors.js';

/**
 * The machine fingerprint Replicated knows an instance by: 64 hex characters (sha256). It is derived
 * from the installation id kept in the database, not from the host, because pods and container
 * machine-ids come and go while the database is the installation. The prefix keeps the hash from
 * matching a plain sha256 of the same id used anywhere else.
 */
export function machineFingerprint(installationId: string): string {
  if (typeof installationId !== 'string' || installationId.trim().length === 0) {
    throw new ReplicatedValidationError('machine fingerprint input', ['installationId must be a non-empty string']);
  }
  return createHash('sha256').update(`openhands-installation:${installationId}`, 'utf8').digest('hex');
}
