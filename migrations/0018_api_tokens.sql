CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`issuer_id` text,
	`created_by_user_id` text NOT NULL,
	`name` text NOT NULL,
	`scopes` text NOT NULL,
	`token_hash` text NOT NULL,
	`hint` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`last_used_at` integer,
	`last_used_ip` text,
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_issuer` ON `api_tokens` (`issuer_id`,`created_at`) WHERE "api_tokens"."issuer_id" is not null;--> statement-breakpoint
CREATE INDEX `api_tokens_creator` ON `api_tokens` (`created_by_user_id`,`created_at`);