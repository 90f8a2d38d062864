import { createSignal } from "solid-js";
import type { Outcome } from "./graphql";

/** State for one form: submitting flag, field messages and a form-level message. */
export function createFormState() {
  const [submitting, setSubmitting] = createSignal(false);
  const [fieldErrors, setFieldErrors] = createSignal<Record<string, string>>({});
  const [message, setMessage] = createSignal<string | null>(null);
  async function run<T, E>(action: () => Promise<Outcome<T, E>>, onSuccess: (data: T) => unknown) {
    setSubmitting(true);
    // The last answer's messages stay until the next one arrives: clearing them now would move
    // the form up under the pointer while the request runs (a double-click then lands on
    // whatever slid beneath it). Fields clear their own message as they are edited.
    // The form being sent (its submit button has the focus): after a refusal, the first field
    // it marks invalid takes the focus, so keyboard and screen-reader users land on the problem.
    const form = document.activeElement?.closest("form") ?? null;
    try {
      const outcome = await action();
      if (outcome.ok) {
        setMessage(null);
        setFieldErrors({});
        await onSuccess(outcome.data);
      } else {
        setMessage(null);
        setFieldErrors(outcome.fieldErrors);
        if (form && Object.keys(outcome.fieldErrors).length > 0) {
          requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
        }
        // Field problems speak for themselves; other failures get one message above the form.
        if (Object.keys(outcome.fieldErrors).length === 0) setMessage(outcome.message);
      }
      return outcome;
    } finally {
      setSubmitting(false);
    }
  }
  /** Forgets the last answer's messages, when something newer makes them stale (a code sent again). */
  const clear = () => {
    setMessage(null);
    setFieldErrors({});
  };
  return { submitting, fieldErrors, message, setMessage, clear, run };
}

/** The state `createFormState` makes, for components that show it. */
export type FormState = ReturnType<typeof createFormState>;

export function formValues(form: HTMLFormElement): Record<string, string> {
  const data = new FormData(form);
  return Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)]));
}

/** The file chosen in a form's file input, or null. */
export const fileFrom = (form: HTMLFormElement, name: string) => (form.elements.namedItem(name) as HTMLInputElement).files?.[0] ?? null;
