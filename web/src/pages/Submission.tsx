import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import { createStore } from "solid-js/store";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Checkbox, Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { AttemptHistory, ReviewFeedback } from "../components/micro/ReviewHistory";
import { Page } from "../components/Page";
import { formatDate } from "../lib/format";
import { createFormState } from "../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import {
  countWords,
  EDITABLE_STATES,
  fileTypeNames,
  formatBytes,
  MicroCredentialFields,
  SUBMISSION_STATE_LABELS,
  SubmissionHistoryFields,
  UNDECIDED_STATES,
  uploadEvidence,
} from "../lib/micro";

const SUBMISSION = graphql(
  `query LearnerSubmission($id: ID!) {
    submission(id: $id) {
      id state round note publicNarrative submittedAt updatedAt
      answers { partId text url public fileName fileType fileSize fileUrl }
      award { id }
      microCredential { ...MicroCredentialFields }
      ...SubmissionHistoryFields
    }
  }`,
  [MicroCredentialFields, SubmissionHistoryFields],
);
const SAVE = graphql(
  `mutation SaveSubmissionDraft($id: ID!, $answers: [SubmissionAnswerInput!]!, $publicNarrative: String) {
    saveSubmissionDraft(id: $id, answers: $answers, publicNarrative: $publicNarrative) {
      __typename ...ErrorFields ... on SubmissionStateError { state } ... on Submission { id updatedAt }
    }
  }`,
  [ErrorFields],
);
const SUBMIT = graphql(
  `mutation SubmitSubmission($id: ID!) {
    submitSubmission(id: $id) { __typename ...ErrorFields ... on SubmissionStateError { state } ... on Submission { id state } }
  }`,
  [ErrorFields],
);
const RESUBMIT = graphql(
  `mutation ResubmitSubmission($id: ID!, $note: String) {
    resubmitSubmission(id: $id, note: $note) { __typename ...ErrorFields ... on SubmissionStateError { state } ... on Submission { id state } }
  }`,
  [ErrorFields],
);
const WITHDRAW = graphql(
  `mutation WithdrawSubmission($id: ID!) {
    withdrawSubmission(id: $id) { __typename ...ErrorFields ... on SubmissionStateError { state } ... on Submission { id state } }
  }`,
  [ErrorFields],
);

type Loaded = NonNullable<ResultOf<typeof SUBMISSION>["submission"]>;
type Part = Loaded["microCredential"]["parts"][number];
type Answer = Loaded["answers"][number];

/** How long typing pauses before the draft is saved. */
const SAVE_DELAY_MS = 800;

/** A learner's submission: the draft editor while it is theirs to edit, its status and every attempt's feedback. */
export default function Submission() {
  const params = useParams();
  const [submission, { refetch }] = createResource(
    () => params.id,
    async (id) => (await query(SUBMISSION, { id })).submission,
  );
  return (
    <Show when={!submission.loading || submission()} fallback={<p class="loading">Loading…</p>}>
      <Show when={submission()} fallback={<Page title="Submission not found">No submission of yours has this address.</Page>}>
        {(s) => <SubmissionView submission={s()} refetch={refetch} />}
      </Show>
    </Show>
  );
}

