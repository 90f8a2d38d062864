import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, Match, Show, Switch } from "solid-js";
import { Button } from "../components/Button";
import { Checkbox, Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { AuthenticatorCodeField } from "../components/mfa/AuthenticatorCodeField";
import { RecoveryCodeNotice } from "../components/mfa/RecoveryCodeNotice";
import { Page } from "../components/Page";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";
import { continueAfterSignIn, SignInStepFields } from "../lib/sign-in-flow";
import { ACKNOWLEDGE } from "./MfaSetup";

const VERIFY = graphql(
  `mutation VerifySignInCode($code: String!, $remember: Boolean!) {
    verifySignInCode(code: $code, rememberDevice: $remember) { __typename ...ErrorFields ...SignInStepFields }
  }`,
  [ErrorFields, SignInStepFields],
);
const RECOVER = graphql(
  `mutation VerifyRecoveryCode($code: String!) {
    verifyRecoveryCode(code: $code) { __typename ...ErrorFields ... on RecoveryCodeIssued { recoveryCode } }
  }`,
  [ErrorFields],
);

/** The second step of sign-in: a code from the app, or the recovery code. */
export default function SecondFactor() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = () => (typeof params.next === "string" ? params.next : "/");
  const [method, setMethod] = createSignal<"app" | "recovery">("app");
  const [newCode, setNewCode] = createSignal<string | null>(null);
  const form = createFormState();
  const finish = createFormState();
  // The pending sign-in is over: only starting again helps, so the message links there.
  const [expired, setExpired] = createSignal(false);

  const onCode = async (event: SubmitEvent) => {
    event.preventDefault();
    const values = formValues(event.currentTarget as HTMLFormElement);
    const outcome = await form.run(
      () => mutate(VERIFY, { code: values.code ?? "", remember: values.remember === "on" }),
      (step) => continueAfterSignIn(step, navigate, next()),
    );
    setExpired(!outcome.ok && outcome.error?.__typename === "SignInExpiredError");
  };
  const onRecovery = async (event: SubmitEvent) => {
    event.preventDefault();
    const { code } = formValues(event.currentTarget as HTMLFormElement);
    const outcome = await form.run(
      () => mutate(RECOVER, { code: code ?? "" }),
      (issued) => setNewCode(issued.recoveryCode),
    );
    setExpired(!outcome.ok && outcome.error?.__typename === "SignInExpiredError");
  };
  const onContinue = () =>
    finish.run(
      () => mutate(ACKNOWLEDGE),
      (step) => continueAfterSignIn(step, navigate, next()),
    );
  const switchTo = (to: "app" | "recovery") => {
    form.setMessage(null);
    setExpired(false);
    setMethod(to);
  };

  return (
    <Page title={newCode() ? "Your new recovery code" : "Two-step sign-in"} narrow>
      <FormAlert form={form}>
        <Show when={expired()}>
          {" "}
          <A href="/sign-in">Sign in again</A>
        </Show>
      </FormAlert>
      <Switch>
        <Match when={newCode()}>
          {(code) => (
            <RecoveryCodeNotice
              code={code()}
              intro="You signed in with your recovery code, so it no longer works. This is your new one."
              busy={finish.submitting()}
              form={finish}
              onContinue={onContinue}
            />
          )}
        </Match>
        <Match when={method() === "app"}>
          <p>Open your authenticator app and enter the 6-digit code it shows for Laurel.</p>
          <form onSubmit={onCode} novalidate>
            <AuthenticatorCodeField label="Code from the app" autofocus error={form.fieldErrors().code} />
            <Checkbox name="remember">Remember this device for 30 days</Checkbox>
            <Button busy={form.submitting()} busyLabel="Checking…">
              Continue
            </Button>
          </form>
          <p>
            <button type="button" class="button button--link" onClick={() => switchTo("recovery")}>
              Try another method
            </button>
          </p>
        </Match>
        <Match when={method() === "recovery"}>
          <p>Enter the recovery code you saved when you set up two-step sign-in. It works once; you'll get a new one.</p>
          <form onSubmit={onRecovery} novalidate>
            <Field
              label="Recovery code"
              name="code"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              required
              error={form.fieldErrors().code}
            />
            <Button busy={form.submitting()} busyLabel="Checking…">
              Continue
            </Button>
          </form>
          <p>
            <button type="button" class="button button--link" onClick={() => switchTo("app")}>
              Use the authenticator app instead
            </button>
          </p>
        </Match>
      </Switch>
    </Page>
  );
}
