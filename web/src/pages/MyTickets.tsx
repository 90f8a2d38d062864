import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { Page } from "../components/Page";
import { formatDate } from "../lib/format";
import { graphql } from "../lib/gql";
import { query } from "../lib/graphql";
import { requestPath, STATE_LABELS, topicLabel } from "../lib/tickets";

const MY_TICKETS = graphql(`query MyTickets { myTickets { id subject state topic updatedAt } }`);

/** My Tickets: the requests sent as me, or signed out from one of my verified addresses. */
export default function MyTickets() {
  const [tickets] = createResource(async () => (await query(MY_TICKETS)).myTickets);
  return (
    <Page title="My Tickets" lead="Your requests to Laurel support, including those sent signed out from one of your email addresses.">
      <p>
        <A href={requestPath()} class="button button--secondary">
          Submit a request
        </A>
      </p>
      <Show when={tickets()} fallback={<p class="loading">Loading…</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p>You have not sent any requests yet.</p>}>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Topic</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last activity</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(t) => (
                    <tr>
                      <td>
                        <A href={`/help/requests/${t.id}`}>{t.subject}</A>
                      </td>
                      <td>{topicLabel(t.topic)}</td>
                      <td>{STATE_LABELS[t.state]}</td>
                      <td>{formatDate(t.updatedAt)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
    </Page>
  );
}
