import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { FormAlert } from "../components/FormAlert";
import { AuthenticatorCodeField } from "../components/mfa/AuthenticatorCodeField";
import { ENROLMENT_FIELDS, type Enrolment, QrEnrolment } from "../components/mfa/QrEnrolment";
import { RecoveryCodeNotice } from "../components/mfa/RecoveryCodeNotice";
import { Page } from "../components/Page";
import { createFormState, formValues } from "../lib/forms";
import { mutate, withErrors } from "../lib/graphql";
import { continueAfterSignIn, SIGN_IN_STEP, type SignInStep } from "../lib/sign-in-flow";

const BEGIN = `mutation { beginMfaSetup { ${withErrors(ENROLMENT_FIELDS)} } }`;
const CONFIRM = `mutation ($code: String!) { confirmMfaSetup(code: $code) { ${withErrors("... on RecoveryCodeIssued { recoveryCode }")} } }`;
export const ACKNOWLEDGE = `mutation { acknowledgeRecoveryCode { ${withErrors(SIGN_IN_STEP)} } }`;

/** First sign-in of an account without an authenticator: QR code, a code from the app, then the recovery code. */
export default function MfaSetup() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = () => (typeof params.next === "string" ? params.next : "/");
  const [enrolment] = createResource(() => mutate<Enrolment>(BEGIN));
  const form = createFormState();
  const finish = createFormState();
  const [recoveryCode, setRecoveryCode] = createSignal<string | null>(null);

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const { code } = formValues(event.currentTarget as HTMLFormElement);
    return form.run(
      () => mutate<{ recoveryCode: string }>(CONFIRM, { code }),
      (issued) => setRecoveryCode(issued.recoveryCode),
    );
  };
  const onContinue = () =>
    finish.run(
      () => mutate<SignInStep>(ACKNOWLEDGE),
      (step) => continueAfterSignIn(step, navigate, next()),
    );

  return (
    <Page title={recoveryCode() ? "Save your recovery code" : "Set up two-step sign-in"} narrow>
      <Show
        when={recoveryCode()}
        fallback={
          <Show when={enrolment()} fallback={<p class="loading">Preparing…</p>}>
            {(outcome) => (
              <Show
                when={outcome().ok && outcome()}
                fallback={
                  <Alert kind="error">
                    {outcome().ok ? "" : (outcome() as { message: string }).message} <A href="/sign-in">Sign in again</A>
                  </Alert>
                }
              >
                {(ready) => (
                  <>
                    <p>Every Laurel account signs in with a password and a code from an authenticator app on your phone or computer.</p>
                    <QrEnrolment enrolment={(ready() as { data: Enrolment }).data} />
                    <FormAlert form={form} />
                    <form onSubmit={onSubmit} novalidate>
                      <AuthenticatorCodeField label="Enter the 6-digit code the app shows" error={form.fieldErrors().code} />
                      <Button busy={form.submitting()} busyLabel="Checking…">
                        Next
                      </Button>
                    </form>
                  </>
                )}
              </Show>
            )}
          </Show>
        }
      >
        {(code) => (
          <RecoveryCodeNotice
            code={code()}
            intro="If you lose your phone, this recovery code is how you get back in."
            busy={finish.submitting()}
            form={finish}
            onContinue={onContinue}
          />
        )}
      </Show>
    </Page>
  );
}
