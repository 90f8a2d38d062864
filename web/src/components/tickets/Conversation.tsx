import { For, Show } from "solid-js";
import { formatDate } from "../../lib/format";

export interface ConversationComment {
  id: string;
  fromSupport: boolean;
  authorName: string;
  bodyHtml: string;
  createdAt: string;
  internal?: boolean;
}

/** A ticket's comments, oldest first; bodies are HTML the server built from Markdown by allow-list. */
export function Conversation(props: { comments: readonly ConversationComment[] }) {
  return (
    <ol class="ticket-conversation">
      <For each={props.comments}>
        {(c) => (
          <li class="ticket-comment" classList={{ "ticket-comment--support": c.fromSupport, "ticket-comment--internal": c.internal }}>
            <p class="ticket-comment__meta">
              <strong>{c.authorName}</strong>
              <Show when={c.fromSupport}> (Laurel support)</Show>
              <Show when={c.internal}>
                {" "}
                <span class="tag">Internal note</span>
              </Show>{" "}
              · {formatDate(c.createdAt)}
            </p>
            <div class="ticket-comment__body help-body" innerHTML={c.bodyHtml} />
          </li>
        )}
      </For>
    </ol>
  );
}
