export {
  type AcceptThenHangFault,
  type DropFault,
  type Fault,
  FIELD_FAULTS,
  type FieldFaultName,
  fieldFault,
  type HangFault,
  type PendingFault,
  type SlowBodyFault,
  type StatusFault,
} from './faults.js';
export { type Emulator, type EmulatorOptions, startEmulator } from './server.js';
export type {
  CheckInView,
  CustomerView,
  EmulatorState,
  InstanceView,
  MetricEventView,
  MetricSetView,
  RequestLogEntry,
} from './state.js';
