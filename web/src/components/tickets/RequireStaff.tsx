import type { JSX } from "solid-js";
import { Show } from "solid-js";
import { currentUser } from "../../lib/session";
import { RequireUser } from "../RequireUser";

/** The desk's pages: a signed-in member of staff, or a plain refusal (the API refuses too). */
export function RequireStaff(props: { children: JSX.Element }) {
  return (
    <RequireUser>
      <Show when={currentUser()?.isStaff} fallback={<p>This page is for Laurel staff.</p>}>
        {props.children}
      </Show>
    </RequireUser>
  );
}
