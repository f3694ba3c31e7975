/** Cache keys shared by the hooks that read and the mutations that update the same data. */
export const queryKeys = {
  me: ['me'] as const,
  conversations: ['conversations'] as const,
  licenseStatus: ['license-status'] as const,
};
