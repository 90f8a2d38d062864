import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { ssoProviders, ssoStartUrl } from "../lib/sso";

/** "Continue with Google / Microsoft": first use creates the account, so the terms are stated here. */
export function SsoButtons(props: { next: string }) {
  return (
    <Show when={ssoProviders()?.length}>
      <div class="sso">
        <p class="sso__divider">
          <span>or</span>
        </p>
        <For each={ssoProviders()}>
          {(provider) => (
            <a class="button button--secondary sso__button" rel="external" href={ssoStartUrl(provider.name, "sign-in", props.next)}>
              Continue with {provider.label}
            </a>
          )}
        </For>
        <p class="field__hint">
          By continuing with a provider you agree to the <A href="/terms">End user terms</A> and <A href="/privacy">Privacy policy</A>.
        </p>
      </div>
    </Show>
  );
}
