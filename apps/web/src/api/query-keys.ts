/** Cache keys shared by the hooks that read and the mutations that update the same data. */
export const queryKeys = {
  me: ['me'] as const,
  conversations: ['conversations'] as const,
  licenseStatus: ['license-status'] as const,
  /** Everything of the admin telemetry page, invalidated together after an admin action. */
  telemetry: ['admin-telemetry'] as const,
  telemetryOverview: ['admin-telemetry', 'overview'] as const,
  telemetryPreview: ['admin-telemetry', 'preview'] as const,
};
