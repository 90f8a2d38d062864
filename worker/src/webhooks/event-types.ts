/** What an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "award.created",
  "award.accepted",
  "award.revoked",
  "submission.submitted",
  "submission.decided",
  "pathway.completed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "Send test event", to whichever endpoint asks, whatever it subscribes to. */
export const TEST_EVENT_TYPE = "webhook.test";

export const isWebhookEventType = (value: string): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
