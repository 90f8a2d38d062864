import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";

// `pnpm dev` shows every feature with data: the seed must keep making it, once.

const seed = () => new TestClient().request("/dev/api/seed", { method: "POST", headers: { "x-laurel-csrf": "1" } });

describe("the demo seed", () => {
  it("gives the demo issuer micro-credentials and a published pathway, the demo learner a returned, a submitted and a draft submission and a pathway invitation, once", async () => {
    const first = (await (await seed()).json()) as { demoMicroCredentials: boolean; demoPathway: boolean };
    expect(first).toMatchObject({ demoMicroCredentials: true, demoPathway: true, demoTickets: 4 });
    const states = await env.DB.prepare(
      `select s.state, s.round, (select count(*) from submission_reviews r where r.submission_id = s.id) as reviews,
         (select count(*) from submission_scores sc join submission_reviews r on r.id = sc.review_id where r.submission_id = s.id) as scores
       from submissions s join users u on u.id = s.learner_id join emails e on e.user_id = u.id
       where e.address = 'learner@laurel.local' order by s.state`,
    ).all<{ state: string; round: number; reviews: number; scores: number }>();
    expect(states.results).toEqual([
      { state: "draft", round: 0, reviews: 0, scores: 0 },
      { state: "returned", round: 1, reviews: 1, scores: 2 },
      { state: "submitted", round: 1, reviews: 0, scores: 0 },
    ]);
    const classes = await env.DB.prepare("select count(*) as n from micro_credentials where blind_review = 1").first<{ n: number }>();
    expect(classes?.n).toBe(1);
    // The evidence file of each handed-in submission is in R2.
    const files = await env.FILES.list({ prefix: "evidence/" });
    expect(files.objects.length).toBe(2);

    const pathway = await env.DB.prepare(
      `select p.id, p.state, p.image_key, (select count(*) from pathway_steps s where s.pathway_id = p.id) as steps,
        (select count(*) from pathway_invitations i where i.pathway_id = p.id and i.email = 'learner@laurel.local') as invited
       from pathways p where p.name = 'Assessment Leader'`,
    ).first<{ state: string; steps: number; invited: number }>();
    expect(pathway).toMatchObject({ state: "published", steps: 2, invited: 1, image_key: expect.stringContaining("pathways") });

    const tickets = await env.DB.prepare(
      "select t.state from tickets t join emails e on e.address = t.requester_email where e.address = 'learner@laurel.local' order by t.state",
    ).all<{ state: string }>();
    expect(tickets.results.map((t) => t.state)).toEqual(["new", "open", "pending", "solved"]);

    const again = (await (await seed()).json()) as { demoMicroCredentials: boolean; demoPathway: boolean };
    expect(again).toMatchObject({ demoMicroCredentials: false, demoPathway: false, demoTickets: 0 });
    expect((await env.DB.prepare("select count(*) as n from submissions").first<{ n: number }>())?.n).toBe(3);
  });
});
