CREATE TABLE `account_merges` (
	`id` text PRIMARY KEY NOT NULL,
	`from_user_id` text NOT NULL,
	`into_user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`into_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_merges_from_unique` ON `account_merges` (`from_user_id`);--> statement-breakpoint
CREATE INDEX `account_merges_into_idx` ON `account_merges` (`into_user_id`);