import { env, exports } from "cloudflare:workers";
import { vi } from "vitest";

type Variables = Record<string, unknown>;

/** A browser-like GraphQL client for integration tests: keeps cookies, sends the CSRF header. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
    /** Where requests go: the Worker under test, or (see test/production.ts) the same code with other bindings. */
    private readonly send: (request: Request) => Promise<Response> = (request) => exports.default.fetch(request),
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", this.ip);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await this.send(new Request(`http://127.0.0.1:8787${path}`, { ...init, headers }));
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/max-age=0/i.test(cookie) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async gql<T = any>(query: string, variables: Variables = {}): Promise<T> {
    const body = await this.gqlResult<T>(query, variables);
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  }

  /** The whole answer, errors included: for refusals that are GraphQL errors (FORBIDDEN). */
  async gqlResult<T = any>(query: string, variables: Variables = {}): Promise<GraphQLAnswer<T>> {
    const response = await this.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLAnswer<T>;
  }
}

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * A GraphQL multipart request (the spec yoga implements): `files` maps variable paths such as
 * "input.image" to files.
 */
export async function gqlUpload<T = any>(client: TestClient, query: string, variables: Variables, files: Record<string, File>): Promise<T> {
  const form = new FormData();
  const vars = structuredClone(variables);
  for (const path of Object.keys(files)) {
    const keys = path.split(".");
    let target = vars as Record<string, any>;
    for (const key of keys.slice(0, -1)) target = target[key];
    target[keys.at(-1)!] = null;
  }
  form.set("operations", JSON.stringify({ query, variables: vars }));
  form.set("map", JSON.stringify(Object.fromEntries(Object.keys(files).map((path, i) => [String(i), [`variables.${path}`]]))));
  for (const [i, file] of Object.values(files).entries()) form.set(String(i), file);
  const response = await client.request("/graphql", { method: "POST", headers: { "x-laurel-csrf": "1" }, body: form });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.org`;
}

export interface SentMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export async function mailTo(address: string): Promise<SentMail[]> {
  const { results } = await env.DB.prepare('select * from email_outbox where "to" = ? order by created_at asc, rowid asc')
    .bind(address)
    .all<SentMail>();
  return results;
}

export async function lastMailTo(address: string): Promise<SentMail> {
  const messages = await mailTo(address);
  const last = messages.at(-1);
  if (!last) throw new Error(`no mail to ${address}`);
  return last;
}

/**
 * The newest mail to `address` (with `subject`, if given) once the outbox delivered it: mail
 * that follows a commit goes through the Queue, a moment after the request answered.
 */
export async function deliveredMailTo(address: string, subject?: string): Promise<SentMail> {
  return vi.waitFor(
    async () => {
      const mail = (await mailTo(address)).filter((m) => subject === undefined || m.subject === subject).at(-1);
      if (!mail) throw new Error(`no mail to ${address}${subject ? ` about "${subject}"` : ""}`);
      return mail;
    },
    { timeout: 15_000, interval: 100 },
  );
}

/**
 * Every mail to `address` once the outbox has sent what the last seconds' requests asked for:
 * for counting mail, or reading the newest of several to the same address.
 */
export async function settledMailTo(address: string): Promise<SentMail[]> {
  await vi.waitFor(
    async () => {
      const pending = await env.DB.prepare(
        "select count(*) as n from outbox_events where kind = 'email.send' and status = 'pending' and created_at > ?",
      )
        .bind(Date.now() - 15_000)
        .first<{ n: number }>();
      if (pending?.n) throw new Error(`${pending.n} emails still to send`);
    },
    { timeout: 20_000, interval: 100 },
  );
  return mailTo(address);
}

/** The newest mail to `address` once the outbox has sent everything asked for (see `settledMailTo`). */
export async function latestMailTo(address: string): Promise<SentMail> {
  const last = (await settledMailTo(address)).at(-1);
  if (!last) throw new Error(`no mail to ${address}`);
  return last;
}

export function codeIn(mail: SentMail): string {
  const match = /Your code: (\d{6})/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in mail "${mail.subject}"`);
  return match[1];
}
