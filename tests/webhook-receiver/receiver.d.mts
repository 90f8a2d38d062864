export interface WebhookReceiver {
  url: string;
  close(): Promise<void>;
}

export declare function startWebhookReceiver(options?: { port?: number; host?: string }): Promise<WebhookReceiver>;
