import { A, useNavigate } from "@solidjs/router";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";

const REQUEST = graphql(
  `mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) { __typename ...ErrorFields ... on CodeSent { email } }
  }`,
  [ErrorFields],
);

export default function ForgotPassword() {
  const navigate = useNavigate();
  const form = createFormState();
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const { email } = formValues(event.currentTarget as HTMLFormElement);
    return form.run(
      () => mutate(REQUEST, { email: email ?? "" }),
      (sent) => navigate(`/reset-password?email=${encodeURIComponent(sent.email)}&sent=1`),
    );
  };
  return (
    <Page title="Forgot your password?" narrow lead="Enter the email of your account. We'll email you a code to choose a new password.">
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <Field label="Email" name="email" type="email" autocomplete="email" required error={form.fieldErrors().email} />
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
