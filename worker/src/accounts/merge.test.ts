import { env } from "cloudflare:workers";
import { getTableName, is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it, vi } from "vitest";
import { registerAndActivate, SIGN_IN } from "../../test/accounts";
import { AWARD, BACKPACK, issuerWithBadgeClass } from "../../test/badges";
import { codeIn, latestMailTo, settledMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs, type TestUser } from "../../test/fixtures";
import { enrolAuthenticator, totp } from "../../test/mfa";
import { backgroundContext } from "../context";
import { loadHelpContent } from "../help/articles.service";
import { parseHelpContent } from "../help/content";
import { HELP_CONTENT_FILES } from "../help/content.generated";
import * as schema from "../tables";
import { getUserById } from "./accounts.service";
import { mergeAccount } from "./merge.service";

/** Resolves every caller's promise once `n` callers wait. */
function barrier(n: number) {
  const waiting: (() => void)[] = [];
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length === n) for (const release of waiting) release();
    });
}

const MERGE = `mutation ($a: String!, $p: String!, $c: String!) { mergeAccount(address: $a, password: $p, code: $c) {
  __typename ... on Error { message } ... on ValidationError { fieldErrors { field message } } ... on User { id emails { address isPrimary } } } }`;

async function twoAccounts() {
  const survivor = await createUser();
  const other = await createUser({ password: "the other account's own passphrase" });
  const { secret } = await enrolAuthenticator(other);
  const client = new TestClient();
  await signInAs(client, survivor);
  const otherClient = new TestClient();
  await signInAs(otherClient, other);
  return { survivor, other, secret, client, otherClient };
}

const merge = async (client: TestClient, variables: { a: string; p: string; c: string }) =>
  (await client.gql(MERGE, variables)).mergeAccount;

