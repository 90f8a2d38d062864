import { Field } from "./Field";

/** The code Laurel emailed: digits only, offered by the phone's keyboard and by autofill from the mail app. */
export function EmailedCodeField(props: { label?: string; value?: string; maxLength?: number; error?: string }) {
  return (
    <Field
      label={props.label ?? "Code from the email"}
      name="code"
      inputmode="numeric"
      autocomplete="one-time-code"
      required
      maxLength={props.maxLength}
      value={props.value}
      error={props.error}
    />
  );
}
