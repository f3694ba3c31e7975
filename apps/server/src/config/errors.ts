/**
 * A setting the server cannot run with. The message is one line that names the setting and
 * says what is wrong, because it is what an operator reads when the pod crash-loops.
 */
export class ConfigError extends Error {
  readonly code = 'SERVER_ERR_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
