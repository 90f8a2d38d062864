import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { registerAndActivate } from "../../test/accounts";
import {
  AWARD,
  BACKPACK,
  BULK,
  badgeClassInput,
  CREATE_BADGE_CLASS,
  CREATE_ISSUER,
  issuerWithBadgeClass,
  joinIssuer,
  REVOKE,
} from "../../test/badges";
import { deliveredMailTo, gqlUpload, lastMailTo, mailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, db, signInAs } from "../../test/fixtures";
import { fileOf, pngImage, svgImage } from "../../test/images";
import { emails } from "../accounts/accounts.table";
import { sha256Hex } from "../lib/crypto";

async function signedIn(options: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(options);
  const client = new TestClient();
  await signInAs(client, user);
  return { user, client };
}

/** Adds a verified address to an account directly (the add-email flow has its own tests). */
async function verifyExtraEmail(userId: string, address: string) {
  await db()
    .insert(emails)
    .values({ id: crypto.randomUUID(), userId, address, isPrimary: false, verifiedAt: new Date(), createdAt: new Date() });
}

const award = async (client: TestClient, badgeClassId: string, input: Record<string, unknown>) =>
  (await client.gql(AWARD, { badgeClassId, input })).awardBadge;
const backpack = async (client: TestClient, variables: Record<string, unknown> = {}) => (await client.gql(BACKPACK, variables)).backpack;

describe("issuers and roles", () => {
  it("makes the creator owner, lets roles do only their part, and audits every change", async () => {
    const { user: owner, client } = await signedIn();
    const { issuer, badgeClass } = await issuerWithBadgeClass(client);
    expect(issuer.myRole).toBe("OWNER");

    const { user: awarder, client: awarderClient } = await signedIn();
    await joinIssuer(client, issuer.id, { email: awarder.email, client: awarderClient });
    expect((await award(awarderClient, badgeClass.id, { email: uniqueEmail() })).__typename).toBe("Award");
    const edit = await gqlUpload(
      awarderClient,
      CREATE_BADGE_CLASS,
      { issuerId: issuer.id, input: badgeClassInput() },
      { "input.image": fileOf(await pngImage(), "b.png", "image/png") },
    );
    expect(edit.createBadgeClass.__typename).toBe("ForbiddenError");

    const { client: stranger } = await signedIn();
    expect((await award(stranger, badgeClass.id, { email: uniqueEmail() })).__typename).toBe("NotFoundError");

    const actions = await env.DB.prepare("select action, actor_user_id from audit_log where subject_id in (?, ?) order by created_at")
      .bind(issuer.id, badgeClass.id)
      .all<{ action: string; actor_user_id: string }>();
    expect(actions.results.map((a) => [a.action, a.actor_user_id])).toEqual([
      ["issuer.created", owner.id],
      ["badge-class.created", owner.id],
      ["issuer.member-invited", owner.id],
      ["issuer.invitation-accepted", awarder.id],
    ]);
  });

  it("keeps at least one owner", async () => {
    const { user, client } = await signedIn();
    const { issuer } = await issuerWithBadgeClass(client);
    const demote = await client.gql(
      `mutation ($i: ID!, $u: ID!) { setIssuerMemberRole(issuerId: $i, userId: $u, role: EDITOR) { __typename ... on ValidationError { fieldErrors { field } } } }`,
      { i: issuer.id, u: user.id },
    );
    expect(demote.setIssuerMemberRole).toEqual({ __typename: "ValidationError", fieldErrors: [{ field: "role" }] });
  });

  it("rejects an issuer without a name, a web address or a contact email", async () => {
    const { client } = await signedIn();
    const result = (await client.gql(CREATE_ISSUER, { input: { name: " ", url: "northwind", email: "nope" } })).createIssuer;
    expect(result.fieldErrors.map((f: { field: string }) => f.field)).toEqual(["name", "url", "email"]);
  });
});

