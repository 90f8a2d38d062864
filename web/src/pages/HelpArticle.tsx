import { A, useParams } from "@solidjs/router";
import { createEffect, createResource, For, Show } from "solid-js";
import { HelpfulFooter } from "../components/help/HelpfulFooter";
import { RequestLink } from "../components/help/RequestLink";
import { Page } from "../components/Page";
import { formatDate } from "../lib/format";
import { graphql } from "../lib/gql";
import { query } from "../lib/graphql";
import NotFound from "./NotFound";

const ARTICLE = graphql(`
  query HelpArticle($slug: String!) {
    helpArticle(slug: $slug) {
      id title summary audience authorName bodyHtml state updatedAt
      section { name category { name } }
      related { id slug title }
      votes { helpful total }
      myVote
    }
  }
`);

/** One help article by its slug: the body was made safe by the server's allow-list when saved. */
export default function HelpArticle() {
  const params = useParams();
  const [article] = createResource(
    () => params.slug,
    async (slug) => (await query(ARTICLE, { slug })).helpArticle,
  );
  createEffect(() => {
    const summary = article()?.summary;
    if (summary) document.querySelector('meta[name="description"]')?.setAttribute("content", summary);
  });
  return (
    <Show when={!article.loading} fallback={<p class="loading">Loading…</p>}>
      <Show when={article()} fallback={<NotFound />}>
        {(a) => (
          <Page title={a().title}>
            <nav aria-label="Breadcrumb" class="breadcrumb">
              <A href="/help">Help centre</A> › {a().section.category.name} › {a().section.name}
            </nav>
            <Show when={a().state === "draft"}>
              <p class="tag">Draft: only staff see it</p>
            </Show>
            <p class="help-meta">
              <span>Intended audience: {a().audience}</span> · <span>{a().authorName}</span> ·{" "}
              <span>Updated {formatDate(a().updatedAt)}</span>
            </p>
            <article class="help-body" innerHTML={a().bodyHtml} />
            <HelpfulFooter articleId={a().id} votes={a().votes} myVote={a().myVote} />
            <RequestLink />
            <Show when={a().related.length > 0}>
              <section class="panel" aria-labelledby="related-heading">
                <h2 id="related-heading">Related articles</h2>
                <ul class="help-articles">
                  <For each={a().related}>
                    {(r) => (
                      <li>
                        <A href={`/help/articles/${r.slug}`}>{r.title}</A>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            </Show>
          </Page>
        )}
      </Show>
    </Show>
  );
}
