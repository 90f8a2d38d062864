import type { JSX } from "solid-js";

/** A message box: green for success, red for problems, announced to screen readers. */
export function Alert(props: { kind: "success" | "error" | "info"; children: JSX.Element; title?: string }) {
  return (
    <div class={`alert alert--${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.title ? <strong class="alert__title">{props.title}</strong> : null}
      <div>{props.children}</div>
    </div>
  );
}
