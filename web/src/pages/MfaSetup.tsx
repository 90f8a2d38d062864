import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { FormAlert } from "../components/FormAlert";
import { AuthenticatorCodeField } from "../components/mfa/AuthenticatorCodeField";
import { EnrolmentFields, QrEnrolment } from "../components/mfa/QrEnrolment";
import { RecoveryCodeNotice } from "../components/mfa/RecoveryCodeNotice";
import { Page } from "../components/Page";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";
import { continueAfterSignIn, SignInStepFields } from "../lib/sign-in-flow";

const BEGIN = graphql(
  `mutation BeginMfaSetup { beginMfaSetup { __typename ...ErrorFields ...EnrolmentFields ... on MfaEnrolment { hasPassword } } }`,
  [ErrorFields, EnrolmentFields],
);
const CONFIRM = graphql(
  `mutation ConfirmMfaSetup($code: String!) {
    confirmMfaSetup(code: $code) { __typename ...ErrorFields ... on RecoveryCodeIssued { recoveryCode } }
  }`,
  [ErrorFields],
);
export const ACKNOWLEDGE = graphql(
  `mutation AcknowledgeRecoveryCode { acknowledgeRecoveryCode { __typename ...ErrorFields ...SignInStepFields } }`,
  [ErrorFields, SignInStepFields],
);

/** First sign-in of an account without an authenticator: QR code, a code from the app, then the recovery code. */
export default function MfaSetup() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = () => (typeof params.next === "string" ? params.next : "/");
  const [enrolment] = createResource(() => mutate(BEGIN));
  const enrolled = () => {
    const outcome = enrolment();
    return outcome?.ok ? outcome.data : null;
  };
  const enrolmentFailure = () => {
    const outcome = enrolment();
    return outcome && !outcome.ok ? outcome.message : "";
  };
  const form = createFormState();
  const finish = createFormState();
  const [recoveryCode, setRecoveryCode] = createSignal<string | null>(null);

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const { code } = formValues(event.currentTarget as HTMLFormElement);
    return form.run(
      () => mutate(CONFIRM, { code: code ?? "" }),
      (issued) => setRecoveryCode(issued.recoveryCode),
    );
  };
  const onContinue = () =>
    finish.run(
      () => mutate(ACKNOWLEDGE),
      (step) => continueAfterSignIn(step, navigate, next()),
    );

  return (
    <Page title={recoveryCode() ? "Save your recovery code" : "Set up two-step sign-in"} narrow>
      <Show
        when={recoveryCode()}
        fallback={
          <Show when={enrolment()} fallback={<p class="loading">Preparing…</p>}>
            <Show
              when={enrolled()}
              fallback={
                <Alert kind="error">
                  {enrolmentFailure()} <A href="/sign-in">Sign in again</A>
                </Alert>
              }
            >
              {(ready) => (
                <>
                  <p>
                    <Show
                      when={ready().hasPassword === false}
                      fallback="Every Laurel account signs in in two steps: first your password (or a Google or Microsoft account you link), then a code from an authenticator app on your phone or computer."
                    >
                      Every Laurel account signs in in two steps: yours signs in with Google or Microsoft, and then asks for a code from an
                      authenticator app on your phone or computer.
                    </Show>
                  </p>
                  <QrEnrolment enrolment={ready()} />
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
