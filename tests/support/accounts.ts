import { mailsOnceArrived, uniqueEmail } from "./browser";
import { anonymousGql, graphql } from "./graphql";

const REGISTER = graphql(`
  mutation TestRegister($firstName: String!, $email: String!, $password: String!) {
    register(firstName: $firstName, lastName: "Tester", email: $email, password: $password, acceptTerms: true) {
      __typename
      ... on Error { message }
    }
  }
`);
const ACTIVATE = graphql(`
  mutation TestActivate($email: String!, $code: String!) { activateAccount(email: $email, code: $code) { __typename } }
`);

/** Registers and activates an account through the API, for tests about what happens after. */
export async function registeredAccount(options: { label: string; firstName: string; password: string }): Promise<string> {
  const email = uniqueEmail(options.label);
  const { register } = await anonymousGql(REGISTER, { firstName: options.firstName, email, password: options.password });
  // A refused registration (a throttle, say) sends no mail: say so, not "no code arrived".
  if (register.__typename !== "CodeSent") throw new Error(`could not register ${email}: ${JSON.stringify(register)}`);
  const [mail] = await mailsOnceArrived(email, "Activate your Laurel account");
  const code = mail?.text.match(/Your code: (\d{6})/)?.[1];
  if (!code) throw new Error(`no activation code mailed to ${email}`);
  const { activateAccount } = await anonymousGql(ACTIVATE, { email, code });
  if (activateAccount.__typename !== "AccountActivated") throw new Error(`could not activate ${email}: ${activateAccount.__typename}`);
  return email;
}
