import { createSignal } from "solid-js";

/** Copies text to the clipboard and says so. */
export function CopyButton(props: { text: string; label?: string }) {
  const [copied, setCopied] = createSignal(false);
  async function copy() {
    await navigator.clipboard.writeText(props.text);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  return (
    <button type="button" class="button button--secondary" onClick={copy}>
      {copied() ? "Copied" : (props.label ?? "Copy")}
    </button>
  );
}
