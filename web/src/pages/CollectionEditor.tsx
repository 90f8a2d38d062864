import { A, useNavigate, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { CopyButton } from "../components/CopyButton";
import { Field } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { Page } from "../components/Page";
import { awardedLine } from "../lib/format";
import { createFormState, formValues } from "../lib/forms";
import { ErrorFields, type FragmentOf, graphql } from "../lib/gql";
import { mutate, query } from "../lib/graphql";

const CollectionFields = graphql(`fragment CollectionFields on Collection { id name description publicUrl sharedAt badges { id } }`);
type Collection = FragmentOf<typeof CollectionFields>;

const LOAD = graphql(
  `query CollectionEditor($id: ID!) {
    collection(id: $id) { ...CollectionFields }
    backpack(first: 100, includeHidden: true) { items { id hidden issuedOn recipientEmail badgeClass { name imageUrl issuer { name } } } }
  }`,
  [CollectionFields],
);
const UPDATE = graphql(
  `mutation UpdateCollection($id: ID!, $input: CollectionInput!) {
    updateCollection(id: $id, input: $input) { __typename ...ErrorFields ...CollectionFields }
  }`,
  [ErrorFields, CollectionFields],
);
const SET_BADGES = graphql(
  `mutation SetCollectionBadges($id: ID!, $awardIds: [ID!]!) {
    setCollectionBadges(id: $id, awardIds: $awardIds) { __typename ...ErrorFields ...CollectionFields }
  }`,
  [ErrorFields, CollectionFields],
);
const SHARE = graphql(`mutation ShareCollection($id: ID!) { shareCollection(id: $id) { __typename ...ErrorFields ...CollectionFields } }`, [
  ErrorFields,
  CollectionFields,
]);
const UNSHARE = graphql(
  `mutation UnshareCollection($id: ID!) { unshareCollection(id: $id) { __typename ...ErrorFields ...CollectionFields } }`,
  [ErrorFields, CollectionFields],
);
const DELETE = graphql(
  `mutation DeleteCollection($id: ID!) { deleteCollection(id: $id) { __typename ...ErrorFields ... on CollectionDeleted { id } } }`,
  [ErrorFields],
);

/** One collection: its name, which badges in which order, and whether (and where) it is shared. */
export default function CollectionEditor() {
  const params = useParams();
  const collectionId = () => params.id ?? "";
  const navigate = useNavigate();
  const [data, { mutate: setData }] = createResource(
    () => params.id,
    async (id) => query(LOAD, { id }),
  );
  const [chosen, setChosen] = createSignal<string[] | null>(null);
  const selection = () => chosen() ?? data()?.collection?.badges.map((b) => b.id) ?? [];
  const badgeById = (id: string) => data()?.backpack.items.find((b) => b.id === id);
  const details = createFormState();
  const badges = createFormState();
  const sharing = createFormState();
  const [saved, setSaved] = createSignal<string | null>(null);
  const keep = (collection: Collection, message: string) => {
    const current = data();
    // Only shareCollection's answer carries the link (Laurel keeps just its hash): later answers
    // keep showing the one made on this page while that share still stands.
    const previous = current?.collection;
    const publicUrl =
      collection.publicUrl ?? (collection.sharedAt && previous?.sharedAt === collection.sharedAt ? previous.publicUrl : null);
    if (current) setData({ ...current, collection: { ...collection, publicUrl } });
    setSaved(message);
  };
  const share = (message: string) =>
    sharing.run(
      () => mutate(SHARE, { id: collectionId() }),
      (x) => keep(x, message),
    );

  const toggle = (id: string, on: boolean) => setChosen(on ? [...selection(), id] : selection().filter((x) => x !== id));
  const move = (index: number, by: -1 | 1) => {
    const list = [...selection()];
    const [item] = list.splice(index, 1);
    if (item) list.splice(index + by, 0, item);
    setChosen(list);
  };
  const onDetails = (event: SubmitEvent) => {
    event.preventDefault();
    const v = formValues(event.currentTarget as HTMLFormElement);
    return details.run(
      () => mutate(UPDATE, { id: collectionId(), input: { name: v.name ?? "", description: v.description } }),
      (c) => keep(c, "Saved."),
    );
  };
  const saveBadges = () =>
    badges.run(
      () => mutate(SET_BADGES, { id: collectionId(), awardIds: selection() }),
      (c) => {
        setChosen(null);
        keep(c, "Badges saved.");
      },
    );
  const remove = () => {
    if (!window.confirm("Delete this collection? Its public link stops working. Your badges stay in your backpack.")) return;
    return sharing.run(
      () => mutate(DELETE, { id: collectionId() }),
      () => navigate("/backpack/collections"),
    );
  };

  return (
    <Show when={data()} fallback={<p class="loading">Loading…</p>}>
      {(d) => (
        <Show when={d().collection} fallback={<p>No such collection.</p>}>
          {(c) => (
            <Page title={c().name} lead="Choose badges, put them in order, and share the collection with one link.">
              <p>
                <A href="/backpack/collections">All collections</A>
              </p>
              <Show when={saved()}>
                <Alert kind="success">{saved()}</Alert>
              </Show>
              <section class="panel" aria-labelledby="share-heading">
                <h2 id="share-heading">Sharing</h2>
                <FormAlert form={sharing} />
                <Show
                  when={c().sharedAt}
                  fallback={
                    <>
                      <p>Only you can see this collection.</p>
                      <Button type="button" busy={sharing.submitting()} onClick={() => share("Shared.")}>
                        Share with a link
                      </Button>
                    </>
                  }
                >
                  {(since) => (
                    <>
                      <Show
                        when={c().publicUrl}
                        fallback={
                          <p>
                            Shared with a link since {new Date(since()).toLocaleDateString(undefined, { dateStyle: "medium" })}. Laurel
                            keeps only a fingerprint of the link, so it cannot show it again. Lost it? Make a new link: the old one stops
                            working.
                          </p>
                        }
                      >
                        {(url) => (
                          <>
                            <p>
                              Anyone with this link sees the collection's visible badges, each linked to its verification page. Copy it now:
                              Laurel shows it only this once.
                            </p>
                            <div class="share-link">
                              <a href={url()} rel="noopener external" target="_blank" data-testid="collection-link">
                                {url()}
                              </a>
                              <CopyButton text={url()} label="Copy link" />
                            </div>
                          </>
                        )}
                      </Show>
                      <div class="toolbar">
                        <Button
                          type="button"
                          variant="secondary"
                          busy={sharing.submitting()}
                          onClick={() => share("New link made: the old one no longer works.")}
                        >
                          Make a new link
                        </Button>
                        <Button
                          type="button"
                          variant="secondary"
                          busy={sharing.submitting()}
                          onClick={() =>
                            sharing.run(
                              () => mutate(UNSHARE, { id: collectionId() }),
                              (x) => keep(x, "Sharing stopped: the link no longer works."),
                            )
                          }
                        >
                          Stop sharing
                        </Button>
                      </div>
                    </>
                  )}
                </Show>
              </section>
              <section class="panel" aria-labelledby="badges-heading">
                <h2 id="badges-heading">Badges in this collection</h2>
                <FormAlert form={badges} field="awardIds" />
                <ol class="list">
                  <For each={selection()} fallback={<li class="list__item">None yet: tick badges below.</li>}>
                    {(id, index) => (
                      <li class="list__item">
                        <span class="list__main">
                          {badgeById(id)?.badgeClass.name ?? "A badge no longer in your backpack"}
                          <Show when={badgeById(id)}>{(badge) => <small> · {awardedLine(badge())}</small>}</Show>
                        </span>
                        <Button type="button" variant="secondary" disabled={index() === 0} onClick={() => move(index(), -1)}>
                          Up
                        </Button>
                        <Button
                          type="button"
                          variant="secondary"
                          disabled={index() === selection().length - 1}
                          onClick={() => move(index(), 1)}
                        >
                          Down
                        </Button>
                      </li>
                    )}
                  </For>
                </ol>
                <fieldset class="choices">
                  <legend>Your badges</legend>
                  <For each={d().backpack.items} fallback={<p>Your backpack is empty.</p>}>
                    {(badge) => (
                      <label class="choice">
                        <input
                          type="checkbox"
                          checked={selection().includes(badge.id)}
                          onChange={(e) => toggle(badge.id, e.currentTarget.checked)}
                        />
                        <img src={badge.badgeClass.imageUrl} alt="" width="40" height="40" />
                        <span>
                          {badge.badgeClass.name} <small>· {badge.badgeClass.issuer.name}</small>
                          <br />
                          <small>{awardedLine(badge)}</small>
                          {badge.hidden ? <small> (hidden: not shown publicly)</small> : null}
                        </span>
                      </label>
                    )}
                  </For>
                </fieldset>
                <Button type="button" busy={badges.submitting()} busyLabel="Saving…" disabled={chosen() === null} onClick={saveBadges}>
                  Save badges
                </Button>
              </section>
              <section class="panel" aria-labelledby="details-heading">
                <h2 id="details-heading">Name and description</h2>
                <form onSubmit={onDetails} novalidate>
                  <Field label="Name" name="name" required maxLength={80} value={c().name} error={details.fieldErrors().name} />
                  <Field
                    label="Description (optional)"
                    name="description"
                    rows={2}
                    maxLength={500}
                    value={c().description}
                    error={details.fieldErrors().description}
                  />
                  <div class="toolbar">
                    <Button variant="secondary" busy={details.submitting()} busyLabel="Saving…">
                      Save
                    </Button>
                    <Button type="button" variant="danger" busy={sharing.submitting()} busyLabel="Deleting…" onClick={remove}>
                      Delete collection
                    </Button>
                  </div>
                </form>
              </section>
            </Page>
          )}
        </Show>
      )}
    </Show>
  );
}
