import { A, useNavigate } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { createFormState, fileFrom, formValues } from "../../lib/forms";
import { ErrorFields, graphql } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";
import type { BadgeClassChoice } from "./BadgeClassSelect";

const PATHWAYS = graphql(`query IssuerPathways($id: ID!) { issuer(id: $id) { pathways { id name state stepCount } } }`);
const CREATE = graphql(
  `mutation CreatePathway($issuerId: ID!, $input: PathwayInput!) {
    createPathway(issuerId: $issuerId, input: $input) { __typename ...ErrorFields ... on Pathway { id } }
  }`,
  [ErrorFields],
);

/** The issuer's pathways, and a new one (owners and editors). */
export function PathwaysPanel(props: { issuerId: string; badgeClasses: BadgeClassChoice[]; canEdit: boolean }) {
  const [pathways] = createResource(
    () => props.issuerId,
    async (id) => (await query(PATHWAYS, { id })).issuer?.pathways ?? [],
  );
  const navigate = useNavigate();
  const form = createFormState();
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    return form.run(
      () =>
        mutate(CREATE, {
          issuerId: props.issuerId,
          input: {
            name: v.name ?? "",
            description: v.description,
            image: fileFrom(element, "image"),
            completionBadgeClassId: v.completionBadgeClassId || null,
          },
        }),
      (created) => navigate(`/issuers/${props.issuerId}/pathways/${created.id}`),
    );
  };
  return (
    <section class="panel" aria-labelledby="pathways-heading">
      <h2 id="pathways-heading">Pathways</h2>
      <ul class="list">
        <For each={pathways()} fallback={<li class="list__item">No pathways yet.</li>}>
          {(p) => (
            <li class="list__item">
              <A class="list__main" href={`/issuers/${props.issuerId}/pathways/${p.id}`}>
                {p.name}
              </A>
              <span class="list__meta">
                {p.stepCount} step{p.stepCount === 1 ? "" : "s"}
              </span>
              <span class="tag">{p.state.toLowerCase()}</span>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.canEdit}>
        <h3>New pathway</h3>
        <FormAlert form={form} />
        <form onSubmit={onSubmit} novalidate>
          <Field label="Pathway name" name="name" required maxLength={200} error={form.fieldErrors().name} />
          <Field label="Description (optional)" name="description" rows={2} maxLength={5000} error={form.fieldErrors().description} />
          <Field
            label="Pathway image (optional; PNG or SVG, 90–2048 px, up to 512 KB)"
            name="image"
            type="file"
            accept="image/png,image/svg+xml"
            error={form.fieldErrors().image}
          />
          <div class="field">
            <label for="new-pathway-completion">Completion badge</label>
            <select id="new-pathway-completion" name="completionBadgeClassId">
              <option value="">None</option>
              <For each={props.badgeClasses}>{(b) => <option value={b.id}>{b.name}</option>}</For>
            </select>
          </div>
          <Button busy={form.submitting()} busyLabel="Creating…">
            Create pathway
          </Button>
        </form>
      </Show>
    </section>
  );
}
