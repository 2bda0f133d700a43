/**
 * The base of every error this project throws on purpose: its message says what went wrong in
 * words a user can act on (naming the key, the field or the cause, never a secret), so a command
 * prints the message alone. `cause` keeps the error underneath, for logs and debugging.
 */
export class NotifierError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** How long an unexpected error's message may be where it is shown as a reason. */
const REASON_LENGTH = 200;

/**
 * An error we did not expect, as a short reason: its class and message (`URIError: URI
 * malformed`), cut short. Our own errors are shown by their message alone.
 */
export function describeUnexpected(error: unknown): string {
  if (error instanceof NotifierError) return cut(error.message);
  if (error instanceof Error) return cut(`${error.name}: ${error.message}`);
  return cut(String(error));
}

function cut(text: string): string {
  return text.length > REASON_LENGTH ? `${text.slice(0, REASON_LENGTH - 1)}…` : text;
}
