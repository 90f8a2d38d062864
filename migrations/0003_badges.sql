CREATE TABLE `awards` (
	`id` text PRIMARY KEY NOT NULL,
	`badge_class_id` text NOT NULL,
	`issuer_id` text NOT NULL,
	`recipient_email` text NOT NULL,
	`recipient_name` text,
	`recipient_salt` text NOT NULL,
	`recipient_hash` text NOT NULL,
	`narrative` text,
	`evidence` text NOT NULL,
	`issued_on` integer NOT NULL,
	`expires_at` integer,
	`source_key` text NOT NULL,
	`awarded_by` text NOT NULL,
	`accepted_at` integer,
	`hidden_at` integer,
	`revoked_at` integer,
	`revocation_reason` text,
	`revoked_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`badge_class_id`) REFERENCES `badge_classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`awarded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `awards_recipient_idx` ON `awards` (`recipient_email`,`issued_on`);--> statement-breakpoint
CREATE INDEX `awards_issuer_idx` ON `awards` (`issuer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `awards_badge_class_idx` ON `awards` (`badge_class_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `awards_source_unique` ON `awards` (`badge_class_id`,`source_key`);--> statement-breakpoint
CREATE TABLE `badge_classes` (
	`id` text PRIMARY KEY NOT NULL,
	`issuer_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`image_key` text NOT NULL,
	`criteria_narrative` text,
	`criteria_url` text,
	`learning_outcomes` text NOT NULL,
	`alignments` text NOT NULL,
	`tags` text NOT NULL,
	`achievement_type` text DEFAULT 'Badge' NOT NULL,
	`valid_for_months` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `badge_classes_issuer_idx` ON `badge_classes` (`issuer_id`);--> statement-breakpoint
CREATE TABLE `issuer_members` (
	`issuer_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`issuer_id`, `user_id`),
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `issuer_members_user_idx` ON `issuer_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `issuers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`email` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`image_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
