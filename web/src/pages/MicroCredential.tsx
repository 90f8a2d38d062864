import { A, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { FormAlert } from "../components/FormAlert";
import { Rubric } from "../components/micro/Rubric";
import { Page } from "../components/Page";
import { createFormState } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { fileTypeNames, formatBytes, MicroCredentialFields, SUBMISSION_STATE_LABELS } from "../lib/micro";
import { currentUser } from "../lib/session";

const MICRO_CREDENTIAL = graphql(
  `query PublicMicroCredential($id: ID!) { microCredential(badgeClassId: $id) { ...MicroCredentialFields } }`,
  [MicroCredentialFields],
);
const MY_SUBMISSIONS = graphql(`query MySubmissionsForBadge { mySubmissions(first: 100) { id state badgeClass { id } } }`);
const START = graphql(
  `mutation StartSubmission($badgeClassId: ID!) {
    startSubmission(badgeClassId: $badgeClassId) {
      __typename ...ErrorFields ... on Submission { id } ... on PrerequisitesMissingError { missing { badgeClassId name } }
    }
  }`,
  [ErrorFields],
);

const KIND_WORDS: Record<string, string> = { TEXT: "Written answer", FILE: "File upload", LINK: "Link" };

/** A micro-credential for anyone to read (no account needed), and the way in for a learner. */
export default function MicroCredential() {
  const params = useParams();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const [definition] = createResource(
    () => params.id,
    async (id) => (await query(MICRO_CREDENTIAL, { id })).microCredential,
  );
  // The learner's live submission for it, if any: "Continue" instead of starting again.
  const [mine] = createResource(
    () => (currentUser() ? params.id : null),
    async (id) =>
      (await query(MY_SUBMISSIONS)).mySubmissions.find((s) => s.badgeClass.id === id && !["WITHDRAWN", "NOT_AWARDED"].includes(s.state)) ??
      null,
  );
  const form = createFormState();
  const here = () => `/micro-credentials/${params.id}`;
  const start = () =>
    form.run(
      () => mutate(START, { badgeClassId: params.id ?? "" }),
      (submission) => navigate(`/submissions/${submission.id}`),
    );
  // Back from signing in with ?start=1: carry on with what the visitor asked for.
  createEffect(() => {
    if (search.start && currentUser() && definition() && !mine.loading) {
      setSearch({ start: undefined }, { replace: true });
      const existing = mine();
      if (existing) navigate(`/submissions/${existing.id}`);
      else void start();
    }
  });
  return (
    <Show when={!definition.loading} fallback={<p class="loading">Loading…</p>}>
      <Show when={definition()} fallback={<Page title="Micro-credential not found">There is no micro-credential at this address.</Page>}>
        {(m) => (
          <Page title={m().badgeClass.name}>
            <div class="badge-detail">
              <img src={m().badgeClass.imageUrl} alt="" width="128" height="128" />
              <div>
                <p>
                  A micro-credential from{" "}
                  <a href={m().badgeClass.issuer.url} rel="noopener noreferrer">
                    {m().badgeClass.issuer.name}
                  </a>
                </p>
                <p class="prose">{m().badgeClass.description}</p>
                <p class="field__hint">Usually reviewed within {m().reviewTargetDays} days of submitting.</p>
                <FormAlert form={form} />
                <Show
                  when={currentUser()}
                  fallback={
                    <p>
                      <A class="button button--primary" href={`/sign-in?next=${encodeURIComponent(`${here()}?start=1`)}`}>
                        Start this micro-credential
                      </A>{" "}
                      <span class="field__hint">You sign in first; no account yet? You can create one there.</span>
                    </p>
                  }
                >
                  <Show
                    when={mine()}
                    fallback={
                      <p>
                        <Button type="button" busy={form.submitting()} busyLabel="Starting…" onClick={start}>
                          Start this micro-credential
                        </Button>
                      </p>
                    }
                  >
                    {(s) => (
                      <Alert kind="info">
                        Your submission: {SUBMISSION_STATE_LABELS[s().state]}. <A href={`/submissions/${s().id}`}>Open your submission</A>
                      </Alert>
                    )}
                  </Show>
                </Show>
              </div>
            </div>
            <div class="stack">
              <section class="panel" aria-labelledby="competency-heading">
                <h2 id="competency-heading">Competency</h2>
                <p class="prose">{m().competency}</p>
                <h3>Key method</h3>
                <p class="prose">{m().keyMethod}</p>
                <Show when={m().methodComponents}>
                  <h3>Method components</h3>
                  <p class="prose">{m().methodComponents}</p>
                </Show>
                <Show when={m().research}>
                  <h3>Supporting research and rationale</h3>
                  <p class="prose">{m().research}</p>
                </Show>
                <Show when={m().badgeClass.criteriaNarrative}>
                  <h3>Criteria</h3>
                  <p class="prose">{m().badgeClass.criteriaNarrative}</p>
                </Show>
                <Show when={m().resources.length}>
                  <h3>Resources</h3>
                  <ul>
                    <For each={m().resources}>
                      {(r) => (
                        <li>
                          <a href={r.url} rel="noopener noreferrer">
                            {r.title}
                          </a>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </section>
              <Show when={m().prerequisites.length}>
                <section class="panel" aria-labelledby="prerequisites-heading">
                  <h2 id="prerequisites-heading">Before you start</h2>
                  <p>You need these badges, awarded to one of your verified email addresses:</p>
                  <ul>
                    <For each={m().prerequisites}>{(p) => <li>{p.name}</li>}</For>
                  </ul>
                </section>
              </Show>
              <section class="panel" aria-labelledby="parts-heading">
                <h2 id="parts-heading">What you submit</h2>
                <ol class="parts">
                  <For each={m().parts}>
                    {(part) => (
                      <li>
                        <h3>
                          {part.title} <span class="tag">{part.required ? "required" : "optional"}</span>
                        </h3>
                        <p class="prose">{part.prompt}</p>
                        <p class="field__hint">
                          {KIND_WORDS[part.kind]}
                          {part.kind === "TEXT" && part.wordLimit ? `, up to ${part.wordLimit} words` : ""}
                          {part.kind === "FILE" ? `: ${fileTypeNames(part.fileTypes)}, up to ${formatBytes(part.maxBytes)}` : ""}
                        </p>
                      </li>
                    )}
                  </For>
                </ol>
              </section>
              <section class="panel" aria-labelledby="rubric-heading">
                <h2 id="rubric-heading">How it is assessed</h2>
                <p>An assessor scores each criterion. To earn the badge, every criterion must reach the level needed to pass.</p>
                <Rubric criteria={m().criteria} parts={m().parts} />
              </section>
            </div>
          </Page>
        )}
      </Show>
    </Show>
  );
}
