import { A, useParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, Index, Show } from "solid-js";
import { createStore, produce } from "solid-js/store";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { SubscribersPanel } from "../components/pathways/SubscribersPanel";
import { createFormState, fileFrom, formValues } from "../lib/forms";
import { ErrorFields, graphql, type ResultOf, type VariablesOf } from "../lib/gql";
import { mutate, query } from "../lib/graphql";

const BUILDER = graphql(`query PathwayBuilder($issuerId: ID!, $id: ID!) {
  issuer(id: $issuerId) { id name myRole badgeClasses { id name } }
  pathway(id: $id) {
    id name description imageUrl state junction requiredCount completionBadgeClass { id name }
    badgeClasses { id name }
    steps { id parentId name description junction requiredCount badgeClasses { id name } completionBadgeClass { id } }
    invitations { pending accepted declined }
  }
}`);
const UPDATE = graphql(
  `mutation UpdatePathway($id: ID!, $input: PathwayInput!) { updatePathway(id: $id, input: $input) { __typename ...ErrorFields ... on Pathway { id } } }`,
  [ErrorFields],
);
const SAVE = graphql(
  `mutation SavePathwayTree($id: ID!, $tree: PathwayTreeInput!) { setPathwayTree(id: $id, tree: $tree) { __typename ...ErrorFields ... on Pathway { id } } }`,
  [ErrorFields],
);
const PUBLISH = graphql(
  `mutation PublishPathway($id: ID!) { publishPathway(id: $id) { __typename ...ErrorFields ... on Pathway { id state } } }`,
  [ErrorFields],
);
const ARCHIVE = graphql(
  `mutation ArchivePathway($id: ID!) { archivePathway(id: $id) { __typename ...ErrorFields ... on Pathway { id state } } }`,
  [ErrorFields],
);
const INVITE = graphql(
  `mutation InviteToPathway($pathwayId: ID!, $emails: [String!], $csv: String) {
    inviteToPathway(pathwayId: $pathwayId, emails: $emails, csv: $csv) { __typename ...ErrorFields
      ... on InvitationListRejectedError { problems { line message } } ... on PathwayInvitationReport { invited alreadyInvited } }
  }`,
  [ErrorFields],
);

type Junction = "ALL" | "AT_LEAST";
interface DraftStep {
  key: string;
  id: string | null;
  name: string;
  description: string;
  junction: Junction;
  requiredCount: number;
  badgeClassIds: string[];
  completionBadgeClassId: string;
  steps: DraftStep[];
}
interface Draft {
  junction: Junction;
  requiredCount: number;
  badgeClassIds: string[];
  steps: DraftStep[];
}
type Loaded = NonNullable<ResultOf<typeof BUILDER>["pathway"]>;

let keys = 0;
const newKey = () => `new-${++keys}`;
const emptyStep = (): DraftStep => ({
  key: newKey(),
  id: null,
  name: "",
  description: "",
  junction: "ALL",
  requiredCount: 1,
  badgeClassIds: [],
  completionBadgeClassId: "",
  steps: [],
});

/** The flat steps the API lists, as the nested tree the editor changes. */
function draftOf(p: Loaded): Draft {
  const of = (parentId: string | null): DraftStep[] =>
    p.steps
      .filter((s) => s.parentId === parentId)
      .map((s) => ({
        key: s.id,
        id: s.id,
        name: s.name,
        description: s.description,
        junction: s.junction,
        requiredCount: s.requiredCount ?? 1,
        badgeClassIds: s.badgeClasses.map((b) => b.id),
        completionBadgeClassId: s.completionBadgeClass?.id ?? "",
        steps: of(s.id),
      }));
  return { junction: p.junction, requiredCount: p.requiredCount ?? 1, badgeClassIds: p.badgeClasses.map((b) => b.id), steps: of(null) };
}

type StepInput = NonNullable<VariablesOf<typeof SAVE>["tree"]["steps"]>[number];
const stepInput = (s: DraftStep): StepInput => ({
  id: s.id,
  name: s.name,
  description: s.description,
  junction: s.junction,
  requiredCount: s.junction === "AT_LEAST" ? s.requiredCount : null,
  badgeClassIds: s.badgeClassIds,
  completionBadgeClassId: s.completionBadgeClassId || null,
  steps: s.steps.map(stepInput),
});

