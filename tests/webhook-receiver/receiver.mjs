// A loopback webhook receiver for tests: an HTTP server that accepts POSTs at /hooks/<name>,
// keeps each request (headers and raw body) for the test to read back and verify, and answers
// as the test planned: a number of failures (a status code, or a redirect) before it succeeds.
//
//   PUT /plans/<name>   { "failures": 2, "status": 503 }   the next 2 POSTs get 503, then 200
//   PUT /plans/<name>   { "failures": 1, "redirect": "http://…" }  a 302 instead
//   GET /received/<name>                                    [{ headers, body }, …]
import { createServer } from "node:http";

export async function startWebhookReceiver({ port = 0, host = "127.0.0.1" } = {}) {
  /** @type {Map<string, { headers: Record<string, string>, body: string }[]>} */
  const received = new Map();
  /** @type {Map<string, { failures: number, status?: number, redirect?: string }>} */
  const plans = new Map();

  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://receiver");
    const [, section, name] = pathname.split("/");
    const body = await readBody(req);
    if (req.method === "POST" && section === "hooks" && name) {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      received.set(name, [...(received.get(name) ?? []), { headers, body }]);
      const plan = plans.get(name);
      if (plan && plan.failures > 0) {
        plan.failures -= 1;
        if (plan.redirect) return res.writeHead(302, { location: plan.redirect }).end();
        return res.writeHead(plan.status ?? 500, { "content-type": "text/plain" }).end(`not yet (${plan.failures} more failures planned)`);
      }
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ received: true }));
    }
    if (req.method === "PUT" && section === "plans" && name) {
      plans.set(name, JSON.parse(body || "{}"));
      return res.writeHead(204).end();
    }
    if (req.method === "GET" && section === "received" && name) {
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received.get(name) ?? []));
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}
