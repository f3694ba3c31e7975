/**
 * Every error the UI shows for a failed request. The server's own sentence wins when it sends one;
 * these are the fallbacks, written to tell the reader what to do next.
 */
export const API_ERROR_MESSAGES = {
  network_error: 'Could not reach the OpenHands server. Check your connection, then try again.',
  bad_response:
    'The OpenHands server sent an answer the page could not read. Reload the page; if it persists, contact your administrator.',
  server_error:
    'The OpenHands server ran into a problem. Try again in a moment; if it persists, contact your administrator.',
  unauthenticated: 'Your session has ended. Sign in again to continue.',
  tos_required: 'Accept the Terms of Service to continue.',
  invalid_email: 'Enter an email address such as name@example.com.',
  invalid_request: 'The server could not accept this. Check the fields and try again.',
} as const;

export type KnownErrorCode = keyof typeof API_ERROR_MESSAGES;

/** A failed API request: the HTTP status (0 when no answer came), the server's code and a sentence for people. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function fallbackMessage(code: string, status: number): string {
  if (code in API_ERROR_MESSAGES) return API_ERROR_MESSAGES[code as KnownErrorCode];
  if (status >= 500) return API_ERROR_MESSAGES.server_error;
  return API_ERROR_MESSAGES.invalid_request;
}

/** The sentence to show for any thrown value, so a component never has to inspect it. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return API_ERROR_MESSAGES.server_error;
}
