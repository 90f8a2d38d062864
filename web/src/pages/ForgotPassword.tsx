import { A, useNavigate } from "@solidjs/router";
import { createSignal } from "solid-js";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { spentChallenge, TurnstileField } from "../components/TurnstileField";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";

const REQUEST = graphql(
  `mutation RequestPasswordReset($email: String!, $turnstileToken: String) {
    requestPasswordReset(email: $email, turnstileToken: $turnstileToken) { __typename ...ErrorFields ... on CodeSent { email } }
  }`,
  [ErrorFields],
);

export default function ForgotPassword() {
  const navigate = useNavigate();
  const form = createFormState();
  // Counts the answers that sent the form back: the human test starts over after each.
  const [attempt, setAttempt] = createSignal(0);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const { email, turnstileToken } = formValues(event.currentTarget as HTMLFormElement);
    const outcome = await form.run(
      () => mutate(REQUEST, { email: email ?? "", turnstileToken: turnstileToken || null }),
      (sent) => navigate(`/reset-password?email=${encodeURIComponent(sent.email)}&sent=1`),
    );
    if (!outcome.ok && turnstileToken && spentChallenge(outcome.fieldErrors)) setAttempt(attempt() + 1);
  };
  return (
    <Page title="Forgot your password?" narrow lead="Enter the email of your account. We'll email you a code to choose a new password.">
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <Field label="Email" name="email" type="email" autocomplete="email" required error={form.fieldErrors().email} />
        <TurnstileField action="password-reset" attempt={attempt()} error={form.fieldErrors().turnstileToken} />
        <Button busy={form.submitting()} busyLabel="Sending…">
          Email me a code
        </Button>
      </form>
      <p class="form-links">
        Remembered it? <A href="/sign-in">Sign in</A>
      </p>
    </Page>
  );
}
