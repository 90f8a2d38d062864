import { useSearchParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { ChangePassword } from "../components/account/ChangePassword";
import { Button } from "../components/Button";
import { CopyButton } from "../components/CopyButton";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { ApiTokens } from "../components/integrations/ApiTokens";
import { OAuthClients } from "../components/integrations/OAuthClients";
import { AuthenticatorCodeField } from "../components/mfa/AuthenticatorCodeField";
import { type Enrolment, EnrolmentFields, QrEnrolment } from "../components/mfa/QrEnrolment";
import { Page } from "../components/Page";
import { deviceName } from "../lib/devices";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { currentUser } from "../lib/session";
import { SSO_ERRORS, ssoProviders, ssoStartUrl } from "../lib/sso";

const SETTINGS = graphql(`
  query MyMfa { myMfa { enabledAt recoveryCodeCreatedAt rememberedDevices { id current userAgent createdAt lastUsedAt expiresAt } } }
`);
type RememberedDevice = ResultOf<typeof SETTINGS>["myMfa"]["rememberedDevices"][number];
const BEGIN_REPLACE = graphql(
  `mutation BeginAuthenticatorReplacement($password: String, $code: String!) {
    beginAuthenticatorReplacement(password: $password, code: $code) { __typename ...ErrorFields ...EnrolmentFields }
  }`,
  [ErrorFields, EnrolmentFields],
);
const CONFIRM_REPLACE = graphql(
  `mutation ConfirmAuthenticatorReplacement($code: String!) {
    confirmAuthenticatorReplacement(code: $code) { __typename ...ErrorFields ... on MfaSettings { enabledAt } }
  }`,
  [ErrorFields],
);
const REGENERATE = graphql(
  `mutation RegenerateRecoveryCode($code: String!) {
    regenerateRecoveryCode(code: $code) { __typename ...ErrorFields ... on RecoveryCodeIssued { recoveryCode } }
  }`,
  [ErrorFields],
);
const FORGET_DEVICES = graphql(`mutation ForgetRememberedDevices { forgetRememberedDevices }`);

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—");

function ReplaceAuthenticator(props: { onDone: () => void }) {
  const begin = createFormState();
  const confirm = createFormState();
  const [enrolment, setEnrolment] = createSignal<Enrolment | null>(null);
  const [done, setDone] = createSignal(false);
  const hasPassword = () => currentUser()?.hasPassword ?? true;
  const onBegin = (event: SubmitEvent) => {
    event.preventDefault();
    const values = formValues(event.currentTarget as HTMLFormElement);
    return begin.run(() => mutate(BEGIN_REPLACE, { password: values.password ?? null, code: values.code ?? "" }), setEnrolment);
  };
  const onConfirm = (event: SubmitEvent) => {
    event.preventDefault();
    const { code } = formValues(event.currentTarget as HTMLFormElement);
    return confirm.run(
      () => mutate(CONFIRM_REPLACE, { code: code ?? "" }),
      () => {
        setEnrolment(null);
        setDone(true);
        props.onDone();
      },
    );
  };
  return (
    <section class="panel" aria-labelledby="replace-heading">
      <h2 id="replace-heading">Authenticator app</h2>
      <p>New phone? Move two-step sign-in to a new app. Codes from the old app stop working once the new one is confirmed.</p>
      <Show when={done()}>
        <Alert kind="success">Your new authenticator app is set up.</Alert>
      </Show>
      <Show
        when={enrolment()}
        fallback={
          <>
            <FormAlert form={begin} />
            <form onSubmit={onBegin} novalidate>
              <Show when={hasPassword()}>
                <Field
                  label="Password"
                  name="password"
                  type="password"
                  autocomplete="current-password"
                  required
                  error={begin.fieldErrors().password}
                />
              </Show>
              <AuthenticatorCodeField label="Code from your current app" error={begin.fieldErrors().code} />
              <Button variant="secondary" busy={begin.submitting()}>
                Replace authenticator app
              </Button>
            </form>
          </>
        }
      >
        {(ready) => (
          <>
            <QrEnrolment enrolment={ready()} />
            <FormAlert form={confirm} />
            <form onSubmit={onConfirm} novalidate>
              <AuthenticatorCodeField label="Code from the new app" error={confirm.fieldErrors().code} />
              <Button busy={confirm.submitting()}>Confirm new app</Button>
            </form>
          </>
        )}
      </Show>
    </section>
  );
}

function NewRecoveryCode(props: { createdAt: string | null; onDone: () => void }) {
  const form = createFormState();
  const [code, setCode] = createSignal<string | null>(null);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const values = formValues(event.currentTarget as HTMLFormElement);
    return form.run(
      () => mutate(REGENERATE, { code: values.code ?? "" }),
      (issued) => {
        setCode(issued.recoveryCode);
        props.onDone();
      },
    );
  };
  return (
    <section class="panel" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">Recovery code</h2>
      <p>Created {when(props.createdAt)}. Lost it? Create a new one; the old one stops working.</p>
      <Show
        when={code()}
        fallback={
          <>
            <FormAlert form={form} />
            <form onSubmit={onSubmit} novalidate>
              <AuthenticatorCodeField error={form.fieldErrors().code} />
              <Button variant="secondary" busy={form.submitting()}>
                Create a new recovery code
              </Button>
            </form>
          </>
        }
      >
        {(fresh) => (
          <Alert kind="success" title="Your new recovery code">
            <p class="recovery__code" data-testid="recovery-code">
              {fresh()}
            </p>
            <CopyButton text={fresh()} label="Copy code" />
          </Alert>
        )}
      </Show>
    </section>
  );
}

