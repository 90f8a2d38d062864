import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { Conversation } from "../components/tickets/Conversation";
import { RequireStaff } from "../components/tickets/RequireStaff";
import { formatDate } from "../lib/format";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { DESK_STATE_LABELS, topicLabel } from "../lib/tickets";

const TICKET = graphql(`
  query DeskTicket($id: ID!) {
    deskTicket(id: $id) {
      id subject state topic requesterEmail signedInWhenFiled sourcePage followUpOfId rating ratingComment createdAt
      assignee { id name }
      comments { id internal fromSupport authorName bodyHtml createdAt }
      requesterAccount {
        status mfaEnabledAt
        user { id name }
        emails { id address isPrimary }
        ssoIdentities { id provider email }
      }
    }
    deskStaff { id name }
  }
`);

const REPLY = graphql(
  `mutation ReplyToDeskTicket($id: ID!, $body: String!, $internal: Boolean!, $state: TicketState) {
    replyToDeskTicket(id: $id, body: $body, internal: $internal, state: $state) { __typename ...ErrorFields ... on DeskTicket { id } }
  }`,
  [ErrorFields],
);
const SET_STATE = graphql(
  `mutation SetDeskTicketState($id: ID!, $state: TicketState!) {
    setDeskTicketState(id: $id, state: $state) { __typename ...ErrorFields ... on DeskTicket { id } }
  }`,
  [ErrorFields],
);
const ASSIGN = graphql(
  `mutation AssignDeskTicket($id: ID!, $assigneeId: ID) {
    assignDeskTicket(id: $id, assigneeId: $assigneeId) { __typename ...ErrorFields ... on DeskTicket { id } }
  }`,
  [ErrorFields],
);
const RESET_MFA = graphql(
  `mutation ResetTicketRequesterMfa($id: ID!, $reason: String!) {
    resetTicketRequesterMfa(id: $id, reason: $reason) { __typename ...ErrorFields ... on User { id } }
  }`,
  [ErrorFields],
);

type StateValue = "NEW" | "OPEN" | "PENDING" | "SOLVED" | "CLOSED";
const TARGETS: StateValue[] = ["OPEN", "PENDING", "SOLVED"];

