import { A } from "@solidjs/router";
import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Page } from "../components/Page";
import { PathwayProgressFields } from "../components/pathways/progress";
import { ErrorFields, graphql, type ResultOf } from "../lib/gql";
import { mutate, query } from "../lib/graphql";

const MINE = graphql(
  `query MyPathways { myPathways {
    subscribed { ...PathwayProgressFields } invitations { ...PathwayProgressFields } opportunities { ...PathwayProgressFields }
  } }`,
  [PathwayProgressFields],
);
const ACCEPT = graphql(
  `mutation AcceptPathwayInvitation($pathwayId: ID!) { acceptPathwayInvitation(pathwayId: $pathwayId) { __typename ...ErrorFields ... on Pathway { id } } }`,
  [ErrorFields],
);
const DECLINE = graphql(
  `mutation DeclinePathwayInvitation($pathwayId: ID!) { declinePathwayInvitation(pathwayId: $pathwayId) { __typename ...ErrorFields ... on Pathway { id } } }`,
  [ErrorFields],
);
const JOIN = graphql(
  `mutation JoinPathway($pathwayId: ID!) { joinPathway(pathwayId: $pathwayId) { __typename ...ErrorFields ... on Pathway { id } } }`,
  [ErrorFields],
);

type Progress = ResultOf<typeof MINE>["myPathways"]["subscribed"][number];

function ProgressSummary(props: { p: Progress }) {
  return (
    <p class="list__meta">
      <Show when={props.p.completedAt || props.p.met} fallback={`${props.p.stepsDone} of ${props.p.stepsRequired} steps done`}>
        Completed
      </Show>
      <Show when={props.p.next}>{(next) => <> · Next: {next().name}</>}</Show>
    </p>
  );
}

function PathwayCard(props: { p: Progress; actions?: JSX.Element }) {
  return (
    <li class="list__item">
      <Show when={props.p.pathway.imageUrl}>{(url) => <img class="pathway-picture" src={url()} alt="" width="56" height="56" />}</Show>
      <div class="list__main">
        <A href={`/pathways/${props.p.pathway.id}`}>{props.p.pathway.name}</A>
        <span class="list__meta"> by {props.p.issuer.name}</span>
        <ProgressSummary p={props.p} />
        <progress max={Math.max(props.p.stepsRequired, 1)} value={props.p.stepsDone} aria-label={`Progress on ${props.p.pathway.name}`} />
      </div>
      {props.actions}
    </li>
  );
}

/** The pathways I follow, the invitations to any of my verified emails, and pathways in which I already hold a badge. */
export default function MyPathways() {
  const [mine, { refetch }] = createResource(async () => (await query(MINE)).myPathways);
  const [message, setMessage] = createSignal<string | null>(null);
  const act = async (action: () => ReturnType<typeof mutate>, done: string) => {
    setMessage(null);
    const outcome = await action();
    setMessage(outcome.ok ? done : outcome.message);
    await refetch();
  };
  return (
    <Page
      title="Pathways"
      lead="Routes of badges that end in a completion badge. Your progress counts every badge on your verified emails."
    >
      <Show when={message()}>{(m) => <Alert kind="info">{m()}</Alert>}</Show>
      <Show when={!mine.loading || mine()} fallback={<p class="loading">Loading…</p>}>
        <Show when={mine()?.invitations.length}>
          <section class="panel" aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">Invitations</h2>
            <ul class="list">
              <For each={mine()?.invitations}>
                {(p) => (
                  <PathwayCard
                    p={p}
                    actions={
                      <span class="toolbar">
                        <Button
                          type="button"
                          onClick={() => act(() => mutate(ACCEPT, { pathwayId: p.pathway.id }), `You follow "${p.pathway.name}" now.`)}
                        >
                          Accept
                        </Button>
                        <Button
                          type="button"
                          variant="secondary"
                          onClick={() => act(() => mutate(DECLINE, { pathwayId: p.pathway.id }), `You declined "${p.pathway.name}".`)}
                        >
                          Decline
                        </Button>
                      </span>
                    }
                  />
                )}
              </For>
            </ul>
          </section>
        </Show>
        <section class="panel" aria-labelledby="my-pathways-heading">
          <h2 id="my-pathways-heading">My Pathways</h2>
          <ul class="list">
            <For each={mine()?.subscribed} fallback={<li class="list__item">You do not follow a pathway yet.</li>}>
              {(p) => <PathwayCard p={p} />}
            </For>
          </ul>
        </section>
        <Show when={mine()?.opportunities.length}>
          <section class="panel" aria-labelledby="opportunities-heading">
            <h2 id="opportunities-heading">Pathway opportunities</h2>
            <p>Published pathways that count a badge you already hold.</p>
            <ul class="list">
              <For each={mine()?.opportunities}>
                {(p) => (
                  <PathwayCard
                    p={p}
                    actions={
                      <Button
                        type="button"
                        variant="secondary"
                        onClick={() => act(() => mutate(JOIN, { pathwayId: p.pathway.id }), `You follow "${p.pathway.name}" now.`)}
                      >
                        Follow
                      </Button>
                    }
                  />
                )}
              </For>
            </ul>
          </section>
        </Show>
      </Show>
    </Page>
  );
}
