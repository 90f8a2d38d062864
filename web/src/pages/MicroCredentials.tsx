import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { Page } from "../components/Page";
import { graphql } from "../lib/gql";
import { query } from "../lib/graphql";

const CATALOGUE = graphql(`query MicroCredentialCatalogue {
  microCredentials(first: 100) { badgeClassId competency reviewTargetDays badgeClass { name imageUrl issuer { name } } }
}`);

/** Every micro-credential a learner can start, for anyone to browse. */
export default function MicroCredentials() {
  const [list] = createResource(async () => (await query(CATALOGUE)).microCredentials);
  return (
    <Page
      title="Micro-credentials"
      lead="Competency-based badges: submit evidence, an assessor judges it against a rubric, and a pass earns the badge."
    >
      <Show when={!list.loading} fallback={<p class="loading">Loading…</p>}>
        <Show when={list()?.length} fallback={<p>No micro-credentials yet.</p>}>
          <ul class="cards">
            <For each={list()}>
              {(m) => (
                <li class="card">
                  <img src={m.badgeClass.imageUrl} alt="" width="64" height="64" />
                  <h2>
                    <A href={`/micro-credentials/${m.badgeClassId}`}>{m.badgeClass.name}</A>
                  </h2>
                  <p class="field__hint">{m.badgeClass.issuer.name}</p>
                  <p>{m.competency}</p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </Page>
  );
}
