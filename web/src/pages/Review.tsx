import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { AttemptHistory } from "../components/micro/ReviewHistory";
import { Page } from "../components/Page";
import { formatDate } from "../lib/format";
import { createFormState } from "../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { DECISION_LABELS, MicroCredentialFields, REVIEWABLE_STATES, SUBMISSION_STATE_LABELS, SubmissionHistoryFields } from "../lib/micro";
import { AnswerView } from "./Submission";

const SUBMISSION = graphql(
  `query ReviewSubmission($id: ID!) {
    submission(id: $id) {
      id state round note submittedAt daysWaiting learnerName learnerEmail claimed claimedByMe claimedUntil
      answers { partId text url public fileName fileType fileSize fileUrl }
      microCredential { ...MicroCredentialFields }
      ...SubmissionHistoryFields
    }
  }`,
  [MicroCredentialFields, SubmissionHistoryFields],
);
const CLAIM = graphql(
  `mutation ClaimSubmission($id: ID!) {
    claimSubmission(id: $id) {
      __typename ...ErrorFields ... on SubmissionClaimedError { claimedUntil } ... on SubmissionStateError { state } ... on Submission { id }
    }
  }`,
  [ErrorFields],
);
const DECIDE = graphql(
  `mutation DecideSubmission($id: ID!, $decision: SubmissionDecision!, $scores: [CriterionScoreInput!]!, $comment: String) {
    decideSubmission(id: $id, decision: $decision, scores: $scores, comment: $comment) {
      __typename ...ErrorFields ... on SubmissionClaimedError { claimedUntil } ... on SubmissionStateError { state } ... on Submission { id state }
    }
  }`,
  [ErrorFields],
);

type Loaded = NonNullable<ResultOf<typeof SUBMISSION>["submission"]>;
type Decision = "AWARDED" | "RETURNED" | "NOT_AWARDED";

const time = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : "";

/** The assessor's page for one submission: every part and file, the rubric to score, and the decision. */
export default function Review() {
  const params = useParams();
  const [submission, { refetch }] = createResource(
    () => params.submissionId,
    async (id) => (await query(SUBMISSION, { id })).submission,
  );
  return (
    <Show when={submission() || !submission.loading} fallback={<p class="loading">Loading…</p>}>
      <Show when={submission()} fallback={<Page title="Submission not found">No submission you review has this address.</Page>}>
        {(s) => <ReviewView submission={s()} issuerId={params.id ?? ""} refetch={refetch} />}
      </Show>
    </Show>
  );
}

function ReviewView(props: { submission: Loaded; issuerId: string; refetch: () => unknown }) {
  const s = () => props.submission;
  const m = () => s().microCredential;
  const claim = createFormState();
  const reviewable = () => REVIEWABLE_STATES.includes(s().state);
  const takeIt = () =>
    claim.run(
      () => mutate(CLAIM, { id: s().id }),
      () => props.refetch(),
    );
  const answerOf = (partId: string) => s().answers.find((a) => a.partId === partId);
  const [decided, setDecided] = createSignal<string | null>(null);
  const onDecided = (state: string) => {
    setDecided(state);
    props.refetch();
  };
  return (
    <Page title={`Review: ${m().badgeClass.name}`}>
      <div class="stack">
        <p>
          <A href={`/issuers/${props.issuerId}/reviews`}>Back to the submissions</A>
        </p>
        <dl class="facts">
          <dt>Learner</dt>
          <dd data-testid="learner">
            <Show when={s().learnerName !== null} fallback="Hidden: blind review shows the learner's name after the decision.">
              {s().learnerName} {s().learnerEmail ? `(${s().learnerEmail})` : ""}
            </Show>
          </dd>
          <dt>State</dt>
          <dd data-testid="review-state">{SUBMISSION_STATE_LABELS[s().state]}</dd>
          <dt>Attempt</dt>
          <dd>{s().round}</dd>
          <dt>Handed in</dt>
          <dd>
            {formatDate(s().submittedAt)}
            {s().daysWaiting !== null ? ` (${s().daysWaiting} days waiting)` : ""}
          </dd>
        </dl>
        <Show when={decided()}>
          {(state) => (
            <Alert kind="success" title="Decision recorded">
              {DECISION_LABELS[state()]}. We told the learner. <A href={`/issuers/${props.issuerId}/reviews`}>Back to the submissions</A>
            </Alert>
          )}
        </Show>
        <Show when={s().note}>
          <Alert kind="info" title="Note from the learner">
            <p class="prose">{s().note}</p>
          </Alert>
        </Show>
        <Show when={reviewable()}>
          <section class="panel" aria-labelledby="claim-heading">
            <h2 id="claim-heading">Claim</h2>
            <FormAlert form={claim} />
            <Show
              when={s().claimedByMe}
              fallback={
                <>
                  <Show when={s().claimed}>
                    <p>
                      Another assessor is reviewing this until {time(s().claimedUntil)}. It becomes free again if they do not decide by
                      then.
                    </p>
                  </Show>
                  <Show when={!s().claimed}>
                    <p>Claim it so no other assessor reviews it at the same time. Your claim lasts two hours.</p>
                    <Button type="button" busy={claim.submitting()} busyLabel="Claiming…" onClick={takeIt}>
                      Claim for review
                    </Button>
                  </Show>
                </>
              }
            >
              <p data-testid="claimed-by-me">
                Claimed by you until {time(s().claimedUntil)}.{" "}
                <Button type="button" variant="link" busy={claim.submitting()} onClick={takeIt}>
                  Extend my claim
                </Button>
              </p>
            </Show>
          </section>
        </Show>
        <section class="panel" aria-labelledby="work-heading">
          <h2 id="work-heading">The learner's work</h2>
          <For each={m().parts}>{(part) => <AnswerView part={part} answer={answerOf(part.id)} />}</For>
        </section>
        <Show when={reviewable() && s().claimedByMe}>
          <DecisionForm submission={s()} onDecided={onDecided} />
        </Show>
        <section class="panel" aria-labelledby="attempts-heading">
          <h2 id="attempts-heading">Earlier attempts and decisions</h2>
          <AttemptHistory history={s()} criteria={m().criteria} />
        </section>
      </div>
    </Page>
  );
}

