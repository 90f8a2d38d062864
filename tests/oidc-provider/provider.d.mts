export declare const ISSUER_NAMES: readonly ["google", "microsoft"];
export declare const DEFAULT_TENANT: string;

export interface TokenOverrides {
  /** Claims to set (or replace) in the ID token. */
  claims?: Record<string, unknown>;
  /** Claims to leave out. */
  omit?: string[];
  /** "rogue": sign with a key that is not in the JWKS (same kid). */
  key?: "signing" | "rogue";
}

export interface OidcProvider {
  url: string;
  issuer(name: string): string;
  tokenIssuer(name: string, tid?: string): string;
  mintIdToken(claims: Record<string, unknown>, options?: Pick<TokenOverrides, "omit" | "key">): Promise<string>;
  close(): Promise<void>;
}

export declare function startOidcProvider(options?: {
  port?: number;
  host?: string;
  clients?: Record<string, string>;
  testHooks?: boolean;
}): Promise<OidcProvider>;
