import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { Page } from "../components/Page";
import { formatDate } from "../lib/format";
import { graphql } from "../lib/gql";
import { query } from "../lib/graphql";
import { SUBMISSION_STATE_LABELS } from "../lib/micro";

const MY_SUBMISSIONS = graphql(`query MySubmissions {
  mySubmissions(first: 100) {
    id state round updatedAt submittedAt
    badgeClass { id name imageUrl issuer { name } }
    reviews { round decision }
  }
}`);

/** The learner's micro-credential submissions, most recently changed first, with where each stands. */
export default function Submissions() {
  const [submissions] = createResource(async () => (await query(MY_SUBMISSIONS)).mySubmissions);
  return (
    <Page title="My submissions" lead="Your work towards micro-credentials: drafts, submissions waiting for review, and decisions.">
      <Show when={!submissions.loading} fallback={<p class="loading">Loading…</p>}>
        <Show
          when={submissions()?.length}
          fallback={<p>You have not started a micro-credential yet. Its page has a "Start this micro-credential" button.</p>}
        >
          <ul class="list" aria-label="Submissions">
            <For each={submissions()}>
              {(s) => (
                <li class="list__item" data-testid="submission-row">
                  <img src={s.badgeClass.imageUrl} alt="" width="40" height="40" />
                  <A class="list__main" href={`/submissions/${s.id}`}>
                    {s.badgeClass.name}
                  </A>
                  <span class="tag" data-state={s.state}>
                    {SUBMISSION_STATE_LABELS[s.state]}
                  </span>
                  <span class="list__meta">
                    {s.badgeClass.issuer.name} ·{" "}
                    {s.round > 0 ? `attempt ${s.round}, handed in ${formatDate(s.submittedAt)}` : "not handed in yet"} · last changed{" "}
                    {formatDate(s.updatedAt)}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </Page>
  );
}
