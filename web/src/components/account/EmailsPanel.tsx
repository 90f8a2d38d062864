import { createResource, createSignal, For, Show } from "solid-js";
import { createFormState, formValues } from "../../lib/forms";
import { ErrorFields, graphql } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { refreshUser } from "../../lib/session";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { EmailedCodeField } from "../EmailedCodeField";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";
import { AuthenticatorCodeField } from "../mfa/AuthenticatorCodeField";
import { SubmitOrCancel } from "../SubmitOrCancel";

const EMAILS = graphql(`query MyEmails { me { emails { id address isPrimary verifiedAt } } }`);
const ADD = graphql(
  `mutation AddEmail($address: String!) { addEmail(address: $address) { __typename ...ErrorFields ... on CodeSent { email } } }`,
  [ErrorFields],
);
const CONFIRM = graphql(
  `mutation ConfirmEmail($address: String!, $code: String!) {
    confirmEmail(address: $address, code: $code) { __typename ...ErrorFields ... on Email { id } ... on MergeRequiredError { address } }
  }`,
  [ErrorFields],
);
const PRIMARY = graphql(
  `mutation SetPrimaryEmail($id: ID!) { setPrimaryEmail(id: $id) { __typename ...ErrorFields ... on User { id } } }`,
  [ErrorFields],
);
const REMOVE = graphql(`mutation RemoveEmail($id: ID!) { removeEmail(id: $id) { __typename ...ErrorFields ... on User { id } } }`, [
  ErrorFields,
]);
const MERGE = graphql(
  `mutation MergeAccount($address: String!, $password: String!, $code: String!) {
    mergeAccount(address: $address, password: $password, code: $code) { __typename ...ErrorFields ... on User { id } }
  }`,
  [ErrorFields],
);

const when = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });

/** `linking`: started from "Link another Laurel account" rather than from adding an address. */
type Step = { kind: "idle" } | { kind: "code"; address: string; linking: boolean } | { kind: "merge"; address: string };

/**
 * The account's verified addresses: badges to any of them fill the backpack. Adding one takes
 * a code sent to it; an address another account owns leads to linking (merging) that account.
 */
