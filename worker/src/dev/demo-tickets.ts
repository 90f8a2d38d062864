import { eq } from "drizzle-orm";
import { getUserByEmail } from "../accounts/accounts.service";
import type { AppContext } from "../context";
import { replyAsStaff, setTicketState } from "../tickets/desk.service";
import { rateTicket, submitTicket } from "../tickets/tickets.service";
import { tickets } from "../tickets/tickets.table";

/**
 * Demo support tickets of learner@laurel.local, one in each state a desk works with: new,
 * open, pending (a public reply and an internal note), solved and rated. staff@laurel.local answers
 * them at /staff/tickets. Through the services, so they are made the way real ones are.
 */
export async function seedDemoTickets(ctx: AppContext): Promise<number> {
  const learner = await getUserByEmail(ctx, "learner@laurel.local");
  const staff = await getUserByEmail(ctx, "staff@laurel.local");
  if (!learner || !staff || (await ctx.db.query.tickets.findFirst({ where: eq(tickets.requesterUserId, learner.id) }))) return 0;
  const asLearner = { ...ctx, user: learner, apiToken: null };

  await submitTicket(asLearner, learner, {
    subject: "My LinkedIn share shows the wrong image",
    description: "I shared **Digital Pedagogy** on LinkedIn but the preview shows the Laurel logo.",
    topic: "badges",
    sourcePage: "/backpack",
  });

  const pending = await submitTicket(asLearner, learner, {
    subject: "New phone: my authenticator codes are gone",
    description: "I moved to a new phone and the authenticator app did not come with me. I still have my recovery code somewhere.",
    topic: "sign-in-and-security",
    sourcePage: "/sign-in/code",
  });
  await replyAsStaff(ctx, staff, {
    ticketId: pending.id,
    body: "Checked: the account has an authenticator and a recovery code; no reset needed yet.",
    internal: true,
  });
  await replyAsStaff(ctx, staff, {
    ticketId: pending.id,
    body: "Sign in with your **recovery code** on the code step (“Use a recovery code”), then set up the new phone under Security. Did that work?",
    internal: false,
    state: "pending",
  });

  const solved = await submitTicket(asLearner, learner, {
    subject: "Where do I see my pathway progress?",
    description: "I accepted a pathway invitation but cannot find it again.",
    topic: "pathways",
    sourcePage: "/help",
  });
  await replyAsStaff(ctx, staff, { ticketId: solved.id, body: "It is under **Pathways** in the menu (My Pathways).", internal: false });
  await setTicketState(ctx, staff, { ticketId: solved.id, state: "solved" });
  await rateTicket(asLearner, { ticketId: solved.id, good: true, comment: "Quick answer, thank you." });

  const open = await submitTicket(asLearner, learner, {
    subject: "Evidence upload refused",
    description: "My PDF of 12 MB is refused when I submit evidence.",
    topic: "micro-credentials",
  });
  await replyAsStaff(ctx, staff, {
    ticketId: open.id,
    body: "Thank you: we are looking at your file and will come back to you.",
    internal: false,
  });
  return 4;
}
