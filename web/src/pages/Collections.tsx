import { A, useNavigate } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";

const MINE = graphql(`query MyCollections { myCollections { id name description sharedAt badges { id } } }`);
const CREATE = graphql(
  `mutation CreateCollection($input: CollectionInput!) {
    createCollection(input: $input) { __typename ...ErrorFields ... on Collection { id } }
  }`,
  [ErrorFields],
);

/** The learner's collections: named selections of badges, each shareable with one link. */
export default function Collections() {
  const [collections] = createResource(async () => (await query(MINE)).myCollections);
  const navigate = useNavigate();
  const form = createFormState();
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const v = formValues(event.currentTarget as HTMLFormElement);
    return form.run(
      () => mutate(CREATE, { input: { name: v.name ?? "", description: v.description } }),
      (created) => navigate(`/backpack/collections/${created.id}`),
    );
  };
  return (
    <Page title="Collections" lead="Group badges for a purpose (a job application, a portfolio) and share them with one link.">
      <p>
        <A href="/backpack">Back to your backpack</A>
      </p>
      <section class="panel" aria-labelledby="collections-heading">
        <h2 id="collections-heading">Your collections</h2>
        <Show when={!collections.loading} fallback={<p class="loading">Loading…</p>}>
          <ul class="list">
            <For each={collections()} fallback={<li class="list__item">No collections yet.</li>}>
              {(c) => (
                <li class="list__item">
                  <A class="list__main" href={`/backpack/collections/${c.id}`}>
                    {c.name}
                  </A>
                  <span class="list__meta">
                    {c.badges.length} badge{c.badges.length === 1 ? "" : "s"}
                  </span>
                  <span class="tag">{c.sharedAt ? "shared" : "private"}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
      <section class="panel" aria-labelledby="new-collection-heading">
        <h2 id="new-collection-heading">New collection</h2>
        <FormAlert form={form} />
        <form onSubmit={onSubmit} novalidate>
          <Field label="Name" name="name" required maxLength={80} error={form.fieldErrors().name} />
          <Field label="Description (optional)" name="description" rows={2} maxLength={500} error={form.fieldErrors().description} />
          <Button busy={form.submitting()} busyLabel="Creating…">
            Create collection
          </Button>
        </form>
      </section>
    </Page>
  );
}
