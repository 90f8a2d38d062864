import { createResource, createSignal, For, Show } from "solid-js";
import { formatDate } from "../../lib/format";
import { createFormState, formValues } from "../../lib/forms";
import { ErrorFields, graphql, type VariablesOf } from "../../lib/gql";
import { mutate, type Outcome, query } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";

const MEMBERS = graphql(`query IssuerMembers($id: ID!) {
  issuer(id: $id) { members { userId name role } invitations { id email role expiresAt expired } }
}`);
const INVITE = graphql(
  `mutation InviteIssuerMember($issuerId: ID!, $email: String!, $role: IssuerRole!) {
    inviteIssuerMember(issuerId: $issuerId, email: $email, role: $role) { __typename ...ErrorFields ... on IssuerInvitation { id email } }
  }`,
  [ErrorFields],
);
const RESEND = graphql(
  `mutation ResendIssuerInvitation($id: ID!) {
    resendIssuerInvitation(id: $id) { __typename ...ErrorFields ... on IssuerInvitation { id email } }
  }`,
  [ErrorFields],
);
const REVOKE = graphql(
  `mutation RevokeIssuerInvitation($id: ID!) { revokeIssuerInvitation(id: $id) { __typename ...ErrorFields ... on Issuer { id } } }`,
  [ErrorFields],
);
const SET_ROLE = graphql(
  `mutation SetIssuerMemberRole($issuerId: ID!, $userId: ID!, $role: IssuerRole!) {
    setIssuerMemberRole(issuerId: $issuerId, userId: $userId, role: $role) { __typename ...ErrorFields ... on Issuer { id } }
  }`,
  [ErrorFields],
);
const REMOVE_MEMBER = graphql(
  `mutation RemoveIssuerMember($issuerId: ID!, $userId: ID!) {
    removeIssuerMember(issuerId: $issuerId, userId: $userId) { __typename ...ErrorFields ... on Issuer { id } }
  }`,
  [ErrorFields],
);
type Role = VariablesOf<typeof INVITE>["role"];
const ROLES: { value: Role; label: string }[] = [
  { value: "AWARDER", label: "Awarder" },
  { value: "EDITOR", label: "Editor" },
  { value: "ASSESSOR", label: "Assessor" },
  { value: "OWNER", label: "Owner" },
];
const ROLE_HELP =
  "Owners manage members; editors also create badge classes and revoke; awarders award; assessors review micro-credential submissions.";

/** Owners only: who may act for the issuer, in which role, and who is invited to. */
export function MembersPanel(props: { issuerId: string }) {
  const [data, { refetch }] = createResource(
    () => props.issuerId,
    async (id) => (await query(MEMBERS, { id })).issuer,
  );
  const form = createFormState();
  const row = createFormState();
  const [notice, setNotice] = createSignal<string | null>(null);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    setNotice(null);
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    return form.run(
      // The select offers only the schema's roles.
      () => mutate(INVITE, { issuerId: props.issuerId, email: v.email ?? "", role: v.role as Role }),
      (sent) => {
        element.reset();
        setNotice(`Invitation sent to ${sent.email}.`);
        refetch();
      },
    );
  };
  const change = async (action: () => Promise<Outcome<unknown, unknown>>, done?: string) => {
    setNotice(null);
    await row.run(action, () => {
      if (done) setNotice(done);
    });
    // Also after a refusal, so a role picker shows the role the member still has.
    refetch();
  };
  return (
    <section class="panel" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p>{ROLE_HELP}</p>
      <ul class="list">
        <For each={data()?.members}>
          {(member) => (
            <li class="list__item">
              <span class="list__main">{member.name}</span>
              <select
                aria-label={`Role of ${member.name}`}
                disabled={row.submitting()}
                onChange={(e) =>
                  change(() => mutate(SET_ROLE, { issuerId: props.issuerId, userId: member.userId, role: e.currentTarget.value as Role }))
                }
              >
                <For each={ROLES}>
                  {(role) => (
                    <option value={role.value} selected={role.value === member.role}>
                      {role.label}
                    </option>
                  )}
                </For>
              </select>
              <Button
                type="button"
                variant="secondary"
                busy={row.submitting()}
                onClick={() => change(() => mutate(REMOVE_MEMBER, { issuerId: props.issuerId, userId: member.userId }))}
              >
                Remove
              </Button>
            </li>
          )}
        </For>
      </ul>
      {/* Demoting or removing the last owner is refused with a `role` field error: the list has no single input to show it under. */}
      <FormAlert form={row} field="role" />
      <Show when={notice()}>{(text) => <Alert kind="success">{text()}</Alert>}</Show>
      <Show when={(data()?.invitations.length ?? 0) > 0}>
        <h3 id="invitations-heading">Pending invitations</h3>
        <ul class="list" aria-labelledby="invitations-heading">
          <For each={data()?.invitations}>
            {(invitation) => (
              <li class="list__item" data-testid="invitation-row">
                <span class="list__main">{invitation.email}</span>
                <span class="tag" data-status={invitation.expired ? "EXPIRED" : undefined}>
                  {invitation.expired ? "invitation expired" : "invited"}
                </span>
                <span class="list__meta">
                  as {invitation.role.toLowerCase()}
                  {invitation.expired ? "" : `, until ${formatDate(invitation.expiresAt)}`}
                </span>
                <Button
                  type="button"
                  variant="secondary"
                  busy={row.submitting()}
                  onClick={() => change(() => mutate(RESEND, { id: invitation.id }), `Invitation sent to ${invitation.email} again.`)}
                >
                  Resend
                </Button>
                <Button
                  type="button"
                  variant="secondary"
                  busy={row.submitting()}
                  onClick={() => change(() => mutate(REVOKE, { id: invitation.id }), `Invitation to ${invitation.email} revoked.`)}
                >
                  Revoke
                </Button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <div class="field-row">
          <Field
            label="Email address to invite"
            name="email"
            type="email"
            required
            hint="We email them a link to accept, valid for 7 days. They accept with a Laurel account that has this address."
            error={form.fieldErrors().email}
          />
          <div class="field">
            <label for="member-role">Role</label>
            <select id="member-role" name="role">
              <For each={ROLES}>{(role) => <option value={role.value}>{role.label}</option>}</For>
            </select>
          </div>
        </div>
        <Button variant="secondary" busy={form.submitting()} busyLabel="Sending…">
          Send invitation
        </Button>
      </form>
    </section>
  );
}
