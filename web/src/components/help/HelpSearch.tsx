import { A } from "@solidjs/router";
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { graphql } from "../../lib/gql";
import { query } from "../../lib/graphql";
import { RequestLink } from "./RequestLink";

const SEARCH = graphql(`
  query SearchHelp($query: String!, $categoryId: ID) {
    searchHelp(query: $query, categoryId: $categoryId) { id slug titleHtml snippetHtml category { name } }
  }
`);

// Results follow the typing, but not every keystroke: a pause this long sends the search.
const TYPING_PAUSE_MS = 200;

/**
 * The help centre's search: results while typing (every word matches as a prefix), optionally
 * in one category. Titles and snippets arrive escaped with their matches in <mark>.
 */
export function HelpSearch(props: { categories: { id: string; name: string }[] }) {
  const [typed, setTyped] = createSignal("");
  const [category, setCategory] = createSignal("");
  const [sent, setSent] = createSignal<{ q: string; c: string } | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => setSent(typed().trim() ? { q: typed().trim(), c: category() } : null), TYPING_PAUSE_MS);
  };
  const [hits] = createResource(sent, async ({ q, c }) => (await query(SEARCH, { query: q, categoryId: c || null })).searchHelp);
  return (
    <section class="help-search" aria-labelledby="help-search-heading">
      <h2 id="help-search-heading" class="visually-hidden">
        Search the help centre
      </h2>
      <form onSubmit={(e) => e.preventDefault()} class="help-search__form">
        <label for="help-search-input" class="visually-hidden">
          Search help articles
        </label>
        <input
          id="help-search-input"
          type="search"
          name="q"
          placeholder="Search help articles"
          autocomplete="off"
          maxLength={200}
          value={typed()}
          onInput={(e) => {
            setTyped(e.currentTarget.value);
            schedule();
          }}
        />
        <label for="help-search-category" class="visually-hidden">
          Category
        </label>
        <select
          id="help-search-category"
          value={category()}
          onChange={(e) => {
            setCategory(e.currentTarget.value);
            schedule();
          }}
        >
          <option value="">All categories</option>
          <For each={props.categories}>{(c) => <option value={c.id}>{c.name}</option>}</For>
        </select>
      </form>
      <div aria-live="polite">
        <Show when={sent() && !hits.loading && hits()}>
          {(list) => (
            <Show
              when={list().length > 0}
              fallback={
                <div class="help-search__none">
                  <p>No articles match “{sent()?.q}”.</p>
                  <RequestLink />
                </div>
              }
            >
              <h3 class="help-search__count">
                {list().length} {list().length === 1 ? "result" : "results"}
              </h3>
              <ul class="help-results">
                <For each={list()}>
                  {(hit) => (
                    <li class="help-results__item">
                      <A href={`/help/articles/${hit.slug}`}>
                        <span innerHTML={hit.titleHtml} />
                      </A>
                      <p class="help-results__snippet" innerHTML={hit.snippetHtml} />
                      <span class="help-results__meta">{hit.category.name}</span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </div>
    </section>
  );
}