describe("badge class images", () => {
  const upload = async (client: TestClient, issuerId: string, file: File) =>
    (await gqlUpload(client, CREATE_BADGE_CLASS, { issuerId, input: badgeClassInput() }, { "input.image": file })).createBadgeClass;

  it("stores a valid PNG or SVG in R2 and serves it", async () => {
    const { client } = await signedIn();
    const { issuer, badgeClass } = await issuerWithBadgeClass(client);
    const response = await client.request(new URL(badgeClass.imageUrl).pathname);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("cache-control")).toContain("immutable");
    const svg = await upload(client, issuer.id, fileOf(svgImage(), "badge.svg", "image/svg+xml"));
    expect(svg.__typename).toBe("BadgeClass");
    const served = await client.request(new URL(svg.imageUrl).pathname);
    expect(served.headers.get("content-type")).toBe("image/svg+xml");
    expect(served.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
  });

  it.each([
    ["a text file", () => fileOf("hello", "a.txt", "text/plain"), "Use a PNG or SVG image."],
    [
      "an SVG with a script",
      () => fileOf(svgImage(120, "<script>alert(1)</script>"), "a.svg", "image/svg+xml"),
      "The SVG contains a script. Export a plain SVG without scripts, animations, embedded HTML or links to other files.",
    ],
    [
      "an SVG with an event handler",
      () => fileOf(svgImage(120).replace("<circle", '<circle onload="x()"'), "a.svg", "image/svg+xml"),
      "The SVG contains an event handler (onload). Export a plain SVG without scripts, animations, embedded HTML or links to other files.",
    ],
    ["a tiny PNG", async () => fileOf(await pngImage(40), "a.png", "image/png"), "The image must be at least 90 × 90 pixels."],
    ["a wide PNG", async () => fileOf(await pngImage(300, 120), "a.png", "image/png"), "Badge images must be square."],
    [
      "a PNG over 512 KB",
      async () => fileOf(new Uint8Array([...(await pngImage(120)), ...new Uint8Array(600 * 1024)]), "a.png", "image/png"),
      "The image is larger than 512 KB. Export it smaller.",
    ],
  ])("refuses %s", async (_label, make, message) => {
    const { client } = await signedIn();
    const { issuer } = await issuerWithBadgeClass(client);
    const result = await upload(client, issuer.id, await make());
    expect(result).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ field: "image", message }] });
  });

  it("needs criteria and a sensible expiry rule", async () => {
    const { client } = await signedIn();
    const { issuer } = await issuerWithBadgeClass(client);
    const result = (
      await gqlUpload(
        client,
        CREATE_BADGE_CLASS,
        { issuerId: issuer.id, input: badgeClassInput({ criteriaNarrative: null, validForMonths: 0, achievementType: "Trophy" }) },
        {
          "input.image": fileOf(await pngImage(), "b.png", "image/png"),
        },
      )
    ).createBadgeClass;
    expect(result.fieldErrors.map((f: { field: string }) => f.field)).toEqual(["criteriaNarrative", "achievementType", "validForMonths"]);
  });
});

