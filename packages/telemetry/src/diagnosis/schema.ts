import { type Static, Type } from 'typebox';

/**
 * The diagnosis as the admin API answers it (and the UI and the CLI read it). Times are ISO 8601
 * strings: each reader formats them in its own time zone.
 */
export const DiagnosisState = Type.Union([
  Type.Literal('healthy'),
  Type.Literal('awaiting_first_contact'),
  Type.Literal('unreachable'),
  Type.Literal('vendor_failing'),
  Type.Literal('refused'),
  Type.Literal('rejected'),
  Type.Literal('no_admin_email'),
  Type.Literal('no_sender'),
  Type.Literal('not_sending'),
]);

export const DiagnosisTone = Type.Union([
  Type.Literal('good'),
  Type.Literal('waiting'),
  Type.Literal('warning'),
  Type.Literal('danger'),
]);

export const DiagnosisSchema = Type.Object({
  state: DiagnosisState,
  /** `good` only when nothing is wrong: the page's green dots follow it. */
  tone: DiagnosisTone,
  /** The cause class in a few words: "Cannot reach the vendor". */
  headline: Type.String(),
  /** The cause itself: "connection refused", `HTTP 403 "License expired"`; empty when there is nothing to add. */
  reason: Type.String(),
  /** The failure's cause code: `dns`, `tls`, `refused`, `timeout`, `proxy`, `reset`, `not_vendor`, `http_403`…; empty when nothing failed. */
  cause: Type.String(),
  /** What the admin should do about it, one sentence. */
  action: Type.String(),
  endpoint: Type.String(),
  /** Since when the state holds (the first failure, the oldest waiting batch, the last contact). */
  since: Type.Union([Type.String(), Type.Null()]),
  /** Failed requests since the last contact (every one, not a page of them). */
  failureCount: Type.Integer({ minimum: 0 }),
  enterprise: Type.Boolean(),
  license: Type.Object({
    warn: Type.Boolean(),
    message: Type.String(),
    expiresAt: Type.Union([Type.String(), Type.Null()]),
    /** Whole days left, a part day counting as a day (as the banner counts them); 0 once expired. */
    daysLeft: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    expired: Type.Boolean(),
  }),
  /** The heading of docs/troubleshooting.md that covers this cause (no `#`); empty when all is well. */
  docsAnchor: Type.String(),
});

export type Diagnosis = Static<typeof DiagnosisSchema>;
export type DiagnosisStateName = Static<typeof DiagnosisState>;
export type DiagnosisToneName = Static<typeof DiagnosisTone>;
