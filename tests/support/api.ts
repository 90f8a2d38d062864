import * as OTPAuth from "otpauth";
import { registeredAccount } from "./accounts";
import { baseUrl } from "./browser";

type Variables = Record<string, unknown>;

/** A signed-in API client: GraphQL over fetch with the session cookie, as an integrator would. */
export class ApiClient {
  private readonly cookies = new Map<string, string>();

  private remember(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  private headers(): Record<string, string> {
    return { "x-laurel-csrf": "1", cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
  }

  async gql<T = any>(query: string, variables: Variables = {}, files: Record<string, File> = {}): Promise<T> {
    let body: BodyInit;
    const headers = this.headers();
    if (Object.keys(files).length === 0) {
      body = JSON.stringify({ query, variables });
      headers["content-type"] = "application/json";
    } else {
      // The GraphQL multipart request specification, as the SPA sends uploads.
      const form = new FormData();
      const names = Object.keys(files);
      form.set("operations", JSON.stringify({ query, variables }));
      form.set("map", JSON.stringify(Object.fromEntries(names.map((name, i) => [String(i), [`variables.${name}`]]))));
      for (const [i, name] of names.entries()) form.set(String(i), files[name] as File);
      body = form;
    }
    const response = await fetch(`${baseUrl()}/graphql`, { method: "POST", headers, body });
    this.remember(response);
    const json = (await response.json()) as { data?: T; errors?: unknown };
    if (json.errors) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors)}`);
    return json.data as T;
  }
}

const PASSWORD = "interop-Tester-2026!";

/** A fresh account, through registration, its first sign-in and authenticator setup. */
export async function signedInAccount(label: string): Promise<{ client: ApiClient; email: string; password: string; totpSecret: string }> {
  const email = await registeredAccount({ label, firstName: "Iris", password: PASSWORD });
  const client = new ApiClient();
  await client.gql("mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { __typename } }", { e: email, p: PASSWORD });
  const { beginMfaSetup } = await client.gql("mutation { beginMfaSetup { __typename ... on MfaEnrolment { secret } } }");
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(beginMfaSetup.secret.replaceAll(" ", "")) });
  const { confirmMfaSetup } = await client.gql("mutation ($c: String!) { confirmMfaSetup(code: $c) { __typename } }", {
    c: totp.generate(),
  });
  if (confirmMfaSetup.__typename !== "RecoveryCodeIssued") throw new Error(`MFA setup failed: ${confirmMfaSetup.__typename}`);
  const { acknowledgeRecoveryCode } = await client.gql("mutation { acknowledgeRecoveryCode { __typename ... on SignInStep { status } } }");
  if (acknowledgeRecoveryCode.status !== "SIGNED_IN") throw new Error(`sign-in did not finish: ${JSON.stringify(acknowledgeRecoveryCode)}`);
  return { client, email, password: PASSWORD, totpSecret: totp.secret.base32 };
}

const BADGE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200"><circle cx="100" cy="100" r="90" fill="#2e7d32"/></svg>`;

/** A signed-in owner of a new issuer with one badge class. */
export async function issuerWithBadgeClass(label: string) {
  const { client } = await signedInAccount(label);
  const { createIssuer } = await client.gql(
    "mutation ($input: IssuerInput!) { createIssuer(input: $input) { __typename ... on Issuer { id } } }",
    { input: { name: "Interop Institute", url: "https://interop.example.org/", email: "badges@interop.example.org" } },
  );
  const { createBadgeClass } = await client.gql(
    "mutation ($issuerId: ID!, $input: BadgeClassInput!) { createBadgeClass(issuerId: $issuerId, input: $input) { __typename ... on BadgeClass { id } ... on Error { message } } }",
    {
      issuerId: createIssuer.id,
      input: {
        name: "Open Standards Practitioner",
        description: "Publishes credentials that any verifier can check.",
        criteriaNarrative: "Issue a credential that an independent library verifies.",
        tags: ["interoperability"],
        validForMonths: 24,
        image: null,
      },
    },
    { "input.image": new File([BADGE_SVG], "badge.svg", { type: "image/svg+xml" }) },
  );
  if (createBadgeClass.__typename !== "BadgeClass") throw new Error(`badge class: ${JSON.stringify(createBadgeClass)}`);
  return { client, issuerId: createIssuer.id as string, badgeClassId: createBadgeClass.id as string };
}
