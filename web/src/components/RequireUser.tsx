import { useLocation, useNavigate } from "@solidjs/router";
import { createEffect, type JSX, Show } from "solid-js";
import { currentUser } from "../lib/session";

/** Renders its children for a signed-in user; sends anyone else to sign in and back. */
export function RequireUser(props: { children: JSX.Element }) {
  const navigate = useNavigate();
  const location = useLocation();
  createEffect(() => {
    if (!currentUser.loading && currentUser() === null) {
      navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
  });
  return (
    <Show when={currentUser()} fallback={<p class="loading">Loading…</p>}>
      {props.children}
    </Show>
  );
}
