import { createSignal, Show } from "solid-js";
import { createFormState, formValues } from "../../lib/forms";
import { ErrorFields, graphql } from "../../lib/gql";
import { mutate } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";
import { AuthenticatorCodeField } from "../mfa/AuthenticatorCodeField";

const CHANGE_PASSWORD = graphql(
  `mutation ChangePassword($password: String!, $newPassword: String!, $code: String!) {
    changePassword(password: $password, newPassword: $newPassword, code: $code) {
      __typename ...ErrorFields ... on PasswordChanged { changedAt }
    }
  }`,
  [ErrorFields],
);

/**
 * Changes the password with the current one and a code from the app. Every other browser is
 * signed out; this one stays signed in. Accounts without a password are told how to set one.
 */
export function ChangePassword(props: { hasPassword: boolean }) {
  const form = createFormState();
  const [changed, setChanged] = createSignal(false);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const values = formValues(element);
    setChanged(false);
    return form.run(
      () => mutate(CHANGE_PASSWORD, { password: values.password ?? "", newPassword: values.newPassword ?? "", code: values.code ?? "" }),
      () => {
        element.reset();
        setChanged(true);
      },
    );
  };
  return (
    <section class="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <Show
        when={props.hasPassword}
        fallback={
          <p>
            You sign in with Google or Microsoft and have no Laurel password. To add one, use{" "}
            <a href="/forgot-password">Forgot password?</a> with your primary email.
          </p>
        }
      >
        <p>Changing it signs you out everywhere else and forgets remembered browsers. We email you to confirm.</p>
        <Show when={changed()}>
          <Alert kind="success">Your password is changed. Other devices are signed out.</Alert>
        </Show>
        <FormAlert form={form} />
        <form onSubmit={onSubmit} novalidate>
          <Field
            label="Current password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            error={form.fieldErrors().password}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autocomplete="new-password"
            required
            hint="8 to 128 characters. A few unrelated words make a strong password; common passwords are refused."
            error={form.fieldErrors().newPassword}
          />
          <AuthenticatorCodeField error={form.fieldErrors().code} />
          <Button variant="secondary" busy={form.submitting()}>
            Change password
          </Button>
        </form>
      </Show>
    </section>
  );
}
