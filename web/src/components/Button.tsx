import { type JSX, splitProps } from "solid-js";

type ButtonProps = JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
  busy?: boolean;
  busyLabel?: string;
  variant?: "primary" | "secondary" | "danger" | "link";
};

/**
 * A button that shows it is working and cannot be pressed twice meanwhile. Both labels are
 * laid out in the same cell, the one not in use hidden, so the button keeps its size when it
 * turns busy and nothing beside it moves under the pointer.
 */
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
      <span class="button__faces">
        <span class="button__face" classList={{ "button__face--off": own.busy }}>
          {own.children}
        </span>
        <span class="button__face" classList={{ "button__face--off": !own.busy }}>
          {own.busyLabel ?? "Working…"}
        </span>
      </span>
    </button>
  );
}
