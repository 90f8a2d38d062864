import { baseUrl, mailboxFor, uniqueEmail } from "./browser";

/** Registers and activates an account through the API, for tests about what happens after. */
export async function registeredAccount(options: { label: string; firstName: string; password: string }): Promise<string> {
  const email = uniqueEmail(options.label);
  const gql = (query: string, variables: Record<string, unknown>) =>
    fetch(`${baseUrl()}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.json());
  await gql(
    'mutation ($f: String!, $e: String!, $p: String!) { register(firstName: $f, lastName: "Tester", email: $e, password: $p, acceptTerms: true) { __typename } }',
    { f: options.firstName, e: email, p: options.password },
  );
  // The code comes through the outbox, a moment after the answer.
  let mail = (await mailboxFor(email))[0];
  for (let tries = 0; !mail && tries < 60; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    mail = (await mailboxFor(email))[0];
  }
  const code = mail?.text.match(/Your code: (\d{6})/)?.[1];
  const activated = await gql("mutation ($e: String!, $c: String!) { activateAccount(email: $e, code: $c) { __typename } }", {
    e: email,
    c: code,
  });
  if (activated.data?.activateAccount?.__typename !== "AccountActivated")
    throw new Error(`could not activate ${email}: ${JSON.stringify(activated)}`);
  return email;
}
