import type { JSX } from "solid-js";
import { Button } from "./Button";

/**
 * A form's submit button beside the Cancel that leaves without changing anything. Cancel is a
 * plain button so Enter in a field still submits, and it stays pressable while the request runs:
 * leaving is always allowed, the answer is then ignored by the caller.
 */
export function SubmitOrCancel(props: {
  busy: boolean;
  busyLabel?: string;
  variant?: "primary" | "danger";
  cancelVariant?: "secondary" | "link";
  onCancel: () => void;
  children: JSX.Element;
}) {
  return (
    <div class="toolbar">
      <Button variant={props.variant} busy={props.busy} busyLabel={props.busyLabel}>
        {props.children}
      </Button>
      <Button type="button" variant={props.cancelVariant ?? "link"} onClick={props.onCancel}>
        Cancel
      </Button>
    </div>
  );
}
