import * as oauth from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { issuerWithBadgeClass } from "../support/api";
import { oathtoolCode } from "../support/authenticator";
import { baseUrl, uniqueEmail } from "../support/browser";

const CREATE_CLIENT = `mutation ($input: OAuthClientInput!) {
  createOAuthClient(input: $input) { __typename ... on OAuthClientCreated { clientId clientSecret } ... on Error { message } }
}`;
const DELETE_CLIENT = `mutation ($id: ID!) { deleteOAuthClient(id: $id) { __typename } }`;
const AWARD = `mutation ($badgeClassId: ID!, $email: String!) {
  awardBadge(badgeClassId: $badgeClassId, input: { email: $email }) { __typename ... on Award { recipientEmail } }
}`;

// Laurel under `wrangler dev` is plain HTTP on loopback; the library refuses that unless told.
const insecure = { [oauth.allowInsecureRequests]: true } as const;

const awardWith = (accessToken: string, badgeClassId: string, email: string) =>
  fetch(`${baseUrl()}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ query: AWARD, variables: { badgeClassId, email } }),
  });

describe("OAuth 2.0 client credentials, with oauth4webapi as the client", () => {
  it("discovers the token endpoint, gets a token both ways, awards with it, and loses it with the client", async () => {
    const { client, totpSecret, issuerId, badgeClassId } = await issuerWithBadgeClass("oauth-interop");
    const { createOAuthClient: created } = await client.gql(CREATE_CLIENT, {
      input: { issuerId, name: "Course platform", scopes: ["awards:write", "issuer:read"], code: oathtoolCode(totpSecret, 1) },
    });
    expect(created.__typename).toBe("OAuthClientCreated");

    const issuer = new URL(baseUrl());
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...insecure }));
    expect(as.token_endpoint).toBe(`${baseUrl()}/oauth/token`);
    expect(as.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "client_secret_post"]);
    const me: oauth.Client = { client_id: created.clientId };

    const basic = await oauth.processClientCredentialsResponse(
      as,
      me,
      await oauth.clientCredentialsGrantRequest(as, me, oauth.ClientSecretBasic(created.clientSecret), { scope: "awards:write" }, insecure),
    );
    expect(basic).toMatchObject({ token_type: "bearer", expires_in: 3600, scope: "awards:write" });
    const recipient = uniqueEmail("oauth-recipient");
    expect(((await (await awardWith(basic.access_token, badgeClassId, recipient)).json()) as any).data.awardBadge).toEqual({
      __typename: "Award",
      recipientEmail: recipient,
    });

    const post = await oauth.processClientCredentialsResponse(
      as,
      me,
      await oauth.clientCredentialsGrantRequest(as, me, oauth.ClientSecretPost(created.clientSecret), {}, insecure),
    );
    expect(post.scope).toBe("awards:write issuer:read");

    // The library reads our refusals as the RFC words them.
    const wrongSecret = oauth.ClientSecretPost(`laurel_cs_${"w".repeat(43)}`);
    const refused = await oauth
      .processClientCredentialsResponse(as, me, await oauth.clientCredentialsGrantRequest(as, me, wrongSecret, {}, insecure))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect((refused as oauth.WWWAuthenticateChallengeError).status).toBe(401);
    const tooMuch = await oauth
      .processClientCredentialsResponse(
        as,
        me,
        await oauth.clientCredentialsGrantRequest(
          as,
          me,
          oauth.ClientSecretBasic(created.clientSecret),
          { scope: "pathways:write" },
          insecure,
        ),
      )
      .catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(oauth.ResponseBodyError);
    expect((tooMuch as oauth.ResponseBodyError).error).toBe("invalid_scope");

    expect((await client.gql(DELETE_CLIENT, { id: created.clientId })).deleteOAuthClient.__typename).toBe("OAuthClient");
    const gone = await awardWith(post.access_token, badgeClassId, uniqueEmail("oauth-gone"));
    expect(gone.status).toBe(401);
  });
});
