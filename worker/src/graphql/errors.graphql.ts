import {
  ActivationPendingError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  InvalidCodeError,
  InvalidCredentialsError,
  NotFoundError,
  RateLimitedError,
  SignInExpiredError,
  ValidationError,
} from "../lib/errors";
import { builder } from "./builder";

// Every expected failure implements `Error`, so clients can always ask `... on Error { message }`.
export const ErrorInterface = builder.interfaceRef<Error>("Error").implement({
  fields: (t) => ({ message: t.exposeString("message") }),
});

const FieldError = builder.objectRef<{ field: string; message: string }>("FieldError").implement({
  description: "A problem with one input field; `field` is the input's name.",
  fields: (t) => ({ field: t.exposeString("field"), message: t.exposeString("message") }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldError], resolve: (e) => e.fieldErrors }) }),
});

builder.objectType(RateLimitedError, {
  name: "RateLimitedError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt("retryAfterSeconds") }),
});

builder.objectType(InvalidCredentialsError, { name: "InvalidCredentialsError", interfaces: [ErrorInterface] });

builder.objectType(InvalidCodeError, {
  name: "InvalidCodeError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ attemptsLeft: t.exposeInt("attemptsLeft", { nullable: true }) }),
});

builder.objectType(NotFoundError, { name: "NotFoundError", interfaces: [ErrorInterface] });
builder.objectType(ForbiddenError, { name: "ForbiddenError", interfaces: [ErrorInterface] });
builder.objectType(SignInExpiredError, { name: "SignInExpiredError", interfaces: [ErrorInterface] });

builder.objectType(ActivationPendingError, {
  name: "ActivationPendingError",
  description: "The password is that of a registration still waiting for its emailed code (see resendActivationCode).",
  interfaces: [ErrorInterface],
  fields: (t) => ({ email: t.exposeString("email") }),
});
builder.objectType(IdempotencyKeyReusedError, {
  name: "IdempotencyKeyReusedError",
  description: "The idempotency key was first sent with a different request; a new request needs a new key.",
  interfaces: [ErrorInterface],
});
