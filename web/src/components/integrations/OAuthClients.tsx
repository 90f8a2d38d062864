import { createResource, createSignal, For, Show } from "solid-js";
import { formatDate } from "../../lib/format";
import { createFormState } from "../../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { CopyButton } from "../CopyButton";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";
import { AuthenticatorCodeField } from "../mfa/AuthenticatorCodeField";
import { SubmitOrCancel } from "../SubmitOrCancel";

const ClientFields = graphql(`
  fragment OAuthClientFields on OAuthClient { id name scopes secretHint createdAt lastTokenAt lastTokenIp }
`);
type Client = ResultOf<typeof ClientFields>;

const SCOPES = graphql(`query OAuthScopes { apiScopes { name description forIssuer } }`);
const ISSUER_CLIENTS = graphql(`query IssuerOAuthClients($id: ID!) { issuer(id: $id) { oauthClients { ...OAuthClientFields } } }`, [
  ClientFields,
]);
const MY_CLIENTS = graphql(`query MyOAuthClients { myOAuthClients { ...OAuthClientFields } }`, [ClientFields]);
const CREATE = graphql(
  `mutation CreateOAuthClient($input: OAuthClientInput!) {
    createOAuthClient(input: $input) { __typename ...ErrorFields ... on OAuthClientCreated { clientId clientSecret client { id name } } }
  }`,
  [ErrorFields],
);
const DELETE = graphql(
  `mutation DeleteOAuthClient($id: ID!) { deleteOAuthClient(id: $id) { __typename ...ErrorFields ... on OAuthClient { id } } }`,
  [ErrorFields],
);

/**
 * OAuth 2.0 clients (client credentials) for tooling that expects a token endpoint: an
 * issuer's (owners only, `issuerId`) or the user's own for their backpack. The secret is shown
 * once, right after the client is registered.
 */
export function OAuthClients(props: { issuerId?: string }) {
  const forIssuer = () => props.issuerId !== undefined;
  const [scopes] = createResource(async () => (await query(SCOPES)).apiScopes);
  const [clients, { refetch }] = createResource(
    () => props.issuerId ?? "mine",
    async (key) =>
      key === "mine" ? (await query(MY_CLIENTS)).myOAuthClients : ((await query(ISSUER_CLIENTS, { id: key })).issuer?.oauthClients ?? []),
  );
  const [secret, setSecret] = createSignal<{ name: string; clientId: string; clientSecret: string } | null>(null);
  const [deleting, setDeleting] = createSignal<string | null>(null);
  const create = createFormState();
  const remove = createFormState();

  const onCreate = (event: SubmitEvent) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const data = new FormData(formElement);
    setSecret(null);
    return create.run(
      () =>
        mutate(CREATE, {
          input: {
            issuerId: props.issuerId ?? null,
            name: String(data.get("name") ?? ""),
            scopes: data.getAll("scopes").map(String),
            code: String(data.get("code") ?? ""),
          },
        }),
      (created) => {
        if (created.__typename !== "OAuthClientCreated") return;
        setSecret({ name: created.client.name, clientId: created.clientId, clientSecret: created.clientSecret });
        formElement.reset();
        return refetch();
      },
    );
  };
  const onDelete = (client: Client) =>
    remove.run(
      () => mutate(DELETE, { id: client.id }),
      () => {
        setDeleting(null);
        return refetch();
      },
    );

  return (
    <section class="panel" aria-labelledby="oauth-clients-heading">
      <h2 id="oauth-clients-heading">OAuth clients</h2>
      <p>
        For systems that sign in with OAuth 2.0 client credentials: they exchange the client's id and secret at <code>/oauth/token</code>{" "}
        for access tokens that last an hour.{" "}
        {forIssuer() ? "The tokens act with your role here, for this issuer only." : "The tokens can only read your backpack."} See{" "}
        <a href="/help/articles/use-the-laurel-api">how to use the API</a>.
      </p>
      <Show when={secret()}>
        {(s) => (
          <Alert kind="success">
            <p>
              Client <strong>{s().name}</strong> registered. Copy the secret now: Laurel keeps only a fingerprint of it and cannot show it
              again.
            </p>
            <p>
              Client id: <code data-testid="oauth-client-id">{s().clientId}</code>
            </p>
            <div class="share-link">
              <code data-testid="oauth-client-secret">{s().clientSecret}</code>
              <CopyButton text={s().clientSecret} label="Copy client secret" />
            </div>
          </Alert>
        )}
      </Show>
      <ul class="list" aria-label="OAuth clients">
        <For each={clients() ?? []} fallback={<li class="list__item">No OAuth clients yet.</li>}>
          {(client) => (
            <li class="list__item">
              <span class="list__main">
                {client.name} <code>{client.id}</code>
              </span>
              <span class="list__meta">
                {client.scopes.join(", ")} · secret <code>{client.secretHint}</code> · registered {formatDate(client.createdAt)}
                {client.lastTokenAt
                  ? ` · last token ${formatDate(client.lastTokenAt)} from ${client.lastTokenIp ?? "unknown address"}`
                  : " · no token yet"}
              </span>
              <Show
                when={deleting() === client.id}
                fallback={
                  <Button type="button" variant="secondary" onClick={() => setDeleting(client.id)}>
                    Delete
                  </Button>
                }
              >
                <form
                  class="revoke-form"
                  novalidate
                  aria-label={`Delete ${client.name}`}
                  onSubmit={(e) => {
                    e.preventDefault();
                    return onDelete(client);
                  }}
                >
                  <p>Systems using {client.name} stop working at once: their access tokens end too.</p>
                  <FormAlert form={remove} />
                  <SubmitOrCancel
                    variant="danger"
                    cancelVariant="secondary"
                    busy={remove.submitting()}
                    busyLabel="Deleting…"
                    onCancel={() => setDeleting(null)}
                  >
                    Delete client
                  </SubmitOrCancel>
                </form>
              </Show>
            </li>
          )}
        </For>
      </ul>

      <h3>New OAuth client</h3>
      <FormAlert form={create} />
      <form onSubmit={onCreate} novalidate>
        <Field
          label="Client name"
          name="name"
          required
          maxLength={100}
          hint="Which system uses it, so you know what stops if you delete it."
          error={create.fieldErrors().name}
        />
        <fieldset
          class="field"
          classList={{ "field--invalid": Boolean(create.fieldErrors().scopes) }}
          aria-describedby="oauth-scopes-error"
        >
          <legend>Scopes</legend>
          <For each={(scopes() ?? []).filter((s) => s.forIssuer === forIssuer())}>
            {(scope) => (
              <div class="field field--checkbox">
                <input type="checkbox" id={`oauth-scope-${scope.name}`} name="scopes" value={scope.name} checked={!forIssuer()} />
                <label for={`oauth-scope-${scope.name}`}>
                  <code>{scope.name}</code> {scope.description}
                </label>
              </div>
            )}
          </For>
          <Show when={create.fieldErrors().scopes}>
            <p class="field__error" id="oauth-scopes-error" role="alert">
              {create.fieldErrors().scopes}
            </p>
          </Show>
        </fieldset>
        <AuthenticatorCodeField error={create.fieldErrors().code} />
        <Button variant="secondary" busy={create.submitting()} busyLabel="Registering…">
          Register client
        </Button>
      </form>
    </section>
  );
}
