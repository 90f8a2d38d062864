import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { SsoButtons } from "../components/SsoButtons";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";
import { continueAfterSignIn, SignInStepFields } from "../lib/sign-in-flow";
import { SSO_ERRORS } from "../lib/sso";

const SIGN_IN = graphql(
  `mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) { __typename ...ErrorFields ...SignInStepFields }
  }`,
  [ErrorFields, SignInStepFields],
);

export default function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const form = createFormState();
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const { email, password } = formValues(event.currentTarget as HTMLFormElement);
    return form.run(
      () => mutate(SIGN_IN, { email: email ?? "", password: password ?? "" }),
      (result) => continueAfterSignIn(result, navigate, typeof params.next === "string" ? params.next : "/"),
    );
  };
  return (
    <Page title="Sign in" narrow>
      <Show when={params.signedOut}>
        <Alert kind="info">You are signed out.</Alert>
      </Show>
      <Show when={params.reset}>
        <Alert kind="success">Your password was changed. Sign in with the new one.</Alert>
      </Show>
      <Show when={typeof params.ssoError === "string" && params.ssoError}>
        {(code) => <Alert kind="error">{SSO_ERRORS[code()] ?? SSO_ERRORS.invalid}</Alert>}
      </Show>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <Field
          label="Email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value={typeof params.email === "string" ? params.email : ""}
          error={form.fieldErrors().email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          error={form.fieldErrors().password}
        />
        <Button busy={form.submitting()} busyLabel="Signing in…">
          Sign in
        </Button>
      </form>
      <SsoButtons next={typeof params.next === "string" ? params.next : "/"} />
      <p class="form-links">
        <A href="/forgot-password">Forgot password?</A> · New to Laurel? <A href="/register">Register</A>
      </p>
    </Page>
  );
}
