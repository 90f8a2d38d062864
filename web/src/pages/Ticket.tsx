import { A, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { Conversation } from "../components/tickets/Conversation";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { currentUser } from "../lib/session";
import { STATE_LABELS, topicLabel } from "../lib/tickets";

const TicketFields = graphql(`
  fragment TicketFields on SupportTicket {
    id subject state topic rating ratingComment followUpOfId createdAt
    comments { id fromSupport authorName bodyHtml createdAt }
  }
`);

const TICKET = graphql(
  `query SupportTicket($id: ID!, $token: String) { supportTicket(id: $id, accessToken: $token) { ...TicketFields } }`,
  [TicketFields],
);

const REPLY = graphql(
  `mutation ReplyToSupportTicket($id: ID!, $token: String, $body: String!) {
    replyToSupportTicket(id: $id, accessToken: $token, body: $body) {
      __typename ...ErrorFields ... on SupportReplySent { followUp ticket { id } }
    }
  }`,
  [ErrorFields],
);

const SOLVE = graphql(
  `mutation SolveSupportTicket($id: ID!, $token: String) {
    solveSupportTicket(id: $id, accessToken: $token) { __typename ...ErrorFields ... on SupportTicket { id } }
  }`,
  [ErrorFields],
);

const RATE = graphql(
  `mutation RateSupportTicket($id: ID!, $token: String, $good: Boolean!, $comment: String) {
    rateSupportTicket(id: $id, accessToken: $token, good: $good, comment: $comment) { __typename ...ErrorFields ... on SupportTicket { id } }
  }`,
  [ErrorFields],
);

/** One request as its requester sees it: signed in, or through the link in our emails. */
export default function Ticket() {
  const params = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const token = () => (typeof search.token === "string" ? search.token : null);
  const [ticket, { refetch }] = createResource(
    () => ({ id: params.id ?? "", token: token() }),
    async (vars) => (await query(TICKET, vars)).supportTicket,
  );
  const reply = createFormState();
  const [followUpSent, setFollowUpSent] = createSignal(false);
  const solve = createFormState();
  const rate = createFormState();
  // Keeps the link's token when moving to a follow-up, so a signed-out requester stays in.
  const linkTo = (id: string) => `/help/requests/${id}${token() ? `?token=${encodeURIComponent(token() ?? "")}` : ""}`;

  const onReply = async (event: SubmitEvent) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const { body } = formValues(formElement);
    await reply.run(
      () => mutate(REPLY, { id: params.id ?? "", token: token(), body: body ?? "" }),
      async (sent) => {
        formElement.reset();
        // A signed-out requester gets the follow-up's own link by email.
        if (sent.followUp && currentUser()) navigate(`/help/requests/${sent.ticket.id}?followUp=1`);
        else if (sent.followUp) setFollowUpSent(true);
        else await refetch();
      },
    );
  };
  const onSolve = () =>
    solve.run(
      () => mutate(SOLVE, { id: params.id ?? "", token: token() }),
      () => refetch(),
    );
  const onRate = async (event: SubmitEvent) => {
    event.preventDefault();
    const { good, comment } = formValues(event.currentTarget as HTMLFormElement);
    await rate.run(
      () => mutate(RATE, { id: params.id ?? "", token: token(), good: good === "yes", comment: comment || null }),
      () => refetch(),
    );
  };

  return (
    <Show when={!ticket.loading || ticket()} fallback={<p class="loading">Loading…</p>}>
      <Show
        when={ticket()}
        fallback={
          <Page title="Request not found">
            <p>This request does not exist, or you need to sign in (or use the link in our email) to see it.</p>
            <p>
              <A href="/help/requests">My Tickets</A>
            </p>
          </Page>
        }
      >
        {(t) => (
          <Page title={t().subject}>
            <Show when={search.submitted}>
              <Alert kind="success">Your request was sent. We also emailed you a link to it.</Alert>
            </Show>
            <Show when={search.followUp}>
              <Alert kind="info">Your earlier request was closed, so your reply started this follow-up.</Alert>
            </Show>
            <p class="help-meta">
              <span>Status: {STATE_LABELS[t().state]}</span> · <span>{topicLabel(t().topic)}</span>
              <Show when={t().followUpOfId}>
                {(id) => (
                  <>
                    {" "}
                    · <A href={linkTo(id())}>Follow-up of an earlier request</A>
                  </>
                )}
              </Show>
            </p>
            <Show when={followUpSent()}>
              <Alert kind="success">This request was closed, so your reply started a follow-up request. We emailed you its link.</Alert>
            </Show>
            <Conversation comments={t().comments} />
            <Show when={t().state === "SOLVED" || t().state === "CLOSED"}>
              <section class="panel" aria-labelledby="rating-heading">
                <h2 id="rating-heading">How would you rate the support you received?</h2>
                <Show when={t().rating}>
                  <p>
                    You rated it {t().rating === "good" ? "Good, I'm satisfied" : "Bad, I'm unsatisfied"}.
                    <Show when={t().ratingComment}> “{t().ratingComment}”</Show>
                  </p>
                </Show>
                <FormAlert form={rate} />
                <form onSubmit={onRate} novalidate>
                  <fieldset>
                    <legend>Your rating</legend>
                    <label>
                      <input type="radio" name="good" value="yes" checked={t().rating !== "bad"} /> Good, I'm satisfied
                    </label>
                    <label>
                      <input type="radio" name="good" value="no" checked={t().rating === "bad"} /> Bad, I'm unsatisfied
                    </label>
                  </fieldset>
                  <Field label="Comment (optional)" name="comment" rows={3} maxLength={2000} error={rate.fieldErrors().comment} />
                  <Button variant="secondary" busy={rate.submitting()} busyLabel="Sending…">
                    Send rating
                  </Button>
                </form>
              </section>
            </Show>
            <section class="panel" aria-labelledby="reply-heading">
              <h2 id="reply-heading">{t().state === "CLOSED" ? "Reply (starts a follow-up request)" : "Add a reply"}</h2>
              <FormAlert form={reply} />
              <form onSubmit={onReply} novalidate>
                <Field label="Your reply" name="body" rows={5} required maxLength={10000} error={reply.fieldErrors().body} />
                <Button busy={reply.submitting()} busyLabel="Sending…">
                  Send reply
                </Button>
              </form>
              <Show when={["NEW", "OPEN", "PENDING"].includes(t().state)}>
                <FormAlert form={solve} />
                <p>
                  <Button type="button" variant="secondary" busy={solve.submitting()} busyLabel="Saving…" onClick={onSolve}>
                    My problem is solved
                  </Button>
                </p>
              </Show>
            </section>
          </Page>
        )}
      </Show>
    </Show>
  );
}
