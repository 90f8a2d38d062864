export declare const DEFAULT_SITES: Record<string, string>;

export interface TurnstilePeer {
  url: string;
  siteverifyUrl: string;
  scriptUrl: string;
  close(): Promise<void>;
}

export declare function startTurnstilePeer(options?: {
  port?: number;
  host?: string;
  sites?: Record<string, string>;
  testHooks?: boolean;
}): Promise<TurnstilePeer>;
