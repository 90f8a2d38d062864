import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Index, Show } from "solid-js";
import { createStore, produce } from "solid-js/store";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Checkbox, Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { createFormState } from "../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../lib/gql";
import { mutate, query } from "../lib/graphql";
import { FILE_TYPE_LABELS, MicroCredentialFields } from "../lib/micro";

const LOAD = graphql(
  `query MicroCredentialEditor($id: ID!) {
    badgeClass(id: $id) {
      id name
      issuer { id name myRole badgeClasses { id name } }
      microCredential { ...MicroCredentialFields }
    }
  }`,
  [MicroCredentialFields],
);
const SAVE = graphql(
  `mutation SetMicroCredential($badgeClassId: ID!, $input: MicroCredentialInput!) {
    setMicroCredential(badgeClassId: $badgeClassId, input: $input) { __typename ...ErrorFields ... on MicroCredential { badgeClassId } }
  }`,
  [ErrorFields],
);

type Loaded = NonNullable<ResultOf<typeof LOAD>["badgeClass"]>;
type Kind = "TEXT" | "FILE" | "LINK";
interface PartDraft {
  key: string;
  id: string | null;
  title: string;
  prompt: string;
  kind: Kind;
  required: boolean;
  wordLimit: string;
  fileTypes: string[];
  maxMb: string;
}
interface CriterionDraft {
  key: string;
  id: string | null;
  name: string;
  description: string;
  partKeys: string[];
  /** One level per line, lowest first; "Name: description". */
  levels: string;
  requiredLevel: number;
}

const key = () => crypto.randomUUID();
const newPart = (kind: Kind, title = "", prompt = ""): PartDraft => ({
  key: key(),
  id: null,
  title,
  prompt,
  kind,
  required: true,
  wordLimit: kind === "TEXT" ? "500" : "",
  fileTypes: kind === "FILE" ? ["application/pdf", "image/png", "image/jpeg"] : [],
  maxMb: "10",
});
const parseLevels = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf(": ");
      return at > 0
        ? { name: line.slice(0, at).trim(), description: line.slice(at + 2).trim() || null }
        : { name: line, description: null };
    });

