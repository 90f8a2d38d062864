import { Hono } from "hono";
import { imageRoutes } from "./badges/images.routes";
import type { AwardNotification } from "./badges/notifications";
import { deliverNotifications } from "./badges/notifications.consumer";
import { collectionRoutes } from "./collections/collections.routes";
import { devRoutes } from "./dev/dev.routes";
import { yoga } from "./graphql/yoga";
import { csrfProtection } from "./http/csrf";
import { reportError } from "./http/report-error";
import { type AppEnv, requestContext } from "./http/request-context";
import { ssoRoutes } from "./sso/sso.routes";
import { credentialRoutes } from "./verification/credentials.routes";
import { publicRoutes } from "./verification/public.routes";
import { verifyRoutes } from "./verification/verify.routes";

const app = new Hono<AppEnv>();

app.use("/graphql", csrfProtection(), requestContext());
app.use("/dev/api/*", csrfProtection(), requestContext());
// Browser navigations (GET only) to and from identity providers; no CSRF header is possible here.
app.use("/auth/*", requestContext());

app.on(["GET", "POST"], "/graphql", (c) => yoga.fetch(c.req.raw, { app: c.var.app }));
app.route("/dev/api", devRoutes);
app.route("/auth/sso", ssoRoutes);

app.route("/public/images", imageRoutes);
app.route("/public", publicRoutes);
app.route("/public", credentialRoutes);
app.route("/public", collectionRoutes);
app.route("/api/verify", verifyRoutes);

app.get("/api/health", (c) => c.json({ ok: true }));

app.notFound((c) => c.json({ error: "Not found" }, 404));
app.onError((error, c) => {
  reportError(error, `${c.req.method} ${new URL(c.req.url).pathname}`);
  return c.json({ error: "Something went wrong on our side. Please try again." }, 500);
});

export default {
  fetch: app.fetch,
  queue: deliverNotifications,
} satisfies ExportedHandler<Env, AwardNotification>;
