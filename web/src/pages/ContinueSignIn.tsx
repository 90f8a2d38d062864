import { useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, Match, Switch } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Page } from "../components/Page";
import { createFormState } from "../lib/forms";
import { graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { refreshUser } from "../lib/session";
import { continueAfterSignIn, safeNext } from "../lib/sign-in-flow";
import { ACKNOWLEDGE } from "./MfaSetup";

const PENDING = graphql(`query PendingSignIn { pendingSignIn { stage } }`);

/**
 * Where a sign-in that left the SPA (single sign-on) comes back: asks the API which step this
 * browser is at and goes there.
 */
export default function ContinueSignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = () => safeNext(typeof params.next === "string" ? params.next : "/");
  const [pending] = createResource(async () => (await query(PENDING)).pendingSignIn);
  createEffect(async () => {
    if (pending.loading) return;
    const stage = pending()?.stage;
    const query = `?next=${encodeURIComponent(next())}`;
    if (stage === "SETUP") navigate(`/sign-in/setup${query}`, { replace: true });
    else if (stage === "SECOND_FACTOR") navigate(`/sign-in/code${query}`, { replace: true });
    else if (!stage && (await refreshUser())) navigate(next(), { replace: true });
  });
  const finish = createFormState();
  const onContinue = () =>
    finish.run(
      () => mutate(ACKNOWLEDGE),
      (step) => continueAfterSignIn(step, navigate, next()),
    );
  return (
    <Page title="Signing in" narrow>
      <Switch fallback={<p class="loading">One moment…</p>}>
        <Match when={pending()?.stage === "ACKNOWLEDGE"}>
          <p>
            A new recovery code was shown on the previous page. If you did not save it, create another one under Account › Security once you
            are signed in.
          </p>
          <Button type="button" busy={finish.submitting()} onClick={onContinue}>
            Continue
          </Button>
        </Match>
        <Match when={!pending.loading && !pending()}>
          <Alert kind="info">
            There is no sign-in in progress on this browser. <a href="/sign-in">Sign in</a>
          </Alert>
        </Match>
      </Switch>
    </Page>
  );
}
