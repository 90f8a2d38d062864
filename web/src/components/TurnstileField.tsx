import { createEffect, createResource, createSignal, on, onCleanup, Show } from "solid-js";
import { graphql } from "../lib/gql";
import { query } from "../lib/graphql";

const SETTINGS = graphql(`query TurnstileSettings { turnstile { siteKey scriptUrl } }`);

interface TurnstileApi {
  render(container: HTMLElement, options: Record<string, unknown>): string;
  reset(id?: string): void;
  remove(id?: string): void;
}
declare global {
  interface Window {
    turnstile?: TurnstileApi;
  }
}

// One settings query and one script per page load, whichever forms ask.
let settings: Promise<{ siteKey: string; scriptUrl: string } | null> | null = null;
let script: Promise<TurnstileApi> | null = null;

function loadScript(url: string): Promise<TurnstileApi> {
  script ??= new Promise((resolve, reject) => {
    const element = document.createElement("script");
    element.src = `${url}?render=explicit`;
    element.async = true;
    element.onload = () => (window.turnstile ? resolve(window.turnstile) : reject(new Error("turnstile missing")));
    element.onerror = () => reject(new Error("turnstile script failed"));
    document.head.append(element);
  });
  return script;
}

/**
 * Whether a refused form used up its token: the server checks the form's own fields before the
 * token, so only a refused token or a later failure (no field errors) spends it.
 */
export const spentChallenge = (fieldErrors: Record<string, string>) =>
  "turnstileToken" in fieldErrors || Object.keys(fieldErrors).length === 0;

/**
 * Cloudflare Turnstile's "are you human" check in a signed-out form, when Laurel has a site key
 * (Query.turnstile); nothing at all otherwise. The widget's token travels in the form as
 * `turnstileToken`. A token is good once: after any answer that sends the form back (`attempt`
 * changes), the widget starts over.
 */
export function TurnstileField(props: { action: string; error?: string; attempt: number }) {
  const [config] = createResource(() => {
    settings ??= query(SETTINGS).then((data) => data.turnstile ?? null);
    return settings;
  });
  const [token, setToken] = createSignal("");
  const [failed, setFailed] = createSignal(false);
  let container: HTMLDivElement | undefined;
  let widget: string | undefined;
  let api: TurnstileApi | undefined;
  createEffect(() => {
    const c = config();
    if (!c || !container || widget) return;
    loadScript(c.scriptUrl).then(
      (loaded) => {
        api = loaded;
        widget = loaded.render(container as HTMLDivElement, {
          sitekey: c.siteKey,
          action: props.action,
          callback: (value: string) => setToken(value),
          "expired-callback": () => setToken(""),
          "error-callback": () => setToken(""),
        });
      },
      () => setFailed(true),
    );
  });
  createEffect(
    on(
      () => props.attempt,
      () => {
        setToken("");
        api?.reset(widget);
      },
      { defer: true },
    ),
  );
  onCleanup(() => api?.remove(widget));
  return (
    <Show when={config()}>
      <div class="field" classList={{ "field--invalid": Boolean(props.error) }}>
        <div ref={container} class="turnstile" />
        <input type="hidden" name="turnstileToken" value={token()} />
        <Show when={failed()}>
          <p class="field__error" role="alert">
            The human test could not load. Check your connection, then reload the page.
          </p>
        </Show>
        <Show when={props.error}>
          <p class="field__error" role="alert">
            {props.error}
          </p>
        </Show>
      </div>
    </Show>
  );
}
