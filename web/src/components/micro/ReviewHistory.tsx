import { For, Show } from "solid-js";
import { formatDate } from "../../lib/format";
import type { ResultOf } from "../../lib/gql";
import { DECISION_LABELS, type SubmissionHistoryFields } from "../../lib/micro";
import type { Criterion } from "./Rubric";

type History = ResultOf<typeof SubmissionHistoryFields>;

/** One assessor's decision with its score and comment per criterion. */
export function ReviewFeedback(props: { review: History["reviews"][number]; criteria: Criterion[] }) {
  const levelName = (criterionId: string, level: number) =>
    props.criteria.find((c) => c.id === criterionId)?.levels.find((l) => l.index === level)?.name ?? `Level ${level + 1}`;
  const criterionName = (criterionId: string) => props.criteria.find((c) => c.id === criterionId)?.name ?? "Criterion";
  return (
    <div class="feedback" data-testid="review-feedback">
      <p>
        <strong>{DECISION_LABELS[props.review.decision]}</strong> on {formatDate(props.review.decidedAt)}
      </p>
      <Show when={props.review.comment}>
        <blockquote class="prose">{props.review.comment}</blockquote>
      </Show>
      <Show when={props.review.scores.length}>
        <table class="scores">
          <caption class="visually-hidden">Scores for attempt {props.review.round}</caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">Level</th>
              <th scope="col">Comment</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.review.scores}>
              {(score) => (
                <tr>
                  <th scope="row">{criterionName(score.criterionId)}</th>
                  <td>{levelName(score.criterionId, score.level)}</td>
                  <td class="prose">{score.comment || "—"}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </div>
  );
}

/** Every round handed in, its note to the assessor, and the decision on it, newest first. */
export function AttemptHistory(props: { history: History; criteria: Criterion[] }) {
  const rounds = () => [...props.history.attempts].reverse();
  return (
    <Show when={rounds().length} fallback={<p>Nothing handed in yet.</p>}>
      <ol class="attempts" reversed>
        <For each={rounds()}>
          {(attempt) => {
            const review = () => props.history.reviews.find((r) => r.round === attempt.round);
            return (
              <li class="attempt">
                <h3>
                  Attempt {attempt.round}, handed in {formatDate(attempt.submittedAt)}
                </h3>
                <Show when={attempt.note}>
                  <p>
                    Note to the assessor: <span class="prose">{attempt.note}</span>
                  </p>
                </Show>
                <Show when={review()} fallback={<p class="field__hint">Waiting for a decision.</p>}>
                  {(r) => <ReviewFeedback review={r()} criteria={props.criteria} />}
                </Show>
              </li>
            );
          }}
        </For>
      </ol>
    </Show>
  );
}
