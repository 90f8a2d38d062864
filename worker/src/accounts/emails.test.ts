import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { codeIn, latestMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";

const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const ADD = `mutation ($a: String!) { addEmail(address: $a) { ${ERRORS} ... on CodeSent { email } } }`;
const CONFIRM = `mutation ($a: String!, $c: String!) { confirmEmail(address: $a, code: $c) { ${ERRORS} ... on Email { id address isPrimary } ... on MergeRequiredError { address } } }`;
const PRIMARY = `mutation ($id: ID!) { setPrimaryEmail(id: $id) { ${ERRORS} ... on User { primaryEmail } } }`;
const REMOVE = `mutation ($id: ID!) { removeEmail(id: $id) { ${ERRORS} ... on User { emails { address } } } }`;
const EMAILS = "{ me { primaryEmail emails { id address isPrimary } } }";

async function signedIn() {
  const user = await createUser();
  const client = new TestClient();
  await signInAs(client, user);
  return { user, client };
}

async function addAndConfirm(client: TestClient, address: string) {
  await client.gql(ADD, { a: address });
  return (await client.gql(CONFIRM, { a: address, c: codeIn(await latestMailTo(address)) })).confirmEmail;
}

describe("adding an email", () => {
  it("sends a code to the address and adds it, not primary, once the code comes back", async () => {
    const { user, client } = await signedIn();
    const personal = uniqueEmail("personal");
    expect((await client.gql(ADD, { a: ` ${personal.toUpperCase()} ` })).addEmail).toEqual({ __typename: "CodeSent", email: personal });
    const mail = await latestMailTo(personal);
    expect(mail.subject).toBe("Add this address to your Laurel account");
    expect(mail.text).toContain("keep a personal address on your account");
    const added = (await client.gql(CONFIRM, { a: personal, c: codeIn(mail) })).confirmEmail;
    expect(added).toMatchObject({ __typename: "Email", address: personal, isPrimary: false });
    expect((await client.gql(EMAILS)).me.emails.map((e: { address: string }) => e.address).sort()).toEqual([user.email, personal].sort());
    const audit = await env.DB.prepare("select count(*) as n from audit_log where action = 'account.email-added' and subject_id = ?")
      .bind(user.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("refuses a wrong code, a malformed address, and an address already on the account", async () => {
    const { user, client } = await signedIn();
    const address = uniqueEmail();
    await client.gql(ADD, { a: address });
    const right = codeIn(await latestMailTo(address));
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    expect((await client.gql(CONFIRM, { a: address, c: wrong })).confirmEmail).toMatchObject({ __typename: "InvalidCodeError" });
    expect((await client.gql(ADD, { a: "nope@" })).addEmail.fieldErrors[0].field).toBe("address");
    expect((await client.gql(ADD, { a: user.email })).addEmail.fieldErrors[0].message).toBe("This address is already on your account.");
  });

  it("refuses an expired code", async () => {
    const { client } = await signedIn();
    const address = uniqueEmail();
    await client.gql(ADD, { a: address });
    const code = codeIn(await latestMailTo(address));
    await env.DB.prepare("update email_codes set expires_at = ? where purpose = 'add-email' and address = ?")
      .bind(Date.now() - 1, address)
      .run();
    expect((await client.gql(CONFIRM, { a: address, c: code })).confirmEmail).toMatchObject({
      __typename: "InvalidCodeError",
      message: "This code has expired or was already used. Ask for a new code.",
    });
    expect((await client.gql(EMAILS)).me.emails).toHaveLength(1);
  });

  it("does not accept a code someone else asked for", async () => {
    const { client: alice } = await signedIn();
    const { client: mallory } = await signedIn();
    const address = uniqueEmail("contested");
    await alice.gql(ADD, { a: address });
    const code = codeIn(await latestMailTo(address));
    expect((await mallory.gql(CONFIRM, { a: address, c: code })).confirmEmail.__typename).toBe("InvalidCodeError");
  });

  it("answers adding another account's address like any other, and offers the merge once the code proves the mailbox", async () => {
    const { client } = await signedIn();
    const other = await createUser();
    expect((await client.gql(ADD, { a: other.email })).addEmail).toEqual({ __typename: "CodeSent", email: other.email });
    const result = (await client.gql(CONFIRM, { a: other.email, c: codeIn(await latestMailTo(other.email)) })).confirmEmail;
    expect(result).toMatchObject({ __typename: "MergeRequiredError", address: other.email });
    const owner = await env.DB.prepare("select user_id from emails where address = ?").bind(other.email).first<{ user_id: string }>();
    expect(owner?.user_id).toBe(other.id);
  });

  it("sends the same kind of email whether or not another account owns the address", async () => {
    const { client } = await signedIn();
    const other = await createUser();
    const free = uniqueEmail("free");
    await client.gql(ADD, { a: other.email });
    await client.gql(ADD, { a: free });
    const [taken, untaken] = [await latestMailTo(other.email), await latestMailTo(free)];
    expect(taken.subject).toBe(untaken.subject);
    expect(taken.text.replace(/\d{6}/g, "")).toBe(untaken.text.replace(/\d{6}/g, ""));
  });
});

describe("primary and removal", () => {
  it("sets another verified email as primary, refuses removing the primary, and removes the other", async () => {
    const { user, client } = await signedIn();
    const work = uniqueEmail("work");
    const added = await addAndConfirm(client, work);
    expect(
      (await client.gql(REMOVE, { id: (await client.gql(EMAILS)).me.emails.find((e: { isPrimary: boolean }) => e.isPrimary).id }))
        .removeEmail.fieldErrors[0].message,
    ).toBe("This is your primary email. Make another address primary first.");
    expect((await client.gql(PRIMARY, { id: added.id })).setPrimaryEmail.primaryEmail).toBe(work);
    const old = (await client.gql(EMAILS)).me.emails.find((e: { address: string }) => e.address === user.email);
    expect((await client.gql(REMOVE, { id: old.id })).removeEmail.emails).toEqual([{ address: work }]);
  });

  it("refuses removing the only email", async () => {
    const { client } = await signedIn();
    const only = (await client.gql(EMAILS)).me.emails[0];
    expect((await client.gql(REMOVE, { id: only.id })).removeEmail.fieldErrors).toEqual([
      { field: "id", message: "This is the only email on your account. Add another address before removing it." },
    ]);
    expect((await client.gql(EMAILS)).me.emails).toHaveLength(1);
  });

  it("cannot touch another account's email", async () => {
    const { client } = await signedIn();
    const { client: otherClient } = await signedIn();
    const theirs = (await otherClient.gql(EMAILS)).me.emails[0].id;
    expect((await client.gql(REMOVE, { id: theirs })).removeEmail.__typename).toBe("NotFoundError");
    expect((await client.gql(PRIMARY, { id: theirs })).setPrimaryEmail.__typename).toBe("NotFoundError");
  });
});
