import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';
import { queryKeys } from './query-keys';
import type {
  BatchDetail,
  CollectNowResult,
  TelemetryOverview,
  TelemetryPreview,
  UploadNowResult,
} from './telemetry-types';

/** The file an air-gapped installation hands to the vendor; a plain link downloads it with the session cookie. */
export const TELEMETRY_EXPORT_PATH = '/api/admin/telemetry/export';

/** The sender works in the background; a minute keeps "next run" and the batch list honest on an open page. */
export const TELEMETRY_REFRESH_MS = 60_000;

export function useTelemetryOverview() {
  return useQuery({
    queryKey: queryKeys.telemetryOverview,
    queryFn: () => apiRequest<TelemetryOverview>('GET', '/api/admin/telemetry'),
    refetchInterval: TELEMETRY_REFRESH_MS,
  });
}

/** One stored batch with its metrics as sent; asked only when `enabled` (the admin opened its raw JSON). */
export function useTelemetryBatch(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.telemetry, 'batch', id],
    queryFn: () => apiRequest<BatchDetail>('GET', `/api/admin/telemetry/batches/${encodeURIComponent(id)}`),
    enabled,
    // A stored batch does not change its metrics; its status does, and the list shows that.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useTelemetryPreview() {
  return useQuery({
    queryKey: queryKeys.telemetryPreview,
    queryFn: () => apiRequest<TelemetryPreview>('GET', '/api/admin/telemetry/preview'),
    refetchInterval: TELEMETRY_REFRESH_MS,
  });
}

/**
 * "Collect now" and "Upload now". Each stays pending until the overview, the preview and the
 * license banner have been fetched again, so the status line never describes a stale page.
 */
export function useCollectNow() {
  const refresh = useRefreshTelemetry();
  return useMutation({
    mutationFn: () => apiRequest<CollectNowResult>('POST', '/api/admin/telemetry/collect'),
    onSuccess: refresh,
  });
}

export function useUploadNow() {
  const refresh = useRefreshTelemetry();
  return useMutation({
    mutationFn: () => apiRequest<UploadNowResult>('POST', '/api/admin/telemetry/upload'),
    // A failed upload changes the page too (attempts, back-off, errors).
    onSettled: refresh,
  });
}

function useRefreshTelemetry() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.telemetry }),
      // An upload can end the license warning (or a collection start it): the banner should know now.
      queryClient.invalidateQueries({ queryKey: queryKeys.licenseStatus }),
    ]);
}
