import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, Show } from "solid-js";
import { ApiTokens } from "../components/integrations/ApiTokens";
import { OAuthClients } from "../components/integrations/OAuthClients";
import { Webhooks } from "../components/integrations/Webhooks";
import { AwardForm } from "../components/issuer/AwardForm";
import { AwardList } from "../components/issuer/AwardList";
import { BadgeClassList, BadgeClassSummaryFields } from "../components/issuer/BadgeClassList";
import { BulkAwardForm } from "../components/issuer/BulkAwardForm";
import { MembersPanel } from "../components/issuer/MembersPanel";
import { NewBadgeClassForm } from "../components/issuer/NewBadgeClassForm";
import { PathwaysPanel } from "../components/issuer/PathwaysPanel";
import { SigningKeys } from "../components/issuer/SigningKeys";
import { Page } from "../components/Page";
import { graphql } from "../lib/gql";
import { query } from "../lib/graphql";

const ISSUER = graphql(
  `query IssuerConsole($id: ID!) { issuer(id: $id) { id name url myRole badgeClasses { ...BadgeClassSummaryFields } } }`,
  [BadgeClassSummaryFields],
);

/** Everything an issuer's members do, by role: badge classes, awarding (one or a CSV), the award list with revocation, pathways, members and keys. */
export default function IssuerConsole() {
  const params = useParams();
  const [issuer, { refetch }] = createResource(
    () => params.id,
    async (id) => (await query(ISSUER, { id })).issuer,
  );
  // Bumped after an award so the list below reloads.
  const [version, setVersion] = createSignal(0);
  const onAwarded = () => setVersion(version() + 1);
  const canEdit = () => issuer()?.myRole === "OWNER" || issuer()?.myRole === "EDITOR";
  return (
    <Show
      when={issuer()}
      fallback={<p class="loading">{issuer.loading ? "Loading…" : "No such issuer, or you are not one of its members."}</p>}
    >
      {(i) => (
        <Page title={i().name} lead={`Your role: ${i().myRole?.toLowerCase()}`}>
          <div class="stack">
            <Show when={i().myRole === "OWNER" || i().myRole === "ASSESSOR"}>
              <section class="panel" aria-labelledby="reviews-heading">
                <h2 id="reviews-heading">Micro-credential submissions</h2>
                <p>Learners' evidence waiting for an assessor's decision.</p>
                <A class="button button--primary" href={`/issuers/${i().id}/reviews`}>
                  Review submissions
                </A>
              </section>
            </Show>
            <BadgeClassList issuerId={i().id} canEdit={canEdit()} badgeClasses={i().badgeClasses} />
            <Show when={canEdit()}>
              <NewBadgeClassForm issuerId={i().id} onCreated={refetch} activity={version()} />
            </Show>
            <Show when={i().badgeClasses.length && i().myRole !== "ASSESSOR"}>
              <div class="grid-2">
                <AwardForm badgeClasses={i().badgeClasses} onAwarded={onAwarded} />
                <BulkAwardForm badgeClasses={i().badgeClasses} onAwarded={onAwarded} />
              </div>
            </Show>
            <Show when={i().myRole !== "ASSESSOR"}>
              <AwardList issuerId={i().id} canRevoke={canEdit()} version={version()} />
            </Show>
            <PathwaysPanel issuerId={i().id} badgeClasses={i().badgeClasses} canEdit={canEdit()} />
            <Show when={i().myRole === "OWNER"}>
              <MembersPanel issuerId={i().id} />
              <SigningKeys issuerId={i().id} />
              <ApiTokens issuerId={i().id} />
              <OAuthClients issuerId={i().id} />
              <Webhooks issuerId={i().id} />
            </Show>
          </div>
        </Page>
      )}
    </Show>
  );
}
