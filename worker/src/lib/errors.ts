// Expected failures. Services throw these; the GraphQL layer returns them as typed union
// members (Pothos errors plugin). Anything else is unexpected and gets masked.

export interface FieldProblem {
  field: string;
  message: string;
}

export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(readonly fieldErrors: FieldProblem[]) {
    super(fieldErrors.map((f) => f.message).join(" "));
  }
  static field(field: string, message: string) {
    return new ValidationError([{ field, message }]);
  }
}

export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class InvalidCredentialsError extends Error {
  override name = "InvalidCredentialsError";
  constructor() {
    super("The email or password is not correct.");
  }
}

export class InvalidCodeError extends Error {
  override name = "InvalidCodeError";
  constructor(
    message: string,
    readonly attemptsLeft: number | null = null,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

/** An idempotency key came back with a different request from the one it first answered. */
export class IdempotencyKeyReusedError extends Error {
  override name = "IdempotencyKeyReusedError";
}

/** Collects field problems so a form gets every message at once. */
export class Problems {
  private readonly list: FieldProblem[] = [];
  add(field: string, message: string) {
    this.list.push({ field, message });
  }
  throwIfAny() {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

/** The pending sign-in between the factors has ended (expired, used, or too many wrong codes). */
export class SignInExpiredError extends Error {
  override name = "SignInExpiredError";
  constructor(message = "Your sign-in timed out. Sign in again.") {
    super(message);
  }
}

/**
 * The right password for a registration still waiting for its emailed code. Only someone who
 * knows that password is told; a stranger gets InvalidCredentialsError like for any address.
 */
export class ActivationPendingError extends Error {
  override name = "ActivationPendingError";
  constructor(readonly email: string) {
    super("This account waits for the code we emailed when you registered. Enter it to activate the account, or ask for a new code.");
  }
}
