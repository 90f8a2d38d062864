import { Hono } from "hono";
import { ACCOUNTS_MERGED, EMAIL_VERIFIED } from "./accounts/account-events";
import { AWARD_ACCEPTED, AWARD_CREATED, AWARD_REVOKED } from "./badges/award-events";
import { imageRoutes } from "./badges/images.routes";
import { notifyAwardCreated, notifyAwardRevoked } from "./badges/notifications";
import { collectionRoutes } from "./collections/collections.routes";
import { type AppContext, backgroundContext } from "./context";
import { devRoutes } from "./dev/dev.routes";
import { EMAIL_SEND, sendQueuedEmail } from "./email/queued-email";
import { getConfig } from "./env";
import { graphqlServer } from "./graphql/yoga";
import { articlePageHead } from "./help/article-page";
import { credentialedCors, publicCors } from "./http/cors";
import { csrfProtection } from "./http/csrf";
import { reportError } from "./http/report-error";
import { type AppEnv, requestContext } from "./http/request-context";
import { securityHeaders } from "./http/security-headers";
import { spaPages } from "./http/spa-pages";
import { attachApiCaller, refuseInvalidBearer } from "./integrations/bearer-caller";
import { authorizationServerMetadata, oauthRoutes } from "./integrations/oauth.routes";
import { apiRateLimit } from "./integrations/rate-limit";
import { evidenceRoutes } from "./microcredentials/evidence.routes";
import { SUBMISSION_DECIDED, SUBMISSION_SUBMITTED } from "./microcredentials/submission-events";
import { deliverOutboxBatch, type OutboxHandlers } from "./outbox/deliver";
import { enqueueDueEvents, type OutboxMessage, pruneFinishedEvents } from "./outbox/enqueue";
import { completePathwaysAfterAward, completePathwaysOfAccount, evaluatePathwayEvent } from "./pathways/completion.handlers";
import { sendPathwayInvitation } from "./pathways/invitations.service";
import { PATHWAY_COMPLETED, PATHWAY_EVALUATE, PATHWAY_INVITED } from "./pathways/pathway-events";
import { progressShareRoutes } from "./pathways/progress-share.routes";
import { attachSession } from "./sessions/visitor";
import { ssoRoutes } from "./sso/sso.routes";
import { closeSolvedTickets } from "./tickets/desk.service";
import { credentialRoutes } from "./verification/credentials.routes";
import { signAwardCredential } from "./verification/credentials.service";
import { publicRoutes } from "./verification/public.routes";
import { verifyRoutes } from "./verification/verify.routes";
import { awardWebhooks } from "./webhooks/award-webhooks";
import { deliverWebhookEvent, sendDueWebhooks, WEBHOOK_DELIVER, WEBHOOK_ENDPOINT_DISABLED } from "./webhooks/deliveries.service";
import { notifyEndpointDisabled } from "./webhooks/endpoint-disabled";
import { pathwayCompletedWebhooks } from "./webhooks/pathway-webhooks";
import { submissionWebhooks } from "./webhooks/submission-webhooks";

const app = new Hono<AppEnv>();

app.use("*", securityHeaders());
// A request with `Authorization: Bearer` is an integration: its token, never its cookies.
const identifyCaller = (app: AppContext) => (app.bearerToken !== null ? attachApiCaller(app) : attachSession(app));
app.use(
  "/graphql",
  credentialedCors(),
  csrfProtection({ reads: true }),
  apiRateLimit(),
  requestContext(identifyCaller),
  refuseInvalidBearer(),
);
app.use("/dev/api/*", credentialedCors(), csrfProtection(), requestContext(attachSession));
// Evidence uploads (PUT, with the CSRF header) and signed reads (GET, bound to the session).
app.use("/api/submissions/*", credentialedCors(), csrfProtection(), requestContext(attachSession));
app.use("/api/evidence/*", requestContext(attachSession));
app.use("/public/*", publicCors());
app.use("/api/verify", publicCors());
app.use("/.well-known/oauth-authorization-server", publicCors());
// Browser navigations (GET only) to and from identity providers; no CSRF header is possible here.
app.use("/auth/*", requestContext(attachSession));

app.on(["GET", "POST"], "/graphql", (c) => graphqlServer(c.var.app.config.environment).fetch(c.req.raw, { app: c.var.app }));
app.route("/dev/api", devRoutes);
app.route("/api", evidenceRoutes);
app.route("/auth/sso", ssoRoutes);
app.route("/oauth", oauthRoutes);
app.get("/.well-known/oauth-authorization-server", (c) =>
  c.json(authorizationServerMetadata(getConfig(c.env).appUrl), 200, { "Cache-Control": "public, max-age=3600" }),
);

app.route("/public/images", imageRoutes);
app.route("/public", publicRoutes);
app.route("/public", credentialRoutes);
app.route("/public", collectionRoutes);
app.route("/public", progressShareRoutes);
app.route("/api/verify", verifyRoutes);

app.get("/api/health", (c) => c.json({ ok: true }));
app.use("*", spaPages({ "/help/articles/:slug": articlePageHead }));

app.notFound((c) => c.json({ error: "Not found" }, 404));
app.onError((error, c) => {
  reportError(error, `${c.req.method} ${new URL(c.req.url).pathname}`);
  return c.json({ error: "Something went wrong on our side. Please try again." }, 500);
});

/** Who does the work that follows each kind of outbox event (docs/decisions/013-transactional-outbox.md). */
const outboxHandlers: OutboxHandlers<AppContext> = {
  [EMAIL_SEND]: [sendQueuedEmail],
  // The email first: a signing failure retries the event, and the email's marker keeps it single.
  // Pathways last: their completion awards are new events of their own, whatever happens here.
  // Webhooks fan out into deliveries with their own retries, so they never fail the event.
  [AWARD_CREATED]: [notifyAwardCreated, signAwardCredential, completePathwaysAfterAward, awardWebhooks("award.created")],
  [AWARD_ACCEPTED]: [awardWebhooks("award.accepted")],
  [AWARD_REVOKED]: [notifyAwardRevoked, awardWebhooks("award.revoked")],
  [PATHWAY_EVALUATE]: [evaluatePathwayEvent],
  [PATHWAY_INVITED]: [sendPathwayInvitation],
  [EMAIL_VERIFIED]: [completePathwaysOfAccount],
  [ACCOUNTS_MERGED]: [completePathwaysOfAccount],
  [SUBMISSION_SUBMITTED]: [submissionWebhooks("submission.submitted")],
  [SUBMISSION_DECIDED]: [submissionWebhooks("submission.decided")],
  [PATHWAY_COMPLETED]: [pathwayCompletedWebhooks],
  [WEBHOOK_DELIVER]: [deliverWebhookEvent],
  [WEBHOOK_ENDPOINT_DISABLED]: [notifyEndpointDisabled],
};

export default {
  fetch: app.fetch,
  queue: (batch, env, execution) => deliverOutboxBatch(backgroundContext(env, execution), outboxHandlers, batch),
  // Every minute: hands over what the requests could not, and the retries that are due.
  async scheduled(_controller, env, execution) {
    const ctx = backgroundContext(env, execution);
    await enqueueDueEvents(ctx);
    await pruneFinishedEvents(ctx);
    // Solved tickets close after AUTO_CLOSE_DAYS; a minute's lateness is nothing to a requester.
    await closeSolvedTickets(ctx);
    await sendDueWebhooks(ctx);
  },
} satisfies ExportedHandler<Env, OutboxMessage>;