/** The live preview: the tree in words, as a learner will read it. */
function describe(
  node: { junction: Junction; requiredCount: number; badgeClassIds: string[]; steps: DraftStep[] },
  names: Map<string, string>,
): string {
  const items = [
    ...node.badgeClassIds.map((id) => `"${names.get(id) ?? id}"`),
    ...node.steps.map((s) => `${s.name || "(unnamed step)"} (${describe(s, names)})`),
  ];
  if (items.length === 0) return "nothing yet";
  return `${node.junction === "ALL" ? "all of" : `at least ${node.requiredCount} of`}: ${items.join("; ")}`;
}

/** Where the step sits in the draft: the list that holds it and its index there. */
type Path = number[];
function listAt(draft: Draft, path: Path): DraftStep[] {
  let list = draft.steps;
  for (const i of path.slice(0, -1)) list = list[i]!.steps;
  return list;
}

/** An issuer's owners and editors build a pathway: steps (nested, ordered, junctions), a live preview, publishing, invitations and subscribers. */
export default function PathwayBuilder() {
  const params = useParams<{ id: string; pathwayId: string }>();
  const [data, { refetch }] = createResource(
    () => ({ issuerId: params.id, id: params.pathwayId }),
    async (v) => await query(BUILDER, v),
  );
  const [draft, setDraft] = createStore<Draft>({ junction: "ALL", requiredCount: 1, badgeClassIds: [], steps: [] });
  createEffect(() => {
    const p = data()?.pathway;
    if (p) setDraft(draftOf(p));
  });
  const badgeChoices = () => {
    const own = data()?.issuer?.badgeClasses ?? [];
    const inTree = [...(data()?.pathway?.badgeClasses ?? []), ...(data()?.pathway?.steps ?? []).flatMap((s) => s.badgeClasses)];
    return [...new Map([...own, ...inTree].map((b) => [b.id, b])).values()];
  };
  const names = () => new Map(badgeChoices().map((b) => [b.id, b.name]));
  const save = createFormState();
  const details = createFormState();
  const state = createFormState();
  const invite = createFormState();
  const [notice, setNotice] = createSignal<string | null>(null);

  const change = (path: Path, fn: (s: DraftStep) => void) =>
    setDraft(
      produce((d) => {
        fn(listAt(d, path)[path.at(-1)!]!);
      }),
    );
  const setField = <K extends keyof DraftStep>(path: Path, key: K, value: DraftStep[K]) =>
    change(path, (s) => {
      s[key] = value;
    });
  const move = (path: Path, by: number) =>
    setDraft(
      produce((d) => {
        const list = listAt(d, path);
        const i = path.at(-1)!;
        const j = i + by;
        if (j < 0 || j >= list.length) return;
        [list[i], list[j]] = [list[j]!, list[i]!];
      }),
    );
  const remove = (path: Path) => setDraft(produce((d) => void listAt(d, path).splice(path.at(-1)!, 1)));
  const addStep = (path: Path | null) =>
    setDraft(
      produce((d) => {
        if (path === null) d.steps.push(emptyStep());
        else listAt(d, path)[path.at(-1)!]!.steps.push(emptyStep());
      }),
    );

  const onSave = (event: SubmitEvent) => {
    event.preventDefault();
    setNotice(null);
    return save.run(
      () =>
        mutate(SAVE, {
          id: params.pathwayId,
          tree: {
            junction: draft.junction,
            requiredCount: draft.junction === "AT_LEAST" ? draft.requiredCount : null,
            badgeClassIds: draft.badgeClassIds,
            steps: draft.steps.map(stepInput),
          },
        }),
      async () => {
        setNotice("Steps saved.");
        await refetch();
      },
    );
  };
  const onDetails = (event: SubmitEvent) => {
    event.preventDefault();
    setNotice(null);
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    return details.run(
      () =>
        mutate(UPDATE, {
          id: params.pathwayId,
          input: {
            name: v.name ?? "",
            description: v.description,
            image: fileFrom(element, "image"),
            completionBadgeClassId: v.completionBadgeClassId || null,
          },
        }),
      async () => {
        setNotice("Details saved.");
        await refetch();
      },
    );
  };
  const onInvite = (event: SubmitEvent) => {
    event.preventDefault();
    setNotice(null);
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    const file = fileFrom(element, "csv");
    const emails = (v.emails ?? "").split(/[\s,;]+/).filter(Boolean);
    return invite.run(
      async () => mutate(INVITE, { pathwayId: params.pathwayId, emails: file ? null : emails, csv: file ? await file.text() : null }),
      async (report) => {
        element.reset();
        setNotice(`Invited ${report.invited}; ${report.alreadyInvited} had been invited before.`);
        await refetch();
      },
    );
  };

  const StepEditor = (props: { step: DraftStep; path: Path }) => {
    const label = () => `Step ${props.path.map((i) => i + 1).join(".")}`;
    return (
      <fieldset class="panel">
        <legend>
          {label()}: {props.step.name || "new step"}
        </legend>
        <Field
          label={`${label()} name`}
          name="step-name"
          value={props.step.name}
          onInput={(e) => setField(props.path, "name", e.currentTarget.value)}
        />
        <Field
          label={`${label()} description`}
          name="step-description"
          value={props.step.description}
          onInput={(e) => setField(props.path, "description", e.currentTarget.value)}
        />
        <JunctionFields
          label={label()}
          junction={props.step.junction}
          requiredCount={props.step.requiredCount}
          onJunction={(j) => setField(props.path, "junction", j)}
          onCount={(n) => setField(props.path, "requiredCount", n)}
        />
        <BadgeChoices
          label={`${label()} requires`}
          selected={props.step.badgeClassIds}
          onToggle={(id, on) =>
            setField(props.path, "badgeClassIds", on ? [...props.step.badgeClassIds, id] : props.step.badgeClassIds.filter((b) => b !== id))
          }
        />
        <div class="field">
          <label for={`completion-${props.step.key}`}>{label()} completion badge</label>
          <select
            id={`completion-${props.step.key}`}
            value={props.step.completionBadgeClassId}
            onChange={(e) => setField(props.path, "completionBadgeClassId", e.currentTarget.value)}
          >
            <option value="">None</option>
            <For each={data()?.issuer?.badgeClasses ?? []}>{(b) => <option value={b.id}>{b.name}</option>}</For>
          </select>
        </div>
        <div class="toolbar">
          <Button type="button" variant="secondary" onClick={() => addStep(props.path)}>
            Add a step inside {label()}
          </Button>
          <Button type="button" variant="link" onClick={() => move(props.path, -1)} aria-label={`Move up ${label()}`}>
            Move up
          </Button>
          <Button type="button" variant="link" onClick={() => move(props.path, 1)} aria-label={`Move down ${label()}`}>
            Move down
          </Button>
          <Button type="button" variant="link" onClick={() => remove(props.path)} aria-label={`Remove ${label()}`}>
            Remove
          </Button>
        </div>
        <Index each={props.step.steps}>{(child, i) => <StepEditor step={child()} path={[...props.path, i]} />}</Index>
      </fieldset>
    );
  };

  const JunctionFields = (props: {
    label: string;
    junction: Junction;
    requiredCount: number;
    onJunction: (j: Junction) => void;
    onCount: (n: number) => void;
  }) => (
    <div class="grid-2">
      <div class="field">
        <label for={`junction-${props.label}`}>{props.label} needs</label>
        <select id={`junction-${props.label}`} value={props.junction} onChange={(e) => props.onJunction(e.currentTarget.value as Junction)}>
          <option value="ALL">All of its badges and steps</option>
          <option value="AT_LEAST">At least some of them</option>
        </select>
      </div>
      <Show when={props.junction === "AT_LEAST"}>
        <Field
          label={`${props.label}: how many`}
          name="requiredCount"
          type="number"
          min={1}
          value={String(props.requiredCount)}
          onInput={(e) => props.onCount(Number(e.currentTarget.value))}
        />
      </Show>
    </div>
  );

  const BadgeChoices = (props: { label: string; selected: string[]; onToggle: (id: string, on: boolean) => void }) => (
    <fieldset class="field">
      <legend>{props.label}</legend>
      <For each={badgeChoices()} fallback={<p>Create a badge class first.</p>}>
        {(b) => (
          <label class="checkbox">
            <input
              type="checkbox"
              checked={props.selected.includes(b.id)}
              onChange={(e) => props.onToggle(b.id, e.currentTarget.checked)}
            />{" "}
            {b.name}
          </label>
        )}
      </For>
    </fieldset>
  );

  return (
    <Show
      when={data()?.pathway && data()?.issuer}
      fallback={<p class="loading">{data.loading ? "Loading…" : "No such pathway, or you are not one of its issuer's members."}</p>}
    >
      <Page title={data()!.pathway!.name} lead={`A pathway of ${data()!.issuer!.name} · ${data()!.pathway!.state.toLowerCase()}`}>
        <p>
          <A href={`/issuers/${params.id}`}>Back to the issuer console</A> · <A href={`/pathways/${params.pathwayId}`}>Learners' view</A>
        </p>
        <Show when={notice()}>{(m) => <Alert kind="success">{m()}</Alert>}</Show>
        <section class="panel" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          <FormAlert form={details} />
          <form onSubmit={onDetails} novalidate>
            <Field label="Name" name="name" required maxLength={200} value={data()!.pathway!.name} error={details.fieldErrors().name} />
            <Field
              label="Description"
              name="description"
              rows={2}
              maxLength={5000}
              value={data()!.pathway!.description}
              error={details.fieldErrors().description}
            />
            <Show when={data()!.pathway!.imageUrl}>
              {(url) => (
                <p class="field__hint">
                  <img src={url()} alt={`${data()!.pathway!.name}, as it looks now`} height="72" />
                </p>
              )}
            </Show>
            <Field
              label={`${data()!.pathway!.imageUrl ? "New picture" : "Picture"} (optional; PNG or SVG, 90–2048 px, up to 512 KB)`}
              name="image"
              type="file"
              accept="image/png,image/svg+xml"
              error={details.fieldErrors().image}
            />
            <div class="field">
              <label for="pathway-completion">Completion badge of the whole pathway</label>
              <select id="pathway-completion" name="completionBadgeClassId" value={data()!.pathway!.completionBadgeClass?.id ?? ""}>
                <option value="">None</option>
                <For each={data()?.issuer?.badgeClasses ?? []}>{(b) => <option value={b.id}>{b.name}</option>}</For>
              </select>
            </div>
            <Button busy={details.submitting()} busyLabel="Saving…">
              Save details
            </Button>
          </form>
        </section>
        <section class="panel" aria-labelledby="steps-heading">
          <h2 id="steps-heading">Steps</h2>
          <FormAlert form={save} />
          <Show when={Object.keys(save.fieldErrors()).length}>
            <Alert kind="error" title="The steps were not saved">
              <ul>
                <For each={Object.entries(save.fieldErrors())}>{([field, message]) => <li>{`${field}: ${message}`}</li>}</For>
              </ul>
            </Alert>
          </Show>
          <form onSubmit={onSave} novalidate>
            <JunctionFields
              label="The pathway"
              junction={draft.junction}
              requiredCount={draft.requiredCount}
              onJunction={(j) => setDraft("junction", j)}
              onCount={(n) => setDraft("requiredCount", n)}
            />
            <BadgeChoices
              label="The pathway requires these badges directly"
              selected={draft.badgeClassIds}
              onToggle={(id, on) => setDraft("badgeClassIds", (list) => (on ? [...list, id] : list.filter((b) => b !== id)))}
            />
            <Index each={draft.steps}>{(step, i) => <StepEditor step={step()} path={[i]} />}</Index>
            <div class="toolbar">
              <Button type="button" variant="secondary" onClick={() => addStep(null)}>
                Add a step
              </Button>
              <Button busy={save.submitting()} busyLabel="Saving…">
                Save steps
              </Button>
            </div>
          </form>
          <h3>Preview</h3>
          <p data-testid="pathway-preview">Completing the pathway takes {describe(draft, names())}.</p>
        </section>
        <section class="panel" aria-labelledby="publish-heading">
          <h2 id="publish-heading">Publishing</h2>
          <FormAlert form={state} />
          <Show
            when={data()!.pathway!.state === "PUBLISHED"}
            fallback={
              <Button
                type="button"
                busy={state.submitting()}
                onClick={() => state.run(() => mutate(PUBLISH, { id: params.pathwayId }), refetch)}
              >
                Publish pathway
              </Button>
            }
          >
            <Button
              type="button"
              variant="secondary"
              busy={state.submitting()}
              onClick={() => state.run(() => mutate(ARCHIVE, { id: params.pathwayId }), refetch)}
            >
              Archive pathway
            </Button>
          </Show>
        </section>
        <Show when={data()!.pathway!.state === "PUBLISHED"}>
          <section class="panel" aria-labelledby="invite-heading">
            <h2 id="invite-heading">Invite learners</h2>
            <FormAlert form={invite} />
            <form onSubmit={onInvite} novalidate>
              <Field
                label="Email addresses"
                name="emails"
                rows={3}
                hint="One per line, or separated by commas."
                error={invite.fieldErrors().emails}
              />
              <div class="field">
                <label for="invite-csv">Or a CSV file with an email column</label>
                <input id="invite-csv" name="csv" type="file" accept=".csv,text/csv" />
              </div>
              <Button busy={invite.submitting()} busyLabel="Inviting…">
                Send invitations
              </Button>
            </form>
            <p class="list__meta">
              Pending {data()!.pathway!.invitations.pending} · accepted {data()!.pathway!.invitations.accepted} · declined{" "}
              {data()!.pathway!.invitations.declined}
            </p>
          </section>
        </Show>
        <SubscribersPanel pathwayId={data()!.pathway!.id} revision={data()} />
      </Page>
    </Show>
  );
}