describe("awarding", () => {
  it("awards to an email, hashes the recipient with a salt, and emails a registration link to a new address", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const recipient = uniqueEmail("new-teacher");
    const created = await award(client, badgeClass.id, {
      email: ` ${recipient.toUpperCase()} `,
      recipientName: "Noor",
      narrative: "Led the assessment workshop.",
      evidence: [{ url: "https://evidence.example.org/unit-plan", narrative: "Unit plan" }],
      issuedOn: "2026-11-01",
    });
    expect(created).toMatchObject({
      __typename: "Award",
      status: "PENDING",
      recipientEmail: recipient,
      issuedOn: "2026-11-01T00:00:00.000Z",
    });
    const row = await env.DB.prepare("select recipient_salt, recipient_hash from awards where id = ?")
      .bind(created.id)
      .first<{ recipient_salt: string; recipient_hash: string }>();
    expect(row!.recipient_hash).toBe(`sha256$${await sha256Hex(recipient + row!.recipient_salt)}`);
    const mail = await deliveredMailTo(recipient);
    expect(mail.subject).toBe('You earned the "Formative Assessment" badge from Northwind Teachers College');
    expect(mail.text).toContain(`/register?email=${encodeURIComponent(recipient)}`);
    expect(mail.html).toContain("Claim your badge");
  });

  it("links an existing account's email to sign-in", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const learner = await createUser();
    await award(client, badgeClass.id, { email: learner.email });
    expect((await deliveredMailTo(learner.email)).text).toContain(`/sign-in?email=${encodeURIComponent(learner.email)}`);
  });

  it("refuses a malformed email, a future date, an expiry before the issue date, and an unknown badge class", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const bad = await award(client, badgeClass.id, { email: "teacher@", issuedOn: "2999-01-01", expiresOn: "2000-01-01" });
    expect(bad.fieldErrors.map((f: { field: string }) => f.field)).toEqual(["email", "issuedOn", "expiresOn"]);
    expect((await award(client, "no-such-class", { email: uniqueEmail() })).__typename).toBe("NotFoundError");
    expect(
      (await env.DB.prepare("select count(*) as n from awards where badge_class_id = ?").bind(badgeClass.id).first<{ n: number }>())?.n,
    ).toBe(0);
  });

  it("sets the expiry from the badge class's rule", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client, { validForMonths: 24 });
    const created = await award(client, badgeClass.id, { email: uniqueEmail(), issuedOn: "2026-01-31" });
    expect(created.expiresAt).toBe("2028-01-31T00:00:00.000Z");
  });
});

describe("backpack", () => {
  it("shows badges awarded before the account existed, once the address is verified (lost the award email)", async () => {
    const { client: issuerClient } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(issuerClient);
    const email = uniqueEmail("early");
    await award(issuerClient, badgeClass.id, { email });
    const learner = new TestClient();
    await registerAndActivate(learner, email);
    const user = (await learner.gql("{ me { id } }")).me ?? null;
    expect(user).toBeNull();
    const row = await env.DB.prepare("select user_id from emails where address = ?").bind(email).first<{ user_id: string }>();
    await signInAs(learner, { id: row!.user_id });
    const page = await backpack(learner);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      status: "PENDING",
      badgeClass: { name: "Formative Assessment", issuer: { name: "Northwind Teachers College" } },
    });
  });

  it("includes badges to every verified email, and none to an address the account has not verified (unconnected email)", async () => {
    const { client: issuerClient } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(issuerClient);
    const { user, client } = await signedIn();
    const personal = uniqueEmail("personal");
    const unconnected = uniqueEmail("unconnected");
    await award(issuerClient, badgeClass.id, { email: user.email });
    await award(issuerClient, badgeClass.id, { email: personal });
    await award(issuerClient, badgeClass.id, { email: unconnected });
    expect((await backpack(client)).items).toHaveLength(1);
    await verifyExtraEmail(user.id, personal);
    expect((await backpack(client)).items.map((i: { recipientEmail: string }) => i.recipientEmail).sort()).toEqual(
      [user.email, personal].sort(),
    );
    await verifyExtraEmail(user.id, unconnected);
    expect((await backpack(client)).items).toHaveLength(3);
  });

  it("pages, filters active and expired, and hides and shows", async () => {
    const { client: issuerClient } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(issuerClient);
    const { user, client } = await signedIn();
    for (const day of ["01", "02", "03", "04", "05"])
      await award(issuerClient, badgeClass.id, { email: user.email, issuedOn: `2026-10-${day}` });
    const old = await award(issuerClient, badgeClass.id, { email: user.email, issuedOn: "2020-01-01", expiresOn: "2021-01-01" });

    const first = await backpack(client, { first: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.hasNextPage).toBe(true);
    const second = await backpack(client, { first: 4, after: first.endCursor });
    expect(second.items).toHaveLength(2);
    expect(second.hasNextPage).toBe(false);
    expect(new Set([...first.items, ...second.items].map((i: { id: string }) => i.id)).size).toBe(6);

    expect((await backpack(client, { filter: "EXPIRED" })).items.map((i: { id: string }) => i.id)).toEqual([old.id]);
    expect((await backpack(client, { filter: "ACTIVE" })).items).toHaveLength(5);

    const target = first.items[0].id;
    expect(
      (await client.gql("mutation ($id: ID!) { acceptBadge(id: $id) { __typename ... on Award { status } } }", { id: target })).acceptBadge
        .status,
    ).toBe("ACCEPTED");
    await client.gql("mutation ($id: ID!) { hideBadge(id: $id) { __typename } }", { id: target });
    expect((await backpack(client)).items).toHaveLength(5);
    expect((await backpack(client, { includeHidden: true })).items).toHaveLength(6);
    await client.gql("mutation ($id: ID!) { showBadge(id: $id) { __typename } }", { id: target });
    expect((await backpack(client)).items).toHaveLength(6);
    await expect(backpack(client, { after: "garbage" })).rejects.toThrow(/That page cursor is not valid/);
  });

  it("does not let anyone accept or hide someone else's badge", async () => {
    const { client: issuerClient } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(issuerClient);
    const created = await award(issuerClient, badgeClass.id, { email: uniqueEmail() });
    const { client } = await signedIn();
    expect((await client.gql("mutation ($id: ID!) { hideBadge(id: $id) { __typename } }", { id: created.id })).hideBadge.__typename).toBe(
      "NotFoundError",
    );
  });
});

