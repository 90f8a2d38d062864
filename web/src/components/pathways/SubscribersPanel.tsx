import { createResource, createSignal, For, Show } from "solid-js";
import { graphql } from "../../lib/gql";
import { query } from "../../lib/graphql";
import { Button } from "../Button";

const PAGE = 50;

const SUBSCRIBERS = graphql(`query PathwaySubscribers($id: ID!, $first: Int, $offset: Int) {
  pathway(id: $id) {
    id
    subscribers(first: $first, offset: $offset) {
      total completed noLongerQualifying
      items { name email stepsDone stepsRequired completedAt noLongerQualifies }
    }
  }
}`);

/**
 * A pathway's subscribers and their progress, a page at a time: a pathway a whole district
 * follows has thousands, and the issuer still reaches every one of them.
 */
export function SubscribersPanel(props: { pathwayId: string; revision: unknown }) {
  const [offset, setOffset] = createSignal(0);
  const [page] = createResource(
    // A new revision of the pathway (published, edited) may have completed learners: read again.
    () => ({ id: props.pathwayId, first: PAGE, offset: offset(), revision: props.revision }),
    async ({ revision: _, ...v }) => (await query(SUBSCRIBERS, v)).pathway?.subscribers ?? null,
  );
  // The last page shown stays while the next one loads, so the list does not jump.
  const shown = () => page.latest;
  return (
    <section class="panel" aria-labelledby="subscribers-heading">
      <h2 id="subscribers-heading">Subscribers</h2>
      <Show when={shown()} fallback={<p>Loading subscribers…</p>}>
        {(s) => (
          <>
            <p>
              {s().total} subscribed · {s().completed} completed
              {s().noLongerQualifying ? ` · ${s().noLongerQualifying} no longer qualify` : ""}
            </p>
            <ul class="list" aria-busy={page.loading}>
              <For each={s().items} fallback={<li class="list__item">Nobody follows this pathway yet.</li>}>
                {(learner) => (
                  <li class="list__item">
                    <span class="list__main">
                      {learner.name} <span class="list__meta">{learner.email}</span>
                    </span>
                    <span class="list__meta">
                      {learner.completedAt ? "Completed" : `${learner.stepsDone} of ${learner.stepsRequired} steps`}
                      {learner.noLongerQualifies ? " · no longer qualifies" : ""}
                    </span>
                  </li>
                )}
              </For>
            </ul>
            <Show when={s().total > PAGE}>
              <nav class="toolbar" aria-label="Subscriber pages">
                <span data-testid="subscribers-range">
                  {offset() + 1}–{Math.min(offset() + PAGE, s().total)} of {s().total}
                </span>
                <Button
                  type="button"
                  variant="secondary"
                  disabled={offset() === 0 || page.loading}
                  onClick={() => setOffset(Math.max(0, offset() - PAGE))}
                >
                  Previous {PAGE}
                </Button>
                <Button
                  type="button"
                  variant="secondary"
                  disabled={offset() + PAGE >= s().total || page.loading}
                  onClick={() => setOffset(offset() + PAGE)}
                >
                  Next {PAGE}
                </Button>
              </nav>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
