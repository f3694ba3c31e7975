export type { DropFault, Fault, HangFault, PendingFault, SlowBodyFault, StatusFault } from './faults.js';
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