describe("revoking (revoked badge vanished)", () => {
  it("needs a reason, removes the badge from the backpack, tells the learner and shows as revoked to the issuer", async () => {
    const { user: owner, client: issuerClient } = await signedIn();
    const { issuer, badgeClass } = await issuerWithBadgeClass(issuerClient);
    const { user, client } = await signedIn();
    const created = await award(issuerClient, badgeClass.id, { email: user.email });
    expect((await issuerClient.gql(REVOKE, { awardId: created.id, reason: "  " })).revokeAward.fieldErrors[0].field).toBe("reason");
    const revoked = (await issuerClient.gql(REVOKE, { awardId: created.id, reason: "Awarded to the wrong cohort." })).revokeAward;
    expect(revoked).toMatchObject({ status: "REVOKED", revocationReason: "Awarded to the wrong cohort." });
    expect((await issuerClient.gql(REVOKE, { awardId: created.id, reason: "again" })).revokeAward.__typename).toBe("ValidationError");
    expect((await backpack(client)).items).toHaveLength(0);
    const mail = await deliveredMailTo(user.email, 'Your "Formative Assessment" badge was revoked');
    expect(mail.text).toContain("Awarded to the wrong cohort.");
    const list = await issuerClient.gql(
      `query ($id: ID!) { issuer(id: $id) { awards(status: REVOKED) { total items { id revocationReason } } } }`,
      { id: issuer.id },
    );
    expect(list.issuer.awards).toEqual({ total: 1, items: [{ id: created.id, revocationReason: "Awarded to the wrong cohort." }] });
    const audit = await env.DB.prepare("select actor_user_id, data from audit_log where action = 'award.revoked' and subject_id = ?")
      .bind(created.id)
      .all<{ actor_user_id: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]!.actor_user_id).toBe(owner.id);
  });

  it("is refused to an awarder", async () => {
    const { client: ownerClient } = await signedIn();
    const { issuer, badgeClass } = await issuerWithBadgeClass(ownerClient);
    const { user: awarder, client } = await signedIn();
    await joinIssuer(ownerClient, issuer.id, { email: awarder.email, client });
    const created = await award(client, badgeClass.id, { email: uniqueEmail() });
    expect((await client.gql(REVOKE, { awardId: created.id, reason: "mistake" })).revokeAward.__typename).toBe("ForbiddenError");
  });
});

