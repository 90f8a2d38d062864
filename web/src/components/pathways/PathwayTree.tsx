import { For, Show } from "solid-js";
import type { ResultOf } from "../../lib/gql";
import type { PathwayProgressFields } from "./progress";

type Node = ResultOf<typeof PathwayProgressFields>["nodes"][number];

const junctionText = (n: Pick<Node, "junction" | "required">) =>
  n.junction === "ALL" ? "All of these" : `At least ${n.required} of these`;

/**
 * The pathway's steps, indented by depth, with what is done and, for each missing badge, where
 * to learn how to earn it (for a micro-credential, its page, where the learner starts it).
 */
export function PathwayTree(props: { nodes: Node[] }) {
  return (
    <ol class="pathway-tree">
      <For each={props.nodes}>
        {(n) => (
          <li class="pathway-tree__node" style={{ "margin-inline-start": `${n.depth * 1.5}rem` }}>
            <p>
              <strong>{n.depth === 0 ? "The whole pathway" : n.name}</strong>{" "}
              <span class="tag" data-status={n.met ? "ACCEPTED" : undefined}>
                {n.met ? "Done" : `${n.done} of ${n.required}`}
              </span>{" "}
              <span class="list__meta">{junctionText(n)}</span>
              <Show when={n.completionBadgeClass}>{(b) => <span class="list__meta"> · completion badge: {b().name}</span>}</Show>
            </p>
            <Show when={n.description && n.depth > 0}>
              <p class="list__meta">{n.description}</p>
            </Show>
            <Show when={n.badges.length}>
              <ul class="list">
                <For each={n.badges}>
                  {(b) => (
                    <li class="list__item">
                      <span class="list__main">
                        {b.held ? "✓ " : ""}
                        {b.badgeClass.name} <span class="list__meta">by {b.badgeClass.issuer.name}</span>
                      </span>
                      <Show
                        when={!b.held}
                        fallback={
                          <span class="tag" data-status="ACCEPTED">
                            Earned
                          </span>
                        }
                      >
                        <Show
                          when={b.microCredential}
                          fallback={
                            <a href={b.earnUrl}>
                              How to earn <span class="visually-hidden">{b.badgeClass.name}</span>
                              <span aria-hidden="true">it</span>
                            </a>
                          }
                        >
                          {/* A micro-credential is earned by submitting evidence: its page is where that starts. */}
                          <a href={b.earnUrl}>
                            Start this micro-credential <span class="visually-hidden">({b.badgeClass.name})</span>
                          </a>
                        </Show>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </li>
        )}
      </For>
    </ol>
  );
}
