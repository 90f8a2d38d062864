import { A, useParams } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { Button } from "../components/Button";
import { CopyButton } from "../components/CopyButton";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { formatDate, STATUS_LABELS } from "../lib/format";
import { createFormState } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";

const BadgeFields = graphql(`
  fragment BadgeFields on Award {
    id status hidden recipientEmail publicUrl credentialUrl linkedInAddToProfileUrl linkedInShareUrl embedHtml
    narrative evidence { url narrative } issuedOn expiresAt acceptedAt
    badgeClass {
      name description imageUrl criteriaNarrative criteriaUrl learningOutcomes alignments { name url code } tags achievementType
      issuer { name url email }
    }
  }
`);
const BADGE = graphql(`query BackpackBadge($id: ID!) { backpackBadge(id: $id) { ...BadgeFields } }`, [BadgeFields]);
// What the learner does with the badge; each answers the badge as it now is.
const ACTIONS = {
  accept: graphql(`mutation AcceptBadge($id: ID!) { acceptBadge(id: $id) { __typename ...ErrorFields ...BadgeFields } }`, [
    ErrorFields,
    BadgeFields,
  ]),
  hide: graphql(`mutation HideBadge($id: ID!) { hideBadge(id: $id) { __typename ...ErrorFields ...BadgeFields } }`, [
    ErrorFields,
    BadgeFields,
  ]),
  show: graphql(`mutation ShowBadge($id: ID!) { showBadge(id: $id) { __typename ...ErrorFields ...BadgeFields } }`, [
    ErrorFields,
    BadgeFields,
  ]),
};

/** Paragraphs of a plain-text or Markdown narrative, shown as text: nothing an issuer writes becomes markup. */
const Paragraphs = (props: { text: string }) => <For each={props.text.split(/\n{2,}/)}>{(p) => <p class="prose">{p}</p>}</For>;

