import { type JSX, Show } from "solid-js";
import type { FormState } from "../lib/forms";
import { Alert } from "./Alert";

/**
 * What went wrong with a form as a whole, above it. `field` names an input error that has no
 * input of its own to sit under (a list, a role picker), so it is shown here instead.
 */
export function FormAlert(props: { form: Pick<FormState, "message" | "fieldErrors">; field?: string; children?: JSX.Element }) {
  const message = () => (props.field ? props.form.fieldErrors()[props.field] : undefined) ?? props.form.message();
  return (
    <Show when={message()}>
      <Alert kind="error">
        {message()}
        {props.children}
      </Alert>
    </Show>
  );
}
