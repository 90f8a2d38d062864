import { createSignal, Show } from "solid-js";
import { createFormState, formValues } from "../../lib/forms";
import { ErrorFields, graphql } from "../../lib/gql";
import { mutate } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";
import { type BadgeClassChoice, BadgeClassSelect } from "./BadgeClassSelect";

const AWARD = graphql(
  `mutation AwardBadge($badgeClassId: ID!, $input: AwardInput!, $idempotencyKey: String) {
    awardBadge(badgeClassId: $badgeClassId, input: $input, idempotencyKey: $idempotencyKey) { __typename ...ErrorFields ... on Award { id } }
  }`,
  [ErrorFields],
);

/**
 * Awards one badge to one email address; the recipient is emailed. Sending the same form again
 * (a retry after a lost answer, a second click) reuses its idempotency key, so it awards once;
 * any edit, or a success, starts a new award with a new key.
 */
export function AwardForm(props: { badgeClasses: BadgeClassChoice[]; onAwarded: () => void }) {
  const form = createFormState();
  const [sent, setSent] = createSignal<string | null>(null);
  let idempotencyKey = crypto.randomUUID();
  const newAward = () => {
    idempotencyKey = crypto.randomUUID();
  };
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    setSent(null);
    return form.run(
      () =>
        mutate(AWARD, {
          badgeClassId: v.badgeClassId ?? "",
          input: {
            email: v.email ?? "",
            recipientName: v.recipientName || null,
            narrative: v.narrative || null,
            evidence: v.evidenceUrl ? [{ url: v.evidenceUrl }] : [],
            issuedOn: v.issuedOn || null,
          },
          idempotencyKey,
        }),
      () => {
        setSent(v.email ?? "");
        element.reset();
        newAward();
        props.onAwarded();
      },
    );
  };
  return (
    <section class="panel" aria-labelledby="award-heading">
      <h2 id="award-heading">Award a badge</h2>
      <Show when={sent()}>
        <Alert kind="success">Awarded. We emailed {sent()}.</Alert>
      </Show>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} onInput={newAward} onChange={newAward} novalidate>
        <BadgeClassSelect id="award-class" badgeClasses={props.badgeClasses} />
        <Field label="Recipient email" name="email" type="email" required error={form.fieldErrors().email} />
        <Field label="Recipient name (optional)" name="recipientName" error={form.fieldErrors().recipientName} />
        <Field label="Narrative (optional)" name="narrative" rows={3} error={form.fieldErrors().narrative} />
        <Field label="Evidence URL (optional)" name="evidenceUrl" type="url" error={form.fieldErrors()["evidence.0.url"]} />
        <Field label="Issue date (optional)" name="issuedOn" type="date" error={form.fieldErrors().issuedOn} />
        <Button busy={form.submitting()} busyLabel="Awarding…">
          Award
        </Button>
      </form>
    </section>
  );
}
