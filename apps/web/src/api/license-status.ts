import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './client';
import { API_ERROR_MESSAGES, ApiError } from './errors';
import { queryKeys } from './query-keys';
import type { LicenseStatus } from './types';

/** How often the banner asks again: the server's answer changes by the day, an hour is plenty. */
export const LICENSE_STATUS_POLL_MS = 60 * 60 * 1000;

/**
 * `/api/license-status` at mount and every hour after. A failed poll is not retried (the next one is
 * an hour away and the banner keeps its last answer meanwhile); the timer lives as long as a
 * component uses this hook.
 */
export function useLicenseStatus() {
  return useQuery({
    queryKey: queryKeys.licenseStatus,
    queryFn: fetchLicenseStatus,
    refetchInterval: LICENSE_STATUS_POLL_MS,
    // The warning matters most to the tab that has been left open for days.
    refetchIntervalInBackground: true,
    staleTime: LICENSE_STATUS_POLL_MS,
    retry: false,
  });
}

async function fetchLicenseStatus(): Promise<LicenseStatus> {
  const status = await apiRequest<unknown>('GET', '/api/license-status');
  if (!isLicenseStatus(status)) throw new ApiError(200, 'bad_response', API_ERROR_MESSAGES.bad_response);
  return status;
}

function isLicenseStatus(value: unknown): value is LicenseStatus {
  if (typeof value !== 'object' || value === null) return false;
  const { warn, message } = value as Record<string, unknown>;
  return typeof warn === 'boolean' && typeof message === 'string';
}
