CREATE TABLE `issuer_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`issuer_id` text NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`status` text NOT NULL,
	`invited_by_user_id` text,
	`accepted_by_user_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invited_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issuer_invitations_token_unique` ON `issuer_invitations` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `issuer_invitations_one_pending` ON `issuer_invitations` (`issuer_id`,`email`) WHERE "issuer_invitations"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `issuer_invitations_issuer_idx` ON `issuer_invitations` (`issuer_id`,`status`);