export default function BadgeDetail() {
  const params = useParams();
  const [badge, { mutate: setBadge }] = createResource(
    () => params.id,
    async (id) => (await query(BADGE, { id })).backpackBadge,
  );
  const form = createFormState();
  const act = (action: keyof typeof ACTIONS) =>
    form.run(
      () => mutate(ACTIONS[action], { id: params.id ?? "" }),
      (updated) => setBadge(updated),
    );
  return (
    <Show when={!badge.loading} fallback={<p class="loading">Loading…</p>}>
      <Show
        when={badge()}
        fallback={
          <Page title="Badge not found">
            <p>
              This badge is not in your backpack. It may have been revoked, or awarded to an email you have not added.{" "}
              <A href="/backpack">Back to your backpack</A>
            </p>
          </Page>
        }
      >
        {(b) => (
          <Page title={b().badgeClass.name}>
            <div class="badge-detail">
              <img
                class="badge-detail__image"
                src={b().badgeClass.imageUrl}
                alt={`${b().badgeClass.name} badge`}
                width="200"
                height="200"
              />
              <div class="stack">
                <p>
                  <span class="tag" data-status={b().status}>
                    {STATUS_LABELS[b().status]}
                  </span>{" "}
                  {b().badgeClass.achievementType} from{" "}
                  <a href={b().badgeClass.issuer.url} rel="noopener noreferrer" target="_blank">
                    {b().badgeClass.issuer.name}
                  </a>
                </p>
                <dl class="facts">
                  <dt>Issued</dt>
                  <dd>{formatDate(b().issuedOn)}</dd>
                  <dt>Expires</dt>
                  <dd>{b().expiresAt ? formatDate(b().expiresAt) : "Never"}</dd>
                  <dt>Awarded to</dt>
                  <dd>{b().recipientEmail}</dd>
                </dl>
                <FormAlert form={form} />
                <div class="toolbar">
                  <Show when={b().status === "PENDING"}>
                    <Button type="button" busy={form.submitting()} onClick={() => act("accept")}>
                      Accept badge
                    </Button>
                  </Show>
                  <Show
                    when={b().hidden}
                    fallback={
                      <Button type="button" variant="secondary" busy={form.submitting()} onClick={() => act("hide")}>
                        Hide from backpack
                      </Button>
                    }
                  >
                    <Button type="button" variant="secondary" busy={form.submitting()} onClick={() => act("show")}>
                      Show in backpack
                    </Button>
                  </Show>
                </div>
              </div>
            </div>
            <Show when={b().status !== "REVOKED"}>
              <section class="panel" aria-labelledby="share-heading">
                <h2 id="share-heading">Share</h2>
                <p>
                  Anyone can check this badge at its public link, with no account. The downloadable image carries the badge inside it, so
                  verifiers can check the image itself. The Open Badges 3.0 credential is signed by the issuer: add it to a digital wallet
                  that accepts verifiable credentials.
                </p>
                <div class="share-link">
                  <a href={b().publicUrl} data-testid="public-link" rel="noopener external" target="_blank">
                    {b().publicUrl}
                  </a>
                  <CopyButton text={b().publicUrl} label="Copy link" />
                </div>
                <div class="toolbar">
                  <a
                    class="button button--primary"
                    href={b().linkedInAddToProfileUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    data-testid="linkedin-add"
                  >
                    Add to LinkedIn profile
                  </a>
                  <a class="button button--secondary" href={b().linkedInShareUrl} target="_blank" rel="noopener noreferrer">
                    Share on LinkedIn
                  </a>
                  <a class="button button--secondary" href={`${b().publicUrl}/image`} rel="external" data-testid="baked-image">
                    Download badge image
                  </a>
                  <a
                    class="button button--secondary"
                    href={`${b().publicUrl}?format=json`}
                    download={`${b().badgeClass.name}.json`}
                    rel="external"
                  >
                    Download Open Badges 2.0 JSON
                  </a>
                  <a
                    class="button button--secondary"
                    href={`${b().credentialUrl}?download`}
                    rel="external"
                    data-testid="credential-download"
                  >
                    Download Open Badges 3.0 credential
                  </a>
                </div>
                <Field label="Embed on a web page" name="embed" rows={3} value={b().embedHtml} readOnly />
                <CopyButton text={b().embedHtml} label="Copy embed code" />
              </section>
            </Show>
            <section class="panel">
              <h2>What it means</h2>
              <Paragraphs text={b().badgeClass.description} />
              <Show when={b().badgeClass.learningOutcomes.length}>
                <h3>Learning outcomes</h3>
                <ul>
                  <For each={b().badgeClass.learningOutcomes}>{(outcome) => <li>{outcome}</li>}</For>
                </ul>
              </Show>
              <h3>Criteria</h3>
              <Show when={b().badgeClass.criteriaNarrative}>{(text) => <Paragraphs text={text()} />}</Show>
              <Show when={b().badgeClass.criteriaUrl}>
                {(url) => (
                  <p>
                    <a href={url()} rel="noopener noreferrer" target="_blank">
                      Full criteria
                    </a>
                  </p>
                )}
              </Show>
              <Show when={b().badgeClass.alignments.length}>
                <h3>Aligned competencies</h3>
                <ul>
                  <For each={b().badgeClass.alignments}>
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
            <Show when={b().narrative || b().evidence.length}>
              <section class="panel">
                <h2>Evidence</h2>
                <Show when={b().narrative}>{(text) => <Paragraphs text={text()} />}</Show>
                <ul>
                  <For each={b().evidence}>
                    {(item) => (
                      <li>
                        <Show when={item.url} fallback={item.narrative}>
                          {(url) => (
                            <a href={url()} rel="noopener noreferrer" target="_blank">
                              {item.narrative || url()}
                            </a>
                          )}
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            </Show>
          </Page>
        )}
      </Show>
    </Show>
  );
}
