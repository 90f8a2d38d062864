import { createUniqueId, type JSX, Show, splitProps } from "solid-js";

type FieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: JSX.Element;
  /** A textarea of this many rows instead of a single-line input. */
  rows?: number;
};

/** A labelled input whose hint and error are announced with it (aria-describedby). */
export function Field(props: FieldProps) {
  const [own, input] = splitProps(props, ["label", "error", "hint", "id", "rows"]);
  const id = own.id ?? `field-${createUniqueId()}`;
  const describedBy = () => [own.hint ? `${id}-hint` : "", own.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field" classList={{ "field--invalid": Boolean(own.error) }}>
      <label for={id}>{own.label}</label>
      <Show when={own.hint}>
        <p class="field__hint" id={`${id}-hint`}>
          {own.hint}
        </p>
      </Show>
      <Show
        when={own.rows}
        fallback={<input id={id} aria-invalid={own.error ? "true" : undefined} aria-describedby={describedBy()} {...input} />}
      >
        <textarea
          id={id}
          rows={own.rows}
          name={input.name}
          value={typeof input.value === "string" ? input.value : ""}
          required={input.required}
          maxLength={input.maxLength}
          readOnly={input.readOnly}
          aria-invalid={own.error ? "true" : undefined}
          aria-describedby={describedBy()}
        />
      </Show>
      <Show when={own.error}>
        <p class="field__error" id={`${id}-error`} role="alert">
          {own.error}
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
