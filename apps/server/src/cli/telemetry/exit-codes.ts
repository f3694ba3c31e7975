/** What a pipeline tests: 0 all is well, 1 something needs attention, 2 the CLI could not tell. */
export const EXIT = { healthy: 0, warning: 1, cannotTell: 2 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
