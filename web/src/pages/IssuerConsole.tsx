import { useParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Field } from "../components/Field";
import { SigningKeys } from "../components/issuer/SigningKeys";
import { Page } from "../components/Page";
import { formatDate, STATUS_LABELS } from "../lib/format";
import { createFormState, formValues } from "../lib/forms";
import { mutate, query, withErrors } from "../lib/graphql";

interface BadgeClassSummary {
  id: string;
  name: string;
  imageUrl: string;
  validForMonths: number | null;
}
interface AwardRow {
  id: string;
  status: string;
  recipientEmail: string;
  recipientName: string | null;
  issuedOn: string;
  revocationReason: string | null;
  badgeClass: { name: string };
}
interface IssuerDetail {
  id: string;
  name: string;
  url: string;
  myRole: "OWNER" | "EDITOR" | "AWARDER";
  badgeClasses: BadgeClassSummary[];
}

const ISSUER = "query ($id: ID!) { issuer(id: $id) { id name url myRole badgeClasses { id name imageUrl validForMonths } } }";
const AWARDS = `query ($id: ID!, $status: AwardStatus) { issuer(id: $id) { awards(status: $status, limit: 100) {
  total items { id status recipientEmail recipientName issuedOn revocationReason badgeClass { name } } } } }`;
const CREATE_CLASS = `mutation ($issuerId: ID!, $input: BadgeClassInput!) { createBadgeClass(issuerId: $issuerId, input: $input) { ${withErrors("... on BadgeClass { id }")} } }`;
const AWARD = `mutation ($badgeClassId: ID!, $input: AwardInput!) { awardBadge(badgeClassId: $badgeClassId, input: $input) { ${withErrors("... on Award { id }")} } }`;
const BULK = `mutation ($badgeClassId: ID!, $file: File) { bulkAward(badgeClassId: $badgeClassId, file: $file) {
  ${withErrors("... on BulkAwardReport { rows created alreadyAwarded } ... on CsvRejectedError { problems { line field message } }")} } }`;
const REVOKE = `mutation ($awardId: ID!, $reason: String!) { revokeAward(awardId: $awardId, reason: $reason) { ${withErrors("... on Award { id }")} } }`;

const lines = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
const fileIn = (form: HTMLFormElement, name: string) => (form.elements.namedItem(name) as HTMLInputElement).files?.[0] ?? null;

function NewBadgeClass(props: { issuerId: string; onCreated: () => void }) {
  const form = createFormState();
  const [created, setCreated] = createSignal(false);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    setCreated(false);
    return form.run(
      () =>
        mutate(CREATE_CLASS, {
          issuerId: props.issuerId,
          input: {
            name: v.name,
            description: v.description,
            image: fileIn(element, "image"),
            criteriaNarrative: v.criteriaNarrative || null,
            criteriaUrl: v.criteriaUrl || null,
            learningOutcomes: lines(v.learningOutcomes),
            tags: lines(v.tags?.replaceAll(",", "\n")),
            alignments: v.alignmentName ? [{ name: v.alignmentName, url: v.alignmentUrl, code: v.alignmentCode || null }] : [],
            validForMonths: v.validForMonths ? Number(v.validForMonths) : null,
          },
        }),
      () => {
        element.reset();
        setCreated(true);
        props.onCreated();
      },
    );
  };
  const e = () => form.fieldErrors();
  return (
    <details class="panel">
      <summary>
        <h2 class="inline-heading">New badge class</h2>
      </summary>
      <Show when={created()}>
        <Alert kind="success">Badge class created.</Alert>
      </Show>
      <Show when={form.message()}>
        <Alert kind="error">{form.message()}</Alert>
      </Show>
      <form onSubmit={onSubmit} novalidate>
        <Field label="Name" name="name" required error={e().name} />
        <Field label="Learning description" name="description" rows={4} required error={e().description} />
        <Field
          label="Image (PNG or SVG, square, 90–2048 px, up to 512 KB)"
          name="image"
          type="file"
          accept="image/png,image/svg+xml"
          required
          error={e().image}
        />
        <Field label="Criteria (what it takes to earn it)" name="criteriaNarrative" rows={4} error={e().criteriaNarrative} />
        <Field label="Criteria web page (optional)" name="criteriaUrl" type="url" error={e().criteriaUrl} />
        <Field label="Learning outcomes (one per line)" name="learningOutcomes" rows={4} error={e().learningOutcomes} />
        <Field label="Tags (comma separated)" name="tags" error={e().tags} />
        <div class="field-row">
          <Field label="Aligned competency" name="alignmentName" error={e()["alignments.0.name"]} />
          <Field label="Its framework URL" name="alignmentUrl" type="url" error={e()["alignments.0.url"]} />
          <Field label="Code" name="alignmentCode" />
        </div>
        <Field label="Expires after (months, optional)" name="validForMonths" type="number" min="1" error={e().validForMonths} />
        <Button busy={form.submitting()} busyLabel="Creating…">
          Create badge class
        </Button>
      </form>
    </details>
  );
}