/** Editors and owners define what a micro-credential asks for and how it is judged. */
export default function MicroCredentialEditor() {
  const params = useParams();
  const [loaded, { refetch }] = createResource(
    () => params.badgeClassId,
    async (id) => (await query(LOAD, { id })).badgeClass,
  );
  return (
    <Show when={loaded() || !loaded.loading} fallback={<p class="loading">Loading…</p>}>
      <Show
        when={loaded()?.issuer.myRole === "OWNER" || loaded()?.issuer.myRole === "EDITOR" ? loaded() : null}
        fallback={<Page title="Micro-credential">Only the issuer's owners and editors define its micro-credentials.</Page>}
      >
        {(b) => <Editor badgeClass={b()} onSaved={refetch} />}
      </Show>
    </Show>
  );
}

function Editor(props: { badgeClass: Loaded; onSaved: () => unknown }) {
  const existing = props.badgeClass.microCredential;
  const parts: PartDraft[] = existing
    ? existing.parts.map((p) => ({
        key: p.id,
        id: p.id,
        title: p.title,
        prompt: p.prompt,
        kind: p.kind as Kind,
        required: p.required,
        wordLimit: p.wordLimit ? String(p.wordLimit) : "",
        fileTypes: p.fileTypes ?? [],
        maxMb: p.maxBytes ? String(Math.round((p.maxBytes / 1024 / 1024) * 10) / 10) : "10",
      }))
    : [
        newPart("TEXT", "Overview", "Describe your setting and what you set out to do."),
        newPart("FILE", "Work example", "Upload an artifact of your practice: a plan, a recording, student work."),
        newPart("TEXT", "Reflection", "What happened, what did you learn, and what would you change?"),
      ];
  const [state, setState] = createStore({
    competency: existing?.competency ?? "",
    keyMethod: existing?.keyMethod ?? "",
    methodComponents: existing?.methodComponents ?? "",
    research: existing?.research ?? "",
    resources: existing?.resources.map((r) => ({ ...r })) ?? [],
    reviewTargetDays: String(existing?.reviewTargetDays ?? 14),
    blindReview: existing?.blindReview ?? false,
    prerequisites: existing?.prerequisites.map((p) => p.badgeClassId) ?? [],
    parts,
    criteria: (existing?.criteria.map((c) => ({
      key: c.id,
      id: c.id,
      name: c.name,
      description: c.description ?? "",
      partKeys: c.partIds,
      levels: c.levels.map((l) => (l.description ? `${l.name}: ${l.description}` : l.name)).join("\n"),
      requiredLevel: c.requiredLevel,
    })) ?? [
      {
        key: key(),
        id: null,
        name: "",
        description: "",
        partKeys: parts.map((p) => p.key),
        levels: "Not yet demonstrated\nDemonstrated",
        requiredLevel: 1,
      },
    ]) as CriterionDraft[],
  });
  const form = createFormState();
  const [saved, setSaved] = createSignal(false);
  const e = (field: string) => form.fieldErrors()[field];

  const input = () => ({
    competency: state.competency,
    keyMethod: state.keyMethod,
    methodComponents: state.methodComponents || null,
    research: state.research || null,
    resources: state.resources.filter((r) => r.title || r.url),
    reviewTargetDays: Number(state.reviewTargetDays) || null,
    blindReview: state.blindReview,
    prerequisiteBadgeClassIds: state.prerequisites,
    parts: state.parts.map((p) => ({
      id: p.id,
      title: p.title,
      prompt: p.prompt,
      kind: p.kind,
      required: p.required,
      wordLimit: p.kind === "TEXT" && p.wordLimit ? Number(p.wordLimit) : null,
      fileTypes: p.kind === "FILE" ? p.fileTypes : null,
      maxBytes: p.kind === "FILE" && p.maxMb ? Math.round(Number(p.maxMb) * 1024 * 1024) : null,
    })),
    // A criterion names saved parts by id and new ones by their position.
    criteria: state.criteria.map((c) => ({
      id: c.id,
      name: c.name,
      description: c.description || null,
      partIds: c.partKeys.flatMap((k) => {
        const at = state.parts.findIndex((p) => p.key === k);
        if (at < 0) return [];
        return [state.parts[at]!.id ?? String(at)];
      }),
      levels: parseLevels(c.levels),
      requiredLevel: c.requiredLevel,
    })),
  });
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    setSaved(false);
    return form.run(
      () => mutate(SAVE, { badgeClassId: props.badgeClass.id, input: input() }),
      () => {
        setSaved(true);
        props.onSaved();
      },
    );
  };
  const others = () => props.badgeClass.issuer.badgeClasses.filter((b) => b.id !== props.badgeClass.id);

  return (
    <Page title={`Micro-credential: ${props.badgeClass.name}`} lead="What learners submit, and the rubric assessors judge it by.">
      <p>
        <A href={`/issuers/${props.badgeClass.issuer.id}`}>Back to {props.badgeClass.issuer.name}</A>
        <Show when={existing}>
          {" · "}
          <A href={`/micro-credentials/${props.badgeClass.id}`}>Public page</A>
        </Show>
      </p>
      <Show when={saved()}>
        <Alert kind="success">
          Saved. Learners read it on the <A href={`/micro-credentials/${props.badgeClass.id}`}>public page</A>.
        </Alert>
      </Show>
      <FormAlert form={form} />
      <form onSubmit={onSubmit} novalidate class="stack">
        <section class="panel" aria-labelledby="about-heading">
          <h2 id="about-heading">The competency</h2>
          <Field
            label="Competency statement"
            name="competency"
            rows={3}
            required
            value={state.competency}
            error={e("competency")}
            onInput={(ev) => setState("competency", ev.currentTarget.value)}
          />
          <Field
            label="Key method"
            name="keyMethod"
            rows={3}
            required
            value={state.keyMethod}
            error={e("keyMethod")}
            onInput={(ev) => setState("keyMethod", ev.currentTarget.value)}
          />
          <Field
            label="Method components (optional)"
            name="methodComponents"
            rows={3}
            value={state.methodComponents}
            error={e("methodComponents")}
            onInput={(ev) => setState("methodComponents", ev.currentTarget.value)}
          />
          <Field
            label="Supporting research and rationale (optional)"
            name="research"
            rows={3}
            value={state.research}
            error={e("research")}
            onInput={(ev) => setState("research", ev.currentTarget.value)}
          />
          <h3>Resources</h3>
          <Index each={state.resources}>
            {(r, i) => (
              <div class="field-row">
                <Field
                  label={`Resource ${i + 1} title`}
                  name={`resource-title-${i}`}
                  value={r().title}
                  error={e(`resources.${i}.title`)}
                  onInput={(ev) => setState("resources", i, "title", ev.currentTarget.value)}
                />
                <Field
                  label={`Resource ${i + 1} web address`}
                  name={`resource-url-${i}`}
                  type="url"
                  value={r().url}
                  error={e(`resources.${i}.url`)}
                  onInput={(ev) => setState("resources", i, "url", ev.currentTarget.value)}
                />
                <Button type="button" variant="link" onClick={() => setState("resources", (list) => list.filter((_, j) => j !== i))}>
                  Remove resource {i + 1}
                </Button>
              </div>
            )}
          </Index>
          <Button type="button" variant="secondary" onClick={() => setState("resources", (list) => [...list, { title: "", url: "" }])}>
            Add a resource
          </Button>
        </section>

        <section class="panel" aria-labelledby="parts-heading">
          <h2 id="parts-heading">What learners submit</h2>
          <FormAlert form={{ message: () => null, fieldErrors: form.fieldErrors }} field="parts" />
          <Index each={state.parts}>
            {(p, i) => (
              <fieldset class="part" data-testid="part-editor">
                <legend>Part {i + 1}</legend>
                <Field
                  label={`Part ${i + 1} title`}
                  name={`part-title-${i}`}
                  value={p().title}
                  error={e(`parts.${i}.title`)}
                  onInput={(ev) => setState("parts", i, "title", ev.currentTarget.value)}
                />
                <Field
                  label={`Part ${i + 1} prompt`}
                  name={`part-prompt-${i}`}
                  rows={2}
                  value={p().prompt}
                  error={e(`parts.${i}.prompt`)}
                  onInput={(ev) => setState("parts", i, "prompt", ev.currentTarget.value)}
                />
                <div class="field">
                  <label for={`part-kind-${i}`}>Part {i + 1} kind</label>
                  <select
                    id={`part-kind-${i}`}
                    value={p().kind}
                    onChange={(ev) => setState("parts", i, "kind", ev.currentTarget.value as Kind)}
                  >
                    <option value="TEXT">Written answer</option>
                    <option value="FILE">File upload</option>
                    <option value="LINK">Link</option>
                  </select>
                </div>
                <Show when={p().kind === "TEXT"}>
                  <Field
                    label={`Part ${i + 1} word limit (optional)`}
                    name={`part-words-${i}`}
                    type="number"
                    min="1"
                    value={p().wordLimit}
                    error={e(`parts.${i}.wordLimit`)}
                    onInput={(ev) => setState("parts", i, "wordLimit", ev.currentTarget.value)}
                  />
                </Show>
                <Show when={p().kind === "FILE"}>
                  <fieldset class="choices" aria-describedby={e(`parts.${i}.fileTypes`) ? `part-types-${i}-error` : undefined}>
                    <legend>Part {i + 1} file types</legend>
                    <For each={Object.entries(FILE_TYPE_LABELS)}>
                      {([type, label]) => (
                        <label class="choice">
                          <input
                            type="checkbox"
                            checked={p().fileTypes.includes(type)}
                            onChange={(ev) =>
                              setState("parts", i, "fileTypes", (list) =>
                                ev.currentTarget.checked ? [...list, type] : list.filter((t) => t !== type),
                              )
                            }
                          />
                          <span>{label}</span>
                        </label>
                      )}
                    </For>
                    <Show when={e(`parts.${i}.fileTypes`)}>
                      <p class="field__error" id={`part-types-${i}-error`} role="alert">
                        {e(`parts.${i}.fileTypes`)}
                      </p>
                    </Show>
                  </fieldset>
                  <Field
                    label={`Part ${i + 1} size limit (MB, at most 20)`}
                    name={`part-size-${i}`}
                    type="number"
                    min="0.001"
                    max="20"
                    step="any"
                    value={p().maxMb}
                    error={e(`parts.${i}.maxBytes`)}
                    onInput={(ev) => setState("parts", i, "maxMb", ev.currentTarget.value)}
                  />
                </Show>
                <Checkbox
                  name={`part-required-${i}`}
                  checked={p().required}
                  onChange={(ev) => setState("parts", i, "required", ev.currentTarget.checked)}
                >
                  Part {i + 1} is required
                </Checkbox>
                <Show when={state.parts.length > 1}>
                  <Button
                    type="button"
                    variant="link"
                    onClick={() =>
                      setState(
                        produce((s) => {
                          const [removed] = s.parts.splice(i, 1);
                          for (const c of s.criteria) c.partKeys = c.partKeys.filter((k) => k !== removed?.key);
                        }),
                      )
                    }
                  >
                    Remove part {i + 1}
                  </Button>
                </Show>
              </fieldset>
            )}
          </Index>
          <Button type="button" variant="secondary" onClick={() => setState("parts", (list) => [...list, newPart("TEXT")])}>
            Add a part
          </Button>
        </section>

        <section class="panel" aria-labelledby="rubric-heading">
          <h2 id="rubric-heading">Rubric</h2>
          <p>A learner earns the badge when every criterion is at or above its passing level.</p>
          <FormAlert form={{ message: () => null, fieldErrors: form.fieldErrors }} field="criteria" />
          <Index each={state.criteria}>
            {(c, i) => (
              <fieldset class="part" data-testid="criterion-editor">
                <legend>Criterion {i + 1}</legend>
                <Field
                  label={`Criterion ${i + 1} name`}
                  name={`criterion-name-${i}`}
                  value={c().name}
                  error={e(`criteria.${i}.name`)}
                  onInput={(ev) => setState("criteria", i, "name", ev.currentTarget.value)}
                />
                <Field
                  label={`Criterion ${i + 1} description (optional)`}
                  name={`criterion-description-${i}`}
                  rows={2}
                  value={c().description}
                  error={e(`criteria.${i}.description`)}
                  onInput={(ev) => setState("criteria", i, "description", ev.currentTarget.value)}
                />
                <fieldset class="choices">
                  <legend>Parts criterion {i + 1} judges</legend>
                  <For each={state.parts}>
                    {(p, j) => (
                      <label class="choice">
                        <input
                          type="checkbox"
                          checked={c().partKeys.includes(p.key)}
                          onChange={(ev) =>
                            setState("criteria", i, "partKeys", (list) =>
                              ev.currentTarget.checked ? [...list, p.key] : list.filter((k) => k !== p.key),
                            )
                          }
                        />
                        <span>
                          Part {j() + 1}: {p.title || "untitled"}
                        </span>
                      </label>
                    )}
                  </For>
                  <Show when={e(`criteria.${i}.partIds`)}>
                    <p class="field__error" role="alert">
                      {e(`criteria.${i}.partIds`)}
                    </p>
                  </Show>
                </fieldset>
                <Field
                  label={`Criterion ${i + 1} levels, lowest first, one per line`}
                  name={`criterion-levels-${i}`}
                  rows={3}
                  value={c().levels}
                  hint='For example "Not yet demonstrated" then "Demonstrated". Add a description after a colon: "Demonstrated: plans checks and acts on them".'
                  error={e(`criteria.${i}.levels`) ?? e(`criteria.${i}.levels.0.name`)}
                  onInput={(ev) => setState("criteria", i, "levels", ev.currentTarget.value)}
                />
                <div class="field" classList={{ "field--invalid": Boolean(e(`criteria.${i}.requiredLevel`)) }}>
                  <label for={`criterion-required-${i}`}>Criterion {i + 1} level needed to pass</label>
                  <select
                    id={`criterion-required-${i}`}
                    value={String(c().requiredLevel)}
                    onChange={(ev) => setState("criteria", i, "requiredLevel", Number(ev.currentTarget.value))}
                  >
                    <For each={parseLevels(c().levels)}>{(level, j) => <option value={String(j())}>{level.name}</option>}</For>
                  </select>
                  <Show when={e(`criteria.${i}.requiredLevel`)}>
                    <p class="field__error" role="alert">
                      {e(`criteria.${i}.requiredLevel`)}
                    </p>
                  </Show>
                </div>
                <Show when={state.criteria.length > 1}>
                  <Button type="button" variant="link" onClick={() => setState("criteria", (list) => list.filter((_, j) => j !== i))}>
                    Remove criterion {i + 1}
                  </Button>
                </Show>
              </fieldset>
            )}
          </Index>
          <Button
            type="button"
            variant="secondary"
            onClick={() =>
              setState("criteria", (list) => [
                ...list,
                {
                  key: key(),
                  id: null,
                  name: "",
                  description: "",
                  partKeys: [],
                  levels: "Not yet demonstrated\nDemonstrated",
                  requiredLevel: 1,
                },
              ])
            }
          >
            Add a criterion
          </Button>
        </section>

        <section class="panel" aria-labelledby="review-heading">
          <h2 id="review-heading">Review</h2>
          <Field
            label="Usual review time (days)"
            name="reviewTargetDays"
            type="number"
            min="1"
            max="365"
            value={state.reviewTargetDays}
            hint="Shown to learners: “usually reviewed within … days”."
            error={e("reviewTargetDays")}
            onInput={(ev) => setState("reviewTargetDays", ev.currentTarget.value)}
          />
          <Checkbox name="blindReview" checked={state.blindReview} onChange={(ev) => setState("blindReview", ev.currentTarget.checked)}>
            Blind review: hide the learner's name and email from assessors until the decision
          </Checkbox>
          <Show when={others().length}>
            <fieldset class="choices">
              <legend>Badges a learner must hold first (optional)</legend>
              <For each={others()}>
                {(b) => (
                  <label class="choice">
                    <input
                      type="checkbox"
                      checked={state.prerequisites.includes(b.id)}
                      onChange={(ev) =>
                        setState("prerequisites", (list) => (ev.currentTarget.checked ? [...list, b.id] : list.filter((x) => x !== b.id)))
                      }
                    />
                    <span>{b.name}</span>
                  </label>
                )}
              </For>
              <Show when={e("prerequisiteBadgeClassIds")}>
                <p class="field__error" role="alert">
                  {e("prerequisiteBadgeClassIds")}
                </p>
              </Show>
            </fieldset>
          </Show>
        </section>
        <div>
          <Button busy={form.submitting()} busyLabel="Saving…">
            {existing ? "Save micro-credential" : "Make it a micro-credential"}
          </Button>
        </div>
      </form>
    </Page>
  );
}
