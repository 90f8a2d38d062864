import { describe, expect, it } from "vitest";
import { gqlUpload, TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { fileOf, pngImage, svgImage } from "../../test/images";

const UPDATE = `mutation ($h: String, $l: [SocialLinkInput!], $i: [String!]) { updateProfile(headline: $h, socialLinks: $l, institutions: $i) {
  __typename ... on ValidationError { fieldErrors { field message } } ... on Profile { headline socialLinks { label url } institutions } } }`;
const PHOTO = `mutation ($p: File) { setProfilePhoto(photo: $p) { __typename ... on ValidationError { fieldErrors { field message } } ... on Profile { photoUrl } } }`;
const ME = "{ me { profile { headline photoUrl socialLinks { label url } institutions } } }";

async function signedIn() {
  const client = new TestClient();
  await signInAs(client, await createUser());
  return client;
}

describe("profile", () => {
  it("starts empty and saves a headline, social links and educational providers", async () => {
    const client = await signedIn();
    expect((await client.gql(ME)).me.profile).toEqual({ headline: "", photoUrl: null, socialLinks: [], institutions: [] });
    const saved = (
      await client.gql(UPDATE, {
        h: " Maths teacher, Year 7–9 ",
        l: [{ label: "LinkedIn", url: "https://www.linkedin.com/in/ada" }],
        i: ["Northwind Teachers College", " ", "Open University"],
      })
    ).updateProfile;
    expect(saved).toEqual({
      __typename: "Profile",
      headline: "Maths teacher, Year 7–9",
      socialLinks: [{ label: "LinkedIn", url: "https://www.linkedin.com/in/ada" }],
      institutions: ["Northwind Teachers College", "Open University"],
    });
  });

  it("refuses a link that is not a web address and changes nothing", async () => {
    const client = await signedIn();
    const result = (await client.gql(UPDATE, { h: "Hi", l: [{ label: "Blog", url: "javascript:alert(1)" }] })).updateProfile;
    expect(result.fieldErrors).toEqual([{ field: "socialLinks.0.url", message: "Enter a full web address starting with https://." }]);
    expect((await client.gql(ME)).me.profile.headline).toBe("");
  });

  it("takes a photo that need not be square, refuses an active SVG, and removes it", async () => {
    const client = await signedIn();
    const set = (await gqlUpload(client, PHOTO, { p: null }, { p: fileOf(await pngImage(160, 120), "me.png", "image/png") }))
      .setProfilePhoto;
    expect(set).toMatchObject({ __typename: "Profile" });
    expect(set.photoUrl).toMatch(/\/public\/images\/profiles\/[\w-]+\.png$/);
    expect((await client.request(new URL(set.photoUrl).pathname)).status).toBe(200);
    const bad = (
      await gqlUpload(client, PHOTO, { p: null }, { p: fileOf(svgImage(120, "<script>x()</script>"), "me.svg", "image/svg+xml") })
    ).setProfilePhoto;
    expect(bad.fieldErrors[0].field).toBe("photo");
    expect((await client.gql(PHOTO, { p: null })).setProfilePhoto.photoUrl).toBeNull();
  });
});
