import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { EmailedCodeField } from "../components/EmailedCodeField";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { spentChallenge, TurnstileField } from "../components/TurnstileField";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";
import { currentUser } from "../lib/session";
import { TOPICS, type TopicValue } from "../lib/tickets";

const SUBMIT = graphql(
  `mutation SubmitSupportRequest($subject: String!, $description: String!, $topic: TicketTopic!, $sourcePage: String) {
    submitSupportRequest(subject: $subject, description: $description, topic: $topic, sourcePage: $sourcePage) {
      __typename ...ErrorFields ... on SupportTicket { id }
    }
  }`,
  [ErrorFields],
);

const REQUEST_CODE = graphql(
  `mutation RequestSupportCode($email: String!, $subject: String!, $description: String!, $topic: TicketTopic!, $sourcePage: String, $turnstileToken: String) {
    requestSupportCode(email: $email, subject: $subject, description: $description, topic: $topic, sourcePage: $sourcePage, turnstileToken: $turnstileToken) {
      __typename ...ErrorFields ... on CodeSent { email }
    }
  }`,
  [ErrorFields],
);

const CONFIRM = graphql(
  `mutation ConfirmSupportRequest($email: String!, $code: String!) {
    confirmSupportRequest(email: $email, code: $code) { __typename ...ErrorFields ... on CodeSent { email } }
  }`,
  [ErrorFields],
);

/**
 * Submit a request. Signed in, it is sent as the user. Signed out (someone locked out of their
 * authenticator, say), the address is confirmed by an emailed code first, and the link to the
 * request arrives by email.
 */
export default function SubmitRequest() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const sourcePage = () => (typeof params.from === "string" && params.from.startsWith("/") ? params.from : null);
  const form = createFormState();
  const [attempt, setAttempt] = createSignal(0);
  const [codeSentTo, setCodeSentTo] = createSignal<string | null>(null);
  const [filed, setFiled] = createSignal<string | null>(null);

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const v = formValues(event.currentTarget as HTMLFormElement);
    const request = { subject: v.subject ?? "", description: v.description ?? "", topic: v.topic as TopicValue, sourcePage: sourcePage() };
    if (currentUser()) {
      await form.run(
        () => mutate(SUBMIT, request),
        (ticket) => navigate(`/help/requests/${ticket.id}?submitted=1`),
      );
      return;
    }
    const outcome = await form.run(
      () => mutate(REQUEST_CODE, { ...request, email: v.email ?? "", turnstileToken: v.turnstileToken || null }),
      (sent) => setCodeSentTo(sent.email),
    );
    if (!outcome.ok && v.turnstileToken && spentChallenge(outcome.fieldErrors)) setAttempt(attempt() + 1);
  };

  const onConfirm = async (event: SubmitEvent) => {
    event.preventDefault();
    const { code } = formValues(event.currentTarget as HTMLFormElement);
    await form.run(
      () => mutate(CONFIRM, { email: codeSentTo() ?? "", code: code ?? "" }),
      (sent) => setFiled(sent.email),
    );
  };

  return (
    <Page title="Submit a request" lead="Tell Laurel support what happened. We answer by email, and you can follow the conversation here.">
      <Show
        when={!filed()}
        fallback={
          <Alert kind="success" title="Request sent">
            We emailed {filed()} a link to your request. Open it to read our answers and reply. <A href="/help">Back to the help centre</A>
          </Alert>
        }
      >
        <FormAlert form={form} />
        <Show
          when={!codeSentTo()}
          fallback={
            <form onSubmit={onConfirm} novalidate>
              <p>
                We sent a code to <strong>{codeSentTo()}</strong>. Enter it to send your request.
              </p>
              <EmailedCodeField maxLength={6} error={form.fieldErrors().code} />
              <Button busy={form.submitting()} busyLabel="Sending…">
                Send request
              </Button>
            </form>
          }
        >
          <form onSubmit={onSubmit} novalidate>
            <Show when={!currentUser.loading && !currentUser()}>
              <Field
                label="Your email address"
                name="email"
                type="email"
                autocomplete="email"
                required
                hint="We email a code to this address to confirm it is yours, then our answers."
                error={form.fieldErrors().email}
              />
            </Show>
            <Field label="Subject" name="subject" required maxLength={150} error={form.fieldErrors().subject} />
            <div class="field" classList={{ "field--invalid": Boolean(form.fieldErrors().topic) }}>
              <label for="request-topic">What is it about?</label>
              <select id="request-topic" name="topic">
                <For each={TOPICS}>{(t) => <option value={t.value}>{t.label}</option>}</For>
              </select>
            </div>
            <Field
              label="Description"
              name="description"
              rows={8}
              required
              maxLength={10000}
              hint="What you did, what you expected and what happened instead. Markdown works (**bold**, lists, links)."
              error={form.fieldErrors().description}
            />
            <Show when={sourcePage()}>
              <p class="field__hint">Sent from the page {sourcePage()}.</p>
            </Show>
            <Show when={!currentUser.loading && !currentUser()}>
              <TurnstileField action="ticket" attempt={attempt()} error={form.fieldErrors().turnstileToken} />
            </Show>
            <Button busy={form.submitting()} busyLabel="Sending…">
              {currentUser() ? "Submit" : "Email me a code"}
            </Button>
          </form>
        </Show>
      </Show>
    </Page>
  );
}
