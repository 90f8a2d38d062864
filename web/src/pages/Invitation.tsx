import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { formatDate } from "../lib/format";
import { createFormState } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { currentUser } from "../lib/session";

const INVITATION = graphql(`query Invitation($token: String!) {
  invitation(token: $token) { email role state expiresAt issuer { name } }
}`);
const ACCEPT = graphql(
  `mutation AcceptIssuerInvitation($token: String!) {
    acceptIssuerInvitation(token: $token) { __typename ...ErrorFields ... on Issuer { id name myRole } ... on InvitationAddressError { email } }
  }`,
  [ErrorFields],
);
const DECLINE = graphql(
  `mutation DeclineIssuerInvitation($token: String!) {
    declineIssuerInvitation(token: $token) { __typename ...ErrorFields ... on Invitation { state } }
  }`,
  [ErrorFields],
);

// Every role's name starts with a vowel (owner, editor, awarder, assessor).
const article = (role: string) => `an ${role.toLowerCase()}`;
const CLOSED: Record<string, string> = {
  ACCEPTED: "This invitation was already accepted.",
  DECLINED: "This invitation was declined.",
  REVOKED: "This invitation was withdrawn by the issuer's owner.",
  REPLACED: "A newer invitation was sent to this address. Use the link in the newest email.",
  EXPIRED: "This invitation has expired. Ask the issuer's owner to send it again.",
};

/** Where an invitation email's link leads: the issuer and role, and accept or decline. */
export default function Invitation() {
  const params = useParams();
  const token = () => params.token ?? "";
  const [invitation, { refetch }] = createResource(token, async (t) => (await query(INVITATION, { token: t })).invitation);
  const form = createFormState();
  const [joined, setJoined] = createSignal<{ id: string; name: string } | null>(null);
  const [declined, setDeclined] = createSignal(false);
  const [addressProblem, setAddressProblem] = createSignal(false);
  const here = () => `/invitations/${encodeURIComponent(token())}`;
  const withNext = (path: string, email: string) => `${path}?email=${encodeURIComponent(email)}&next=${encodeURIComponent(here())}`;

  const accept = async () => {
    setAddressProblem(false);
    const outcome = await form.run(
      () => mutate(ACCEPT, { token: token() }),
      (issuer) => setJoined({ id: issuer.id, name: issuer.name }),
    );
    if (!outcome.ok && outcome.error?.__typename === "InvitationAddressError") setAddressProblem(true);
    if (!outcome.ok && outcome.error?.__typename === "InvitationUnavailableError") refetch();
  };
  const decline = () =>
    form.run(
      () => mutate(DECLINE, { token: token() }),
      () => setDeclined(true),
    );

  return (
    <Page title="Invitation" narrow>
      <Show when={!invitation.loading} fallback={<p class="loading">Loading…</p>}>
        <Show
          when={invitation()}
          fallback={
            <Alert kind="error">
              This invitation link does not work: it was replaced by a newer email, or it was mistyped. Use the link in the newest
              invitation email.
            </Alert>
          }
        >
          {(inv) => (
            <>
              <p>
                You are invited to join <strong>{inv().issuer.name}</strong> on Laurel as <strong>{article(inv().role)}</strong>.
              </p>
              <p>
                The invitation is for <strong>{inv().email}</strong>: accept it signed in to a Laurel account that has this address as a
                verified email.
              </p>
              <Switch>
                <Match when={joined()}>
                  {(issuer) => (
                    <Alert kind="success" title="Invitation accepted">
                      You are now a member of {issuer().name}. <A href={`/issuers/${issuer().id}`}>Open the issuer console</A>
                    </Alert>
                  )}
                </Match>
                <Match when={declined()}>
                  <Alert kind="info">You declined the invitation. The issuer's owner can invite you again.</Alert>
                </Match>
                <Match when={inv().state !== "PENDING"}>
                  <Alert kind="error">{CLOSED[inv().state] ?? CLOSED.REVOKED}</Alert>
                </Match>
                <Match when={true}>
                  <p class="field__hint">The link works until {formatDate(inv().expiresAt)}.</p>
                  <FormAlert form={form}>
                    <Show when={addressProblem()}>
                      {" "}
                      <A href="/account">Go to your emails</A>
                    </Show>
                  </FormAlert>
                  <Show
                    when={currentUser()}
                    fallback={
                      <>
                        <p>
                          <A class="button button--primary" href={withNext("/sign-in", inv().email)}>
                            Accept invitation
                          </A>{" "}
                          <Button type="button" variant="secondary" busy={form.submitting()} onClick={decline}>
                            Decline
                          </Button>
                        </p>
                        <p>
                          Sign in to accept. No Laurel account yet?{" "}
                          <A href={withNext("/register", inv().email)}>Create one with {inv().email}</A>, then come back here.
                        </p>
                      </>
                    }
                  >
                    <p>
                      <Button type="button" busy={form.submitting()} busyLabel="Accepting…" onClick={accept}>
                        Accept invitation
                      </Button>{" "}
                      <Button type="button" variant="secondary" busy={form.submitting()} onClick={decline}>
                        Decline
                      </Button>
                    </p>
                  </Show>
                </Match>
              </Switch>
            </>
          )}
        </Show>
      </Show>
    </Page>
  );
}
