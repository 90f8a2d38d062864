import { env } from "cloudflare:workers";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { AWARD, badgeClassInput, CREATE_BADGE_CLASS, issuerWithBadgeClass, REVOKE } from "../../test/badges";
import { gqlUpload, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { fileOf, pngImage, svgImage } from "../../test/images";
import { recipientHash } from "../badges/recipient";
import { BakingError, bakePng, bakeSvg, OB2_BAKING_NS, OB3_BAKING_NS, unbakePng, unbakeSvg } from "./baking";
import { signDocument } from "./data-integrity";
import { OB3_CONTEXT, VC_V2_CONTEXT } from "./json-ld";
import { ed25519Multikey } from "./multibase";

async function awarded(options: { svg?: boolean; expiresOn?: string; issuedOn?: string } = {}) {
  const issuerClient = new TestClient();
  await signInAs(issuerClient, await createUser());
  let { badgeClass } = await issuerWithBadgeClass(issuerClient);
  if (options.svg) {
    const { issuer } = await issuerWithBadgeClass(issuerClient);
    badgeClass = (
      await gqlUpload(
        issuerClient,
        CREATE_BADGE_CLASS,
        { issuerId: issuer.id, input: badgeClassInput() },
        { "input.image": fileOf(svgImage(), "b.svg", "image/svg+xml") },
      )
    ).createBadgeClass;
  }
  const email = uniqueEmail("verify");
  const award = (
    await issuerClient.gql(AWARD, {
      badgeClassId: badgeClass.id,
      input: { email, issuedOn: options.issuedOn, expiresOn: options.expiresOn },
    })
  ).awardBadge;
  return { issuerClient, award, email, url: `http://127.0.0.1:8787/public/assertions/${award.id}` };
}

async function verify(body: Record<string, unknown> | FormData) {
  const response = await new TestClient().request("/api/verify", {
    method: "POST",
    ...(body instanceof FormData ? { body } : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: response.status, result: (await response.json()) as any };
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

const statuses = (result: { checks: { id: string; status: string }[] }) => Object.fromEntries(result.checks.map((c) => [c.id, c.status]));

describe("baking", () => {
  it("round-trips text through a PNG iTXt chunk and keeps the image valid", async () => {
    const png = await pngImage();
    const baked = bakePng(png, '{"id":"x"}');
    expect(unbakePng(baked)).toBe('{"id":"x"}');
    expect(unbakePng(bakePng(baked, '{"id":"y"}'))).toBe('{"id":"y"}');
    expect(unbakePng(png)).toBeNull();
  });

  it("downloads a baked PNG and a baked SVG whose assertion is the hosted one", async () => {
    const { award, url } = await awarded();
    const png = await new TestClient().request(`/public/assertions/${award.id}/image`);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-disposition")).toBe('attachment; filename="Formative Assessment.png"');
    expect(png.headers.get("content-security-policy")).toBe(CSP);
    expect(png.headers.get("x-content-type-options")).toBe("nosniff");
    expect(JSON.parse(unbakePng(new Uint8Array(await png.arrayBuffer()))!).id).toBe(url);
    const svg = await awarded({ svg: true });
    const response = await new TestClient().request(`/public/assertions/${svg.award.id}/image`);
    expect(response.headers.get("content-type")).toBe("image/svg+xml");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="Formative Assessment.svg"');
    expect(response.headers.get("content-security-policy")).toBe(CSP);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(JSON.parse(unbakeSvg(await response.text()).assertion!).id).toBe(svg.url);
  });

  it("lays out a baked SVG for both specs, as a namespace-aware parser reads it", async () => {
    const { award, url } = await awarded({ svg: true });
    const text = await (await new TestClient().request(`/public/assertions/${award.id}/image`)).text();
    const root = new DOMParser().parseFromString(text, "image/svg+xml").documentElement!;
    const [first, second, ...rest] = Array.from(root.childNodes);
    // OB 2.0 baking: <openbadges:assertion verify> directly after <svg>, the prefix bound on <svg> to http://openbadges.org.
    expect(root.getAttribute("xmlns:openbadges")).toBe(OB2_BAKING_NS);
    expect(first).toMatchObject({ nodeType: 1, namespaceURI: OB2_BAKING_NS, localName: "assertion", prefix: "openbadges" });
    expect((first as Element).getAttribute("verify")).toBe(url);
    expect(JSON.parse(first!.textContent!).id).toBe(url);
    // OB 3.0 baking (§5.3.2): <openbadges:credential> in https://purl.imsglobal.org/ob/v3p0, holding the signed credential.
    expect(second).toMatchObject({ nodeType: 1, namespaceURI: OB3_BAKING_NS, localName: "credential", prefix: "openbadges" });
    const credential = JSON.parse(second!.textContent!);
    expect(credential.id).toBe(`http://127.0.0.1:8787/public/credentials/${award.id}`);
    expect(credential.proof.type).toBe("DataIntegrityProof");
    expect(root.getElementsByTagNameNS(OB3_BAKING_NS, "credential")).toHaveLength(1);
    expect(root.getElementsByTagNameNS(OB2_BAKING_NS, "assertion")).toHaveLength(1);
    expect(root.getElementsByTagNameNS(OB2_BAKING_NS, "credential")).toHaveLength(0);
    // The picture follows.
    expect(rest.find((n) => n.nodeType === 1)).toMatchObject({ namespaceURI: "http://www.w3.org/2000/svg", localName: "circle" });
  });

  it("bakes an SVG again, replacing its earlier bake, and reads Laurel's earlier layout", () => {
    const once = bakeSvg(svgImage(), { assertion: { verify: "https://a.example/1", json: '{"id":"1"}' }, credential: '{"id":"c1"}' });
    const twice = bakeSvg(once, { assertion: { verify: "https://a.example/2", json: '{"id":"2"}' }, credential: null });
    expect(unbakeSvg(twice)).toEqual({ assertion: '{"id":"2"}', credential: null });
    expect(twice.match(/openbadges:assertion/g)).toHaveLength(2);
    const earlier = svgImage().replace(
      "<svg ",
      '<svg xmlns:openbadges="http://openbadges.org" ><openbadges:credential><![CDATA[{"id":"c"}]]></openbadges:credential><openbadges:assertion verify="https://a.example/a"></openbadges:assertion>',
    );
    expect(unbakeSvg(earlier)).toEqual({ assertion: "https://a.example/a", credential: '{"id":"c"}' });
    expect(() => unbakeSvg("<svg><g></svg>")).toThrow(BakingError);
  });

  it("bakes only sanitised content, even from an image stored before the allow-list", async () => {
    const { award } = await awarded({ svg: true });
    const { key } = (await env.DB.prepare(
      "select image_key as key from badge_classes where id = (select badge_class_id from awards where id = ?)",
    )
      .bind(award.id)
      .first<{ key: string }>())!;
    await env.FILES.put(key, svgImage(120, '<a href="&#106;avascript:alert(1)"><text>x</text></a><script>alert(2)</script>'));
    const text = await (await new TestClient().request(`/public/assertions/${award.id}/image`)).text();
    expect(text).not.toMatch(/javascript|&#106;|<script|alert/);
    expect(text).toContain("<a><text>x</text></a>");
    expect(unbakeSvg(text).assertion).toContain(award.id);
  });
});

describe("POST /api/verify", () => {
  it("verifies a Laurel badge URL step by step, and the recipient's email when given", async () => {
    const { url, email } = await awarded();
    const { status, result } = await verify({ url, email });
    expect(status).toBe(200);
    expect(result.valid).toBe(true);
    expect(statuses(result)).toEqual({
      hosting: "passed",
      format: "passed",
      issuer: "passed",
      recipient: "passed",
      revocation: "passed",
      expiry: "passed",
    });
    expect(result.badge).toMatchObject({ name: "Formative Assessment", issuer: "Northwind Teachers College" });
    const wrong = await verify({ url, email: "someone-else@example.org" });
    expect(wrong.result.valid).toBe(false);
    expect(statuses(wrong.result).recipient).toBe("failed");
  });

  it("verifies a baked image and uses the hosted copy, not the baked one", async () => {
    const { award } = await awarded();
    const png = new Uint8Array(await (await new TestClient().request(`/public/assertions/${award.id}/image`)).arrayBuffer());
    const form = new FormData();
    form.set("image", new File([png], "badge.png", { type: "image/png" }));
    expect((await verify(form)).result.valid).toBe(true);
    // Someone edits the baked JSON to push the expiry: the hosted copy still decides.
    const baked = JSON.parse(unbakePng(png)!);
    const tampered = await verify({ assertion: { ...baked, issuedOn: "1999-01-01T00:00:00Z" } });
    expect(tampered.result.valid).toBe(true);
    expect(tampered.result.assertion.issuedOn).toBe(baked.issuedOn);
  });

  it("fails a revoked badge on revocation and an expired one on expiry", async () => {
    const { issuerClient, award, url } = await awarded();
    await issuerClient.gql(REVOKE, { awardId: award.id, reason: "Issued in error." });
    const revoked = (await verify({ url })).result;
    expect(revoked.valid).toBe(false);
    expect(revoked.checks.find((c: { id: string }) => c.id === "revocation")).toMatchObject({
      status: "failed",
      message: "Revoked: Issued in error..",
    });
    const expired = await awarded({ issuedOn: "2020-01-01", expiresOn: "2021-01-01" });
    const result = (await verify({ url: expired.url })).result;
    expect(statuses(result).expiry).toBe("failed");
  });

  it("fails an unknown assertion on hosting", async () => {
    const result = (await verify({ url: "http://127.0.0.1:8787/public/assertions/nope" })).result;
    expect(result.valid).toBe(false);
    expect(statuses(result).hosting).toBe("failed");
  });

  it("answers 400 with a clear message for a corrupt image, a PNG without a badge, and nonsense", async () => {
    const png = await pngImage();
    const corrupt = new Uint8Array(png);
    corrupt[20] = (corrupt[20]! + 1) % 256;
    for (const [bytes, message] of [
      [corrupt, "The PNG image is corrupt."],
      [png, "This image has no badge baked into it."],
    ] as const) {
      const form = new FormData();
      form.set("image", new File([bytes], "x.png", { type: "image/png" }));
      expect(await verify(form)).toEqual({ status: 400, result: { error: message } });
    }
    expect(await verify({ url: "not a url" })).toEqual({ status: 400, result: { error: "That is neither a web address nor JSON." } });
    expect(await verify({ assertion: "{ broken" })).toEqual({ status: 400, result: { error: "That JSON is not well-formed." } });
  });
});

describe("POST /api/verify with Open Badges 3.0 credentials", () => {
  const credentialOf = async (awardId: string) =>
    (await (
      await new TestClient().request(`/public/credentials/${awardId}`, { headers: { accept: "application/json" } })
    ).json()) as Record<string, any>;

  it("checks the signature, issuer, recipient, status list, validity and schema", async () => {
    const { award, email } = await awarded();
    const credential = await credentialOf(award.id);
    const { status, result } = await verify({ assertion: credential, email });
    expect(status).toBe(200);
    expect(statuses(result)).toEqual({
      signature: "passed",
      issuer: "passed",
      recipient: "passed",
      revocation: "passed",
      expiry: "passed",
      schema: "passed",
    });
    expect(result.valid).toBe(true);
    expect(result.badge).toMatchObject({ name: "Formative Assessment", issuer: "Northwind Teachers College" });
    // The credential's URL works as well as its JSON.
    expect((await verify({ url: credential.id })).result.valid).toBe(true);
    expect(statuses((await verify({ assertion: credential, email: "someone-else@example.org" })).result).recipient).toBe("failed");
  });

  it("fails a tampered credential on its signature", async () => {
    const { award } = await awarded();
    const credential = await credentialOf(award.id);
    for (const change of [
      (c: Record<string, any>) => {
        c.credentialSubject.achievement.name = "Something grander";
      },
      (c: Record<string, any>) => {
        c.validUntil = "2099-01-01T00:00:00Z";
      },
      (c: Record<string, any>) => {
        c.proof.proofValue = `${c.proof.proofValue.slice(0, -2)}11`;
      },
    ]) {
      const tampered = structuredClone(credential);
      change(tampered);
      const { result } = await verify({ assertion: tampered });
      expect(result.valid).toBe(false);
      expect(statuses(result).signature).toBe("failed");
    }
    const unsigned = structuredClone(credential);
    delete unsigned.proof;
    expect((await verify({ assertion: unsigned })).result.checks[0]).toMatchObject({ id: "signature", status: "failed" });
  });

  it("fails a revoked credential on revocation, an expired one on expiry, a malformed one on schema", async () => {
    const { issuerClient, award } = await awarded();
    const credential = await credentialOf(award.id);
    await issuerClient.gql(REVOKE, { awardId: award.id, reason: "Issued in error." });
    const revoked = (await verify({ assertion: credential })).result;
    expect(statuses(revoked)).toMatchObject({ signature: "passed", revocation: "failed" });

    const expired = await awarded({ issuedOn: "2020-01-01", expiresOn: "2021-01-01" });
    const old = (await verify({ assertion: await credentialOf(expired.award.id) })).result;
    expect(statuses(old)).toMatchObject({ signature: "passed", expiry: "failed" });

    const nameless = structuredClone(await credentialOf(expired.award.id));
    delete nameless.credentialSubject.achievement.criteria;
    expect(statuses((await verify({ assertion: nameless })).result).schema).toBe("failed");
  });

  it("reads a credential baked into a PNG or an SVG", async () => {
    for (const options of [{}, { svg: true }]) {
      const { award, email } = await awarded(options);
      const bytes = new Uint8Array(await (await new TestClient().request(`/public/assertions/${award.id}/image`)).arrayBuffer());
      const form = new FormData();
      form.set("image", new File([bytes], "badge", { type: "application/octet-stream" }));
      form.set("email", email);
      const { result } = await verify(form);
      expect(result.valid).toBe(true);
      expect(statuses(result).signature).toBe("passed");
      expect(result.assertion.id).toBe(`http://127.0.0.1:8787/public/credentials/${award.id}`);
    }
  });
});

describe("POST /api/verify with another issuer's credential", () => {
  it("verifies a credential signed by a did:key issuer, offline, and catches its tampering", async () => {
    const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const multikey = ed25519Multikey(new Uint8Array((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer));
    const did = `did:key:${multikey}`;
    const email = "ada@other.example.org";
    const credential = await signDocument(
      {
        "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
        id: "urn:uuid:5f0b7a0e-2f3c-4d0e-9a59-3c1a8b0e6d21",
        type: ["VerifiableCredential", "OpenBadgeCredential"],
        name: "Community Mentor",
        issuer: { id: did, type: ["Profile"], name: "Other Academy", url: "https://other.example.org/" },
        validFrom: "2026-01-01T00:00:00Z",
        credentialSubject: {
          type: ["AchievementSubject"],
          identifier: [
            {
              type: "IdentityObject",
              hashed: true,
              identityHash: await recipientHash(email, "pepper"),
              identityType: "emailAddress",
              salt: "pepper",
            },
          ],
          achievement: {
            id: "https://other.example.org/achievements/mentor",
            type: ["Achievement"],
            name: "Community Mentor",
            description: "Mentored new teachers for a year.",
            criteria: { narrative: "A year of mentoring." },
          },
        },
      },
      { privateKey: keys.privateKey, verificationMethod: `${did}#${multikey}`, created: new Date("2026-01-01T00:00:00Z") },
    );
    const { result } = await verify({ assertion: credential, email });
    expect(statuses(result)).toEqual({
      signature: "passed",
      issuer: "passed",
      recipient: "passed",
      revocation: "skipped",
      expiry: "passed",
      schema: "passed",
    });
    expect(result.valid).toBe(true);
    const tampered = { ...credential, name: "Community Leader" };
    expect(statuses((await verify({ assertion: tampered })).result).signature).toBe("failed");
    const impostor = structuredClone(credential);
    impostor.issuer.id = "did:web:other.example.org";
    expect((await verify({ assertion: impostor })).result.checks[0]).toMatchObject({
      status: "failed",
      message: "The proof was made with a key the issuer does not control.",
    });
  });
});
