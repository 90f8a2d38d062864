import { Field } from "../Field";

/**
 * The 6-digit code from an authenticator app. Apps show it as "123 456", so a space is allowed;
 * `autocomplete` is "off" when the code belongs to another account than the one signed in.
 */
export function AuthenticatorCodeField(props: {
  label?: string;
  error?: string;
  autofocus?: boolean;
  autocomplete?: "one-time-code" | "off";
}) {
  return (
    <Field
      label={props.label ?? "Code from your authenticator app"}
      name="code"
      inputmode="numeric"
      autocomplete={props.autocomplete ?? "one-time-code"}
      pattern="[0-9 ]*"
      maxLength={7}
      required
      autofocus={props.autofocus}
      error={props.error}
    />
  );
}
