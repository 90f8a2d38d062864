import { A, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { EmailedCodeField } from "../components/EmailedCodeField";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../lib/gql";
import { mutate } from "../lib/graphql";
import { nextQuery } from "../lib/sign-in-flow";

const ACTIVATE = graphql(
  `mutation ActivateAccount($email: String!, $code: String!) {
    activateAccount(email: $email, code: $code) { __typename ...ErrorFields ... on AccountActivated { email reconnected } }
  }`,
  [ErrorFields],
);
const RESEND = graphql(
  `mutation ResendActivationCode($email: String!) {
    resendActivationCode(email: $email) { __typename ...ErrorFields ... on CodeSent { email } }
  }`,
  [ErrorFields],
);
type Activated = Extract<ResultOf<typeof ACTIVATE>["activateAccount"], { __typename: "AccountActivated" }>;

export default function VerifyRegistration() {
  const [params] = useSearchParams();
  const email = () => (typeof params.email === "string" ? params.email : "");
  const form = createFormState();
  const resend = createFormState();
  const [activated, setActivated] = createSignal<Activated | null>(null);
  const [resent, setResent] = createSignal(false);

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const values = formValues(event.currentTarget as HTMLFormElement);
    setResent(false);
    return form.run(() => mutate(ACTIVATE, { email: values.email ?? "", code: values.code ?? "" }), setActivated);
  };
  const onResend = () => {
    setResent(false);
    return resend.run(
      () => mutate(RESEND, { email: email() }),
      () => {
        // The old code's "expired" or "not correct" is about a code that no longer counts.
        form.clear();
        setResent(true);
      },
    );
  };

  return (
    <Page title="Thank you for registering" narrow>
      <Show
        when={activated()}
        fallback={
          <>
            <p>
              We sent an activation email with a verification code to <strong>{email() || "your address"}</strong>. Copy the code from the
              email and paste it here. It works for 10 minutes.
            </p>
            <FormAlert form={form} />
            <form onSubmit={onSubmit} novalidate>
              <Show when={!params.email}>
                <Field label="Email" name="email" type="email" autocomplete="email" required error={form.fieldErrors().email} />
              </Show>
              <Show when={params.email}>
                <input type="hidden" name="email" value={email()} />
              </Show>
              <EmailedCodeField label="Verification code" maxLength={12} error={form.fieldErrors().code} />
              <Button busy={form.submitting()} busyLabel="Checking…">
                Next
              </Button>
            </form>
            <div class="resend">
              <Show when={resent()}>
                <Alert kind="info">A new code is on its way. The previous code no longer works.</Alert>
              </Show>
              <FormAlert form={resend} />
              <Button type="button" variant="link" busy={resend.submitting()} busyLabel="Sending…" onClick={onResend} disabled={!email()}>
                Resend code
              </Button>
            </div>
          </>
        }
      >
        <Alert kind="success" title="Thank you for registering your account.">
          <Show
            when={activated()?.reconnected}
            fallback="Your account has now been activated and you can log in using your email and password."
          >
            You are connected back to your existing account, with the password you just chose. You can log in using your email and that
            password.
          </Show>
        </Alert>
        <p>
          <A
            class="button button--primary"
            href={`/sign-in?email=${encodeURIComponent(activated()?.email ?? "")}${nextQuery(params.next)}`}
          >
            Sign in
          </A>
        </p>
      </Show>
    </Page>
  );
}
