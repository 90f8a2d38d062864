import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { EmailsPanel } from "../components/account/EmailsPanel";
import { ProfilePanel } from "../components/account/ProfilePanel";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { deviceName } from "../lib/devices";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { currentUser, type Me, MeFields, setCurrentUser } from "../lib/session";

const UPDATE_NAME = graphql(
  `mutation UpdateName($firstName: String!, $lastName: String!) {
    updateName(firstName: $firstName, lastName: $lastName) { __typename ...ErrorFields ...MeFields }
  }`,
  [ErrorFields, MeFields],
);
const REVOKE = graphql(
  `mutation RevokeSession($id: ID!) { revokeSession(id: $id) { __typename ...ErrorFields ... on SessionRevoked { id } } }`,
  [ErrorFields],
);
const SIGN_OUT_OTHERS = graphql(`mutation SignOutOtherSessions { signOutOtherSessions }`);
const SESSIONS = graphql(`query MySessions { mySessions { id current createdAt lastSeenAt userAgent ip } }`);

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

function NameForm(props: { user: Me }) {
  const form = createFormState();
  const [saved, setSaved] = createSignal(false);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    setSaved(false);
    const { firstName, lastName } = formValues(event.currentTarget as HTMLFormElement);
    form.run(
      () => mutate(UPDATE_NAME, { firstName: firstName ?? "", lastName: lastName ?? "" }),
      (user) => {
        setCurrentUser(user);
        setSaved(true);
      },
    );
  };
  return (
    <section class="panel" aria-labelledby="name-heading">
      <h2 id="name-heading">Your name</h2>
      <p>This is the name on the badges you earn.</p>
      <FormAlert form={form} />
      <Show when={saved()}>
        <Alert kind="success">Your name is saved.</Alert>
      </Show>
      <form onSubmit={onSubmit} novalidate>
        <div class="field-row">
          <Field
            label="First name"
            name="firstName"
            autocomplete="given-name"
            value={props.user.firstName}
            required
            error={form.fieldErrors().firstName}
          />
          <Field
            label="Last name"
            name="lastName"
            autocomplete="family-name"
            value={props.user.lastName}
            required
            error={form.fieldErrors().lastName}
          />
        </div>
        <Button busy={form.submitting()} busyLabel="Saving…">
          Save name
        </Button>
      </form>
    </section>
  );
}

function Sessions() {
  const [sessions, { refetch }] = createResource(async () => (await query(SESSIONS)).mySessions);
  const revoke = createFormState();
  const others = createFormState();
  const otherCount = () => (sessions() ?? []).filter((s) => !s.current).length;
  const signOutOthers = () =>
    others.run(
      () => mutate(SIGN_OUT_OTHERS),
      () => refetch(),
    );
  return (
    <section class="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you're signed in</h2>
      <p>If you don't recognise a session, sign it out and change your password.</p>
      <FormAlert form={revoke} />
      <FormAlert form={others} />
      <ul class="list" aria-busy={sessions.loading ? "true" : undefined}>
        <For each={sessions()}>
          {(session) => (
            <li class="list__item" data-testid="session">
              <span class="list__main">
                {deviceName(session.userAgent)}
                <Show when={session.current}>
                  {" "}
                  <span class="tag tag--current">This device</span>
                </Show>
              </span>
              <span class="list__meta">
                Signed in {when(session.createdAt)} · last active {when(session.lastSeenAt)}
                {session.ip ? ` · ${session.ip}` : ""}
              </span>
              <Show when={!session.current}>
                <Button
                  type="button"
                  variant="secondary"
                  busy={revoke.submitting()}
                  onClick={() =>
                    revoke.run(
                      () => mutate(REVOKE, { id: session.id }),
                      () => refetch(),
                    )
                  }
                >
                  Sign out
                </Button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={otherCount() > 0}>
        <Button type="button" variant="danger" busy={others.submitting()} busyLabel="Signing out…" onClick={signOutOthers}>
          Sign out all other sessions
        </Button>
      </Show>
    </section>
  );
}

export default function Account() {
  return (
    <Page title="Account" lead={<A href="/account/security">Security: password, two-step sign-in, recovery code, remembered devices</A>}>
      <Show when={currentUser()}>
        {(user) => (
          <div class="stack">
            <NameForm user={user()} />
            <ProfilePanel />
            <EmailsPanel />
            <Sessions />
          </div>
        )}
      </Show>
    </Page>
  );
}
