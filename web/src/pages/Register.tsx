import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { Button } from "../components/Button";
import { Checkbox, Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { SsoButtons } from "../components/SsoButtons";
import { spentChallenge, TurnstileField } from "../components/TurnstileField";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";
import { nextQuery } from "../lib/sign-in-flow";

const REGISTER = graphql(
  `mutation Register($firstName: String!, $lastName: String!, $email: String!, $password: String!, $acceptTerms: Boolean!, $turnstileToken: String) {
    register(firstName: $firstName, lastName: $lastName, email: $email, password: $password, acceptTerms: $acceptTerms, turnstileToken: $turnstileToken) {
      __typename ...ErrorFields ... on CodeSent { email }
    }
  }`,
  [ErrorFields],
);

export default function Register() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const form = createFormState();
  // Counts the answers that sent the form back: the human test starts over after each.
  const [attempt, setAttempt] = createSignal(0);
  const [email, setEmail] = createSignal(typeof params.email === "string" ? params.email : "");
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const values = formValues(event.currentTarget as HTMLFormElement);
    const sending = form.run(
      () =>
        mutate(REGISTER, {
          turnstileToken: values.turnstileToken || null,
          firstName: values.firstName ?? "",
          lastName: values.lastName ?? "",
          email: values.email ?? "",
          password: values.password ?? "",
          acceptTerms: values.acceptTerms === "on",
        }),
      // An invitation (or other page) that sent the visitor here gets them back after sign-in.
      (sent) => navigate(`/register/verify?email=${encodeURIComponent(sent.email)}${nextQuery(params.next)}`),
    );
    return sending.then((outcome) => {
      if (!outcome.ok && values.turnstileToken && spentChallenge(outcome.fieldErrors)) setAttempt(attempt() + 1);
    });
  };
  return (
    <Page title="Create your Laurel account" narrow lead="Your badges, from every issuer, in one place.">
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <div class="field-row">
          <Field label="First name" name="firstName" autocomplete="given-name" required error={form.fieldErrors().firstName} />
          <Field label="Last name" name="lastName" autocomplete="family-name" required error={form.fieldErrors().lastName} />
        </div>
        <Field
          label="Email"
          name="email"
          type="email"
          autocomplete="email"
          required
          value={email()}
          onInput={(e) => setEmail(e.currentTarget.value)}
          error={form.fieldErrors().email}
          hint={
            <Show when={email().includes("@")} fallback="We'll send an activation code to this address.">
              We'll send the activation code to <strong>{email().trim()}</strong>. Check it's right: you need to open that inbox.
            </Show>
          }
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint="8 to 128 characters. A few unrelated words make a strong password; common passwords are refused."
          error={form.fieldErrors().password}
        />
        <Checkbox name="acceptTerms" error={form.fieldErrors().acceptTerms}>
          Yes, I agree to the{" "}
          <A href="/terms" target="_blank">
            End user terms
          </A>{" "}
          and{" "}
          <A href="/privacy" target="_blank">
            Privacy policy
          </A>
        </Checkbox>
        <TurnstileField action="register" attempt={attempt()} error={form.fieldErrors().turnstileToken} />
        <Button busy={form.submitting()} busyLabel="Submitting…">
          Submit
        </Button>
      </form>
      <SsoButtons next="/" />
      <p class="form-links">
        Already registered? <A href="/sign-in">Sign in</A>
      </p>
    </Page>
  );
}
