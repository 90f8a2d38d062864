import { For } from "solid-js";

export interface BadgeClassChoice {
  id: string;
  name: string;
}

/** The issuer's badge classes to pick one from; each award form has its own, hence `id`. */
export function BadgeClassSelect(props: { id: string; badgeClasses: BadgeClassChoice[] }) {
  return (
    <div class="field">
      <label for={props.id}>Badge class</label>
      <select id={props.id} name="badgeClassId">
        <For each={props.badgeClasses}>{(c) => <option value={c.id}>{c.name}</option>}</For>
      </select>
    </div>
  );
}
