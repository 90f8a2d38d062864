import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { type FragmentOf, graphql } from "../../lib/gql";

/** What the console shows of each badge class; the award forms pick from the same list. */
export const BadgeClassSummaryFields = graphql(
  `fragment BadgeClassSummaryFields on BadgeClass { id name imageUrl validForMonths microCredential { badgeClassId } }`,
);

/** The issuer\'s badge classes as cards, each opening its own page; editors and owners define a micro-credential from each. */
export function BadgeClassList(props: { issuerId: string; canEdit: boolean; badgeClasses: FragmentOf<typeof BadgeClassSummaryFields>[] }) {
  return (
    <section class="panel" aria-labelledby="classes-heading">
      <h2 id="classes-heading">Badge classes</h2>
      <Show when={props.badgeClasses.length} fallback={<p>No badge classes yet.</p>}>
        <ul class="badge-grid">
          <For each={props.badgeClasses}>
            {(c) => (
              <li class="badge-card">
                <img src={c.imageUrl} alt="" width="72" height="72" />
                <A class="badge-card__name" href={`/issuers/${props.issuerId}/badge-classes/${c.id}`}>
                  {c.name}
                </A>
                <span class="badge-card__meta">{c.validForMonths ? `Valid ${c.validForMonths} months` : "Does not expire"}</span>
                <Show when={c.microCredential}>
                  <span class="tag">micro-credential</span>
                  <A href={`/micro-credentials/${c.id}`} aria-label={`Public page of ${c.name}`}>
                    Public page
                  </A>
                </Show>
                <Show when={props.canEdit}>
                  <A
                    href={`/issuers/${props.issuerId}/micro-credentials/${c.id}`}
                    aria-label={`${c.microCredential ? "Edit micro-credential" : "Make it a micro-credential"}: ${c.name}`}
                  >
                    {c.microCredential ? "Edit micro-credential" : "Make it a micro-credential"}
                  </A>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
