import { useNavigate, useSearchParams } from "@solidjs/router";
import { Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { EmailedCodeField } from "../components/EmailedCodeField";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";

const RESET = graphql(
  `mutation ResetPassword($email: String!, $code: String!, $password: String!) {
    resetPassword(email: $email, code: $code, password: $password) { __typename ...ErrorFields ... on PasswordReset { email } }
  }`,
  [ErrorFields],
);

export default function ResetPassword() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const form = createFormState();
  const param = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : "");
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const values = formValues(event.currentTarget as HTMLFormElement);
    return form.run(
      () => mutate(RESET, { email: values.email ?? "", code: values.code ?? "", password: values.password ?? "" }),
      (done) => navigate(`/sign-in?reset=1&email=${encodeURIComponent(done.email)}`),
    );
  };
  return (
    <Page title="Choose a new password" narrow>
      <Show when={params.sent}>
        <Alert kind="info">If an account uses {param("email")}, a code is on its way. Check your inbox (and spam folder).</Alert>
      </Show>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <Field
          label="Email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value={param("email")}
          error={form.fieldErrors().email}
        />
        <EmailedCodeField value={param("code")} error={form.fieldErrors().code} />
        <Field
          label="New password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          hint="8 to 128 characters, not a common password. Every device signed in to your account will be signed out."
          error={form.fieldErrors().password}
        />
        <Button busy={form.submitting()} busyLabel="Saving…">
          Set new password
        </Button>
      </form>
    </Page>
  );
}
