import { createSignal, Show } from "solid-js";
import { createFormState, fileFrom, formValues } from "../../lib/forms";
import { ErrorFields, graphql } from "../../lib/gql";
import { mutate } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";

const CREATE_CLASS = graphql(
  `mutation CreateBadgeClass($issuerId: ID!, $input: BadgeClassInput!) {
    createBadgeClass(issuerId: $issuerId, input: $input) { __typename ...ErrorFields ... on BadgeClass { id } }
  }`,
  [ErrorFields],
);

const lines = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** Editors and owners define a badge class: what it means, its image, criteria, outcomes and alignment. */
export function NewBadgeClassForm(props: { issuerId: string; onCreated: () => void }) {
  const form = createFormState();
  const [created, setCreated] = createSignal(false);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    setCreated(false);
    return form.run(
      () =>
        mutate(CREATE_CLASS, {
          issuerId: props.issuerId,
          input: {
            name: v.name ?? "",
            description: v.description ?? "",
            image: fileFrom(element, "image"),
            criteriaNarrative: v.criteriaNarrative || null,
            criteriaUrl: v.criteriaUrl || null,
            learningOutcomes: lines(v.learningOutcomes),
            tags: lines(v.tags?.replaceAll(",", "\n")),
            alignments: v.alignmentName ? [{ name: v.alignmentName, url: v.alignmentUrl ?? "", code: v.alignmentCode || null }] : [],
            validForMonths: v.validForMonths ? Number(v.validForMonths) : null,
          },
        }),
      () => {
        element.reset();
        setCreated(true);
        props.onCreated();
      },
    );
  };
  const e = () => form.fieldErrors();
  return (
    <details class="panel">
      <summary>
        <h2 class="inline-heading">New badge class</h2>
      </summary>
      <Show when={created()}>
        <Alert kind="success">Badge class created.</Alert>
      </Show>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <Field label="Name" name="name" required error={e().name} />
        <Field label="Learning description" name="description" rows={4} required error={e().description} />
        <Field
          label="Image (PNG or SVG, square, 90–2048 px, up to 512 KB)"
          name="image"
          type="file"
          accept="image/png,image/svg+xml"
          required
          error={e().image}
        />
        <Field label="Criteria (what it takes to earn it)" name="criteriaNarrative" rows={4} error={e().criteriaNarrative} />
        <Field label="Criteria web page (optional)" name="criteriaUrl" type="url" error={e().criteriaUrl} />
        <Field label="Learning outcomes (one per line)" name="learningOutcomes" rows={4} error={e().learningOutcomes} />
        <Field label="Tags (comma separated)" name="tags" error={e().tags} />
        <div class="field-row">
          <Field label="Aligned competency" name="alignmentName" error={e()["alignments.0.name"]} />
          <Field label="Its framework URL" name="alignmentUrl" type="url" error={e()["alignments.0.url"]} />
          <Field label="Code" name="alignmentCode" />
        </div>
        <Field label="Expires after (months, optional)" name="validForMonths" type="number" min="1" error={e().validForMonths} />
        <Button busy={form.submitting()} busyLabel="Creating…">
          Create badge class
        </Button>
      </form>
    </details>
  );
}
