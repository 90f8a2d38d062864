import { createEffect, createSignal, createUniqueId, type JSX, on, Show, splitProps } from "solid-js";

type FieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: JSX.Element;
  /** A textarea of this many rows instead of a single-line input. */
  rows?: number;
};

/**
 * A labelled input whose hint and error are announced with it (aria-describedby). An error
 * goes away as soon as the user edits the field, so a fixed field never shows a stale
 * message, and the layout does not jump when the form is sent again.
 */
export function Field(props: FieldProps) {
  const [own, input] = splitProps(props, ["label", "error", "hint", "id", "rows", "onInput"]);
  const id = own.id ?? `field-${createUniqueId()}`;
  const [editedSince, setEditedSince] = createSignal(false);
  // Every answer of the form (even the same message again) shows its errors afresh.
  createEffect(
    on(
      () => own.error,
      () => setEditedSince(false),
    ),
  );
  const error = () => (editedSince() ? undefined : own.error);
  const onInput: JSX.EventHandler<HTMLInputElement | HTMLTextAreaElement, InputEvent> = (event) => {
    setEditedSince(true);
    if (typeof own.onInput === "function") own.onInput(event as Parameters<typeof own.onInput>[0]);
  };
  const describedBy = () => [own.hint ? `${id}-hint` : "", error() ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field" classList={{ "field--invalid": Boolean(error()) }}>
      <label for={id}>{own.label}</label>
      <Show when={own.hint}>
        <p class="field__hint" id={`${id}-hint`}>
          {own.hint}
        </p>
      </Show>
      <Show
        when={own.rows}
        fallback={
          <input id={id} aria-invalid={error() ? "true" : undefined} aria-describedby={describedBy()} onInput={onInput} {...input} />
        }
      >
        <textarea
          id={id}
          rows={own.rows}
          name={input.name}
          value={typeof input.value === "string" ? input.value : ""}
          required={input.required}
          maxLength={input.maxLength}
          readOnly={input.readOnly}
          aria-invalid={error() ? "true" : undefined}
          aria-describedby={describedBy()}
          onInput={onInput}
        />
      </Show>
      <Show when={error()}>
        <p class="field__error" id={`${id}-error`} role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}

type CheckboxProps = JSX.InputHTMLAttributes<HTMLInputElement> & { name: string; error?: string; children: JSX.Element };

export function Checkbox(props: CheckboxProps) {
  const [own, input] = splitProps(props, ["error", "children"]);
  const id = `check-${createUniqueId()}`;
  return (
    <div class="field field--checkbox" classList={{ "field--invalid": Boolean(own.error) }}>
      <input
        type="checkbox"
        id={id}
        aria-invalid={own.error ? "true" : undefined}
        aria-describedby={own.error ? `${id}-error` : undefined}
        {...input}
      />
      <label for={id}>{own.children}</label>
      <Show when={own.error}>
        <p class="field__error" id={`${id}-error`} role="alert">
          {own.error}
        </p>
      </Show>
    </div>
  );
}
