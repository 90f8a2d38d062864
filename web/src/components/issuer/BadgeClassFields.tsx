import { For, Show } from "solid-js";
import { fileFrom, formValues } from "../../lib/forms";
import { ErrorFields, type FragmentOf, graphql, type VariablesOf } from "../../lib/gql";
import { pngPreviewOf } from "../../lib/png-preview";
import { Field } from "../Field";

/** Everything the edit form shows of a class, and what it keeps that the form does not edit. */
export const BadgeClassEditFields = graphql(`
  fragment BadgeClassEditFields on BadgeClass {
    id name description imageUrl criteriaNarrative criteriaUrl learningOutcomes tags achievementType validForMonths lockedFields updatedAt
    alignments { name url code framework }
  }
`);
type EditedClass = FragmentOf<typeof BadgeClassEditFields>;

export const UPDATE_CLASS = graphql(
  `mutation UpdateBadgeClass($id: ID!, $input: BadgeClassInput!) {
    updateBadgeClass(id: $id, input: $input) { __typename ...ErrorFields ...BadgeClassEditFields }
  }`,
  [ErrorFields, BadgeClassEditFields],
);
type BadgeClassInput = VariablesOf<typeof UPDATE_CLASS>["input"];

const lines = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

const LOCKED_HINT = "Locked: badges were already awarded against it. A different requirement needs a new badge class.";

/**
 * The input from a badge class form. What the form does not show (the achievement type, an
 * alignment's framework) is kept from the class being edited, so saving changes only what the
 * issuer changed. An SVG image travels with a PNG of it, for link previews.
 */
export async function badgeClassInputFrom(form: HTMLFormElement, editing?: EditedClass): Promise<BadgeClassInput> {
  const v = formValues(form);
  const image = fileFrom(form, "image");
  const rows = Math.max(editing?.alignments.length ?? 0, 0) + 1;
  const alignments = Array.from({ length: rows }, (_, i) => ({
    name: v[`alignmentName.${i}`]?.trim() ?? "",
    url: v[`alignmentUrl.${i}`]?.trim() ?? "",
    code: v[`alignmentCode.${i}`]?.trim() || null,
    framework: editing?.alignments[i]?.framework ?? null,
  })).filter((a) => a.name || a.url);
  return {
    name: v.name ?? "",
    description: v.description ?? "",
    image,
    previewImage: await pngPreviewOf(image),
    criteriaNarrative: v.criteriaNarrative || null,
    criteriaUrl: v.criteriaUrl || null,
    learningOutcomes: lines(v.learningOutcomes),
    tags: lines(v.tags?.replaceAll(",", "\n")),
    alignments,
    achievementType: editing?.achievementType ?? null,
    validForMonths: v.validForMonths ? Number(v.validForMonths) : null,
  };
}

/**
 * The inputs of a badge class, empty for a new one or filled from the class being edited.
 * Fields the class has locked (ADR 022) are read only, with the reason beside them.
 */
export function BadgeClassFields(props: { errors: Record<string, string>; editing?: EditedClass }) {
  const e = () => props.errors;
  const locked = (field: string) => props.editing?.lockedFields.includes(field) ?? false;
  const alignmentRows = () => [...(props.editing?.alignments ?? []), { name: "", url: "", code: null }];
  return (
    <>
      <Field label="Name" name="name" required value={props.editing?.name ?? ""} error={e().name} />
      <Field
        label="Learning description"
        name="description"
        rows={4}
        required
        value={props.editing?.description ?? ""}
        error={e().description}
      />
      <Show when={props.editing}>
        {(c) => (
          <p class="field__hint">
            <img src={c().imageUrl} alt={`${c().name}, as it looks now`} width="72" height="72" />
          </p>
        )}
      </Show>
      <Field
        label={
          props.editing
            ? "New image (optional; PNG or SVG, square, 90–2048 px, up to 512 KB)"
            : "Image (PNG or SVG, square, 90–2048 px, up to 512 KB)"
        }
        name="image"
        type="file"
        accept="image/png,image/svg+xml"
        required={!props.editing}
        error={e().image}
      />
      <Field
        label="Criteria (what it takes to earn it)"
        name="criteriaNarrative"
        rows={4}
        value={props.editing?.criteriaNarrative ?? ""}
        readOnly={locked("criteriaNarrative")}
        hint={locked("criteriaNarrative") ? LOCKED_HINT : undefined}
        error={e().criteriaNarrative}
      />
      <Field
        label="Criteria web page (optional)"
        name="criteriaUrl"
        type="url"
        value={props.editing?.criteriaUrl ?? ""}
        readOnly={locked("criteriaUrl")}
        hint={locked("criteriaUrl") ? LOCKED_HINT : undefined}
        error={e().criteriaUrl}
      />
      <Field
        label="Learning outcomes (one per line)"
        name="learningOutcomes"
        rows={4}
        value={props.editing?.learningOutcomes.join("\n") ?? ""}
        error={e().learningOutcomes}
      />
      <Field label="Tags (comma separated)" name="tags" value={props.editing?.tags.join(", ") ?? ""} error={e().tags} />
      <For each={alignmentRows()}>
        {(alignment, i) => (
          <div class="field-row">
            <Field
              label={i() === 0 ? "Aligned competency" : `Aligned competency ${i() + 1}`}
              name={`alignmentName.${i()}`}
              value={alignment.name}
              error={e()[`alignments.${i()}.name`]}
            />
            <Field
              label={i() === 0 ? "Its framework URL" : `Its framework URL ${i() + 1}`}
              name={`alignmentUrl.${i()}`}
              type="url"
              value={alignment.url}
              error={e()[`alignments.${i()}.url`]}
            />
            <Field label={i() === 0 ? "Code" : `Code ${i() + 1}`} name={`alignmentCode.${i()}`} value={alignment.code ?? ""} />
          </div>
        )}
      </For>
      <Field
        label="Expires after (months, optional)"
        name="validForMonths"
        type="number"
        min="1"
        value={props.editing?.validForMonths ?? ""}
        hint={props.editing ? "Applies to badges awarded from now on; awarded badges keep their expiry." : undefined}
        error={e().validForMonths}
      />
    </>
  );
}
