import { createResource, createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Page } from "../components/Page";

interface Message {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  createdAt: string | number;
}

async function loadMessages(): Promise<Message[] | null> {
  const response = await fetch("/dev/api/mailbox");
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`Mailbox answered ${response.status}`);
  return ((await response.json()) as { messages: Message[] }).messages;
}

/**
 * The development outbox, shown like Mailpit: newest first, each message readable as
 * text or as its HTML part in a sandboxed frame (no scripts, no same-origin access).
 */
export default function Mailbox() {
  const [messages, { refetch }] = createResource(loadMessages);
  const [openId, setOpenId] = createSignal<string | null>(null);
  const [view, setView] = createSignal<"html" | "text">("html");
  const open = () => messages()?.find((m) => m.id === openId()) ?? messages()?.[0];
  async function clear() {
    await fetch("/dev/api/mailbox", { method: "DELETE", headers: { "x-laurel-csrf": "1" } });
    setOpenId(null);
    await refetch();
  }
  return (
    <Page title="Mailbox" lead="Development only: every email Laurel would have sent.">
      <Show when={messages() !== null} fallback={<Alert kind="info">The mailbox exists only in development.</Alert>}>
        <div class="toolbar">
          <Button type="button" variant="secondary" busy={messages.loading} busyLabel="Refreshing…" onClick={() => refetch()}>
            Refresh
          </Button>
          <Button type="button" variant="danger" onClick={clear} disabled={!messages()?.length}>
            Delete all
          </Button>
        </div>
        <Show when={messages()?.length} fallback={<p>No messages yet.</p>}>
          <div class="mailbox">
            <ul class="mailbox__list" aria-label="Messages">
              <For each={messages()}>
                {(message) => (
                  <li>
                    <button
                      type="button"
                      class="mailbox__item"
                      aria-current={open()?.id === message.id ? "true" : undefined}
                      onClick={() => setOpenId(message.id)}
                    >
                      <span class="mailbox__subject">{message.subject}</span>
                      <span class="mailbox__meta">
                        To {message.to} · {new Date(message.createdAt).toLocaleTimeString()}
                      </span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
            <Show when={open()}>
              {(message) => (
                <article class="mailbox__message" aria-label="Message">
                  <h2>{message().subject}</h2>
                  <dl class="mailbox__headers">
                    <dt>From</dt>
                    <dd>{message().from}</dd>
                    <dt>To</dt>
                    <dd>{message().to}</dd>
                    <dt>Date</dt>
                    <dd>{new Date(message().createdAt).toLocaleString()}</dd>
                  </dl>
                  <fieldset class="tabs">
                    <legend class="visually-hidden">Show part</legend>
                    <button type="button" class="button button--secondary" aria-pressed={view() === "html"} onClick={() => setView("html")}>
                      HTML
                    </button>
                    <button type="button" class="button button--secondary" aria-pressed={view() === "text"} onClick={() => setView("text")}>
                      Text
                    </button>
                  </fieldset>
                  <Show when={view() === "html"} fallback={<pre class="mailbox__text">{message().text}</pre>}>
                    <iframe class="mailbox__html" title={`HTML part of ${message().subject}`} sandbox="" srcdoc={message().html} />
                  </Show>
                </article>
              )}
            </Show>
          </div>
        </Show>
      </Show>
    </Page>
  );
}
