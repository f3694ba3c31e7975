export { diagnose, TROUBLESHOOTING_ANCHORS } from './diagnose.js';
export type { AttemptKind, DiagnosisFacts, FailureFact } from './facts.js';
export { type FailureCause, failureCause, quotedVendorMessage } from './failure-cause.js';
export {
  type Diagnosis,
  DiagnosisSchema,
  DiagnosisState,
  type DiagnosisStateName,
  DiagnosisTone,
  type DiagnosisToneName,
} from './schema.js';
export { causeSentence, diagnosisSentence, type FormatTime, licenseSentence } from './sentence.js';
