import { createResource, createSignal, For, Show } from "solid-js";
import { formatDate } from "../../lib/format";
import { createFormState } from "../../lib/forms";
import { ErrorFields, graphql, type ResultOf } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { CopyButton } from "../CopyButton";
import { Field } from "../Field";
import { FormAlert } from "../FormAlert";

const EndpointFields = graphql(`
  fragment WebhookEndpointFields on WebhookEndpoint {
    id url description events status disabledReason secretHint createdAt
    deliveries(first: 10) { id eventType status attempts nextAttemptAt createdAt log { statusCode latencyMs responseExcerpt error attemptedAt } }
  }
`);
type Endpoint = ResultOf<typeof EndpointFields>;

const EVENT_TYPES = graphql(`query WebhookEventTypes { webhookEventTypes }`);
const ENDPOINTS = graphql(`query IssuerWebhooks($id: ID!) { issuer(id: $id) { webhookEndpoints { ...WebhookEndpointFields } } }`, [
  EndpointFields,
]);
const CREATE = graphql(
  `mutation CreateWebhookEndpoint($issuerId: ID!, $input: WebhookEndpointInput!) {
    createWebhookEndpoint(issuerId: $issuerId, input: $input) { __typename ...ErrorFields ... on WebhookSecretShown { secret endpoint { id url } } }
  }`,
  [ErrorFields],
);
const UPDATE = graphql(
  `mutation UpdateWebhookEndpoint($id: ID!, $input: WebhookEndpointInput!) {
    updateWebhookEndpoint(id: $id, input: $input) { __typename ...ErrorFields ... on WebhookEndpoint { id } }
  }`,
  [ErrorFields],
);
const ENABLE = graphql(
  `mutation SetWebhookEndpointEnabled($id: ID!, $enabled: Boolean!) {
    setWebhookEndpointEnabled(id: $id, enabled: $enabled) { __typename ...ErrorFields ... on WebhookEndpoint { id status } }
  }`,
  [ErrorFields],
);
const ROTATE = graphql(
  `mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) { __typename ...ErrorFields ... on WebhookSecretShown { secret endpoint { id url } } }
  }`,
  [ErrorFields],
);
const DELETE = graphql(
  `mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename ...ErrorFields ... on WebhookEndpoint { id } } }`,
  [ErrorFields],
);
const TEST = graphql(
  `mutation SendTestWebhook($id: ID!) { sendTestWebhook(endpointId: $id) { __typename ...ErrorFields ... on WebhookDelivery { id } } }`,
  [ErrorFields],
);
const REDELIVER = graphql(
  `mutation RedeliverWebhook($id: ID!) { redeliverWebhook(id: $id) { __typename ...ErrorFields ... on WebhookDelivery { id } } }`,
  [ErrorFields],
);

const DELIVERY_STATUS = { PENDING: "pending", SUCCEEDED: "delivered", FAILED: "failed" } as const;

/** The checkboxes of the events an endpoint subscribes to. */
function EventChoices(props: { idPrefix: string; types: string[]; chosen: string[]; error?: string }) {
  return (
    <fieldset class="field" classList={{ "field--invalid": Boolean(props.error) }}>
      <legend>Events</legend>
      <For each={props.types}>
        {(type) => (
          <div class="field field--checkbox">
            <input type="checkbox" id={`${props.idPrefix}-${type}`} name="events" value={type} checked={props.chosen.includes(type)} />
            <label for={`${props.idPrefix}-${type}`}>
              <code>{type}</code>
            </label>
          </div>
        )}
      </For>
      <Show when={props.error}>
        <p class="field__error" role="alert">
          {props.error}
        </p>
      </Show>
    </fieldset>
  );
}

const inputOf = (form: HTMLFormElement) => {
  const data = new FormData(form);
  return {
    url: String(data.get("url") ?? ""),
    description: String(data.get("description") ?? ""),
    events: data.getAll("events").map(String),
  };
};

/**
 * An issuer's webhook endpoints (owners only): where Laurel POSTs its events, signed with a
 * secret shown once; the latest deliveries with what the receiver answered.
 */
