import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { HelpSearch } from "../components/help/HelpSearch";
import { Page } from "../components/Page";
import { graphql } from "../lib/gql";
import { query } from "../lib/graphql";

const CENTRE = graphql(`
  query HelpCentre {
    helpCentre {
      categories { id name description sections { id name articles { id slug title } } }
      promoted { id slug title summary }
    }
  }
`);

/** The public help centre: search, promoted articles, then every category's sections and articles. */
export default function Help() {
  const [centre] = createResource(async () => (await query(CENTRE)).helpCentre);
  return (
    <Page title="Help centre" lead="Answers about signing in, badges, pathways and micro-credentials. No account needed.">
      <HelpSearch categories={centre()?.categories ?? []} />
      <Show when={centre()} fallback={<p class="loading">Loading…</p>}>
        {(c) => (
          <>
            <Show when={c().promoted.length > 0}>
              <section class="panel" aria-labelledby="promoted-heading">
                <h2 id="promoted-heading">Promoted articles</h2>
                <ul class="help-promoted">
                  <For each={c().promoted}>
                    {(article) => (
                      <li>
                        <A href={`/help/articles/${article.slug}`}>{article.title}</A>
                        <p>{article.summary}</p>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            </Show>
            <div class="help-categories">
              <For each={c().categories}>
                {(category) => (
                  <section class="panel" aria-labelledby={`category-${category.id}`}>
                    <h2 id={`category-${category.id}`}>{category.name}</h2>
                    <Show when={category.description}>
                      <p>{category.description}</p>
                    </Show>
                    <For each={category.sections.filter((s) => s.articles.length > 0)}>
                      {(section) => (
                        <>
                          <h3>{section.name}</h3>
                          <ul class="help-articles">
                            <For each={section.articles}>
                              {(article) => (
                                <li>
                                  <A href={`/help/articles/${article.slug}`}>{article.title}</A>
                                </li>
                              )}
                            </For>
                          </ul>
                        </>
                      )}
                    </For>
                  </section>
                )}
              </For>
            </div>
          </>
        )}
      </Show>
    </Page>
  );
}
