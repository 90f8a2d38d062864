import { A, useNavigate } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { createFormState, fileFrom, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";

const MY_ISSUERS = graphql(`query MyIssuers { myIssuers { id name url myRole imageUrl } }`);
const CREATE = graphql(
  `mutation CreateIssuer($input: IssuerInput!) { createIssuer(input: $input) { __typename ...ErrorFields ... on Issuer { id } } }`,
  [ErrorFields],
);

/** The organisations the user awards badges for, and a way to start one. */
export default function Issuers() {
  const navigate = useNavigate();
  const [issuers] = createResource(async () => (await query(MY_ISSUERS)).myIssuers);
  const form = createFormState();
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const values = formValues(element);
    const image = fileFrom(element, "image");
    return form.run(
      () =>
        mutate(CREATE, {
          input: { name: values.name ?? "", url: values.url ?? "", email: values.email ?? "", description: values.description, image },
        }),
      (created) => navigate(`/issuers/${created.id}`),
    );
  };
  return (
    <Page title="Issuers" lead="Organisations you award badges for.">
      <Show when={issuers()?.length} fallback={<p>You are not a member of any issuer yet.</p>}>
        <ul class="list">
          <For each={issuers()}>
            {(issuer) => (
              <li class="list__item">
                <A class="list__main" href={`/issuers/${issuer.id}`}>
                  {issuer.name}
                </A>
                <span class="tag">{issuer.myRole?.toLowerCase()}</span>
                <span class="list__meta">{issuer.url}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <section class="panel" aria-labelledby="new-issuer">
        <h2 id="new-issuer">Create an issuer</h2>
        <p>You become its owner and can invite editors and awarders.</p>
        <FormAlert form={form} />
        <form onSubmit={onSubmit} novalidate>
          <Field label="Organisation name" name="name" required error={form.fieldErrors().name} />
          <Field label="Web address" name="url" type="url" placeholder="https://" required error={form.fieldErrors().url} />
          <Field label="Contact email" name="email" type="email" required error={form.fieldErrors().email} />
          <Field label="Description" name="description" error={form.fieldErrors().description} />
          <Field
            label="Logo (PNG or SVG, square)"
            name="image"
            type="file"
            accept="image/png,image/svg+xml"
            error={form.fieldErrors().image}
          />
          <Button busy={form.submitting()} busyLabel="Creating…">
            Create issuer
          </Button>
        </form>
      </section>
    </Page>
  );
}
