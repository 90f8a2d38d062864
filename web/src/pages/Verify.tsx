import { useSearchParams } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { createFormState } from "../lib/forms";
import type { Outcome } from "../lib/graphql";

interface Check {
  id: string;
  label: string;
  status: "passed" | "failed" | "skipped";
  message: string;
}
interface Verification {
  valid: boolean;
  checks: Check[];
  badge: { name: string; issuer: string; image: string | null } | null;
  assertion: { id: string; issuedOn: string | null; expires: string | null } | null;
}

const failed = (message: string): Outcome<never> => ({ ok: false, error: null, message, fieldErrors: {} });

/** POST /api/verify answers a report, or an error saying what it could not read. */
async function verify(body: FormData): Promise<Outcome<Verification>> {
  try {
    const response = await fetch("/api/verify", { method: "POST", body });
    const json = await response.json();
    if (response.ok) return { ok: true, data: json as Verification };
    return failed((json as { error?: string }).error ?? "Could not verify that.");
  } catch {
    return failed("Could not reach Laurel. Check your connection and try again.");
  }
}

const ICON = { passed: "✓", failed: "✗", skipped: "–" } as const;

/** Anyone checks a badge: its URL, its JSON, or a badge image with the badge baked in. */
export default function Verify() {
  const [params] = useSearchParams();
  const [result, setResult] = createSignal<Verification | null>(null);
  const form = createFormState();
  function onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const body = new FormData(event.currentTarget as HTMLFormElement);
    const image = body.get("image");
    if (!(image instanceof File) || image.size === 0) body.delete("image");
    const text = String(body.get("badge") ?? "").trim();
    body.delete("badge");
    body.set(text.startsWith("{") ? "json" : "url", text);
    setResult(null);
    return form.run(() => verify(body), setResult);
  }
  return (
    <Page
      title="Verify a badge"
      lead="Check any Open Badges 2.0 badge or 3.0 credential: is it real, whose is it, is it still valid? No account needed."
      narrow
    >
      <form onSubmit={onSubmit} novalidate>
        <Field label="Badge URL or JSON" name="badge" rows={3} value={typeof params.url === "string" ? params.url : ""} />
        <Field label="Or a badge image (PNG or SVG with the badge baked in)" name="image" type="file" accept="image/png,image/svg+xml" />
        <Field
          label="Earner's email (optional)"
          name="email"
          type="email"
          hint="We check it against the badge's hashed recipient; it is not stored."
        />
        <Button busy={form.submitting()} busyLabel="Verifying…">
          Verify
        </Button>
      </form>
      <FormAlert form={form} />
      <Show when={result()}>
        {(r) => (
          <section class="panel" aria-live="polite" data-testid="verification">
            <Alert kind={r().valid ? "success" : "error"} title={r().valid ? "This badge is valid." : "This badge did not verify."}>
              <Show when={r().badge}>
                {(b) => (
                  <>
                    "{b().name}" from {b().issuer}
                  </>
                )}
              </Show>
            </Alert>
            <ul class="checks">
              <For each={r().checks}>
                {(check) => (
                  <li class={`check check--${check.status}`} data-check={check.id}>
                    <span class="check__icon" aria-hidden="true">
                      {ICON[check.status]}
                    </span>
                    <span>
                      <strong>{check.label}</strong>: {check.message}
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </section>
        )}
      </Show>
    </Page>
  );
}