describe("bulk award from CSV", () => {
  it("rejects a file with broken rows with a report by line, and awards nothing", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const csv = [
      "email,name,issued_on",
      "ok@example.org,Ok,2026-11-01",
      "broken-email,Bad,2026-11-01",
      "late@example.org,Late,yesterday",
      '"quoted, name"@example.org,"Q, Name",',
    ].join("\r\n");
    const result = (await client.gql(BULK, { badgeClassId: badgeClass.id, csv })).bulkAward;
    expect(result.__typename).toBe("CsvRejectedError");
    expect(result.message).toBe("3 of 4 rows have problems. Nothing was awarded: fix them and upload the file again.");
    expect(result.problems).toEqual([
      { line: 3, field: "email", message: '"broken-email" is not a valid email address.' },
      { line: 4, field: "issuedOn", message: "Enter a date as YYYY-MM-DD." },
      { line: 5, field: "email", message: '"quoted, name@example.org" is not a valid email address.' },
    ]);
    expect(
      (await env.DB.prepare("select count(*) as n from awards where badge_class_id = ?").bind(badgeClass.id).first<{ n: number }>())?.n,
    ).toBe(0);
  });

  it("refuses a file without an email column or with unknown columns", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const result = (await client.gql(BULK, { badgeClassId: badgeClass.id, csv: "mail,score\na@example.org,3" })).bulkAward;
    expect(result.fieldErrors[0].message).toMatch(/^The first line must name the columns: email \(required\)/);
  });

  it("awards every row, and awards nothing twice when the same file is uploaded again", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const emailsInFile = Array.from({ length: 25 }, (_, i) => uniqueEmail(`bulk${i}`));
    const csv = `email,name,narrative,evidence_url,issued_on\n${emailsInFile.map((e, i) => `${e},Person ${i},"Said ""hi""",https://evidence.example.org/${i},2026-11-0${(i % 9) + 1}`).join("\n")}\n`;
    const first = (await client.gql(BULK, { badgeClassId: badgeClass.id, csv })).bulkAward;
    expect(first).toEqual({ __typename: "BulkAwardReport", rows: 25, created: 25, alreadyAwarded: 0 });
    const again = (await client.gql(BULK, { badgeClassId: badgeClass.id, csv })).bulkAward;
    expect(again).toEqual({ __typename: "BulkAwardReport", rows: 25, created: 0, alreadyAwarded: 25 });
    expect(
      (await env.DB.prepare("select count(*) as n from awards where badge_class_id = ?").bind(badgeClass.id).first<{ n: number }>())?.n,
    ).toBe(25);
    const narrative = await env.DB.prepare("select narrative from awards where recipient_email = ?")
      .bind(emailsInFile[0])
      .first<{ narrative: string }>();
    expect(narrative?.narrative).toBe('Said "hi"');
    // The emails go through the outbox: each recipient once, however often the file is uploaded.
    for (const address of emailsInFile) await deliveredMailTo(address);
    expect((await lastMailTo(emailsInFile[0]!)).subject).toBe(
      'You earned the "Formative Assessment" badge from Northwind Teachers College',
    );
    for (const address of emailsInFile) expect(await mailTo(address)).toHaveLength(1);
  });

  it("handles 10,000 rows in one upload", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const tag = crypto.randomUUID().slice(0, 8);
    const csv = `email\n${Array.from({ length: 10_000 }, (_, i) => `learner${i}-${tag}@example.org`).join("\n")}`;
    const report = (await client.gql(BULK, { badgeClassId: badgeClass.id, csv })).bulkAward;
    expect(report).toEqual({ __typename: "BulkAwardReport", rows: 10_000, created: 10_000, alreadyAwarded: 0 });
    expect(
      (await env.DB.prepare("select count(*) as n from awards where badge_class_id = ?").bind(badgeClass.id).first<{ n: number }>())?.n,
    ).toBe(10_000);
  }, 120_000);
});
