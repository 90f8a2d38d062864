import { type JSX, splitProps } from "solid-js";

type ButtonProps = JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
  busy?: boolean;
  busyLabel?: string;
  variant?: "primary" | "secondary" | "danger" | "link";
};

/** A button that shows it is working and cannot be pressed twice meanwhile. */
export function Button(props: ButtonProps) {
  const [own, rest] = splitProps(props, ["busy", "busyLabel", "variant", "children", "disabled", "type"]);
  return (
    <button
      type={own.type ?? "submit"}
      class={`button button--${own.variant ?? "primary"}`}
      disabled={own.disabled || own.busy}
      aria-busy={own.busy ? "true" : undefined}
      {...rest}
    >
      {own.busy ? (own.busyLabel ?? "Working…") : own.children}
    </button>
  );
}
