import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';
import { queryKeys } from './query-keys';
import type { CollectedBatch, TelemetryOverview, TelemetryPreview, UploadReport } from './telemetry-types';

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
    mutationFn: () => apiRequest<{ batch: CollectedBatch }>('POST', '/api/admin/telemetry/collect'),
    onSuccess: refresh,
  });
}

export function useUploadNow() {
  const refresh = useRefreshTelemetry();
  return useMutation({
    mutationFn: () => apiRequest<{ upload: UploadReport }>('POST', '/api/admin/telemetry/upload'),
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