export function EmailsPanel() {
  const [emails, { refetch }] = createResource(async () => (await query(EMAILS)).me?.emails ?? []);
  const [step, setStep] = createSignal<Step>({ kind: "idle" });
  const [notice, setNotice] = createSignal<string | null>(null);
  const add = createFormState();
  const confirm = createFormState();
  const merge = createFormState();
  const row = createFormState();

  const codeStep = () => {
    const current = step();
    return current.kind === "code" ? current : null;
  };
  const link = createFormState();
  const mergeAddress = () => {
    const current = step();
    return current.kind === "merge" ? current.address : null;
  };
  // The message appears once the list shows the change it describes.
  const reload = async (message: string | null) => {
    await Promise.all([refetch(), refreshUser()]);
    setNotice(message);
  };
  // Linking another account starts as adding its address: the code proves the mailbox first,
  // and only then is it said whether another account holds it (no enumeration).
  const onAdd = (event: SubmitEvent, linking: boolean) => {
    event.preventDefault();
    const { address } = formValues(event.currentTarget as HTMLFormElement);
    setNotice(null);
    return (linking ? link : add).run(
      () => mutate(ADD, { address: address ?? "" }),
      (sent) => setStep({ kind: "code", address: sent.email, linking }),
    );
  };
  const onConfirm = async (event: SubmitEvent, address: string) => {
    event.preventDefault();
    const { code } = formValues(event.currentTarget as HTMLFormElement);
    const outcome = await confirm.run(
      () => mutate(CONFIRM, { address, code: code ?? "" }),
      async () => {
        setStep({ kind: "idle" });
        await reload(`${address} is added. Its badges are in your backpack.`);
      },
    );
    if (!outcome.ok && outcome.error?.__typename === "MergeRequiredError") {
      confirm.setMessage(null);
      setStep({ kind: "merge", address });
    }
  };
  const onMerge = (event: SubmitEvent, address: string) => {
    event.preventDefault();
    const { password, code } = formValues(event.currentTarget as HTMLFormElement);
    return merge.run(
      () => mutate(MERGE, { address, password: password ?? "", code: code ?? "" }),
      async () => {
        setStep({ kind: "idle" });
        await reload(`The account of ${address} is now part of this one, with its badges.`);
      },
    );
  };

  return (
    <section class="panel" aria-labelledby="emails-heading">
      <h2 id="emails-heading">Emails</h2>
      <p>
        Badges awarded to any of these addresses appear in your backpack. Add a personal address too: schools and employers often close
        addresses when you leave.
      </p>
      <Show when={notice()}>
        <Alert kind="success">{notice()}</Alert>
      </Show>
      <FormAlert form={row} />
      <ul class="list">
        <For each={emails()}>
          {(email) => (
            <li class="list__item" data-testid="email-row">
              <span class="list__main">{email.address}</span>
              <Show when={email.isPrimary}>
                <span class="tag">Primary</span>
              </Show>
              <span class="list__meta">Verified {when(email.verifiedAt)}</span>
              <Show when={!email.isPrimary}>
                <div class="toolbar">
                  <Button
                    type="button"
                    variant="secondary"
                    busy={row.submitting()}
                    onClick={() =>
                      row.run(
                        () => mutate(PRIMARY, { id: email.id }),
                        () => reload(`${email.address} is now your primary email.`),
                      )
                    }
                  >
                    Make primary
                  </Button>
                  <Button
                    type="button"
                    variant="danger"
                    busy={row.submitting()}
                    onClick={() =>
                      row.run(
                        () => mutate(REMOVE, { id: email.id }),
                        () => reload(`${email.address} is removed.`),
                      )
                    }
                  >
                    Remove
                  </Button>
                </div>
              </Show>
            </li>
          )}
        </For>
      </ul>

      <Show when={step().kind === "idle"}>
        <FormAlert form={add} />
        <form onSubmit={(e) => onAdd(e, false)} novalidate>
          <Field label="Add an email address" name="address" type="email" autocomplete="email" required error={add.fieldErrors().address} />
          <Button variant="secondary" busy={add.submitting()} busyLabel="Sending…">
            Send a code
          </Button>
        </form>
        <h3 id="link-account-heading">Link another Laurel account</h3>
        <p>
          Have a second Laurel account, for example one you made with Google or Microsoft at work or school? Link it to this one: its
          addresses, badges and sign-in links move here, and it is closed. Start with its email address; we send it a code.
        </p>
        <FormAlert form={link} />
        <form onSubmit={(e) => onAdd(e, true)} aria-labelledby="link-account-heading" novalidate>
          <Field
            label="Email address of the other account"
            name="address"
            type="email"
            autocomplete="off"
            required
            error={link.fieldErrors().address}
          />
          <Button variant="secondary" busy={link.submitting()} busyLabel="Sending…">
            Email it a code
          </Button>
        </form>
      </Show>

      <Show when={codeStep()}>
        {(current) => (
          <>
            <p>
              We sent a code to <strong>{current().address}</strong>.{" "}
              {current().linking ? "Enter it to go on linking that account." : "Enter it to add the address."}
            </p>
            <FormAlert form={confirm} />
            <form onSubmit={(e) => onConfirm(e, current().address)} novalidate>
              <EmailedCodeField error={confirm.fieldErrors().code} />
              <SubmitOrCancel busy={confirm.submitting()} busyLabel="Checking…" onCancel={() => setStep({ kind: "idle" })}>
                {current().linking ? "Continue" : "Add address"}
              </SubmitOrCancel>
            </form>
          </>
        )}
      </Show>

      <Show when={mergeAddress()}>
        {(address) => (
          <div class="merge">
            <h3>Link the other account</h3>
            <p>
              Another Laurel account uses <strong>{address()}</strong>. If it is yours, join it to this one: its emails, badges and sign-in
              links move here and the other account is closed. Prove it is yours with its password and a code from its authenticator app.
              Wrong answers count towards that account's sign-in limits.
            </p>
            <FormAlert form={merge} />
            <form onSubmit={(e) => onMerge(e, address())} novalidate>
              <Field
                label="Password of the other account"
                name="password"
                type="password"
                autocomplete="off"
                hint="Leave it empty if that account has no password and only signs in with Google or Microsoft."
                error={merge.fieldErrors().password}
              />
              <AuthenticatorCodeField
                label="Code from the other account's authenticator app"
                autocomplete="off"
                error={merge.fieldErrors().code}
              />
              <SubmitOrCancel busy={merge.submitting()} busyLabel="Linking…" onCancel={() => setStep({ kind: "idle" })}>
                Link accounts
              </SubmitOrCancel>
            </form>
          </div>
        )}
      </Show>
    </section>
  );
}
