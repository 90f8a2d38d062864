// A loopback Cloudflare Turnstile for development and tests: the widget script (api.js, with
// turnstile.render / reset / remove / getResponse) and the siteverify endpoint, speaking
// Turnstile's protocol so Laurel's code runs unchanged against it. Tokens are single use,
// bound to the site key and action they were issued for, and expire after 300 s, as
// Cloudflare's do. The widget asks the visitor to tick "Verify you are human".
//
//   node tests/turnstile-peer/peer.mjs        (port from TURNSTILE_PORT, default 8797)
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

/** Site key → secret key of the sites this peer serves. */
export const DEFAULT_SITES = { "laurel-dev-site-key": "laurel-dev-secret-key", "laurel-test-site-key": "laurel-test-secret-key" };
const TOKEN_MS = 300_000;

/**
 * Starts the peer. `testHooks` adds `POST /test/token` ({ sitekey, action } → { token }), for
 * API-level tests that have no browser to tick the box.
 */
export async function startTurnstilePeer({ port = 0, host = "127.0.0.1", sites = DEFAULT_SITES, testHooks = false } = {}) {
  /** @type {Map<string, { sitekey: string, action: string, hostname: string, issuedAt: number, spentBy: string | null }>} */
  const tokens = new Map();
  let url = "";

  function issue(sitekey, action, hostname) {
    if (!(sitekey in sites)) return null;
    const token = `loopback.${randomBytes(48).toString("base64url")}`;
    tokens.set(token, { sitekey, action: action || "", hostname, issuedAt: Date.now(), spentBy: null });
    return token;
  }

  function siteverify(params) {
    const secret = params.secret ?? "";
    const response = params.response ?? "";
    const fail = (...codes) => ({ success: false, "error-codes": codes, messages: [] });
    if (!secret) return fail("missing-input-secret");
    if (!Object.values(sites).includes(secret)) return fail("invalid-input-secret");
    if (!response) return fail("missing-input-response");
    const entry = tokens.get(response);
    if (!entry || sites[entry.sitekey] !== secret) return fail("invalid-input-response");
    const key = params.idempotency_key || null;
    // A token is good once; the same idempotency key may ask again and hear the same answer.
    if (Date.now() - entry.issuedAt > TOKEN_MS || (entry.spentBy !== null && entry.spentBy !== key)) return fail("timeout-or-duplicate");
    if (entry.spentBy === null) entry.spentBy = key ?? "spent";
    return {
      success: true,
      "error-codes": [],
      challenge_ts: new Date(entry.issuedAt).toISOString(),
      hostname: entry.hostname,
      action: entry.action,
      cdata: "",
      metadata: { interactive: true },
    };
  }

  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://peer");
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" };
    const json = (status, body) => res.writeHead(status, { "content-type": "application/json", ...cors }).end(JSON.stringify(body));
    if (req.method === "OPTIONS") return res.writeHead(204, { ...cors, "access-control-allow-methods": "POST" }).end();
    if (req.method === "GET" && pathname === "/turnstile/v0/api.js") {
      return res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", ...cors }).end(widgetScript(url));
    }
    if (req.method === "POST" && pathname === "/turnstile/v0/siteverify") {
      const body = await readBody(req);
      const params = (req.headers["content-type"] ?? "").includes("application/json")
        ? JSON.parse(body || "{}")
        : Object.fromEntries(new URLSearchParams(body));
      return json(200, siteverify(params));
    }
    if (req.method === "POST" && pathname === "/turnstile/v0/issue") {
      const { sitekey, action, hostname } = JSON.parse((await readBody(req)) || "{}");
      const token = issue(String(sitekey ?? ""), String(action ?? ""), String(hostname ?? ""));
      return token ? json(200, { token }) : json(400, { error: "invalid sitekey" });
    }
    if (testHooks && req.method === "POST" && pathname === "/test/token") {
      const { sitekey, action } = JSON.parse((await readBody(req)) || "{}");
      const token = issue(String(sitekey ?? ""), String(action ?? ""), "127.0.0.1");
      return token ? json(200, { token }) : json(400, { error: "invalid sitekey" });
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  url = `http://${host}:${typeof address === "object" && address ? address.port : port}`;
  return {
    url,
    siteverifyUrl: `${url}/turnstile/v0/siteverify`,
    scriptUrl: `${url}/turnstile/v0/api.js`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** The widget: turnstile.render puts a labelled checkbox in the container; ticking it fetches a token. */
function widgetScript(origin) {
  return `(() => {
  const widgets = new Map();
  let next = 0;
  const find = (id) => widgets.get(id ?? [...widgets.keys()].at(-1));
  window.turnstile = {
    render(container, options) {
      const host = typeof container === "string" ? document.querySelector(container) : container;
      const id = "lt-" + ++next;
      const label = document.createElement("label");
      label.className = "turnstile-loopback";
      const box = document.createElement("input");
      box.type = "checkbox";
      label.append(box, " Verify you are human");
      host.replaceChildren(label);
      const widget = { box, token: "", options };
      widgets.set(id, widget);
      box.addEventListener("change", async () => {
        if (!box.checked) return;
        box.disabled = true;
        const reply = await fetch(${JSON.stringify(origin)} + "/turnstile/v0/issue", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sitekey: options.sitekey, action: options.action, hostname: location.hostname }),
        });
        if (!reply.ok) { box.checked = false; box.disabled = false; options["error-callback"]?.("110100"); return; }
        widget.token = (await reply.json()).token;
        options.callback?.(widget.token);
      });
      return id;
    },
    reset(id) {
      const widget = find(id);
      if (!widget) return;
      widget.token = "";
      widget.box.checked = false;
      widget.box.disabled = false;
      widget.options["expired-callback"]?.();
    },
    remove(id) { widgets.delete(id); },
    getResponse(id) { return find(id)?.token || undefined; },
  };
  const onload = new URL(document.currentScript.src).searchParams.get("onload");
  if (onload && typeof window[onload] === "function") window[onload]();
})();
`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const peer = await startTurnstilePeer({ port: Number(process.env.TURNSTILE_PORT ?? 8797) });
  console.log(`Loopback Turnstile on ${peer.url} (site key laurel-dev-site-key)`);
}
