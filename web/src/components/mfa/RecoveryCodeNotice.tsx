import { createSignal } from "solid-js";
import type { FormState } from "../../lib/forms";
import { Button } from "../Button";
import { CopyButton } from "../CopyButton";
import { FormAlert } from "../FormAlert";

/**
 * A recovery code shown once, with the confirmation the user must give before moving on.
 */
export function RecoveryCodeNotice(props: { code: string; intro: string; busy?: boolean; form: FormState; onContinue: () => void }) {
  const [saved, setSaved] = createSignal(false);
  return (
    <div class="recovery">
      <p>{props.intro}</p>
      <p class="recovery__code" data-testid="recovery-code">
        {props.code}
      </p>
      <p>
        <CopyButton text={props.code} label="Copy code" />
      </p>
      <p class="field__hint">
        Keep it somewhere safe outside this device, such as a password manager. It works once; using it gives you a new one.
      </p>
      <FormAlert form={props.form} />
      <div class="field field--checkbox">
        <input type="checkbox" id="recovery-saved" checked={saved()} onChange={(e) => setSaved(e.currentTarget.checked)} />
        <label for="recovery-saved">I have saved this code</label>
      </div>
      <Button type="button" disabled={!saved()} busy={props.busy} busyLabel="Continuing…" onClick={props.onContinue}>
        Continue
      </Button>
    </div>
  );
}
