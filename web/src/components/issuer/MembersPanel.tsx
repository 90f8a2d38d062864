import { createResource, For } from "solid-js";
import { createFormState, formValues } from "../../lib/forms";
import { ErrorFields, graphql, type VariablesOf } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { Button } from "../Button";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";

const MEMBERS = graphql(`query IssuerMembers($id: ID!) { issuer(id: $id) { members { userId name role } } }`);
const SET_MEMBER = graphql(
  `mutation SetIssuerMember($issuerId: ID!, $email: String!, $role: IssuerRole!) {
    setIssuerMember(issuerId: $issuerId, email: $email, role: $role) { __typename ...ErrorFields ... on Issuer { id } }
  }`,
  [ErrorFields],
);
const REMOVE_MEMBER = graphql(
  `mutation RemoveIssuerMember($issuerId: ID!, $userId: ID!) {
    removeIssuerMember(issuerId: $issuerId, userId: $userId) { __typename ...ErrorFields ... on Issuer { id } }
  }`,
  [ErrorFields],
);
type Role = VariablesOf<typeof SET_MEMBER>["role"];
const ROLE_HELP = "Owners manage members; editors also create badge classes and revoke; awarders award.";

/** Owners only: who may act for the issuer, and in which role. */
export function MembersPanel(props: { issuerId: string }) {
  const [members, { refetch }] = createResource(
    () => props.issuerId,
    async (id) => (await query(MEMBERS, { id })).issuer?.members,
  );
  const form = createFormState();
  const row = createFormState();
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    return form.run(
      // The select offers only the schema's roles.
      () => mutate(SET_MEMBER, { issuerId: props.issuerId, email: v.email ?? "", role: v.role as Role }),
      () => {
        element.reset();
        refetch();
      },
    );
  };
  return (
    <section class="panel" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p>{ROLE_HELP}</p>
      {/* Removing the last owner is refused with a `role` field error: the list has no role input to show it under. */}
      <FormAlert form={row} field="role" />
      <ul class="list">
        <For each={members()}>
          {(member) => (
            <li class="list__item">
              <span class="list__main">{member.name}</span>
              <span class="tag">{member.role.toLowerCase()}</span>
              <Button
                type="button"
                variant="secondary"
                busy={row.submitting()}
                onClick={() =>
                  row.run(
                    () => mutate(REMOVE_MEMBER, { issuerId: props.issuerId, userId: member.userId }),
                    () => refetch(),
                  )
                }
              >
                Remove
              </Button>
            </li>
          )}
        </For>
      </ul>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate>
        <div class="field-row">
          <Field label="Their Laurel account's email" name="email" type="email" required error={form.fieldErrors().email} />
          <div class="field">
            <label for="member-role">Role</label>
            <select id="member-role" name="role">
              <option value="AWARDER">Awarder</option>
              <option value="EDITOR">Editor</option>
              <option value="OWNER">Owner</option>
            </select>
          </div>
        </div>
        <Button variant="secondary" busy={form.submitting()} busyLabel="Adding…">
          Add or change member
        </Button>
      </form>
    </section>
  );
}
