import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { FormAlert } from "../components/FormAlert";
import { AwardList } from "../components/issuer/AwardList";
import { BadgeClassEditFields, BadgeClassFields, badgeClassInputFrom, UPDATE_CLASS } from "../components/issuer/BadgeClassFields";
import { Page } from "../components/Page";
import { formatDate } from "../lib/format";
import { createFormState } from "../lib/forms";
import { graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";

const BADGE_CLASS = graphql(
  `query IssuerBadgeClass($id: ID!) {
    badgeClass(id: $id) { ...BadgeClassEditFields createdAt issuer { id name myRole } }
  }`,
  [BadgeClassEditFields],
);

/** One badge class in the issuer console: what it says, editing it (editors and owners), and its awards with revocation. */
export default function BadgeClassPage() {
  const params = useParams();
  const [badgeClass, { mutate: setBadgeClass }] = createResource(
    () => params.classId,
    async (id) => (await query(BADGE_CLASS, { id })).badgeClass,
  );
  const form = createFormState();
  const [saved, setSaved] = createSignal(false);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const current = badgeClass();
    if (!current) return;
    setSaved(false);
    return form.run(
      async () => mutate(UPDATE_CLASS, { id: current.id, input: await badgeClassInputFrom(element, current) }),
      (updated) => {
        (element.elements.namedItem("image") as HTMLInputElement).value = "";
        setBadgeClass({ ...current, ...updated });
        setSaved(true);
      },
    );
  };
  return (
    <Show when={!badgeClass.loading} fallback={<p class="loading">Loading…</p>}>
      <Show
        when={badgeClass()}
        fallback={
          <Page title="Badge class not found">
            <p>
              No such badge class, or you are not a member of its issuer. <A href="/issuers">Your issuers</A>
            </p>
          </Page>
        }
      >
        {(c) => {
          const canEdit = () => c().issuer.myRole === "OWNER" || c().issuer.myRole === "EDITOR";
          return (
            <Page title={c().name} lead={<A href={`/issuers/${c().issuer.id}`}>Back to {c().issuer.name}</A>}>
              <div class="stack">
                <section class="panel" aria-labelledby="class-details-heading">
                  <h2 id="class-details-heading">Details</h2>
                  <div class="badge-detail">
                    <img class="badge-detail__image" src={c().imageUrl} alt={`${c().name} badge`} width="160" height="160" />
                    <dl class="facts">
                      <dt>Type</dt>
                      <dd>{c().achievementType}</dd>
                      <dt>Expires</dt>
                      <dd>{c().validForMonths ? `${c().validForMonths} months after the issue date` : "Never"}</dd>
                      <dt>Created</dt>
                      <dd>{formatDate(c().createdAt)}</dd>
                      <dt>Last changed</dt>
                      <dd>{formatDate(c().updatedAt)}</dd>
                      <Show when={c().tags.length}>
                        <dt>Tags</dt>
                        <dd>{c().tags.join(", ")}</dd>
                      </Show>
                    </dl>
                  </div>
                  <p class="prose">{c().description}</p>
                  <Show when={c().learningOutcomes.length}>
                    <h3>Learning outcomes</h3>
                    <ul>
                      <For each={c().learningOutcomes}>{(outcome) => <li>{outcome}</li>}</For>
                    </ul>
                  </Show>
                  <h3>Criteria</h3>
                  <Show when={c().criteriaNarrative}>{(text) => <p class="prose">{text()}</p>}</Show>
                  <Show when={c().criteriaUrl}>
                    {(url) => (
                      <p>
                        <a href={url()} rel="noopener noreferrer" target="_blank">
                          Full criteria
                        </a>
                      </p>
                    )}
                  </Show>
                  <Show when={c().alignments.length}>
                    <h3>Aligned competencies</h3>
                    <ul>
                      <For each={c().alignments}>
                        {(alignment) => (
                          <li>
                            <a href={alignment.url} rel="noopener noreferrer" target="_blank">
                              {alignment.name}
                            </a>
                            {alignment.code ? ` (${alignment.code})` : ""}
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                </section>
                <Show when={canEdit()}>
                  <section class="panel" aria-labelledby="class-edit-heading">
                    <h2 id="class-edit-heading">Edit badge class</h2>
                    <p>
                      Public badge pages and Open Badges 2.0 documents show your changes. Open Badges 3.0 credentials already issued keep
                      what was signed.
                      <Show when={c().lockedFields.length}> Criteria are locked because this badge has been awarded.</Show>
                    </p>
                    <Show when={saved()}>
                      <Alert kind="success">Changes saved.</Alert>
                    </Show>
                    <FormAlert form={form} />
                    <form onSubmit={onSubmit} onInput={() => setSaved(false)} novalidate>
                      <BadgeClassFields errors={form.fieldErrors()} editing={c()} />
                      <Button busy={form.submitting()} busyLabel="Saving…">
                        Save changes
                      </Button>
                    </form>
                  </section>
                </Show>
                <AwardList issuerId={c().issuer.id} badgeClassId={c().id} canRevoke={canEdit()} version={0} />
              </div>
            </Page>
          );
        }}
      </Show>
    </Show>
  );
}