describe("linking another account (merge)", () => {
  it("moves emails and badges, closes the other account, ends its sessions, audits and emails both", async () => {
    const { survivor, other, secret, client, otherClient } = await twoAccounts();
    const issuer = new TestClient();
    await signInAs(issuer, await createUser());
    const { badgeClass } = await issuerWithBadgeClass(issuer);
    await issuer.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: other.email } });

    const result = await merge(client, { a: other.email, p: other.password, c: totp(secret) });
    expect(result.__typename).toBe("User");
    expect(result.emails).toEqual(
      expect.arrayContaining([
        { address: survivor.email, isPrimary: true },
        { address: other.email, isPrimary: false },
      ]),
    );
    expect((await client.gql(BACKPACK)).backpack.items.map((i: { recipientEmail: string }) => i.recipientEmail)).toEqual([other.email]);

    const closed = await env.DB.prepare("select status from users where id = ?").bind(other.id).first<{ status: string }>();
    expect(closed?.status).toBe("closed");
    expect((await otherClient.gql("{ me { id } }")).me).toBeNull();
    // The other account's address now signs in to the survivor, with the survivor's password.
    expect((await new TestClient().gql(SIGN_IN, { email: other.email, password: other.password })).signIn.__typename).toBe(
      "InvalidCredentialsError",
    );
    expect((await new TestClient().gql(SIGN_IN, { email: other.email, password: survivor.password })).signIn.__typename).toBe("SignInStep");

    const audit = await env.DB.prepare("select subject_id from audit_log where action = 'account.merged' and subject_id in (?, ?)")
      .bind(survivor.id, other.id)
      .all();
    expect(audit.results).toHaveLength(2);
    for (const address of [survivor.email, other.email]) {
      expect((await settledMailTo(address)).some((m) => m.subject === "Two Laurel accounts were joined")).toBe(true);
    }
  });

  it("refuses a wrong password or a wrong code, changing nothing", async () => {
    const { other, secret, client } = await twoAccounts();
    expect((await merge(client, { a: other.email, p: "not the password", c: totp(secret) })).__typename).toBe("InvalidCredentialsError");
    const wrongCode = String((Number(totp(secret)) + 1) % 1_000_000).padStart(6, "0");
    expect(await merge(client, { a: other.email, p: other.password, c: wrongCode })).toEqual({
      __typename: "InvalidCodeError",
      message: "That code is not right. Enter the newest code from the other account's authenticator app.",
    });
    expect((await merge(client, { a: other.email, p: other.password, c: "12345" })).fieldErrors[0].field).toBe("code");
    const status = await env.DB.prepare("select status from users where id = ?").bind(other.id).first<{ status: string }>();
    expect(status?.status).toBe("active");
    const owner = await env.DB.prepare("select user_id from emails where address = ?").bind(other.email).first<{ user_id: string }>();
    expect(owner?.user_id).toBe(other.id);
  });

  it("answers an unknown address exactly like a wrong password", async () => {
    const { client } = await twoAccounts();
    const result = await merge(client, { a: uniqueEmail("nobody"), p: "whatever password", c: "123456" });
    expect(result).toEqual({ __typename: "InvalidCredentialsError", message: "The email or password is not correct." });
  });

  it("locks after 10 wrong codes for the other account", async () => {
    const { other, secret, client } = await twoAccounts();
    const wrongCode = String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await merge(client, { a: other.email, p: other.password, c: wrongCode })).__typename);
    expect(answers).toEqual([...Array(9).fill("InvalidCodeError"), "RateLimitedError"]);
    expect((await merge(client, { a: other.email, p: other.password, c: totp(secret) })).__typename).toBe("RateLimitedError");
    // Only someone who knows the password learns about the lock.
    expect((await merge(client, { a: other.email, p: "not the password", c: totp(secret) })).__typename).toBe("InvalidCredentialsError");
    // The same lock guards the other account's own sign-in, and its owner hears about it.
    expect((await settledMailTo(other.email)).some((m) => m.subject === "Two-step sign-in to your Laurel account is paused")).toBe(true);
    const status = await env.DB.prepare("select status from users where id = ?").bind(other.id).first<{ status: string }>();
    expect(status?.status).toBe("active");
  });

  it("counts wrong passwords against the other account's sign-in keys, without locking its owner out elsewhere", async () => {
    const { other, secret, client } = await twoAccounts();
    for (let i = 0; i < 9; i++) await merge(client, { a: other.email, p: `wrong ${i}`, c: totp(secret) });
    expect((await merge(client, { a: other.email, p: "wrong again", c: totp(secret) })).__typename).toBe("RateLimitedError");
    expect((await new TestClient(client.ip).gql(SIGN_IN, { email: other.email, password: other.password })).signIn.__typename).toBe(
      "RateLimitedError",
    );
    expect((await new TestClient("192.0.2.201").gql(SIGN_IN, { email: other.email, password: other.password })).signIn.__typename).toBe(
      "SignInStep",
    );
  });

  it("refuses merging an account into itself", async () => {
    const { survivor, client } = await twoAccounts();
    expect((await merge(client, { a: survivor.email, p: survivor.password, c: "000000" })).fieldErrors[0].field).toBe("address");
  });

  it("keeps a badge awarded while the merge runs", async () => {
    const { other, secret, client } = await twoAccounts();
    const issuer = new TestClient();
    await signInAs(issuer, await createUser());
    const { badgeClass } = await issuerWithBadgeClass(issuer);
    const [merged, awarded] = await Promise.all([
      merge(client, { a: other.email, p: other.password, c: totp(secret) }),
      issuer.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: other.email } }),
    ]);
    expect(merged.__typename).toBe("User");
    expect(awarded.awardBadge.__typename).toBe("Award");
    expect((await client.gql(BACKPACK)).backpack.items.map((i: { id: string }) => i.id)).toEqual([awarded.awardBadge.id]);
  });

  it("links an account without a password with its code once the mailbox is proved, and not before", async () => {
    const { other, secret, client } = await twoAccounts();
    await env.DB.prepare("update users set password_hash = null where id = ?").bind(other.id).run();
    const before = await merge(client, { a: other.email, p: "", c: totp(secret) });
    expect(before.fieldErrors).toEqual([{ field: "password", message: "Enter the password of the other account." }]);
    expect((await merge(client, { a: other.email, p: "a guess", c: totp(secret) })).__typename).toBe("InvalidCredentialsError");

    await client.gql("mutation ($a: String!) { addEmail(address: $a) { __typename } }", { a: other.email });
    const confirmed = await client.gql("mutation ($a: String!, $c: String!) { confirmEmail(address: $a, code: $c) { __typename } }", {
      a: other.email,
      c: codeIn(await latestMailTo(other.email)),
    });
    expect(confirmed.confirmEmail.__typename).toBe("MergeRequiredError");
    const wrongCode = String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    expect((await merge(client, { a: other.email, p: "", c: wrongCode })).__typename).toBe("InvalidCodeError");
    expect((await merge(client, { a: other.email, p: "", c: totp(secret) })).__typename).toBe("User");
  });

  it("moves the other account's profile only when the survivor has none", async () => {
    const addProfile = (userId: string, headline: string) =>
      env.DB.prepare("insert into profiles (user_id, headline, social_links, institutions, updated_at) values (?, ?, '[]', '[]', ?)")
        .bind(userId, headline, Date.now())
        .run();
    const first = await twoAccounts();
    await addProfile(first.other.id, "Other's headline");
    await merge(first.client, { a: first.other.email, p: first.other.password, c: totp(first.secret) });
    expect((await first.client.gql("{ me { profile { headline } } }")).me.profile.headline).toBe("Other's headline");

    const second = await twoAccounts();
    await addProfile(second.survivor.id, "Survivor's headline");
    await addProfile(second.other.id, "Other's headline");
    expect((await merge(second.client, { a: second.other.email, p: second.other.password, c: totp(second.secret) })).__typename).toBe(
      "User",
    );
    expect((await second.client.gql("{ me { profile { headline } } }")).me.profile.headline).toBe("Survivor's headline");
  });

  it("counts the other account's help votes for the survivor once per article, and moves its feedback", async () => {
    const { survivor, other, secret, client } = await twoAccounts();
    await loadHelpContent(backgroundContext(env, { waitUntil: () => undefined }), parseHelpContent(HELP_CONTENT_FILES));
    const [first, second] = (await env.DB.prepare("select id from help_articles order by slug limit 2").all<{ id: string }>()).results.map(
      (r) => r.id,
    );
    const vote = (userId: string, articleId: string, helpful: boolean) =>
      env.DB.prepare("insert into help_votes (article_id, voter_key, helpful, created_at, updated_at) values (?, ?, ?, ?, ?)")
        .bind(articleId, `user:${userId}`, helpful ? 1 : 0, Date.now(), Date.now())
        .run();
    await vote(survivor.id, first!, true);
    await vote(other.id, first!, false);
    await vote(other.id, second!, false);
    await env.DB.prepare("insert into help_feedback (id, article_id, message, user_id, created_at) values (?, ?, ?, ?, ?)")
      .bind(crypto.randomUUID(), second!, "Missing a step.", other.id, Date.now())
      .run();
    expect((await merge(client, { a: other.email, p: other.password, c: totp(secret) })).__typename).toBe("User");
    const votes = await env.DB.prepare(
      "select article_id, voter_key, helpful from help_votes where voter_key in (?, ?) order by article_id",
    )
      .bind(`user:${survivor.id}`, `user:${other.id}`)
      .all();
    expect(votes.results).toEqual(
      [
        { article_id: first, voter_key: `user:${survivor.id}`, helpful: 1 },
        { article_id: second, voter_key: `user:${survivor.id}`, helpful: 0 },
      ].sort((a, b) => a.article_id!.localeCompare(b.article_id!)),
    );
    const feedback = await env.DB.prepare("select user_id from help_feedback where article_id = ? and message = 'Missing a step.'")
      .bind(second!)
      .first();
    expect(feedback).toEqual({ user_id: survivor.id });
  });

  it("accounts for every column that references users (a new one needs a line in moveOwnedRows)", async () => {
    const references = Object.values(schema)
      .filter((table) => is(table, SQLiteTable))
      .flatMap((table) =>
        getTableConfig(table)
          .foreignKeys.map((key) => key.reference())
          .filter((ref) => getTableName(ref.foreignTable) === "users")
          .flatMap((ref) => ref.columns.map((column) => `${getTableName(table)}.${column.name}`)),
      )
      .sort();
    expect(references).toEqual(
      [
        // Moved to the survivor.
        "api_tokens.created_by_user_id",
        "oauth_clients.created_by_user_id",
        "webhook_endpoints.created_by_user_id",
        "collections.user_id",
        "emails.user_id",
        "issuer_members.user_id",
        "profiles.user_id",
        "sso_identities.user_id",
        "submissions.learner_id",
        "pathway_subscriptions.user_id",
        "help_feedback.user_id",
        "tickets.requester_user_id",
        "tickets.assignee_user_id",
        // Moved unless the survivor completed the same node (then it stays, with its award).
        "pathway_completions.user_id",
        // Deleted with the other account's factors and flows.
        "mfa_authenticators.user_id",
        "mfa_recovery_codes.user_id",
        "sso_flows.user_id",
        "pathway_progress_shares.user_id",
        // Refused once the account is closed (auth/ checks it is active), and short-lived.
        "pending_sign_ins.user_id",
        "sign_in_links.user_id",
        // Records of who acted or was merged: they stay.
        "account_merges.from_user_id",
        "account_merges.into_user_id",
        "awards.awarded_by",
        "awards.revoked_by",
        "submission_events.actor_id",
        "submission_reviews.assessor_id",
        "submissions.claimed_by",
        "issuer_invitations.accepted_by_user_id",
        "issuer_invitations.invited_by_user_id",
        "pathway_invitations.answered_by",
        "pathway_invitations.invited_by",
        "pathways.created_by",
        "ticket_comments.author_user_id",
        // A retry after a merge is a new request of the survivor: the closed account's keys stay with it.
        "idempotency_keys.user_id",
      ].sort(),
    );
  });

  it("leaves exactly one active account holding everything of both when crossed and repeated merges race", async () => {
    const issuer = new TestClient();
    await signInAs(issuer, await createUser());
    const { badgeClass } = await issuerWithBadgeClass(issuer);
    const account = async (label: string) => {
      const user = await createUser({ password: `${label}'s own long passphrase` });
      const extra = uniqueEmail(`${label}-extra`);
      await env.DB.batch([
        env.DB.prepare("insert into emails (id, user_id, address, is_primary, verified_at, created_at) values (?, ?, ?, 0, ?, ?)").bind(
          crypto.randomUUID(),
          user.id,
          extra,
          Date.now(),
          Date.now(),
        ),
        env.DB.prepare(
          "insert into sso_identities (id, user_id, provider, issuer, subject, email_verified, created_at, last_used_at) values (?, ?, 'google', 'https://idp.example', ?, 1, ?, ?)",
        ).bind(crypto.randomUUID(), user.id, `${label}-${user.id}`, Date.now(), Date.now()),
        env.DB.prepare("insert into collections (id, user_id, name, description, created_at, updated_at) values (?, ?, ?, '', ?, ?)").bind(
          crypto.randomUUID(),
          user.id,
          `${label}'s collection`,
          Date.now(),
          Date.now(),
        ),
      ]);
      const awarded = await issuer.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: extra } });
      return { ...user, extra, awardId: awarded.awardBadge.id as string };
    };
    const a = await account("a");
    const b = await account("b");
    // Crossed (A takes B while B takes A) and repeated (each twice). Every request passes its
    // checks before any batch runs, as when they arrive together: the batches alone decide.
    const gate = barrier(4);
    const attempt = async (into: TestUser, from: TestUser) => {
      const ctx = backgroundContext(env, { waitUntil: () => undefined });
      const batch = ctx.db.batch.bind(ctx.db);
      // Only the merge's own batch waits: the attempt guard's batches run before it, as checks.
      vi.spyOn(ctx.db, "batch").mockImplementation(async (statements) => {
        if (statements.some((s) => "toSQL" in s && (s as { toSQL(): { sql: string } }).toSQL().sql.includes("account_merges"))) {
          await gate();
        }
        return batch(statements);
      });
      const survivor = (await getUserById(ctx, into.id))!;
      return mergeAccount(ctx, survivor, { address: from.email, password: from.password, code: "" }).then(
        (user) => user.id,
        (error: Error) => error.message,
      );
    };
    const outcomes = await Promise.all([attempt(a, b), attempt(b, a), attempt(a, b), attempt(b, a)]);

    const statuses = await env.DB.prepare("select id, status from users where id in (?, ?)")
      .bind(a.id, b.id)
      .all<{ id: string; status: string }>();
    const active = statuses.results.filter((u) => u.status === "active");
    expect(active).toHaveLength(1);
    const survivorId = active[0]!.id;
    const owned = async (table: string) =>
      (await env.DB.prepare(`select user_id from ${table} where user_id in (?, ?)`).bind(a.id, b.id).all<{ user_id: string }>()).results;
    const addresses = await env.DB.prepare("select address, user_id, is_primary from emails where address in (?, ?, ?, ?)")
      .bind(a.email, a.extra, b.email, b.extra)
      .all<{ address: string; user_id: string; is_primary: number }>();
    expect(addresses.results.map((e) => e.user_id)).toEqual(Array(4).fill(survivorId));
    expect(addresses.results.filter((e) => e.is_primary)).toHaveLength(1);
    expect((await owned("sso_identities")).map((r) => r.user_id)).toEqual([survivorId, survivorId]);
    expect((await owned("collections")).map((r) => r.user_id)).toEqual([survivorId, survivorId]);
    const survivorClient = new TestClient();
    await signInAs(survivorClient, { id: survivorId });
    const badges = (await survivorClient.gql(BACKPACK)).backpack.items.map((i: { id: string }) => i.id);
    expect(badges.sort()).toEqual([a.awardId, b.awardId].sort());
    const audit = await env.DB.prepare("select count(*) as n from audit_log where action = 'account.merged' and subject_id in (?, ?)")
      .bind(a.id, b.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(2);
    // The winner and the repeat of the same merge succeed; the crossed ones are told why not.
    expect(outcomes.filter((o) => o === survivorId)).toHaveLength(2);
    expect(outcomes.filter((o) => o !== survivorId)).toEqual(
      Array(2).fill("This account was just joined into another one. Sign in again to continue."),
    );
  });

  it("reopens, on registering again, an account that an old crossed merge left closed with the addresses", async () => {
    // The state crossed merges used to leave: both closed, every address on one of them.
    const a = await createUser();
    const b = await createUser();
    await env.DB.batch([
      env.DB.prepare("update users set status = 'closed' where id in (?, ?)").bind(a.id, b.id),
      env.DB.prepare("update emails set user_id = ?, is_primary = 0 where user_id = ?").bind(b.id, a.id),
    ]);
    const client = new TestClient();
    expect((await registerAndActivate(client, a.email)).reconnected).toBe(true);
    const status = await env.DB.prepare("select status from users where id = ?").bind(b.id).first<{ status: string }>();
    expect(status?.status).toBe("active");
    const signIn = await new TestClient().gql(SIGN_IN, { email: b.email, password: "laurel leaves in autumn" });
    expect(signIn.signIn.__typename).toBe("SignInStep");
  });
});