function SubmissionView(props: { submission: Loaded; refetch: () => unknown }) {
  const s = () => props.submission;
  const m = () => s().microCredential;
  const editable = () => EDITABLE_STATES.includes(s().state);
  const latestReview = () => s().reviews.at(-1);
  return (
    <Page title={m().badgeClass.name} lead={`Your submission to ${m().badgeClass.issuer.name}`}>
      <div class="stack">
        <p>
          Status:{" "}
          <span class="tag" data-testid="submission-state">
            {SUBMISSION_STATE_LABELS[s().state]}
          </span>{" "}
          <A href={`/micro-credentials/${m().badgeClassId}`}>About this micro-credential</A> ·{" "}
          <A href="/submissions">All your submissions</A>
        </p>
        <Switch>
          <Match when={s().state === "DRAFT"}>
            <Alert kind="info">Your answers are saved as you type. Submit when every required part is done.</Alert>
          </Match>
          <Match when={s().state === "RETURNED" && latestReview()}>
            {(review) => (
              <Alert kind="info" title="Returned for revision">
                <p>The assessor asks you to revise and resubmit. Their feedback:</p>
                <ReviewFeedback review={review()} criteria={m().criteria} />
              </Alert>
            )}
          </Match>
          <Match when={["SUBMITTED", "RESUBMITTED", "IN_REVIEW"].includes(s().state)}>
            <Alert kind="info">
              Handed in {formatDate(s().submittedAt)}. Usually reviewed within {m().reviewTargetDays} days; we email you the decision.
            </Alert>
          </Match>
          <Match when={s().state === "AWARDED"}>
            <Alert kind="success" title="Awarded">
              You earned this micro-credential.{" "}
              <Show when={s().award}>{(a) => <A href={`/backpack/${a().id}`}>See the badge in your backpack</A>}</Show>
            </Alert>
          </Match>
          <Match when={s().state === "NOT_AWARDED" && latestReview()}>
            {(review) => (
              <Alert kind="error" title="Not awarded">
                <ReviewFeedback review={review()} criteria={m().criteria} />
                <p>
                  You may <A href={`/micro-credentials/${m().badgeClassId}`}>start this micro-credential again</A>.
                </p>
              </Alert>
            )}
          </Match>
          <Match when={s().state === "WITHDRAWN"}>
            <Alert kind="info">
              You withdrew this submission. <A href={`/micro-credentials/${m().badgeClassId}`}>Start again</A>
            </Alert>
          </Match>
        </Switch>
        <Show when={editable()} fallback={<ReadOnlyAnswers submission={s()} />}>
          <DraftEditor submission={s()} refetch={props.refetch} />
        </Show>
        <Show when={UNDECIDED_STATES.includes(s().state)}>
          <WithdrawPanel submissionId={s().id} refetch={props.refetch} />
        </Show>
        <section class="panel" aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <ol class="timeline">
            <For each={s().history}>
              {(event) => (
                <li>
                  {SUBMISSION_STATE_LABELS[event.state]} · {formatDate(event.at)}
                </li>
              )}
            </For>
          </ol>
          <h2>Attempts and feedback</h2>
          <AttemptHistory history={s()} criteria={m().criteria} />
        </section>
      </div>
    </Page>
  );
}

function ReadOnlyAnswers(props: { submission: Loaded }) {
  const answerOf = (partId: string) => props.submission.answers.find((a) => a.partId === partId);
  return (
    <section class="panel" aria-labelledby="answers-heading">
      <h2 id="answers-heading">What you handed in</h2>
      <For each={props.submission.microCredential.parts}>{(part) => <AnswerView part={part} answer={answerOf(part.id)} />}</For>
      <Show when={props.submission.publicNarrative}>
        <h3>Public summary of your evidence</h3>
        <p class="prose">{props.submission.publicNarrative}</p>
      </Show>
    </section>
  );
}

/** One part's answer as it was handed in; the assessor's review page shows the same. */
export function AnswerView(props: { part: Part; answer: Answer | undefined }) {
  return (
    <div class="answer" data-testid="answer">
      <h3>{props.part.title}</h3>
      <p class="field__hint prose">{props.part.prompt}</p>
      <Switch fallback={<p class="field__hint">No answer.</p>}>
        <Match when={props.part.kind === "TEXT" && props.answer?.text}>{(text) => <p class="prose">{text()}</p>}</Match>
        <Match when={props.part.kind === "LINK" && props.answer?.url}>
          {(url) => (
            <p>
              <a href={url()} rel="noopener noreferrer nofollow" target="_blank">
                {url()}
              </a>
              {props.answer?.public ? " (shown in the public badge)" : ""}
            </p>
          )}
        </Match>
        <Match when={props.part.kind === "FILE" && props.answer?.fileName}>
          <p>
            <Show when={props.answer?.fileUrl} fallback={props.answer?.fileName}>
              {(href) => <a href={href()}>Download {props.answer?.fileName}</a>}
            </Show>{" "}
            <span class="field__hint">({formatBytes(props.answer?.fileSize)})</span>
          </p>
        </Match>
      </Switch>
    </div>
  );
}

