import * as OTPAuth from "otpauth";
import { registeredAccount } from "./accounts";
import { baseUrl } from "./browser";
import { type AnyDocument, ErrorFields, graphql, operation, type Result, type Variables } from "./graphql";

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

  /** The session as browser cookies, to open the SPA signed in as this client. */
  browserCookies() {
    const { hostname } = new URL(baseUrl());
    // As the Worker sets them: __Host- cookies are Secure, host-only and for the whole site.
    return [...this.cookies].map(([name, value]) => ({
      name,
      value,
      domain: hostname,
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "Lax" as const,
    }));
  }

  private headers(): Record<string, string> {
    return { "x-laurel-csrf": "1", cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
  }

  /** The session's cookies, to open a browser already signed in as this client (`context.addCookies`). */
  cookiesFor(url: string) {
    // `__Host-` cookies must be Secure with path "/", which Chromium accepts on a loopback origin.
    const { hostname } = new URL(url);
    return [...this.cookies].map(([name, value]) => ({
      name,
      value,
      domain: hostname,
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "Lax" as const,
    }));
  }

  /** Any other request to Laurel in this client's session (the evidence upload, a signed link). */
  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.headers())) headers.set(k, v);
    const response = await fetch(`${baseUrl()}${pathname}`, { ...init, headers });
    this.remember(response);
    return response;
  }

  /** A typed document gets a typed result; a plain string (tests' own one-off queries) gets `any`. */
  gql<D extends AnyDocument>(document: D, variables: Variables<D>, files?: Record<string, File>): Promise<Result<D>>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, files?: Record<string, File>): Promise<T>;
  async gql(document: AnyDocument | string, variables: Record<string, unknown> = {}, files: Record<string, File> = {}) {
    let body: BodyInit;
    const headers = this.headers();
    const request = operation(document, variables);
    if (Object.keys(files).length === 0) {
      body = JSON.stringify(request);
      headers["content-type"] = "application/json";
    } else {
      // The GraphQL multipart request specification, as the SPA sends uploads.
      const form = new FormData();
      const names = Object.keys(files);
      form.set("operations", JSON.stringify(request));
      form.set("map", JSON.stringify(Object.fromEntries(names.map((name, i) => [String(i), [`variables.${name}`]]))));
      for (const [i, name] of names.entries()) form.set(String(i), files[name] as File);
      body = form;
    }
    const response = await fetch(`${baseUrl()}/graphql`, { method: "POST", headers, body });
    this.remember(response);
    const json = (await response.json()) as { data?: unknown; errors?: unknown };
    if (json.errors) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors)}`);
    return json.data;
  }
}

const PASSWORD = "interop-Tester-2026!";

const SIGN_IN = graphql(`
  mutation TestSignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { __typename } }
`);
const BEGIN_MFA = graphql(`mutation TestBeginMfaSetup { beginMfaSetup { __typename ... on MfaEnrolment { secret } } }`);
const CONFIRM_MFA = graphql(`mutation TestConfirmMfaSetup($code: String!) { confirmMfaSetup(code: $code) { __typename } }`);
const ACKNOWLEDGE = graphql(`mutation TestAcknowledge { acknowledgeRecoveryCode { __typename ... on SignInStep { status } } }`);

/** A fresh account, through registration, its first sign-in and authenticator setup. */
export async function signedInAccount(label: string): Promise<{ client: ApiClient; email: string; password: string; totpSecret: string }> {
  const email = await registeredAccount({ label, firstName: "Iris", password: PASSWORD });
  const client = new ApiClient();
  const { signIn } = await client.gql(SIGN_IN, { email, password: PASSWORD });
  if (signIn.__typename !== "SignInStep") throw new Error(`sign-in failed: ${signIn.__typename}`);
  const { beginMfaSetup } = await client.gql(BEGIN_MFA, {});
  if (beginMfaSetup.__typename !== "MfaEnrolment") throw new Error(`MFA setup did not start: ${beginMfaSetup.__typename}`);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(beginMfaSetup.secret.replaceAll(" ", "")) });
  const { confirmMfaSetup } = await client.gql(CONFIRM_MFA, { code: totp.generate() });
  if (confirmMfaSetup.__typename !== "RecoveryCodeIssued") throw new Error(`MFA setup failed: ${confirmMfaSetup.__typename}`);
  const { acknowledgeRecoveryCode } = await client.gql(ACKNOWLEDGE, {});
  if (acknowledgeRecoveryCode.__typename !== "SignInStep" || acknowledgeRecoveryCode.status !== "SIGNED_IN")
    throw new Error(`sign-in did not finish: ${JSON.stringify(acknowledgeRecoveryCode)}`);
  return { client, email, password: PASSWORD, totpSecret: totp.secret.base32 };
}

const BADGE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200"><circle cx="100" cy="100" r="90" fill="#2e7d32"/></svg>`;

const CREATE_ISSUER = graphql(`
  mutation TestCreateIssuer($input: IssuerInput!) { createIssuer(input: $input) { __typename ... on Issuer { id } } }
`);
const CREATE_BADGE_CLASS = graphql(
  `mutation TestCreateBadgeClass($issuerId: ID!, $input: BadgeClassInput!) {
    createBadgeClass(issuerId: $issuerId, input: $input) { __typename ...ErrorFields ... on BadgeClass { id } }
  }`,
  [ErrorFields],
);

/** A signed-in owner of a new issuer with one badge class, with what signs them in again. */
export async function issuerWithBadgeClass(label: string) {
  const account = await signedInAccount(label);
  const { client } = account;
  const { createIssuer } = await client.gql(CREATE_ISSUER, {
    input: { name: "Interop Institute", url: "https://interop.example.org/", email: "badges@interop.example.org" },
  });
  if (createIssuer.__typename !== "Issuer") throw new Error(`issuer: ${createIssuer.__typename}`);
  const { createBadgeClass } = await client.gql(
    CREATE_BADGE_CLASS,
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
  return { ...account, issuerId: createIssuer.id, badgeClassId: createBadgeClass.id };
}
