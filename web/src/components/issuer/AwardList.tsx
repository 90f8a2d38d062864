import { createResource, createSignal, For, Show } from "solid-js";
import { formatDate, STATUS_LABELS } from "../../lib/format";
import { createFormState } from "../../lib/forms";
import { ErrorFields, graphql, type ResultOf, type VariablesOf } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { Button } from "../Button";
import { FormAlert } from "../FormAlert";

const AWARDS = graphql(`
  query IssuerAwards($id: ID!, $status: AwardStatus) {
    issuer(id: $id) {
      awards(status: $status, limit: 100) {
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

/** The issuer's awards by status; editors and owners revoke with a reason the recipient sees. `version` changes after an award. */
export function AwardList(props: { issuerId: string; canRevoke: boolean; version: number }) {
  const [status, setStatus] = createSignal<AwardStatus | null>(null);
  const [awards, { refetch }] = createResource(
    () => ({ id: props.issuerId, status: status(), version: props.version }),
    async ({ id, status }) => (await query(AWARDS, { id, status })).issuer?.awards,
  );
  const revoke = createFormState();
  const onRevoke = (award: AwardRow) => {
    const reason = window.prompt(
      `Why are you revoking "${award.badgeClass.name}" for ${award.recipientEmail}? The recipient will see this.`,
    );
    if (reason === null) return;
    return revoke.run(
      () => mutate(REVOKE, { awardId: award.id, reason }),
      () => refetch(),
    );
  };
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
      <FormAlert form={revoke} />
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
                <Button type="button" variant="danger" onClick={() => onRevoke(award)}>
                  Revoke
                </Button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
