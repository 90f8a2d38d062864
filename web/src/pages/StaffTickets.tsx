import { A, useSearchParams } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { Page } from "../components/Page";
import { RequireStaff } from "../components/tickets/RequireStaff";
import { formatDate } from "../lib/format";
import { graphql } from "../lib/gql";
import { query } from "../lib/graphql";
import { DESK_STATE_LABELS, TOPICS, topicLabel } from "../lib/tickets";

const QUEUE = graphql(`
  query DeskTickets($state: TicketState, $topic: TicketTopic, $assignee: String) {
    deskTickets(state: $state, topic: $topic, assignee: $assignee) {
      id subject state topic requesterEmail updatedAt assignee { id name }
    }
    deskStaff { id name }
  }
`);

type StateValue = "NEW" | "OPEN" | "PENDING" | "SOLVED" | "CLOSED";
type TopicValue = (typeof TOPICS)[number]["value"];

/** The staff desk's queue; the filters live in the address, so a view can be shared. */
function Queue() {
  const [params, setParams] = useSearchParams();
  const filters = () => ({
    state: (params.state as StateValue | undefined) || null,
    topic: (params.topic as TopicValue | undefined) || null,
    assignee: (params.assignee as string | undefined) || null,
  });
  const [data] = createResource(filters, (vars) => query(QUEUE, vars));
  return (
    <Page title="Support desk" lead="New, open and pending tickets unless you choose a state; the longest waiting first.">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="filter-state">State</label>
          <select
            id="filter-state"
            value={filters().state ?? ""}
            onChange={(e) => setParams({ state: e.currentTarget.value || undefined })}
          >
            <option value="">Needs work (new, open, pending)</option>
            <For each={Object.entries(DESK_STATE_LABELS)}>{([value, label]) => <option value={value}>{label}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="filter-topic">Topic</label>
          <select
            id="filter-topic"
            value={filters().topic ?? ""}
            onChange={(e) => setParams({ topic: e.currentTarget.value || undefined })}
          >
            <option value="">Any topic</option>
            <For each={TOPICS}>{(t) => <option value={t.value}>{t.label}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="filter-assignee">Assignee</label>
          <select
            id="filter-assignee"
            value={filters().assignee ?? ""}
            onChange={(e) => setParams({ assignee: e.currentTarget.value || undefined })}
          >
            <option value="">Anyone</option>
            <option value="none">Unassigned</option>
            <For each={data()?.deskStaff ?? []}>{(s) => <option value={s.id}>{s.name}</option>}</For>
          </select>
        </div>
      </form>
      <Show when={data()} fallback={<p class="loading">Loading…</p>}>
        {(d) => (
          <Show when={d().deskTickets.length > 0} fallback={<p>No tickets match.</p>}>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Requester</th>
                  <th scope="col">Topic</th>
                  <th scope="col">State</th>
                  <th scope="col">Assignee</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                <For each={d().deskTickets}>
                  {(t) => (
                    <tr>
                      <td>
                        <A href={`/staff/tickets/${t.id}`}>{t.subject}</A>
                      </td>
                      <td>{t.requesterEmail}</td>
                      <td>{topicLabel(t.topic)}</td>
                      <td>{DESK_STATE_LABELS[t.state]}</td>
                      <td>{t.assignee?.name ?? "Unassigned"}</td>
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

export default function StaffTickets() {
  return (
    <RequireStaff>
      <Queue />
    </RequireStaff>
  );
}
