import { createSignal, Show } from "solid-js";
import { createFormState, formValues } from "../../lib/forms";
import { ErrorFields, graphql } from "../../lib/gql";
import { mutate } from "../../lib/graphql";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";

const VOTE = graphql(
  `mutation VoteOnHelpArticle($articleId: ID!, $helpful: Boolean!) {
    voteOnHelpArticle(articleId: $articleId, helpful: $helpful) { __typename ...ErrorFields ... on HelpVotes { helpful total } }
  }`,
  [ErrorFields],
);
const FEEDBACK = graphql(
  `mutation SendHelpFeedback($articleId: ID!, $message: String!) {
    sendHelpFeedback(articleId: $articleId, message: $message) { __typename ...ErrorFields ... on HelpFeedbackSent { id } }
  }`,
  [ErrorFields],
);

/**
 * "Was this article helpful? Yes / No" with "N out of M found this helpful". The answer can be
 * changed; a No opens the feedback box, whose message reaches staff with the article.
 */
export function HelpfulFooter(props: { articleId: string; votes: { helpful: number; total: number }; myVote: boolean | null }) {
  const [votes, setVotes] = createSignal(props.votes);
  const [mine, setMine] = createSignal(props.myVote);
  const [sent, setSent] = createSignal(false);
  const voting = createFormState();
  const feedback = createFormState();
  const vote = (helpful: boolean) =>
    voting.run(
      () => mutate(VOTE, { articleId: props.articleId, helpful }),
      (counts) => {
        setVotes(counts);
        setMine(helpful);
        setSent(false);
      },
    );
  const onFeedback = (event: SubmitEvent) => {
    event.preventDefault();
    const { message = "" } = formValues(event.currentTarget as HTMLFormElement);
    return feedback.run(
      () => mutate(FEEDBACK, { articleId: props.articleId, message }),
      () => setSent(true),
    );
  };
  return (
    <section class="help-footer" aria-labelledby="helpful-heading">
      <h2 id="helpful-heading" class="help-footer__question">
        Was this article helpful?
      </h2>
      <div class="help-footer__answers">
        <Button variant="secondary" type="button" aria-pressed={mine() === true} busy={voting.submitting()} onClick={() => vote(true)}>
          Yes
        </Button>
        <Button variant="secondary" type="button" aria-pressed={mine() === false} busy={voting.submitting()} onClick={() => vote(false)}>
          No
        </Button>
      </div>
      <p class="help-footer__count" aria-live="polite">
        {votes().helpful} out of {votes().total} found this helpful
      </p>
      <FormAlert form={voting} />
      <Show when={mine() === false}>
        <Show
          when={!sent()}
          fallback={
            <p class="help-footer__thanks" role="status">
              Thank you for your feedback.
            </p>
          }
        >
          <form class="help-feedback" onSubmit={onFeedback} novalidate>
            <p>Sorry we couldn't be helpful. Help us improve this article with your feedback.</p>
            <FormAlert form={feedback} />
            <Field label="Your feedback" name="message" rows={4} maxLength={2000} required error={feedback.fieldErrors().message} />
            <Button busy={feedback.submitting()} busyLabel="Sending…">
              Send feedback
            </Button>
          </form>
        </Show>
      </Show>
    </section>
  );
}