function AwardForms(props: { badgeClasses: BadgeClassSummary[]; onAwarded: () => void }) {
  const single = createFormState();
  const bulk = createFormState();
  const [sent, setSent] = createSignal<string | null>(null);
  const [report, setReport] = createSignal<{ rows: number; created: number; alreadyAwarded: number } | null>(null);
  const [problems, setProblems] = createSignal<{ line: number; field: string; message: string }[]>([]);
  const onAward = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    setSent(null);
    return single.run(
      () =>
        mutate(AWARD, {
          badgeClassId: v.badgeClassId,
          input: {
            email: v.email,
            recipientName: v.recipientName || null,
            narrative: v.narrative || null,
            evidence: v.evidenceUrl ? [{ url: v.evidenceUrl }] : [],
            issuedOn: v.issuedOn || null,
          },
        }),
      () => {
        setSent(v.email ?? "");
        element.reset();
        props.onAwarded();
      },
    );
  };
  const onBulk = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    setReport(null);
    setProblems([]);
    const outcome = await bulk.run(
      () =>
        mutate<{ rows: number; created: number; alreadyAwarded: number }>(BULK, {
          badgeClassId: formValues(element).badgeClassId,
          file: fileIn(element, "file"),
        }),
      (r) => {
        setReport(r);
        props.onAwarded();
      },
    );
    if (!outcome.ok && outcome.typename === "CsvRejectedError")
      setProblems(outcome.error?.problems as { line: number; field: string; message: string }[]);
  };
  const classOptions = () => <For each={props.badgeClasses}>{(c) => <option value={c.id}>{c.name}</option>}</For>;
  return (
    <div class="grid-2">
      <section class="panel" aria-labelledby="award-heading">
        <h2 id="award-heading">Award a badge</h2>
        <Show when={sent()}>
          <Alert kind="success">Awarded. We emailed {sent()}.</Alert>
        </Show>
        <Show when={single.message()}>
          <Alert kind="error">{single.message()}</Alert>
        </Show>
        <form onSubmit={onAward} novalidate>
          <div class="field">
            <label for="award-class">Badge class</label>
            <select id="award-class" name="badgeClassId">
              {classOptions()}
            </select>
          </div>
          <Field label="Recipient email" name="email" type="email" required error={single.fieldErrors().email} />
          <Field label="Recipient name (optional)" name="recipientName" error={single.fieldErrors().recipientName} />
          <Field label="Narrative (optional)" name="narrative" rows={3} error={single.fieldErrors().narrative} />
          <Field label="Evidence URL (optional)" name="evidenceUrl" type="url" error={single.fieldErrors()["evidence.0.url"]} />
          <Field label="Issue date (optional)" name="issuedOn" type="date" error={single.fieldErrors().issuedOn} />
          <Button busy={single.submitting()} busyLabel="Awarding…">
            Award
          </Button>
        </form>
      </section>
      <section class="panel" aria-labelledby="bulk-heading">
        <h2 id="bulk-heading">Award from a CSV file</h2>
        <p>
          First line: <code>email,name,narrative,evidence_url,issued_on,expires_on</code> (only email is required). Every row is checked
          first; if any has a problem, nothing is awarded. Uploading the same rows again awards nothing twice.
        </p>
        <Show when={report()}>
          {(r) => (
            <Alert kind="success">
              {r().rows} rows: {r().created} awarded, {r().alreadyAwarded} already awarded earlier.
            </Alert>
          )}
        </Show>
        <Show when={bulk.message()}>
          <Alert kind="error">
            {bulk.message()}
            <Show when={problems().length}>
              <ul class="problems" data-testid="csv-problems">
                <For each={problems()}>
                  {(p) => (
                    <li>
                      Line {p.line}: {p.message}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Alert>
        </Show>
        <form onSubmit={onBulk} novalidate>
          <div class="field">
            <label for="bulk-class">Badge class</label>
            <select id="bulk-class" name="badgeClassId">
              {classOptions()}
            </select>
          </div>
          <Field label="CSV file" name="file" type="file" accept=".csv,text/csv" required error={bulk.fieldErrors().csv} />
          <Button busy={bulk.submitting()} busyLabel="Awarding…">
            Upload and award
          </Button>
        </form>
      </section>
    </div>
  );
}

function Awards(props: { issuerId: string; canRevoke: boolean; version: number }) {
  const [status, setStatus] = createSignal<string | null>(null);
  const [awards, { refetch }] = createResource(
    () => ({ id: props.issuerId, status: status(), version: props.version }),
    async ({ id, status }) =>
      (await query<{ issuer: { awards: { total: number; items: AwardRow[] } } }>(AWARDS, { id, status })).issuer.awards,
  );
  const revoke = createFormState();
  const onRevoke = (award: AwardRow) => {
    const reason = window.prompt(
      `Why are you revoking "${award.badgeClass.name}" for ${award.recipientEmail}? The recipient will see this.`,
    );
    if (reason === null) return;
    return revoke.run(
      () => mutate(REVOKE, { awardId: award.id, reason }),
      () => refetch(),
    );
  };
  return (
    <section class="panel" aria-labelledby="awards-heading">
      <h2 id="awards-heading">Awards</h2>
      <div class="toolbar">
        <For each={[null, "PENDING", "ACCEPTED", "REVOKED", "EXPIRED"]}>
          {(value) => (
            <button type="button" class="button button--secondary" aria-pressed={status() === value} onClick={() => setStatus(value)}>
              {value ? STATUS_LABELS[value] : "All"}
            </button>
          )}
        </For>
      </div>
      <Show when={revoke.message()}>
        <Alert kind="error">{revoke.message()}</Alert>
      </Show>
      <p class="list__meta">{awards()?.total ?? 0} awards</p>
      <ul class="list">
        <For each={awards()?.items}>
          {(award) => (
            <li class="list__item" data-testid="award-row">
              <span class="list__main">
                {award.recipientName ? `${award.recipientName} · ` : ""}
                {award.recipientEmail}
              </span>
              <span class="tag" data-status={award.status}>
                {STATUS_LABELS[award.status]}
              </span>
              <span class="list__meta">
                {award.badgeClass.name} · issued {formatDate(award.issuedOn)}
                {award.revocationReason ? ` · revoked: ${award.revocationReason}` : ""}
              </span>
              <Show when={props.canRevoke && award.status !== "REVOKED"}>
                <Button type="button" variant="danger" onClick={() => onRevoke(award)}>
                  Revoke
                </Button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

const MEMBERS = "query ($id: ID!) { issuer(id: $id) { members { userId name role } } }";
const SET_MEMBER = `mutation ($issuerId: ID!, $email: String!, $role: IssuerRole!) { setIssuerMember(issuerId: $issuerId, email: $email, role: $role) { ${withErrors("... on Issuer { id }")} } }`;
const REMOVE_MEMBER = `mutation ($issuerId: ID!, $userId: ID!) { removeIssuerMember(issuerId: $issuerId, userId: $userId) { ${withErrors("... on Issuer { id }")} } }`;
const ROLE_HELP = "Owners manage members; editors also create badge classes and revoke; awarders award.";

/** Owners only: who may act for the issuer, and in which role. */
function Members(props: { issuerId: string }) {
  const [members, { refetch }] = createResource(
    () => props.issuerId,
    async (id) => (await query<{ issuer: { members: { userId: string; name: string; role: string }[] } }>(MEMBERS, { id })).issuer.members,
  );
  const form = createFormState();
  const row = createFormState();
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const v = formValues(element);
    return form.run(
      () => mutate(SET_MEMBER, { issuerId: props.issuerId, email: v.email, role: v.role }),
      () => {
        element.reset();
        refetch();
      },
    );
  };
  return (
    <section class="panel" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p>{ROLE_HELP}</p>
      <Show when={row.message() ?? row.fieldErrors().role}>
        <Alert kind="error">{row.fieldErrors().role ?? row.message()}</Alert>
      </Show>
      <ul class="list">
        <For each={members()}>
          {(member) => (
            <li class="list__item">
              <span class="list__main">{member.name}</span>
              <span class="tag">{member.role.toLowerCase()}</span>
              <Button
                type="button"
                variant="secondary"
                busy={row.submitting()}
                onClick={() =>
                  row.run(
                    () => mutate(REMOVE_MEMBER, { issuerId: props.issuerId, userId: member.userId }),
                    () => refetch(),
                  )
                }
              >
                Remove
              </Button>
            </li>
          )}
        </For>
      </ul>
      <Show when={form.message()}>
        <Alert kind="error">{form.message()}</Alert>
      </Show>
      <form onSubmit={onSubmit} novalidate>
        <div class="field-row">
          <Field label="Their Laurel account's email" name="email" type="email" required error={form.fieldErrors().email} />
          <div class="field">
            <label for="member-role">Role</label>
            <select id="member-role" name="role">
              <option value="AWARDER">Awarder</option>
              <option value="EDITOR">Editor</option>
              <option value="OWNER">Owner</option>
            </select>
          </div>
        </div>
        <Button variant="secondary" busy={form.submitting()} busyLabel="Adding…">
          Add or change member
        </Button>
      </form>
    </section>
  );
}

/** Everything an issuer's members do: badge classes, awarding (one or a CSV), and the award list with revocation. */
export default function IssuerConsole() {
  const params = useParams();
  const [issuer, { refetch }] = createResource(
    () => params.id,
    async (id) => (await query<{ issuer: IssuerDetail | null }>(ISSUER, { id })).issuer,
  );
  const [version, setVersion] = createSignal(0);
  return (
    <Show
      when={issuer()}
      fallback={<p class="loading">{issuer.loading ? "Loading…" : "No such issuer, or you are not one of its members."}</p>}
    >
      {(i) => (
        <Page title={i().name} lead={`Your role: ${i().myRole.toLowerCase()}`}>
          <div class="stack">
            <section class="panel" aria-labelledby="classes-heading">
              <h2 id="classes-heading">Badge classes</h2>
              <Show when={i().badgeClasses.length} fallback={<p>No badge classes yet.</p>}>
                <ul class="badge-grid">
                  <For each={i().badgeClasses}>
                    {(c) => (
                      <li class="badge-card">
                        <img src={c.imageUrl} alt="" width="72" height="72" />
                        <span class="badge-card__name">{c.name}</span>
                        <span class="badge-card__meta">{c.validForMonths ? `Valid ${c.validForMonths} months` : "Does not expire"}</span>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </section>
            <Show when={i().myRole !== "AWARDER"}>
              <NewBadgeClass issuerId={i().id} onCreated={refetch} />
            </Show>
            <Show when={i().badgeClasses.length}>
              <AwardForms badgeClasses={i().badgeClasses} onAwarded={() => setVersion(version() + 1)} />
            </Show>
            <Awards issuerId={i().id} canRevoke={i().myRole !== "AWARDER"} version={version()} />
            <Show when={i().myRole === "OWNER"}>
              <Members issuerId={i().id} />
              <SigningKeys issuerId={i().id} />
            </Show>
          </div>
        </Page>
      )}
    </Show>
  );
}
