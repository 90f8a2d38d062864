import { createResource, createSignal, For, Show } from "solid-js";
import { formatDate, STATUS_LABELS } from "../../lib/format";
import { createFormState, formValues } from "../../lib/forms";
import { ErrorFields, graphql, type ResultOf, type VariablesOf } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";
import { SubmitOrCancel } from "../SubmitOrCancel";

const AWARDS = graphql(`
  query IssuerAwards($id: ID!, $status: AwardStatus, $badgeClassId: ID) {
    issuer(id: $id) {
      awards(status: $status, badgeClassId: $badgeClassId, limit: 100) {
        total
        items { id status recipientEmail recipientName issuedOn revocationReason badgeClass { name } }
      }
    }
  }
`);
type AwardRow = NonNullable<ResultOf<typeof AWARDS>["issuer"]>["awards"]["items"][number];
type AwardStatus = NonNullable<VariablesOf<typeof AWARDS>["status"]>;
const REVOKE = graphql(
  `mutation RevokeAward($awardId: ID!, $reason: String!) {
    revokeAward(awardId: $awardId, reason: $reason) { __typename ...ErrorFields ... on Award { id } }
  }`,
  [ErrorFields],
);
const FILTERS: (AwardStatus | null)[] = [null, "PENDING", "ACCEPTED", "REVOKED", "EXPIRED"];

/**
 * The issuer's awards by status (of one badge class, given `badgeClassId`); editors and owners
 * revoke with a reason the recipient sees. `version` changes after an award.
 */
export function AwardList(props: { issuerId: string; canRevoke: boolean; version: number; badgeClassId?: string }) {
  const [status, setStatus] = createSignal<AwardStatus | null>(null);
  const [awards, { refetch }] = createResource(
    () => ({ id: props.issuerId, status: status(), version: props.version, badgeClassId: props.badgeClassId ?? null }),
    async ({ id, status, badgeClassId }) => (await query(AWARDS, { id, status, badgeClassId })).issuer?.awards,
  );
  // One award at a time gets the revoke form, in its own row.
  const [revoking, setRevoking] = createSignal<string | null>(null);
  return (
    <section class="panel" aria-labelledby="awards-heading">
      <h2 id="awards-heading">Awards</h2>
      <div class="toolbar">
        <For each={FILTERS}>
          {(value) => (
            <button type="button" class="button button--secondary" aria-pressed={status() === value} onClick={() => setStatus(value)}>
              {value ? STATUS_LABELS[value] : "All"}
            </button>
          )}
        </For>
      </div>
      <p class="list__meta">{awards()?.total ?? 0} awards</p>
      <ul class="list">
        <For each={awards()?.items}>
          {(award) => (
            <li class="list__item" data-testid="award-row">
              <span class="list__main">
                {award.recipientName ? `${award.recipientName} · ` : ""}
                {award.recipientEmail}
              </span>
              <span class="tag" data-status={award.status}>
                {STATUS_LABELS[award.status]}
              </span>
              <span class="list__meta">
                {award.badgeClass.name} · issued {formatDate(award.issuedOn)}
                {award.revocationReason ? ` · revoked: ${award.revocationReason}` : ""}
              </span>
              <Show when={props.canRevoke && award.status !== "REVOKED"}>
                <Show
                  when={revoking() === award.id}
                  fallback={
                    <Button type="button" variant="danger" onClick={() => setRevoking(award.id)}>
                      Revoke
                    </Button>
                  }
                >
                  <RevokeForm
                    award={award}
                    onCancel={() => setRevoking(null)}
                    onRevoked={() => {
                      setRevoking(null);
                      refetch();
                    }}
                  />
                </Show>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

/** A required reason, which the recipient sees, then the revocation; Cancel leaves the award as it is. */
function RevokeForm(props: { award: AwardRow; onCancel: () => void; onRevoked: () => void }) {
  const form = createFormState();
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const { reason } = formValues(event.currentTarget as HTMLFormElement);
    return form.run(() => mutate(REVOKE, { awardId: props.award.id, reason: reason ?? "" }), props.onRevoked);
  };
  return (
    <form
      class="revoke-form"
      onSubmit={onSubmit}
      novalidate
      aria-label={`Revoke ${props.award.badgeClass.name} for ${props.award.recipientEmail}`}
    >
      <FormAlert form={form} />
      <Field
        label="Reason for revoking"
        name="reason"
        rows={2}
        required
        maxLength={1000}
        hint="The recipient sees this, and so does anyone who checks the badge."
        error={form.fieldErrors().reason}
      />
      <SubmitOrCancel variant="danger" cancelVariant="secondary" busy={form.submitting()} busyLabel="Revoking…" onCancel={props.onCancel}>
        Revoke badge
      </SubmitOrCancel>
    </form>
  );
}
