import { createResource, For, Show } from "solid-js";
import { formatDate } from "../../lib/format";
import { createFormState } from "../../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { Button } from "../Button";
import { CopyButton } from "../CopyButton";
import { FormAlert } from "../FormAlert";

const KEYS = graphql(`
  query IssuerSigningKeys($id: ID!) { issuer(id: $id) { did signingKeys { number verificationMethod createdAt retiredAt } } }
`);
type SigningKey = NonNullable<NonNullable<ResultOf<typeof KEYS>["issuer"]>["signingKeys"]>[number];
const ROTATE = graphql(
  `mutation RotateIssuerSigningKey($issuerId: ID!) {
    rotateIssuerSigningKey(issuerId: $issuerId) { __typename ...ErrorFields ... on IssuerSigningKey { number } }
  }`,
  [ErrorFields],
);

/** Owners only: the issuer's did:web identity and the keys that sign its Open Badges 3.0 credentials. */
export function SigningKeys(props: { issuerId: string }) {
  const [data, { refetch }] = createResource(
    () => props.issuerId,
    async (id) => (await query(KEYS, { id })).issuer,
  );
  const form = createFormState();
  const rotate = () => {
    if (!window.confirm("Start signing with a new key? Credentials signed with the current key stay valid.")) return;
    return form.run(
      () => mutate(ROTATE, { issuerId: props.issuerId }),
      () => refetch(),
    );
  };
  const state = (key: SigningKey) => {
    if (key.retiredAt && new Date(key.retiredAt).getTime() <= Date.now()) return `retired ${formatDate(key.retiredAt)}`;
    return key.retiredAt ? "signing until the new key takes over" : "signing";
  };
  return (
    <section class="panel" aria-labelledby="keys-heading">
      <h2 id="keys-heading">Credential signing</h2>
      <p>
        Every award is also an Open Badges 3.0 credential signed with this issuer's key. Verifiers find the key through the issuer's
        decentralized identifier (DID), which Laurel hosts. A new key takes over ten minutes after you create it, so verifiers see it first;
        old keys stay published and keep verifying what they signed.
      </p>
      <Show when={data()}>
        {(d) => (
          <>
            <div class="share-link">
              <code data-testid="issuer-did">{d().did}</code>
              <CopyButton text={d().did} label="Copy DID" />
            </div>
            <ul class="list">
              <For each={d().signingKeys ?? []} fallback={<li class="list__item">A key is made when the first credential is signed.</li>}>
                {(key) => (
                  <li class="list__item">
                    <span class="list__main">Key {key.number}</span>
                    <span class="tag">{state(key)}</span>
                    <span class="list__meta">created {formatDate(key.createdAt)}</span>
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
      <FormAlert form={form} />
      <Button type="button" variant="secondary" busy={form.submitting()} busyLabel="Creating…" onClick={rotate}>
        Create a new signing key
      </Button>
    </section>
  );
}