type SaveState = "idle" | "saving" | "saved" | "failed";

function DraftEditor(props: { submission: Loaded; refetch: () => unknown }) {
  const s = () => props.submission;
  const parts = () => s().microCredential.parts;
  const typed = parts().filter((p) => p.kind !== "FILE");
  // The editor keeps its own copy: a refetch (after an upload) does not undo what is being typed.
  const initial = Object.fromEntries(
    typed.map((p) => {
      const a = s().answers.find((x) => x.partId === p.id);
      return [p.id, { text: a?.text ?? "", url: a?.url ?? "", public: a?.public ?? false }];
    }),
  );
  const [answers, setAnswers] = createStore<Record<string, { text: string; url: string; public: boolean }>>(initial);
  const [narrative, setNarrative] = createSignal(s().publicNarrative ?? "");
  const [note, setNote] = createSignal("");
  const [saveState, setSaveState] = createSignal<SaveState>("idle");
  const [savedAt, setSavedAt] = createSignal<Date | null>(null);
  const [saveErrors, setSaveErrors] = createSignal<Record<string, string>>({});
  const [saveMessage, setSaveMessage] = createSignal<string | null>(null);
  const [confirming, setConfirming] = createSignal(false);
  const handIn = createFormState();
  // What a refused hand-in said per part, until the learner edits that part.
  const [submitErrors, setSubmitErrors] = createSignal<Record<string, string>>({});
  const edited = (partId: string) => {
    const { [`parts.${partId}`]: _gone, ...rest } = submitErrors();
    setSubmitErrors(rest);
  };
  const resubmitting = () => s().state === "RETURNED";

  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<boolean> | null = null;
  let dirty = false;
  onCleanup(() => clearTimeout(timer));

  /** Saves now, one request at a time; edits made meanwhile are saved right after. */
  async function save(): Promise<boolean> {
    clearTimeout(timer);
    if (inFlight) {
      dirty = true;
      return inFlight.then(() => (dirty ? save() : true));
    }
    dirty = false;
    setSaveState("saving");
    const list = typed.map((p) =>
      p.kind === "TEXT"
        ? { partId: p.id, text: answers[p.id]!.text }
        : { partId: p.id, url: answers[p.id]!.url || null, public: answers[p.id]!.public },
    );
    inFlight = mutate(SAVE, { id: s().id, answers: list, publicNarrative: narrative() }).then((outcome) => {
      inFlight = null;
      if (outcome.ok) {
        setSaveErrors({});
        setSaveMessage(null);
        setSaveState("saved");
        setSavedAt(new Date());
        return true;
      }
      // Field errors name the answer's position in the list: show them at its part.
      const byPart: Record<string, string> = {};
      for (const [field, message] of Object.entries(outcome.fieldErrors)) {
        const match = /^answers\.(\d+)\./.exec(field);
        const part = match ? list[Number(match[1])] : undefined;
        byPart[part ? part.partId : field] = message;
      }
      setSaveErrors(byPart);
      setSaveMessage(Object.keys(byPart).length ? "Not saved: fix the marked answers." : outcome.message);
      setSaveState("failed");
      if (outcome.error?.__typename === "SubmissionStateError") props.refetch();
      return false;
    });
    return inFlight;
  }
  const scheduleSave = () => {
    setSaveState("idle");
    clearTimeout(timer);
    timer = setTimeout(() => void save(), SAVE_DELAY_MS);
  };

  const handInNow = async () => {
    if (!(await save())) {
      setConfirming(false);
      return;
    }
    const outcome = await handIn.run(
      () => (resubmitting() ? mutate(RESUBMIT, { id: s().id, note: note() || null }) : mutate(SUBMIT, { id: s().id })),
      () => props.refetch(),
    );
    setConfirming(false);
    setSubmitErrors(outcome.ok ? {} : outcome.fieldErrors);
    if (!outcome.ok && Object.keys(outcome.fieldErrors).length) handIn.setMessage("Complete the marked parts, then submit again.");
  };
  const partError = (partId: string) => saveErrors()[partId] ?? submitErrors()[`parts.${partId}`];

  return (
    <section class="panel" aria-labelledby="editor-heading">
      <h2 id="editor-heading">{resubmitting() ? "Revise your answers" : "Your answers"}</h2>
      <p class="save-status" role="status" data-testid="save-status">
        <Switch>
          <Match when={saveState() === "saving"}>Saving…</Match>
          <Match when={saveState() === "saved"}>Saved{savedAt() ? ` at ${savedAt()!.toLocaleTimeString()}` : ""}</Match>
          <Match when={saveState() === "failed"}>{saveMessage()}</Match>
        </Switch>
      </p>
      <form onSubmit={(e) => e.preventDefault()} novalidate>
        <For each={parts()}>
          {(part, i) => (
            <fieldset class="part" data-testid="part">
              <legend>
                {i() + 1}. {part.title} <span class="tag">{part.required ? "required" : "optional"}</span>
              </legend>
              <p class="prose field__hint">{part.prompt}</p>
              <Switch>
                <Match when={part.kind === "TEXT"}>
                  <Field
                    label={`Your answer: ${part.title}`}
                    name={`part-${part.id}`}
                    rows={6}
                    value={answers[part.id]!.text}
                    error={partError(part.id)}
                    hint={
                      part.wordLimit
                        ? `${countWords(answers[part.id]!.text)} of at most ${part.wordLimit} words`
                        : `${countWords(answers[part.id]!.text)} words`
                    }
                    onInput={(e) => {
                      setAnswers(part.id, "text", e.currentTarget.value);
                      edited(part.id);
                      scheduleSave();
                    }}
                  />
                </Match>
                <Match when={part.kind === "LINK"}>
                  <Field
                    label={`Link: ${part.title}`}
                    name={`part-${part.id}`}
                    type="url"
                    placeholder="https://"
                    value={answers[part.id]!.url}
                    error={partError(part.id)}
                    onInput={(e) => {
                      setAnswers(part.id, "url", e.currentTarget.value);
                      edited(part.id);
                      scheduleSave();
                    }}
                  />
                  <Checkbox
                    name={`public-${part.id}`}
                    checked={answers[part.id]!.public}
                    onChange={(e) => {
                      setAnswers(part.id, "public", e.currentTarget.checked);
                      void save();
                    }}
                  >
                    Show this link in my public badge
                  </Checkbox>
                </Match>
                <Match when={part.kind === "FILE"}>
                  <FileAnswer
                    submissionId={s().id}
                    part={part}
                    answer={s().answers.find((a) => a.partId === part.id)}
                    error={partError(part.id)}
                    onUploaded={() => {
                      edited(part.id);
                      props.refetch();
                    }}
                  />
                </Match>
              </Switch>
            </fieldset>
          )}
        </For>
        <Field
          label="Public summary of your evidence (optional)"
          name="publicNarrative"
          rows={3}
          value={narrative()}
          error={saveErrors().publicNarrative}
          hint="Shown in your badge for anyone who checks it. Your files and written answers stay private."
          onInput={(e) => {
            setNarrative(e.currentTarget.value);
            scheduleSave();
          }}
        />
        <Show when={resubmitting()}>
          <Field
            label="Note to the assessor (optional)"
            name="note"
            rows={3}
            value={note()}
            error={handIn.fieldErrors().note}
            hint="What you changed since their feedback."
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </Show>
        <FormAlert form={handIn} />
        <Show
          when={confirming()}
          fallback={
            <Button type="button" onClick={() => setConfirming(true)}>
              {resubmitting() ? "Resubmit for review" : "Submit for review"}
            </Button>
          }
        >
          <div class="confirm">
            <p>
              <strong>{resubmitting() ? "Resubmit your revised work?" : "Submit your work for review?"}</strong> You cannot change your
              answers while it is being reviewed.
            </p>
            <Button type="button" busy={handIn.submitting()} busyLabel="Submitting…" onClick={handInNow}>
              {resubmitting() ? "Yes, resubmit" : "Yes, submit"}
            </Button>{" "}
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
              Keep editing
            </Button>
          </div>
        </Show>
      </form>
    </section>
  );
}

