import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
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
  `mutation SignIn($email: String!, $password: String!, $unlock: String) {
    signIn(email: $email, password: $password, unlockToken: $unlock) { __typename ...ErrorFields ...SignInStepFields }
  }`,
  [ErrorFields, SignInStepFields],
);
const REQUEST_LINK = graphql(
  `mutation RequestSignInLink($email: String!) {
    requestSignInLink(email: $email) { __typename ...ErrorFields ... on CodeSent { email } }
  }`,
  [ErrorFields],
);

export default function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const form = createFormState();
  const linkForm = createFormState();
  // What went wrong decides what the page offers next: a sign-in link while sign-in is paused,
  // the activation page while the account waits for its code.
  const [failure, setFailure] = createSignal<{ typename: string; email: string } | null>(null);
  const [linkSentTo, setLinkSentTo] = createSignal<string | null>(null);
  const unlock = () => (typeof params.unlock === "string" ? params.unlock : undefined);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const { email, password } = formValues(event.currentTarget as HTMLFormElement);
    setFailure(null);
    const outcome = await form.run(
      () => mutate(SIGN_IN, { email: email ?? "", password: password ?? "", unlock: unlock() }),
      (result) => continueAfterSignIn(result, navigate, typeof params.next === "string" ? params.next : "/"),
    );
    if (!outcome.ok && outcome.error) setFailure({ typename: outcome.error.__typename, email: email ?? "" });
  };
  const requestLink = (email: string) =>
    linkForm.run(
      () => mutate(REQUEST_LINK, { email }),
      (sent) => setLinkSentTo(sent.email),
    );
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
      <Show when={unlock() && !form.message()}>
        <Alert kind="info">Enter your password: the link you followed lets it through once.</Alert>
      </Show>
      <FormAlert form={form}>
        <Show when={failure()?.typename === "ActivationPendingError" && failure()}>
          {(f) => (
            <>
              {" "}
              <A href={`/register/verify?email=${encodeURIComponent(f().email)}`}>Enter the code or get a new one</A>
            </>
          )}
        </Show>
        <Show when={failure()?.typename === "RateLimitedError" && !unlock() && failure()}>
          {(f) => (
            <p>
              <button
                type="button"
                class="button button--secondary"
                disabled={linkForm.submitting()}
                onClick={() => requestLink(f().email)}
              >
                Email me a sign-in link
              </button>
            </p>
          )}
        </Show>
      </FormAlert>
      <FormAlert form={linkForm} />
      <Show when={linkSentTo()}>
        {(to) => <Alert kind="success">We sent a sign-in link to {to()}. It works once, with your password, for 30 minutes.</Alert>}
      </Show>
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
