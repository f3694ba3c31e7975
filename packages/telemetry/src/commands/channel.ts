/** Payload `new`: a command waits (every replica listens; the sender takes it). `done`: results are in. */
export const COMMAND_CHANNEL = 'openhands_telemetry_command';
