export {
  type CheckInInput,
  type CreateCustomerInput,
  type CreateInstanceInput,
  type Customer,
  ReplicatedClient,
  type ReplicatedClientOptions,
  type SendMetricsInput,
} from './client/client.js';
export {
  type AnyReplicatedError,
  isReplicatedError,
  ReplicatedAbortedError,
  ReplicatedApiError,
  ReplicatedAuthError,
  ReplicatedError,
  type ReplicatedErrorCode,
  ReplicatedForbiddenError,
  ReplicatedHttpError,
  ReplicatedInvalidResponseError,
  ReplicatedNetworkError,
  ReplicatedRateLimitedError,
  ReplicatedValidationError,
  type VendorAnswer,
} from './client/errors.js';
export { machineFingerprint } from './client/fingerprint.js';
export { MAX_RETRY_AFTER_MS, type VendorVerdict, vendorVerdict } from './client/policy.js';
export { parseRetryAfterMs } from './client/retry-after.js';
export { isMetricValue, metricIssues } from './client/validation.js';
export {
  APP_STATUSES,
  type AppStatus,
  DEFAULT_BASE_URL,
  isAppStatus,
  METRIC_KEY_PATTERN,
  type MetricValue,
} from './protocol.js';
export { CLIENT_VERSION } from './version.js';
