import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AWARD, awarded, badgeClassInput, issuerWithBadgeClass, joinIssuer } from "../../test/badges";
import { gqlUpload, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { fileOf, pngImage, svgImage } from "../../test/images";

const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const UPDATE = `mutation ($id: ID!, $input: BadgeClassInput!) {
  updateBadgeClass(id: $id, input: $input) {
    ${ERRORS}
    ... on BadgeClass { id name description imageUrl criteriaNarrative criteriaUrl learningOutcomes tags achievementType validForMonths lockedFields alignments { name url code } }
  }
}`;
const CLASS = `query ($id: ID!) { badgeClass(id: $id) { name lockedFields } }`;

const update = async (client: TestClient, id: string, input: Record<string, unknown>) =>
  (await client.gql(UPDATE, { id, input: badgeClassInput(input) })).updateBadgeClass;

async function signedIn() {
  const user = await createUser();
  const client = new TestClient();
  await signInAs(client, user);
  return { user, client };
}

const audits = async (id: string) =>
  (
    await env.DB.prepare("select action, data from audit_log where subject_id = ? and action = 'badge-class.updated'")
      .bind(id)
      .all<{ action: string; data: string }>()
  ).results.map((r) => JSON.parse(r.data));

const getJson = (path: string) => new TestClient().request(path, { headers: { accept: "application/ld+json" } });
const getPage = async (path: string) => (await new TestClient().request(path, { headers: { accept: "text/html" } })).text();

describe("editing a badge class", () => {
  it("changes every field of a class not yet awarded, the image too, and audits which fields changed", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    expect((await client.gql(CLASS, { id: badgeClass.id })).badgeClass.lockedFields).toEqual([]);
    const input = {
      name: "Formative Assessment II",
      description: "Uses formative checks in every unit.",
      criteriaNarrative: "Teach two units with formative checks.",
      criteriaUrl: "https://northwind.example.org/criteria",
      learningOutcomes: ["Plans checks"],
      alignments: [{ name: "Feedback", url: "https://frameworks.example.org/feedback", code: "F2" }],
      tags: ["feedback"],
      achievementType: "Competency",
      validForMonths: 24,
    };
    const edited = (
      await gqlUpload(
        client,
        UPDATE,
        { id: badgeClass.id, input: badgeClassInput(input) },
        { "input.image": fileOf(svgImage(), "new.svg", "image/svg+xml") },
      )
    ).updateBadgeClass;
    expect(edited).toMatchObject({ __typename: "BadgeClass", ...input, alignments: [{ ...input.alignments[0] }] });
    expect(edited.imageUrl).not.toBe(badgeClass.imageUrl);
    expect(edited.imageUrl).toMatch(/\.svg$/);
    const [entry] = await audits(badgeClass.id);
    expect(entry.fields.sort()).toEqual(
      [
        "name",
        "description",
        "criteriaNarrative",
        "criteriaUrl",
        "learningOutcomes",
        "alignments",
        "tags",
        "achievementType",
        "validForMonths",
        "image",
      ].sort(),
    );
  });

  it("writes nothing for an edit that changes nothing, and keeps the image when none is sent", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const same = await update(client, badgeClass.id, {});
    expect(same).toMatchObject({ __typename: "BadgeClass", imageUrl: badgeClass.imageUrl, name: badgeClass.name });
    expect(await audits(badgeClass.id)).toEqual([]);
  });

  it("refuses bad input with field errors and changes nothing", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const refused = await update(client, badgeClass.id, { name: " ", criteriaNarrative: null, validForMonths: 0 });
    expect(refused.__typename).toBe("ValidationError");
    expect(refused.fieldErrors.map((f: { field: string }) => f.field)).toEqual(["name", "criteriaNarrative", "validForMonths"]);
    expect((await client.gql(CLASS, { id: badgeClass.id })).badgeClass.name).toBe(badgeClass.name);
    expect(await audits(badgeClass.id)).toEqual([]);
  });

  it("lets only the issuer's editors and owners edit", async () => {
    const { client: owner } = await signedIn();
    const { issuer, badgeClass } = await issuerWithBadgeClass(owner);
    const awarder = await signedIn();
    await joinIssuer(owner, issuer.id, { email: awarder.user.email, client: awarder.client });
    expect((await update(awarder.client, badgeClass.id, { name: "Mine now" })).__typename).toBe("ForbiddenError");
    const editor = await signedIn();
    await joinIssuer(owner, issuer.id, { email: editor.user.email, client: editor.client }, "EDITOR");
    expect((await update(editor.client, badgeClass.id, { name: "Edited by the editor" })).name).toBe("Edited by the editor");
    const stranger = await signedIn();
    expect((await update(stranger.client, badgeClass.id, { name: "Nope" })).__typename).toBe("NotFoundError");
    expect((await owner.gql(CLASS, { id: badgeClass.id })).badgeClass.name).toBe("Edited by the editor");
    expect(await audits(badgeClass.id)).toHaveLength(1);
  });

  it("once awarded: hosted documents show the edit at once, the signed credential keeps what was signed, criteria and type are locked", async () => {
    const { issuerClient, badgeClass, award } = await awarded();
    // Read (and so cache at the edge, and sign) everything before the edit.
    expect(((await (await getJson(`/public/badges/${badgeClass.id}`)).json()) as { name: string }).name).toBe("Formative Assessment");
    expect(await getPage(`/public/assertions/${award.id}`)).toContain("Formative Assessment");
    const signedBefore = await (
      await new TestClient().request(`/public/credentials/${award.id}`, { headers: { accept: "application/json" } })
    ).json<Record<string, any>>();
    expect(signedBefore.credentialSubject.achievement.name).toBe("Formative Assessment");

    expect((await issuerClient.gql(CLASS, { id: badgeClass.id })).badgeClass.lockedFields).toEqual([
      "criteriaNarrative",
      "criteriaUrl",
      "achievementType",
    ]);
    const locked = await update(issuerClient, badgeClass.id, {
      name: "Renamed",
      criteriaNarrative: "Something harder.",
      achievementType: "Certificate",
    });
    expect(locked).toEqual({
      __typename: "ValidationError",
      message: expect.any(String),
      fieldErrors: [
        { field: "criteriaNarrative", message: "Badges were already awarded against this; create a new badge class to change it." },
        { field: "achievementType", message: "Badges were already awarded against this; create a new badge class to change it." },
      ],
    });
    expect((await issuerClient.gql(CLASS, { id: badgeClass.id })).badgeClass.name).toBe("Formative Assessment");

    const renamed = await update(issuerClient, badgeClass.id, { name: "Formative Assessment in Practice", tags: ["practice"] });
    expect(renamed).toMatchObject({ __typename: "BadgeClass", name: "Formative Assessment in Practice", tags: ["practice"] });
    const hosted = (await (await getJson(`/public/badges/${badgeClass.id}`)).json()) as { name: string; tags: string[] };
    expect(hosted).toMatchObject({ name: "Formative Assessment in Practice", tags: ["practice"] });
    expect(await getPage(`/public/assertions/${award.id}`)).toContain("Formative Assessment in Practice");

    const signedAfter = await (
      await new TestClient().request(`/public/credentials/${award.id}`, { headers: { accept: "application/json" } })
    ).json<Record<string, any>>();
    expect(signedAfter).toEqual(signedBefore);
    const stored = await env.DB.prepare("select document from signed_credentials where award_id = ?")
      .bind(award.id)
      .first<{ document: string }>();
    expect(JSON.parse(stored!.document).credentialSubject.achievement.name).toBe("Formative Assessment");
  });

  it("decides the lock in the update itself: an award that lands first keeps the criteria", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const [edit, made] = await Promise.all([
      update(client, badgeClass.id, { criteriaNarrative: "Changed at the same moment." }),
      client.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: uniqueEmail() } }),
    ]);
    expect(made.awardBadge.__typename).toBe("Award");
    const after = await env.DB.prepare("select criteria_narrative from badge_classes where id = ?").bind(badgeClass.id).first<{
      criteria_narrative: string;
    }>();
    // Either the edit came first (and then the award was made against the new criteria) or it was refused.
    if (edit.__typename === "BadgeClass") expect(after?.criteria_narrative).toBe("Changed at the same moment.");
    else {
      expect(edit.fieldErrors.map((f: { field: string }) => f.field)).toEqual(["criteriaNarrative"]);
      expect(after?.criteria_narrative).toBe(badgeClassInput().criteriaNarrative);
      expect(await audits(badgeClass.id)).toEqual([]);
    }
  });

  it("gives an SVG class a PNG for link previews, drops it with the image it was drawn from, and refuses one a PNG class does not need", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    const PREVIEW = `query ($id: ID!) { badgeClass(id: $id) { imageUrl previewImageUrl } }`;
    const preview = async () => (await client.gql(PREVIEW, { id: badgeClass.id })).badgeClass;
    // A PNG image is its own preview, and needs no other.
    expect((await preview()).previewImageUrl).toBe(badgeClass.imageUrl);
    const needless = await gqlUpload(
      client,
      UPDATE,
      { id: badgeClass.id, input: badgeClassInput() },
      {
        "input.previewImage": fileOf(await pngImage(600), "preview.png", "image/png"),
      },
    );
    expect(needless.updateBadgeClass.fieldErrors).toEqual([
      { field: "previewImage", message: "Only an SVG badge image needs a PNG preview; a PNG image is its own preview." },
    ]);

    // An SVG with the PNG the SPA drew from it: previews show that PNG.
    const withPreview = await gqlUpload(
      client,
      UPDATE,
      { id: badgeClass.id, input: badgeClassInput() },
      {
        "input.image": fileOf(svgImage(), "badge.svg", "image/svg+xml"),
        "input.previewImage": fileOf(await pngImage(600), "badge-preview.png", "image/png"),
      },
    );
    expect(withPreview.updateBadgeClass.__typename).toBe("BadgeClass");
    const shown = await preview();
    expect(shown.imageUrl).toMatch(/\.svg$/);
    expect(shown.previewImageUrl).toMatch(/\/public\/images\/badges\/[\w-]+\.png$/);
    const png = await new TestClient().request(new URL(shown.previewImageUrl).pathname);
    expect(png.headers.get("content-type")).toBe("image/png");
    const [entry] = await audits(badgeClass.id);
    expect(entry.fields.sort()).toEqual(["image", "previewImage"]);
    const award = (await client.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: uniqueEmail() } })).awardBadge;
    const page = await getPage(`/public/assertions/${award.id}`);
    expect(page).toContain(`<meta property="og:image" content="${shown.previewImageUrl}">`);
    expect(page).toContain(`<img src="${shown.imageUrl}"`);

    // A preview must be a PNG.
    const svgPreview = await gqlUpload(
      client,
      UPDATE,
      { id: badgeClass.id, input: badgeClassInput() },
      {
        "input.previewImage": fileOf(svgImage(), "preview.svg", "image/svg+xml"),
      },
    );
    expect(svgPreview.updateBadgeClass.fieldErrors).toEqual([{ field: "previewImage", message: "The preview must be a PNG image." }]);

    // A new SVG without a new preview: the old PNG no longer shows it, so Laurel's card does.
    await gqlUpload(
      client,
      UPDATE,
      { id: badgeClass.id, input: badgeClassInput() },
      {
        "input.image": fileOf(svgImage(200), "other.svg", "image/svg+xml"),
      },
    );
    expect((await preview()).previewImageUrl).toBe("http://127.0.0.1:8787/preview-card.png");
    expect(await getPage(`/public/assertions/${award.id}`)).toContain(
      '<meta property="og:image" content="http://127.0.0.1:8787/preview-card.png">',
    );
  });
});