export function Webhooks(props: { issuerId: string }) {
  const [types] = createResource(async () => (await query(EVENT_TYPES)).webhookEventTypes);
  const [endpoints, { refetch }] = createResource(
    () => props.issuerId,
    async (id) => (await query(ENDPOINTS, { id })).issuer?.webhookEndpoints ?? [],
  );
  const [secret, setSecret] = createSignal<{ url: string; secret: string } | null>(null);
  const [editing, setEditing] = createSignal<string | null>(null);
  const [deleting, setDeleting] = createSignal<string | null>(null);
  const create = createFormState();
  const edit = createFormState();
  const action = createFormState();

  const onCreate = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setSecret(null);
    return create.run(
      () => mutate(CREATE, { issuerId: props.issuerId, input: inputOf(form) }),
      (created) => {
        if (created.__typename !== "WebhookSecretShown") return;
        setSecret({ url: created.endpoint.url, secret: created.secret });
        form.reset();
        return refetch();
      },
    );
  };
  const onEdit = (endpoint: Endpoint, event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    return edit.run(
      () => mutate(UPDATE, { id: endpoint.id, input: inputOf(form) }),
      () => {
        setEditing(null);
        return refetch();
      },
    );
  };
  const run = (call: () => ReturnType<typeof mutate>, after?: (data: any) => void) =>
    action.run(call, (data) => {
      after?.(data);
      return refetch();
    });
  const showSecret = (data: any) => {
    if (data.__typename === "WebhookSecretShown") setSecret({ url: data.endpoint.url, secret: data.secret });
  };

  return (
    <section class="panel" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p>
        Laurel POSTs this issuer's events to your endpoints as they happen, signed as the Standard Webhooks specification says (headers
        webhook-id, webhook-timestamp and webhook-signature). A receiver that fails is retried for about a day; an endpoint that fails for
        24 hours is disabled and the owners are emailed.
      </p>
      <Show when={secret()}>
        {(s) => (
          <Alert kind="success">
            <p>
              Signing secret for <strong>{s().url}</strong>. Copy it now: it is not shown again.
            </p>
            <div class="share-link">
              <code data-testid="webhook-secret">{s().secret}</code>
              <CopyButton text={s().secret} label="Copy secret" />
            </div>
          </Alert>
        )}
      </Show>
      <FormAlert form={action} />
      <div class="toolbar">
        <Button type="button" variant="secondary" onClick={() => refetch()}>
          Refresh deliveries
        </Button>
      </div>
      <ul class="list" aria-label="Webhook endpoints">
        <For each={endpoints() ?? []} fallback={<li class="list__item">No endpoints yet.</li>}>
          {(endpoint) => (
            <li class="list__item webhook">
              <span class="list__main">
                <code>{endpoint.url}</code> {endpoint.description}
              </span>
              <span class="tag">{endpoint.status === "ENABLED" ? "enabled" : "disabled"}</span>
              <span class="list__meta">
                {endpoint.events.join(", ")} · secret <code>{endpoint.secretHint}</code> · added {formatDate(endpoint.createdAt)}
                {endpoint.disabledReason ? ` · ${endpoint.disabledReason}` : ""}
              </span>
              <div class="toolbar">
                <Button type="button" variant="secondary" onClick={() => run(() => mutate(TEST, { id: endpoint.id }))}>
                  Send test event
                </Button>
                <Button type="button" variant="secondary" onClick={() => setEditing(editing() === endpoint.id ? null : endpoint.id)}>
                  Edit
                </Button>
                <Button
                  type="button"
                  variant="secondary"
                  onClick={() => run(() => mutate(ENABLE, { id: endpoint.id, enabled: endpoint.status !== "ENABLED" }))}
                >
                  {endpoint.status === "ENABLED" ? "Disable" : "Enable"}
                </Button>
                <Button type="button" variant="secondary" onClick={() => run(() => mutate(ROTATE, { id: endpoint.id }), showSecret)}>
                  Rotate secret
                </Button>
                <Show
                  when={deleting() === endpoint.id}
                  fallback={
                    <Button type="button" variant="secondary" onClick={() => setDeleting(endpoint.id)}>
                      Delete
                    </Button>
                  }
                >
                  <Button
                    type="button"
                    variant="danger"
                    onClick={() =>
                      run(
                        () => mutate(DELETE, { id: endpoint.id }),
                        () => setDeleting(null),
                      )
                    }
                  >
                    Delete {endpoint.url} and its log
                  </Button>
                </Show>
              </div>
              <Show when={editing() === endpoint.id}>
                <form novalidate aria-label={`Edit ${endpoint.url}`} onSubmit={(e) => onEdit(endpoint, e)}>
                  <FormAlert form={edit} />
                  <Field label="Endpoint URL" name="url" type="url" required value={endpoint.url} error={edit.fieldErrors().url} />
                  <Field label="Description" name="description" value={endpoint.description} error={edit.fieldErrors().description} />
                  <EventChoices
                    idPrefix={`edit-${endpoint.id}`}
                    types={types() ?? []}
                    chosen={endpoint.events}
                    error={edit.fieldErrors().events}
                  />
                  <Button variant="secondary" busy={edit.submitting()} busyLabel="Saving…">
                    Save endpoint
                  </Button>
                </form>
              </Show>
              <table class="queue" aria-label={`Recent deliveries to ${endpoint.url}`}>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last answer</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={endpoint.deliveries}
                    fallback={
                      <tr>
                        <td colSpan={4}>No deliveries yet.</td>
                      </tr>
                    }
                  >
                    {(delivery) => {
                      const last = () => delivery.log[0];
                      return (
                        <tr data-testid="webhook-delivery">
                          <td>
                            <code>{delivery.eventType}</code> {formatDate(delivery.createdAt)}
                          </td>
                          <td>
                            {DELIVERY_STATUS[delivery.status]} ({delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"})
                            {delivery.nextAttemptAt ? `, next ${formatDate(delivery.nextAttemptAt)}` : ""}
                          </td>
                          <td>
                            <Show when={last()} fallback="—">
                              {(a) => (
                                <>
                                  {a().statusCode !== null ? `HTTP ${a().statusCode}` : (a().error ?? "no answer")} in {a().latencyMs} ms
                                  <Show when={a().responseExcerpt}>
                                    <pre class="webhook__excerpt">{a().responseExcerpt}</pre>
                                  </Show>
                                </>
                              )}
                            </Show>
                          </td>
                          <td>
                            <Button type="button" variant="link" onClick={() => run(() => mutate(REDELIVER, { id: delivery.id }))}>
                              Redeliver
                            </Button>
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
            </li>
          )}
        </For>
      </ul>

      <h3>New endpoint</h3>
      <FormAlert form={create} />
      <form onSubmit={onCreate} novalidate aria-label="New webhook endpoint">
        <Field
          label="Endpoint URL"
          name="url"
          type="url"
          required
          hint="An https:// address of your system that accepts POST requests."
          error={create.fieldErrors().url}
        />
        <Field label="Description" name="description" maxLength={200} error={create.fieldErrors().description} />
        <EventChoices idPrefix="new-webhook" types={types() ?? []} chosen={[]} error={create.fieldErrors().events} />
        <Button variant="secondary" busy={create.submitting()} busyLabel="Adding…">
          Add endpoint
        </Button>
      </form>
    </section>
  );
}
