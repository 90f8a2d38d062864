import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { Page } from "../components/Page";
import { awardedLine, STATUS_LABELS } from "../lib/format";
import { graphql, type ResultOf } from "../lib/gql";
import { query } from "../lib/graphql";

const BACKPACK = graphql(`
  query Backpack($filter: BackpackFilter, $includeHidden: Boolean, $after: String) {
    backpack(filter: $filter, includeHidden: $includeHidden, first: 24, after: $after) {
      items { id status hidden issuedOn expiresAt recipientEmail badgeClass { name imageUrl issuer { name } } }
      endCursor hasNextPage
    }
  }
`);
type BackpackItem = ResultOf<typeof BACKPACK>["backpack"]["items"][number];

const FILTERS = [
  { value: "ALL", label: "All" },
  { value: "ACTIVE", label: "Active" },
  { value: "EXPIRED", label: "Expired" },
] as const;

/** Every badge awarded to any of the user's verified emails, newest first. */
export default function Backpack() {
  const [filter, setFilter] = createSignal<(typeof FILTERS)[number]["value"]>("ALL");
  const [includeHidden, setIncludeHidden] = createSignal(false);
  const [extra, setExtra] = createSignal<BackpackItem[]>([]);
  const [cursor, setCursor] = createSignal<{ endCursor: string | null; hasNextPage: boolean }>({ endCursor: null, hasNextPage: false });
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [page] = createResource(
    () => ({ filter: filter(), includeHidden: includeHidden() }),
    async (variables) => {
      const result = (await query(BACKPACK, variables)).backpack;
      setExtra([]);
      setCursor(result);
      return result.items;
    },
  );
  const items = () => [...(page() ?? []), ...extra()];
  async function loadMore() {
    setLoadingMore(true);
    try {
      const result = (await query(BACKPACK, { filter: filter(), includeHidden: includeHidden(), after: cursor().endCursor })).backpack;
      setExtra([...extra(), ...result.items]);
      setCursor(result);
    } finally {
      setLoadingMore(false);
    }
  }
  return (
    <Page title="Backpack" lead="Badges awarded to any of your verified email addresses.">
      <p>
        <A href="/backpack/collections">Collections</A>: group badges and share them with one link.
      </p>
      <div class="toolbar">
        <For each={FILTERS}>
          {(option) => (
            <button
              type="button"
              class="button button--secondary"
              aria-pressed={filter() === option.value}
              onClick={() => setFilter(option.value)}
            >
              {option.label}
            </button>
          )}
        </For>
        <label class="toggle">
          <input type="checkbox" checked={includeHidden()} onChange={(e) => setIncludeHidden(e.currentTarget.checked)} /> Show hidden badges
        </label>
      </div>
      <Show when={!page.loading} fallback={<p class="loading">Loading…</p>}>
        <Show when={items().length} fallback={<p>No badges here yet.</p>}>
          <ul class="badge-grid">
            <For each={items()}>
              {(item) => (
                <li class="badge-card" classList={{ "badge-card--muted": item.hidden || item.status === "EXPIRED" }}>
                  <A href={`/backpack/${item.id}`} class="badge-card__link">
                    <img src={item.badgeClass.imageUrl} alt="" width="96" height="96" loading="lazy" />
                    <span class="badge-card__name">{item.badgeClass.name}</span>
                  </A>
                  <span class="badge-card__meta">{item.badgeClass.issuer.name}</span>
                  <span class="badge-card__meta badge-card__recipient">{awardedLine(item)}</span>
                  <span class="tag" data-status={item.status}>
                    {STATUS_LABELS[item.status] ?? item.status}
                    {item.hidden ? " · hidden" : ""}
                  </span>
                </li>
              )}
            </For>
          </ul>
          <Show when={cursor().hasNextPage}>
            <Button type="button" variant="secondary" busy={loadingMore()} busyLabel="Loading…" onClick={loadMore}>
              Show more
            </Button>
          </Show>
        </Show>
      </Show>
      <Alert kind="info" title="Missing a badge?">
        Badges appear here when they were awarded to an email address you have verified. If an issuer used another address (a school or work
        one, for example), add it under <A href="/account">Account › Emails</A>: its badges appear as soon as it is verified. Adding a
        personal address too keeps your badges reachable after you leave an institution.
      </Alert>
    </Page>
  );
}