function RememberedDevices(props: { devices: RememberedDevice[]; onChange: () => void }) {
  const form = createFormState();
  const forget = () => form.run(() => mutate(FORGET_DEVICES), props.onChange);
  return (
    <section class="panel" aria-labelledby="devices-heading">
      <h2 id="devices-heading">Remembered devices</h2>
      <p>These browsers skip the code at sign-in for 30 days from when you ticked "Remember this device".</p>
      <Show when={props.devices.length} fallback={<p>No remembered devices.</p>}>
        <ul class="list">
          <For each={props.devices}>
            {(device) => (
              <li class="list__item" data-testid="remembered-device">
                <span class="list__main">
                  {deviceName(device.userAgent)}
                  <Show when={device.current}>
                    {" "}
                    <span class="tag tag--current">This device</span>
                  </Show>
                </span>
                <span class="list__meta">
                  Remembered {when(device.createdAt)} · until {when(device.expiresAt)}
                </span>
              </li>
            )}
          </For>
        </ul>
        <Button type="button" variant="danger" busy={form.submitting()} onClick={forget}>
          Forget all remembered devices
        </Button>
      </Show>
    </section>
  );
}

const IDENTITIES = graphql(`query MySsoIdentities { mySsoIdentities { id provider providerLabel email createdAt lastUsedAt } }`);
const UNLINK = graphql(
  `mutation UnlinkSsoIdentity($id: ID!) { unlinkSsoIdentity(id: $id) { __typename ...ErrorFields ... on SsoIdentityUnlinked { id } } }`,
  [ErrorFields],
);

/** "Social networks": the Google / Microsoft accounts that can sign in to this one. */
function LinkedProviders() {
  const [params] = useSearchParams();
  const [identities, { refetch }] = createResource(async () => (await query(IDENTITIES)).mySsoIdentities);
  const form = createFormState();
  const unlinked = (name: string) => !(identities() ?? []).some((i) => i.provider === name);
  return (
    <section class="panel" aria-labelledby="providers-heading">
      <h2 id="providers-heading">Sign in with Google or Microsoft</h2>
      <p>Linked accounts can sign in to Laurel instead of your password. Two-step sign-in still applies.</p>
      <Show when={params.ssoLinked}>
        <Alert kind="success">The account is linked.</Alert>
      </Show>
      <Show when={typeof params.ssoError === "string" && params.ssoError}>
        {(code) => <Alert kind="error">{SSO_ERRORS[code()] ?? SSO_ERRORS.invalid}</Alert>}
      </Show>
      <FormAlert form={form} />
      <ul class="list">
        <For each={identities()}>
          {(identity) => (
            <li class="list__item" data-testid="linked-provider">
              <span class="list__main">
                {identity.providerLabel}
                {identity.email ? ` · ${identity.email}` : ""}
              </span>
              <span class="list__meta">
                Linked {when(identity.createdAt)} · last used {when(identity.lastUsedAt)}
              </span>
              <Button
                type="button"
                variant="secondary"
                busy={form.submitting()}
                onClick={() =>
                  form.run(
                    () => mutate(UNLINK, { id: identity.id }),
                    () => refetch(),
                  )
                }
              >
                Unlink
              </Button>
            </li>
          )}
        </For>
      </ul>
      <div class="toolbar">
        <For each={(ssoProviders() ?? []).filter((p) => unlinked(p.name))}>
          {(provider) => (
            <a class="button button--secondary" rel="external" href={ssoStartUrl(provider.name, "link", "/account/security")}>
              Link your {provider.label} account
            </a>
          )}
        </For>
      </div>
    </section>
  );
}

export default function Security() {
  const [settings, { refetch }] = createResource(async () => (await query(SETTINGS)).myMfa);
  return (
    <Page title="Security" lead="Your password, and the two-step sign-in that protects your account even if someone learns it.">
      <Show when={settings()} fallback={<p class="loading">Loading…</p>}>
        {(mfa) => (
          <div class="stack">
            <p>
              Two-step sign-in is on since <strong>{when(mfa().enabledAt)}</strong>.
            </p>
            <ChangePassword hasPassword={currentUser()?.hasPassword ?? true} />
            <ReplaceAuthenticator onDone={refetch} />
            <NewRecoveryCode createdAt={mfa().recoveryCodeCreatedAt} onDone={refetch} />
            <RememberedDevices devices={mfa().rememberedDevices} onChange={refetch} />
            <LinkedProviders />
            <ApiTokens />
            <OAuthClients />
          </div>
        )}
      </Show>
    </Page>
  );
}