function FileAnswer(props: { submissionId: string; part: Part; answer: Answer | undefined; error?: string; onUploaded: () => unknown }) {
  const [progress, setProgress] = createSignal<number | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [done, setDone] = createSignal(false);
  const accepted = () => props.part.fileTypes ?? [];
  const onChange = async (event: Event & { currentTarget: HTMLInputElement }) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    setProblem(null);
    setDone(false);
    if (!file) return;
    // Said before sending anything; the Worker checks again from the file's own bytes.
    if (props.part.maxBytes && file.size > props.part.maxBytes) {
      setProblem(`${file.name} is ${formatBytes(file.size)}; this part takes files up to ${formatBytes(props.part.maxBytes)}.`);
      input.value = "";
      return;
    }
    if (file.type && !accepted().includes(file.type)) {
      setProblem(`${file.name} is not one of the types this part takes: ${fileTypeNames(accepted())}.`);
      input.value = "";
      return;
    }
    setProgress(0);
    const result = await uploadEvidence(props.submissionId, props.part.id, file, setProgress);
    setProgress(null);
    input.value = "";
    if (!result.ok) {
      setProblem(result.message);
      return;
    }
    setDone(true);
    props.onUploaded();
  };
  const id = `file-${props.part.id}`;
  const error = () => problem() ?? props.error;
  return (
    <div class="field" classList={{ "field--invalid": Boolean(error()) }}>
      <Show when={props.answer?.fileName}>
        <p data-testid="current-file">
          Current file:{" "}
          <Show when={props.answer?.fileUrl} fallback={props.answer?.fileName}>
            {(href) => <a href={href()}>{props.answer?.fileName}</a>}
          </Show>{" "}
          ({formatBytes(props.answer?.fileSize)})
        </p>
      </Show>
      <label for={id}>{props.answer?.fileName ? `Replace the file: ${props.part.title}` : `File: ${props.part.title}`}</label>
      <p class="field__hint" id={`${id}-hint`}>
        {fileTypeNames(accepted())}, up to {formatBytes(props.part.maxBytes)}.
      </p>
      <input
        id={id}
        type="file"
        accept={accepted().join(",")}
        aria-describedby={`${id}-hint${error() ? ` ${id}-error` : ""}`}
        aria-invalid={error() ? "true" : undefined}
        disabled={progress() !== null}
        onChange={onChange}
      />
      <Show when={progress() !== null}>
        <p>
          <progress max="1" value={progress() ?? 0} aria-label={`Uploading ${props.part.title}`} /> {Math.round((progress() ?? 0) * 100)}%
        </p>
      </Show>
      <Show when={done()}>
        <p role="status">Uploaded and saved.</p>
      </Show>
      <Show when={error()}>
        <p class="field__error" id={`${id}-error`} role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}

function WithdrawPanel(props: { submissionId: string; refetch: () => unknown }) {
  const form = createFormState();
  const [confirming, setConfirming] = createSignal(false);
  const withdraw = () =>
    form.run(
      () => mutate(WITHDRAW, { id: props.submissionId }),
      () => {
        setConfirming(false);
        props.refetch();
      },
    );
  return (
    <section class="panel" aria-labelledby="withdraw-heading">
      <h2 id="withdraw-heading">Withdraw</h2>
      <p>Take your submission back before a decision. It will not be reviewed; you can start again later.</p>
      <FormAlert form={form} />
      <Show
        when={confirming()}
        fallback={
          <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
            Withdraw submission
          </Button>
        }
      >
        <p>
          <strong>Withdraw this submission?</strong>
        </p>
        <Button type="button" variant="danger" busy={form.submitting()} busyLabel="Withdrawing…" onClick={withdraw}>
          Yes, withdraw
        </Button>{" "}
        <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </Show>
    </section>
  );
}
