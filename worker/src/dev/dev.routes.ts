import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { outbox } from "../email/outbox.table";
import type { AppEnv } from "../http/request-context";
import { seedDemoData } from "./seed";

/** Development-only routes: the mailbox the SPA shows and the idempotent demo seed. */
export const devRoutes = new Hono<AppEnv>();

devRoutes.use(async (c, next) => {
  if (c.var.app.config.environment === "production") return c.notFound();
  await next();
});

devRoutes.get("/mailbox", async (c) => {
  const messages = await c.var.app.db.select().from(outbox).orderBy(desc(outbox.createdAt)).limit(200).all();
  return c.json({ messages });
});

devRoutes.delete("/mailbox", async (c) => {
  await c.var.app.db.delete(outbox);
  return c.json({ ok: true });
});

devRoutes.post("/seed", async (c) => c.json(await seedDemoData(c.var.app)));
