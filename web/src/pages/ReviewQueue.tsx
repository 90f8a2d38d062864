import { A, useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { Button } from "../components/Button";
import { Page } from "../components/Page";
import { formatDate } from "../lib/format";
import { graphql, type ResultOf } from "../lib/gql";
import { query } from "../lib/graphql";
import { SUBMISSION_STATE_LABELS } from "../lib/micro";

const QUEUE = graphql(`query ReviewQueue($issuerId: ID!, $badgeClassId: ID, $states: [SubmissionState!], $after: String) {
  issuer(id: $issuerId) {
    id name myRole
    badgeClasses { id name microCredential { badgeClassId blindReview } }
    submissionQueue(badgeClassId: $badgeClassId, states: $states, first: 25, after: $after) {
      items { id state round daysWaiting submittedAt learnerName claimed claimedByMe badgeClass { id name } }
      hasNextPage endCursor
      counts { submitted resubmitted inReview returned awarded notAwarded }
    }
  }
}`);

type Issuer = NonNullable<ResultOf<typeof QUEUE>["issuer"]>;
type Item = Issuer["submissionQueue"]["items"][number];
type State = "SUBMITTED" | "RESUBMITTED" | "IN_REVIEW" | "RETURNED" | "AWARDED" | "NOT_AWARDED";

/** The filter's choices; "waiting" is what needs a decision (the queue's default). */
const STATE_FILTERS: { value: string; label: string; states: State[] | null }[] = [
  { value: "", label: "Waiting for a decision", states: null },
  { value: "SUBMITTED", label: "Submitted", states: ["SUBMITTED"] },
  { value: "RESUBMITTED", label: "Resubmitted", states: ["RESUBMITTED"] },
  { value: "IN_REVIEW", label: "In review", states: ["IN_REVIEW"] },
  { value: "RETURNED", label: "Returned for revision", states: ["RETURNED"] },
  { value: "AWARDED", label: "Awarded", states: ["AWARDED"] },
  { value: "NOT_AWARDED", label: "Not awarded", states: ["NOT_AWARDED"] },
];

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

/** An issuer's submissions for its owners and assessors: oldest hand-in first, filtered by badge and state. */
export default function ReviewQueue() {
  const params = useParams();
  const [search, setSearch] = useSearchParams();
  const badge = () => one(search.badge);
  const state = () => one(search.state);
  const filter = () => ({
    issuerId: params.id ?? "",
    badgeClassId: badge() || null,
    states: STATE_FILTERS.find((f) => f.value === state())?.states ?? null,
  });
  const [problem, setProblem] = createSignal<string | null>(null);
  // A refusal (not a reviewer here) is a message on the page, not a broken one.
  const [issuer] = createResource(filter, async (f) => {
    setProblem(null);
    try {
      return (await query(QUEUE, f)).issuer;
    } catch (error) {
      setProblem((error as Error).message);
      return null;
    }
  });
  // Pages after the first, added by "Show more"; a new filter starts again.
  const [more, setMore] = createSignal<Item[]>([]);
  const [cursor, setCursor] = createSignal<{ after: string | null; hasNext: boolean } | null>(null);
  const [loadingMore, setLoadingMore] = createSignal(false);
  createEffect(
    on(issuer, () => {
      setMore([]);
      setCursor(null);
    }),
  );
  const page = () =>
    cursor() ?? { after: issuer()?.submissionQueue.endCursor ?? null, hasNext: issuer()?.submissionQueue.hasNextPage ?? false };
  const showMore = async () => {
    setLoadingMore(true);
    try {
      const next = (await query(QUEUE, { ...filter(), after: page().after })).issuer?.submissionQueue;
      if (next) {
        setMore([...more(), ...next.items]);
        setCursor({ after: next.endCursor, hasNext: next.hasNextPage });
      }
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <Show when={issuer() || !issuer.loading} fallback={<p class="loading">Loading…</p>}>
      <Show when={issuer()} fallback={<Page title="Submissions">{problem() ?? "No such issuer, or you are not one of its members."}</Page>}>
        {(i) => (
          <Page title={`Submissions to review · ${i().name}`} lead="Oldest first. Claim a submission to review it; others see it is taken.">
            <p>
              <A href={`/issuers/${i().id}`}>Back to the issuer console</A>
            </p>
            <dl class="counts" aria-label="Submissions by state">
              <div>
                <dt>Submitted</dt>
                <dd data-testid="count-submitted">{i().submissionQueue.counts.submitted}</dd>
              </div>
              <div>
                <dt>Resubmitted</dt>
                <dd data-testid="count-resubmitted">{i().submissionQueue.counts.resubmitted}</dd>
              </div>
              <div>
                <dt>In review</dt>
                <dd data-testid="count-in-review">{i().submissionQueue.counts.inReview}</dd>
              </div>
              <div>
                <dt>Returned</dt>
                <dd>{i().submissionQueue.counts.returned}</dd>
              </div>
              <div>
                <dt>Awarded</dt>
                <dd>{i().submissionQueue.counts.awarded}</dd>
              </div>
              <div>
                <dt>Not awarded</dt>
                <dd>{i().submissionQueue.counts.notAwarded}</dd>
              </div>
            </dl>
            <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
              <div class="field">
                <label for="queue-badge">Micro-credential</label>
                <select id="queue-badge" value={badge()} onChange={(e) => setSearch({ badge: e.currentTarget.value || undefined })}>
                  <option value="">All micro-credentials</option>
                  <For each={i().badgeClasses.filter((b) => b.microCredential)}>{(b) => <option value={b.id}>{b.name}</option>}</For>
                </select>
              </div>
              <div class="field">
                <label for="queue-state">State</label>
                <select id="queue-state" value={state()} onChange={(e) => setSearch({ state: e.currentTarget.value || undefined })}>
                  <For each={STATE_FILTERS}>{(f) => <option value={f.value}>{f.label}</option>}</For>
                </select>
              </div>
            </form>
            <Show
              when={i().submissionQueue.items.length}
              fallback={<p>No submissions match. When learners hand in work, it appears here.</p>}
            >
              <div class="table-wrap">
                <table class="queue">
                  <caption class="visually-hidden">Submissions, oldest hand-in first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Micro-credential</th>
                      <th scope="col">Learner</th>
                      <th scope="col">State</th>
                      <th scope="col">Handed in</th>
                      <th scope="col">Days waiting</th>
                      <th scope="col">
                        <span class="visually-hidden">Action</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={[...i().submissionQueue.items, ...more()]}>
                      {(item) => (
                        <tr data-testid="queue-row">
                          <td>
                            {item.badgeClass.name}
                            {item.round > 1 ? ` (attempt ${item.round})` : ""}
                          </td>
                          <td>{item.learnerName ?? <span class="field__hint">Hidden (blind review)</span>}</td>
                          <td>
                            {SUBMISSION_STATE_LABELS[item.state]}
                            {item.claimedByMe ? " · claimed by you" : item.claimed ? " · claimed by another assessor" : ""}
                          </td>
                          <td>{formatDate(item.submittedAt)}</td>
                          <td>{item.daysWaiting ?? "—"}</td>
                          <td>
                            <A
                              href={`/issuers/${i().id}/reviews/${item.id}`}
                              aria-label={`${item.claimedByMe ? "Continue review" : "Review"}: ${item.badgeClass.name}, handed in ${formatDate(item.submittedAt)}`}
                            >
                              {item.claimedByMe ? "Continue review" : "Review"}
                            </A>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={page().hasNext}>
                <Button type="button" variant="secondary" busy={loadingMore()} busyLabel="Loading…" onClick={showMore}>
                  Show more
                </Button>
              </Show>
            </Show>
          </Page>
        )}
      </Show>
    </Show>
  );
}
