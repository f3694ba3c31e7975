// The doctor: why uploads fail, checked step by step (see report.ts for the output's shape).

export { caBundle, describeDuration, type NetworkCheckOptions, networkChecks } from './network-checks.js';
export { type ProxyEnv, type ProxySettings, proxyFor, proxySettings, redactProxy } from './proxy-settings.js';
export {
  CHECK_ORDER,
  type CheckId,
  type CheckStatus,
  type DoctorCheck,
  type DoctorReport,
  doctorReport,
  TROUBLESHOOTING,
  type Verdict,
  verdictOf,
} from './report.js';
export { type DoctorRouteOptions, registerDoctorRoute, serverDoctor } from './route.js';
export { CheckStatusSchema, DoctorCheckSchema, type DoctorReportJson, DoctorReportSchema } from './schema.js';
export { type DoctorFacts, factsFromOverview, stateChecks } from './state-checks.js';
export { judgeVendorAnswer, type ProbeAnswer } from './vendor-answer.js';
