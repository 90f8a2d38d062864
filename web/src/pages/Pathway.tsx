import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { CopyButton } from "../components/CopyButton";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { PathwayTree } from "../components/pathways/PathwayTree";
import { PathwayProgressFields } from "../components/pathways/progress";
import { formatDate } from "../lib/format";
import { createFormState } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";

const PROGRESS = graphql(`query PathwayPage($id: ID!) { pathwayProgress(pathwayId: $id) { ...PathwayProgressFields sharedAt } }`, [
  PathwayProgressFields,
]);
const SHARE = graphql(
  `mutation SharePathwayProgress($pathwayId: ID!) {
    sharePathwayProgress(pathwayId: $pathwayId) { __typename ...ErrorFields ... on PathwayProgressShareLink { url createdAt } }
  }`,
  [ErrorFields],
);
const WITHDRAW = graphql(
  `mutation WithdrawPathwayProgressShare($pathwayId: ID!) {
    withdrawPathwayProgressShare(pathwayId: $pathwayId) { __typename ...ErrorFields ... on Pathway { id } }
  }`,
  [ErrorFields],
);
const ACCEPT = graphql(
  `mutation AcceptPathway($pathwayId: ID!) { acceptPathwayInvitation(pathwayId: $pathwayId) { __typename ...ErrorFields ... on Pathway { id } } }`,
  [ErrorFields],
);
const JOIN = graphql(
  `mutation FollowPathway($pathwayId: ID!) { joinPathway(pathwayId: $pathwayId) { __typename ...ErrorFields ... on Pathway { id } } }`,
  [ErrorFields],
);
const LEAVE = graphql(
  `mutation LeavePathway($pathwayId: ID!) { leavePathway(pathwayId: $pathwayId) { __typename ...ErrorFields ... on Pathway { id } } }`,
  [ErrorFields],
);

/** One pathway as the learner stands on it now: done, missing, and how to earn what is missing. */
export default function Pathway() {
  const params = useParams();
  const [progress, { refetch }] = createResource(
    () => params.id,
    async (id) => (await query(PROGRESS, { id })).pathwayProgress,
  );
  const [message, setMessage] = createSignal<string | null>(null);
  // The public link exists only in the answer that made it: Laurel keeps a hash of it.
  const [link, setLink] = createSignal<string | null>(null);
  const sharing = createFormState();
  const share = (pathwayId: string) =>
    sharing.run(
      () => mutate(SHARE, { pathwayId }),
      async (made) => {
        setLink(made.url);
        await refetch();
      },
    );
  const withdraw = (pathwayId: string) =>
    sharing.run(
      () => mutate(WITHDRAW, { pathwayId }),
      async () => {
        setLink(null);
        setMessage("Your progress is no longer shared: the link does not work any more.");
        await refetch();
      },
    );
  const act = async (action: () => ReturnType<typeof mutate>, done: string) => {
    const outcome = await action();
    setMessage(outcome.ok ? done : outcome.message);
    await refetch();
  };
  return (
    <Show when={progress()} fallback={<p class="loading">{progress.loading ? "Loading…" : "No such pathway, or it is not published."}</p>}>
      {(p) => (
        <Page title={p().pathway.name} lead={`By ${p().issuer.name}`}>
          <p>
            <A href="/pathways">Back to Pathways</A>
          </p>
          <Show when={message()}>{(m) => <Alert kind="info">{m()}</Alert>}</Show>
          <section class="panel" aria-labelledby="about-heading">
            <h2 id="about-heading">About this pathway</h2>
            <Show when={p().pathway.imageUrl}>{(url) => <img class="pathway-picture pathway-picture--large" src={url()} alt="" />}</Show>
            <Show when={p().pathway.description}>
              <p>{p().pathway.description}</p>
            </Show>
            <p>
              <Show when={p().completedAt} fallback={`${p().stepsDone} of ${p().stepsRequired} steps done.`}>
                {(at) => <>Completed on {formatDate(at())}.</>}
              </Show>
              <Show when={p().next}>{(next) => <> Next: {next().name}.</>}</Show>
            </p>
            <Show when={p().invited}>
              <Button
                type="button"
                onClick={() => act(() => mutate(ACCEPT, { pathwayId: p().pathway.id }), "You follow this pathway now.")}
              >
                Accept the invitation
              </Button>
            </Show>
            <Show when={!p().invited && !p().subscribed && p().pathway.state === "PUBLISHED"}>
              <Button type="button" onClick={() => act(() => mutate(JOIN, { pathwayId: p().pathway.id }), "You follow this pathway now.")}>
                Follow this pathway
              </Button>
            </Show>
            <Show when={p().subscribed}>
              <Button
                type="button"
                variant="secondary"
                onClick={() => act(() => mutate(LEAVE, { pathwayId: p().pathway.id }), "You no longer follow this pathway.")}
              >
                Stop following
              </Button>
            </Show>
          </section>
          <section class="panel" aria-labelledby="steps-heading">
            <h2 id="steps-heading">Steps</h2>
            <PathwayTree nodes={p().nodes} />
          </section>
          <Show when={p().subscribed}>
            <section class="panel" aria-labelledby="share-heading">
              <h2 id="share-heading">Share your progress</h2>
              <FormAlert form={sharing} />
              <Show
                when={p().sharedAt}
                fallback={
                  <>
                    <p>
                      Only you see your progress. A public link shows the steps and what you have done, with your name but not your email.
                    </p>
                    <Button type="button" busy={sharing.submitting()} onClick={() => share(p().pathway.id)}>
                      Share my progress
                    </Button>
                  </>
                }
              >
                {(since) => (
                  <>
                    <Show
                      when={link()}
                      fallback={
                        <p>
                          Shared with a link since {formatDate(since())}. Laurel keeps only a fingerprint of the link, so it cannot show it
                          again. Lost it? Make a new link: the old one stops working.
                        </p>
                      }
                    >
                      {(url) => (
                        <>
                          <p>
                            Anyone with this link sees your progress on this pathway as it is. Copy it now: Laurel shows it only this once.
                          </p>
                          <div class="share-link">
                            <a href={url()} rel="noopener external" target="_blank" data-testid="progress-link">
                              {url()}
                            </a>
                            <CopyButton text={url()} label="Copy link" />
                          </div>
                        </>
                      )}
                    </Show>
                    <div class="toolbar">
                      <Button type="button" variant="secondary" busy={sharing.submitting()} onClick={() => share(p().pathway.id)}>
                        Make a new link
                      </Button>
                      <Button type="button" variant="secondary" busy={sharing.submitting()} onClick={() => withdraw(p().pathway.id)}>
                        Stop sharing
                      </Button>
                    </div>
                  </>
                )}
              </Show>
            </section>
          </Show>
        </Page>
      )}
    </Show>
  );
}
