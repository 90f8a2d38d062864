import { A, useLocation, useNavigate } from "@solidjs/router";
import { createSignal, type JSX, Show } from "solid-js";
import { graphql } from "../lib/gql";
import { mutate } from "../lib/graphql";
import { currentUser, setCurrentUser } from "../lib/session";
import { requestPath } from "../lib/tickets";

const SIGN_OUT = graphql(`mutation SignOut { signOut }`);
const CANCEL_SIGN_IN = graphql(`mutation CancelSignIn { cancelSignIn }`);

/** The steps after the password: the visitor is half signed in, neither a guest nor a member. */
const SIGN_IN_STEPS = ["/sign-in/setup", "/sign-in/code", "/sign-in/continue"];

export function Layout(props: { children?: JSX.Element }) {
  const navigate = useNavigate();
  const location = useLocation();
  const midSignIn = () => !currentUser() && SIGN_IN_STEPS.includes(location.pathname);
  // One request at a time: a second press while the first runs does nothing.
  const [leaving, setLeaving] = createSignal(false);
  async function leave(action: () => Promise<unknown>) {
    if (leaving()) return;
    setLeaving(true);
    try {
      await action();
    } finally {
      setLeaving(false);
    }
  }
  const cancelSignIn = () =>
    leave(async () => {
      await mutate(CANCEL_SIGN_IN);
      navigate("/sign-in");
    });
  const signOut = () =>
    leave(async () => {
      await mutate(SIGN_OUT);
      setCurrentUser(null);
      navigate("/sign-in?signedOut=1");
    });
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <A href="/" class="brand" aria-label="Laurel home">
          <img src="/favicon.svg" alt="" width="28" height="28" /> Laurel
        </A>
        <nav aria-label="Main">
          <A href="/help" end>
            Help
          </A>
          <A href={requestPath(location.pathname + location.search)} end>
            Submit a ticket
          </A>
          <Show
            when={currentUser()}
            fallback={
              <Show
                when={!midSignIn()}
                fallback={
                  <button type="button" class="button button--link" disabled={leaving()} onClick={cancelSignIn}>
                    Cancel sign-in
                  </button>
                }
              >
                <A href="/micro-credentials">Micro-credentials</A>
                <A href="/sign-in">Sign in</A>
                <A href="/register" class="nav-cta">
                  Register
                </A>
              </Show>
            }
          >
            <A href="/" end>
              Home
            </A>
            <A href="/backpack">Backpack</A>
            <A href="/micro-credentials" end>
              Micro-credentials
            </A>
            <A href="/submissions">Submissions</A>
            <A href="/pathways">Pathways</A>
            <A href="/issuers">Issuers</A>
            <A href="/help/requests" end>
              My Tickets
            </A>
            <Show when={currentUser()?.isStaff}>
              <A href="/staff/tickets">Support desk</A>
            </Show>
            <A href="/account">Account</A>
            <button type="button" class="button button--link" disabled={leaving()} onClick={signOut}>
              Sign out
            </button>
          </Show>
        </nav>
      </header>
      <main id="main">{props.children}</main>
      <footer class="site-footer">
        <A href="/verify">Verify a badge</A> · <A href="/terms">End user terms</A> · <A href="/privacy">Privacy policy</A>
      </footer>
    </>
  );
}