function DecisionForm(props: { submission: Loaded; onDecided: (state: string) => void }) {
  const criteria = () => props.submission.microCredential.criteria;
  const [scores, setScores] = createStore<Record<string, { level: number | null; comment: string }>>(
    Object.fromEntries(criteria().map((c) => [c.id, { level: null, comment: "" }])),
  );
  const [decision, setDecision] = createSignal<Decision | null>(null);
  const [comment, setComment] = createSignal("");
  const form = createFormState();
  const passes = () => criteria().every((c) => (scores[c.id]?.level ?? -1) >= c.requiredLevel);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const chosen = decision();
    if (!chosen) {
      form.setMessage(null);
      setLocalError("Choose a decision.");
      return;
    }
    setLocalError(null);
    const outcome = await form.run(
      () =>
        mutate(DECIDE, {
          id: props.submission.id,
          decision: chosen,
          comment: comment() || null,
          scores: criteria()
            .filter((c) => scores[c.id]?.level !== null)
            .map((c) => ({ criterionId: c.id, level: scores[c.id]!.level!, comment: scores[c.id]!.comment || null })),
        }),
      (result) => props.onDecided(result.state),
    );
    // Someone else claimed or decided first: said at the decision, and the page shows what happened.
    if (!outcome.ok && (outcome.error?.__typename === "SubmissionClaimedError" || outcome.error?.__typename === "SubmissionStateError")) {
      form.setMessage(null);
      setLocalError(outcome.message);
    }
  };
  const [localError, setLocalError] = createSignal<string | null>(null);
  const decisionError = () => localError() ?? form.fieldErrors().decision;
  return (
    <section class="panel" aria-labelledby="decision-heading">
      <h2 id="decision-heading">Score and decide</h2>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <For each={criteria()}>
          {(criterion) => {
            const error = () => form.fieldErrors()[`scores.${criterion.id}`];
            return (
              <fieldset
                class="score"
                classList={{ "field--invalid": Boolean(error()) }}
                aria-describedby={error() ? `score-${criterion.id}-error` : undefined}
              >
                <legend>{criterion.name}</legend>
                <Show when={criterion.description}>
                  <p class="field__hint prose">{criterion.description}</p>
                </Show>
                <div class="choices">
                  <For each={criterion.levels}>
                    {(level) => (
                      <label class="choice">
                        <input
                          type="radio"
                          name={`level-${criterion.id}`}
                          value={level.index}
                          checked={scores[criterion.id]?.level === level.index}
                          aria-invalid={error() ? "true" : undefined}
                          onChange={() => setScores(criterion.id, "level", level.index)}
                        />
                        <span>
                          {level.name}
                          {level.index === criterion.requiredLevel ? " (needed to pass)" : ""}
                          {level.description ? `: ${level.description}` : ""}
                        </span>
                      </label>
                    )}
                  </For>
                </div>
                <Field
                  label={`Comment on ${criterion.name} (optional)`}
                  name={`comment-${criterion.id}`}
                  rows={2}
                  value={scores[criterion.id]?.comment ?? ""}
                  onInput={(e) => setScores(criterion.id, "comment", e.currentTarget.value)}
                />
                <Show when={error()}>
                  <p class="field__error" id={`score-${criterion.id}-error`} role="alert">
                    {error()}
                  </p>
                </Show>
              </fieldset>
            );
          }}
        </For>
        <fieldset
          class="score"
          classList={{ "field--invalid": Boolean(decisionError()) }}
          aria-describedby={decisionError() ? "decision-error" : undefined}
        >
          <legend>Decision</legend>
          <p class="field__hint">
            {passes() ? "Every criterion is at the level needed to pass." : "An award needs every criterion at the level needed to pass."}
          </p>
          <div class="choices">
            <For
              each={[
                { value: "AWARDED" as const, label: "Award the badge" },
                { value: "RETURNED" as const, label: "Return for revision" },
                { value: "NOT_AWARDED" as const, label: "Do not award" },
              ]}
            >
              {(choice) => (
                <label class="choice">
                  <input
                    type="radio"
                    name="decision"
                    value={choice.value}
                    checked={decision() === choice.value}
                    onChange={() => {
                      setDecision(choice.value);
                      setLocalError(null);
                    }}
                  />
                  <span>{choice.label}</span>
                </label>
              )}
            </For>
          </div>
          <Show when={decisionError()}>
            <p class="field__error" id="decision-error" role="alert">
              {decisionError()}
            </p>
          </Show>
        </fieldset>
        <Field
          label={
            decision() === "NOT_AWARDED"
              ? "Reason it is not awarded"
              : decision() === "RETURNED"
                ? "What the learner should revise"
                : "Feedback for the learner"
          }
          name="comment"
          rows={4}
          value={comment()}
          error={form.fieldErrors().comment}
          hint={
            decision() === "AWARDED"
              ? "Optional with an award; it appears in the badge."
              : "The learner reads this in their email and on their submission."
          }
          onInput={(e) => setComment(e.currentTarget.value)}
        />
        <Button busy={form.submitting()} busyLabel="Recording…">
          Record decision
        </Button>
      </form>
    </section>
  );
}