function Desk() {
  const params = useParams();
  const [data, { refetch }] = createResource(
    () => params.id ?? "",
    (id) => query(TICKET, { id }),
  );
  const reply = createFormState();
  const state = createFormState();
  const assign = createFormState();
  const reset = createFormState();
  const [resetDone, setResetDone] = createSignal(false);

  const onReply = async (event: SubmitEvent) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const v = formValues(formElement);
    await reply.run(
      () =>
        mutate(REPLY, {
          id: params.id ?? "",
          body: v.body ?? "",
          internal: v.visibility === "internal",
          state: (v.state as StateValue | "") || null,
        }),
      async () => {
        formElement.reset();
        await refetch();
      },
    );
  };
  const onState = (to: StateValue) =>
    state.run(
      () => mutate(SET_STATE, { id: params.id ?? "", state: to }),
      () => refetch(),
    );
  const onAssign = (assigneeId: string) =>
    assign.run(
      () => mutate(ASSIGN, { id: params.id ?? "", assigneeId: assigneeId || null }),
      () => refetch(),
    );
  const onReset = async (event: SubmitEvent) => {
    event.preventDefault();
    const { reason } = formValues(event.currentTarget as HTMLFormElement);
    await reset.run(
      () => mutate(RESET_MFA, { id: params.id ?? "", reason: reason ?? "" }),
      async () => {
        setResetDone(true);
        await refetch();
      },
    );
  };

  return (
    <Show when={data()} fallback={<p class="loading">Loading…</p>}>
      {(d) => (
        <Show when={d().deskTicket} fallback={<Page title="Ticket not found">There is no such ticket.</Page>}>
          {(t) => (
            <Page title={t().subject}>
              <p>
                <A href="/staff/tickets">Back to the queue</A>
              </p>
              <p class="help-meta">
                <span>State: {DESK_STATE_LABELS[t().state]}</span> · <span>{topicLabel(t().topic)}</span> ·{" "}
                <span>From {t().requesterEmail}</span> · <span>{t().signedInWhenFiled ? "Sent signed in" : "Sent signed out"}</span>
                <Show when={t().sourcePage}>
                  {" "}
                  · <span>Started on {t().sourcePage}</span>
                </Show>
                <Show when={t().followUpOfId}>
                  {(id) => (
                    <>
                      {" "}
                      · <A href={`/staff/tickets/${id()}`}>Follow-up of a closed ticket</A>
                    </>
                  )}
                </Show>
              </p>
              <Show when={t().rating}>
                <p>
                  Rated {t().rating}
                  <Show when={t().ratingComment}>: “{t().ratingComment}”</Show>
                </p>
              </Show>
              <div class="desk">
                <div class="desk__main">
                  <Conversation comments={t().comments} />
                  <Show when={t().state !== "CLOSED"}>
                    <section class="panel" aria-labelledby="desk-reply-heading">
                      <h2 id="desk-reply-heading">Reply</h2>
                      <FormAlert form={reply} />
                      <form onSubmit={onReply} novalidate>
                        <fieldset>
                          <legend>Visibility</legend>
                          <label>
                            <input type="radio" name="visibility" value="public" checked /> Public reply (emailed to the requester)
                          </label>
                          <label>
                            <input type="radio" name="visibility" value="internal" /> Internal note (staff only)
                          </label>
                        </fieldset>
                        <Field label="Message" name="body" rows={6} required maxLength={10000} error={reply.fieldErrors().body} />
                        <div class="field">
                          <label for="desk-reply-state">Then set the state to</label>
                          <select id="desk-reply-state" name="state">
                            <option value="">Keep it as it is</option>
                            <For each={TARGETS}>{(s) => <option value={s}>{DESK_STATE_LABELS[s]}</option>}</For>
                          </select>
                        </div>
                        <Button busy={reply.submitting()} busyLabel="Sending…">
                          Send
                        </Button>
                      </form>
                    </section>
                  </Show>
                </div>
                <aside class="desk__side" aria-label="Ticket and requester">
                  <section class="panel" aria-labelledby="desk-state-heading">
                    <h2 id="desk-state-heading">State and assignee</h2>
                    <FormAlert form={state} />
                    <Show when={t().state !== "CLOSED"} fallback={<p>Closed: no more changes.</p>}>
                      <p class="button-row">
                        <For each={TARGETS.filter((s) => s !== t().state)}>
                          {(s) => (
                            <Button type="button" variant="secondary" busy={state.submitting()} onClick={() => onState(s)}>
                              Mark {DESK_STATE_LABELS[s]?.toLowerCase()}
                            </Button>
                          )}
                        </For>
                      </p>
                      <FormAlert form={assign} />
                      <div class="field">
                        <label for="desk-assignee">Assignee</label>
                        <select id="desk-assignee" value={t().assignee?.id ?? ""} onChange={(e) => onAssign(e.currentTarget.value)}>
                          <option value="">Unassigned</option>
                          <For each={d().deskStaff}>{(s) => <option value={s.id}>{s.name}</option>}</For>
                        </select>
                      </div>
                    </Show>
                  </section>
                  <section class="panel" aria-labelledby="desk-account-heading">
                    <h2 id="desk-account-heading">Requester's account</h2>
                    <Show when={t().requesterAccount} fallback={<p>No Laurel account uses {t().requesterEmail}.</p>}>
                      {(a) => (
                        <>
                          <p>
                            {a().user.name} ({a().status})
                          </p>
                          <h3>Email addresses</h3>
                          <ul>
                            <For each={a().emails}>
                              {(e) => (
                                <li>
                                  {e.address}
                                  <Show when={e.isPrimary}> (primary)</Show>
                                </li>
                              )}
                            </For>
                          </ul>
                          <h3>Two-step sign-in</h3>
                          <p>{a().mfaEnabledAt ? `Authenticator since ${formatDate(a().mfaEnabledAt)}` : "No authenticator set up"}</p>
                          <h3>Single sign-on</h3>
                          <Show when={a().ssoIdentities.length > 0} fallback={<p>No linked Google or Microsoft account.</p>}>
                            <ul>
                              <For each={a().ssoIdentities}>
                                {(i) => (
                                  <li>
                                    {i.provider}
                                    <Show when={i.email}> ({i.email})</Show>
                                  </li>
                                )}
                              </For>
                            </ul>
                          </Show>
                          <Show when={resetDone()}>
                            <Alert kind="success">
                              The authenticator was removed; the requester sets up a new one at the next sign-in.
                            </Alert>
                          </Show>
                          <Show when={a().mfaEnabledAt}>
                            <FormAlert form={reset} />
                            <form onSubmit={onReset} novalidate>
                              <Field
                                label="Reason for the MFA reset"
                                name="reason"
                                required
                                hint="Recorded in the audit log with this ticket."
                                error={reset.fieldErrors().reason}
                              />
                              <Button variant="danger" busy={reset.submitting()} busyLabel="Resetting…">
                                Reset two-step sign-in
                              </Button>
                            </form>
                          </Show>
                        </>
                      )}
                    </Show>
                  </section>
                </aside>
              </div>
            </Page>
          )}
        </Show>
      )}
    </Show>
  );
}

export default function StaffTicket() {
  return (
    <RequireStaff>
      <Desk />
    </RequireStaff>
  );
}
