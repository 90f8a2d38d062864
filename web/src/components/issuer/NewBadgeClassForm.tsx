import { A } from "@solidjs/router";
import { createEffect, createSignal, on, Show } from "solid-js";
import { createFormState } from "../../lib/forms";
import { ErrorFields, graphql } from "../../lib/gql";
import { mutate } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { FormAlert } from "../FormAlert";
import { BadgeClassFields, badgeClassInputFrom } from "./BadgeClassFields";

const CREATE_CLASS = graphql(
  `mutation CreateBadgeClass($issuerId: ID!, $input: BadgeClassInput!) {
    createBadgeClass(issuerId: $issuerId, input: $input) { __typename ...ErrorFields ... on BadgeClass { id name } }
  }`,
  [ErrorFields],
);

/**
 * Editors and owners define a badge class: what it means, its image, criteria, outcomes and
 * alignment. "Created" is news about the last submit only: it goes once the form is used again
 * or anything is awarded (`activity` changes), so it never sits beside later work.
 */
export function NewBadgeClassForm(props: { issuerId: string; onCreated: () => void; activity: number }) {
  const form = createFormState();
  const [created, setCreated] = createSignal<{ id: string; name: string } | null>(null);
  createEffect(
    on(
      () => props.activity,
      () => setCreated(null),
      { defer: true },
    ),
  );
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    setCreated(null);
    return form.run(
      async () =>
        mutate(CREATE_CLASS, {
          issuerId: props.issuerId,
          input: await badgeClassInputFrom(element),
        }),
      (badgeClass) => {
        element.reset();
        setCreated(badgeClass);
        props.onCreated();
      },
    );
  };
  return (
    <details class="panel">
      <summary>
        <h2 class="inline-heading">New badge class</h2>
      </summary>
      <Show when={created()}>
        {(c) => (
          <Alert kind="success">
            Badge class created. <A href={`/issuers/${props.issuerId}/badge-classes/${c().id}`}>Open {c().name}</A>
          </Alert>
        )}
      </Show>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} onInput={() => setCreated(null)} novalidate>
        <BadgeClassFields errors={form.fieldErrors()} />
        <Button busy={form.submitting()} busyLabel="Creating…">
          Create badge class
        </Button>
      </form>
    </details>
  );
}
