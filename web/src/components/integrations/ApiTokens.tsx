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

const TokenFields = graphql(`
  fragment ApiTokenFields on ApiToken { id name scopes hint status createdAt expiresAt lastUsedAt lastUsedIp }
`);
type Token = ResultOf<typeof TokenFields>;

const SCOPES = graphql(`query ApiScopes { apiScopes { name description forIssuer } }`);
const ISSUER_TOKENS = graphql(`query IssuerApiTokens($id: ID!) { issuer(id: $id) { apiTokens { ...ApiTokenFields } } }`, [TokenFields]);
const MY_TOKENS = graphql(`query MyApiTokens { myApiTokens { ...ApiTokenFields } }`, [TokenFields]);
const CREATE = graphql(
  `mutation CreateApiToken($input: ApiTokenInput!) {
    createApiToken(input: $input) { __typename ...ErrorFields ... on ApiTokenCreated { token apiToken { id name } } }
  }`,
  [ErrorFields],
);
const REVOKE = graphql(
  `mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { __typename ...ErrorFields ... on ApiToken { id status } } }`,
  [ErrorFields],
);

const STATUS: Record<Token["status"], string> = { ACTIVE: "active", EXPIRED: "expired", REVOKED: "revoked" };
const EXPIRIES = [
  { days: "90", label: "90 days" },
  { days: "30", label: "30 days" },
  { days: "365", label: "1 year" },
  { days: "", label: "No expiry (until revoked)" },
];

/**
 * Tokens for machines: an issuer's (owners only, `issuerId`) or the user's personal ones for
 * their own backpack. The secret is shown once, right after it is made.
 */
export function ApiTokens(props: { issuerId?: string }) {
  const forIssuer = () => props.issuerId !== undefined;
  const [scopes] = createResource(async () => (await query(SCOPES)).apiScopes);
  const [tokens, { refetch }] = createResource(
    () => props.issuerId ?? "mine",
    async (key) =>
      key === "mine" ? (await query(MY_TOKENS)).myApiTokens : ((await query(ISSUER_TOKENS, { id: key })).issuer?.apiTokens ?? []),
  );
  const [secret, setSecret] = createSignal<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = createSignal<string | null>(null);
  const create = createFormState();
  const revoke = createFormState();

  const onCreate = (event: SubmitEvent) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const data = new FormData(formElement);
    const days = String(data.get("expiresInDays") ?? "");
    setSecret(null);
    return create.run(
      () =>
        mutate(CREATE, {
          input: {
            issuerId: props.issuerId ?? null,
            name: String(data.get("name") ?? ""),
            scopes: data.getAll("scopes").map(String),
            expiresInDays: days ? Number(days) : null,
            code: String(data.get("code") ?? ""),
          },
        }),
      (created) => {
        if (created.__typename !== "ApiTokenCreated") return;
        setSecret({ name: created.apiToken.name, token: created.token });
        formElement.reset();
        return refetch();
      },
    );
  };
  const onRevoke = (token: Token) =>
    revoke.run(
      () => mutate(REVOKE, { id: token.id }),
      () => {
        setRevoking(null);
        return refetch();
      },
    );

  return (
    <section class="panel" aria-labelledby="api-tokens-heading">
      <h2 id="api-tokens-heading">API tokens</h2>
      <p>
        {forIssuer()
          ? "Let another system, such as a learning platform, award and read this issuer's badges through the Laurel API. A token acts with your role here, for this issuer only, and only with the scopes you choose."
          : "Let another system read the badges in your backpack through the Laurel API. A personal token can only read; it cannot change anything."}
      </p>
      <Show when={secret()}>
        {(s) => (
          <Alert kind="success">
            <p>
              Token <strong>{s().name}</strong> created. Copy it now: Laurel keeps only a fingerprint of it and cannot show it again.
            </p>
            <div class="share-link">
              <code data-testid="api-token-secret">{s().token}</code>
              <CopyButton text={s().token} label="Copy token" />
            </div>
          </Alert>
        )}
      </Show>
      <ul class="list" aria-label="API tokens">
        <For each={tokens() ?? []} fallback={<li class="list__item">No tokens yet.</li>}>
          {(token) => (
            <li class="list__item">
              <span class="list__main">
                {token.name} <code>{token.hint}</code>
              </span>
              <span class="tag">{STATUS[token.status]}</span>
              <span class="list__meta">
                {token.scopes.join(", ")} · created {formatDate(token.createdAt)}
                {token.expiresAt ? ` · expires ${formatDate(token.expiresAt)}` : " · no expiry"}
                {token.lastUsedAt
                  ? ` · last used ${formatDate(token.lastUsedAt)} from ${token.lastUsedIp ?? "unknown address"}`
                  : " · never used"}
              </span>
              <Show when={token.status === "ACTIVE"}>
                <Show
                  when={revoking() === token.id}
                  fallback={
                    <Button type="button" variant="secondary" onClick={() => setRevoking(token.id)}>
                      Revoke
                    </Button>
                  }
                >
                  <form
                    class="revoke-form"
                    novalidate
                    aria-label={`Revoke ${token.name}`}
                    onSubmit={(e) => {
                      e.preventDefault();
                      return onRevoke(token);
                    }}
                  >
                    <p>Systems using {token.name} stop working at once.</p>
                    <FormAlert form={revoke} />
                    <SubmitOrCancel
                      variant="danger"
                      cancelVariant="secondary"
                      busy={revoke.submitting()}
                      busyLabel="Revoking…"
                      onCancel={() => setRevoking(null)}
                    >
                      Revoke token
                    </SubmitOrCancel>
                  </form>
                </Show>
              </Show>
            </li>
          )}
        </For>
      </ul>

      <h3>New token</h3>
      <FormAlert form={create} />
      <form onSubmit={onCreate} novalidate>
        <Field
          label="Token name"
          name="name"
          required
          maxLength={100}
          hint="Where it is used, so you know what stops if you revoke it."
          error={create.fieldErrors().name}
        />
        <fieldset
          class="field"
          classList={{ "field--invalid": Boolean(create.fieldErrors().scopes) }}
          aria-describedby="token-scopes-error"
        >
          <legend>Scopes</legend>
          <For each={(scopes() ?? []).filter((s) => s.forIssuer === forIssuer())}>
            {(scope) => (
              <div class="field field--checkbox">
                <input type="checkbox" id={`scope-${scope.name}`} name="scopes" value={scope.name} checked={!forIssuer()} />
                <label for={`scope-${scope.name}`}>
                  <code>{scope.name}</code> {scope.description}
                </label>
              </div>
            )}
          </For>
          <Show when={create.fieldErrors().scopes}>
            <p class="field__error" id="token-scopes-error" role="alert">
              {create.fieldErrors().scopes}
            </p>
          </Show>
        </fieldset>
        <div class="field">
          <label for="token-expiry">Expires after</label>
          <select id="token-expiry" name="expiresInDays">
            <For each={EXPIRIES}>{(e) => <option value={e.days}>{e.label}</option>}</For>
          </select>
          <Show when={create.fieldErrors().expiresInDays}>
            <p class="field__error" role="alert">
              {create.fieldErrors().expiresInDays}
            </p>
          </Show>
        </div>
        <AuthenticatorCodeField error={create.fieldErrors().code} />
        <Button variant="secondary" busy={create.submitting()} busyLabel="Creating…">
          Create token
        </Button>
      </form>
    </section>
  );
}
