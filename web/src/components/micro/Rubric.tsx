import { For, Show } from "solid-js";

interface Level {
  index: number;
  name: string;
  description: string | null;
}
export interface Criterion {
  id: string;
  name: string;
  description: string | null;
  partIds: string[];
  requiredLevel: number;
  levels: Level[];
}

/** The rubric as a learner reads it before starting: each criterion, its levels low to high, and the one needed to pass. */
export function Rubric(props: { criteria: Criterion[]; parts: { id: string; title: string }[] }) {
  const partTitles = (ids: string[]) =>
    ids
      .map((id) => props.parts.find((p) => p.id === id)?.title)
      .filter(Boolean)
      .join(", ");
  return (
    <ol class="rubric">
      <For each={props.criteria}>
        {(criterion) => (
          <li class="rubric__criterion">
            <h3>{criterion.name}</h3>
            <Show when={criterion.description}>
              <p class="prose">{criterion.description}</p>
            </Show>
            <Show when={partTitles(criterion.partIds)}>{(titles) => <p class="field__hint">Judged on: {titles()}</p>}</Show>
            <ol class="rubric__levels" aria-label={`Levels of ${criterion.name}, lowest first`}>
              <For each={criterion.levels}>
                {(level) => (
                  <li classList={{ "rubric__level--required": level.index === criterion.requiredLevel }}>
                    <span>{level.name}</span>
                    <Show when={level.index === criterion.requiredLevel}>
                      <span class="tag">needed to pass</span>
                    </Show>
                    <Show when={level.description}>
                      <span class="rubric__level-description">{level.description}</span>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </li>
        )}
      </For>
    </ol>
  );
}
