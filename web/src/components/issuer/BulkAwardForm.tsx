import { createSignal, For, Show } from "solid-js";
import { createFormState, fileFrom, formValues } from "../../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../../lib/gql";
import { mutate } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";
import { type BadgeClassChoice, BadgeClassSelect } from "./BadgeClassSelect";

const BULK = graphql(
  `mutation BulkAward($badgeClassId: ID!, $file: File) {
    bulkAward(badgeClassId: $badgeClassId, file: $file) {
      __typename
      ...ErrorFields
      ... on BulkAwardReport { rows created alreadyAwarded }
      ... on CsvRejectedError { problems { line field message } }
    }
  }`,
  [ErrorFields],
);
type Result = ResultOf<typeof BULK>["bulkAward"];
type Report = Extract<Result, { __typename: "BulkAwardReport" }>;
type Problem = Extract<Result, { __typename: "CsvRejectedError" }>["problems"][number];

/** Awards a badge to every row of a CSV file, or to none when a row has a problem (listed by line). */
export function BulkAwardForm(props: { badgeClasses: BadgeClassChoice[]; onAwarded: () => void }) {
  const form = createFormState();
  const [report, setReport] = createSignal<Report | null>(null);
  const [problems, setProblems] = createSignal<Problem[]>([]);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    setReport(null);
    setProblems([]);
    const outcome = await form.run(
      () => mutate(BULK, { badgeClassId: formValues(element).badgeClassId ?? "", file: fileFrom(element, "file") }),
      (r) => {
        setReport(r);
        props.onAwarded();
      },
    );
    if (!outcome.ok && outcome.error?.__typename === "CsvRejectedError") setProblems(outcome.error.problems);
  };
  return (
    <section class="panel" aria-labelledby="bulk-heading">
      <h2 id="bulk-heading">Award from a CSV file</h2>
      <p>
        First line: <code>email,name,narrative,evidence_url,issued_on,expires_on</code> (only email is required). Every row is checked
        first; if any has a problem, nothing is awarded. Uploading the same rows again awards nothing twice.
      </p>
      <Show when={report()}>
        {(r) => (
          <Alert kind="success">
            {r().rows} rows: {r().created} awarded, {r().alreadyAwarded} already awarded earlier.
          </Alert>
        )}
      </Show>
      <FormAlert form={form}>
        <Show when={problems().length}>
          <ul class="problems" data-testid="csv-problems">
            <For each={problems()}>
              {(p) => (
                <li>
                  Line {p.line}: {p.message}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </FormAlert>
      <form onSubmit={onSubmit} novalidate>
        <BadgeClassSelect id="bulk-class" badgeClasses={props.badgeClasses} />
        <Field label="CSV file" name="file" type="file" accept=".csv,text/csv" required error={form.fieldErrors().csv} />
        <Button busy={form.submitting()} busyLabel="Awarding…">
          Upload and award
        </Button>
      </form>
    </section>
  );
}
