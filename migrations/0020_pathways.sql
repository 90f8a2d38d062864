CREATE TABLE `micro_credential_step_prerequisites` (
	`badge_class_id` text NOT NULL,
	`step_id` text NOT NULL,
	PRIMARY KEY(`badge_class_id`, `step_id`),
	FOREIGN KEY (`badge_class_id`) REFERENCES `micro_credentials`(`badge_class_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pathway_completions` (
	`id` text PRIMARY KEY NOT NULL,
	`pathway_id` text NOT NULL,
	`node_id` text NOT NULL,
	`user_id` text NOT NULL,
	`award_id` text,
	`completed_at` integer NOT NULL,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathways`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`award_id`) REFERENCES `awards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pathway_completions_once` ON `pathway_completions` (`pathway_id`,`node_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `pathway_completions_user_idx` ON `pathway_completions` (`user_id`);--> statement-breakpoint
CREATE TABLE `pathway_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`pathway_id` text NOT NULL,
	`email` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`invited_by` text NOT NULL,
	`answered_by` text,
	`notified_at` integer,
	`created_at` integer NOT NULL,
	`answered_at` integer,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathways`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pathway_invitations_once` ON `pathway_invitations` (`pathway_id`,`email`);--> statement-breakpoint
CREATE INDEX `pathway_invitations_email_idx` ON `pathway_invitations` (`email`,`state`);--> statement-breakpoint
CREATE TABLE `pathway_progress_shares` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`pathway_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathways`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pathway_progress_shares_one` ON `pathway_progress_shares` (`pathway_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `pathway_requirements` (
	`pathway_id` text NOT NULL,
	`node_id` text NOT NULL,
	`badge_class_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`node_id`, `badge_class_id`),
	FOREIGN KEY (`pathway_id`) REFERENCES `pathways`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`badge_class_id`) REFERENCES `badge_classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pathway_requirements_pathway_idx` ON `pathway_requirements` (`pathway_id`);--> statement-breakpoint
CREATE INDEX `pathway_requirements_badge_class_idx` ON `pathway_requirements` (`badge_class_id`);--> statement-breakpoint
CREATE TABLE `pathway_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`pathway_id` text NOT NULL,
	`parent_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`completion_badge_class_id` text,
	`junction` text DEFAULT 'all' NOT NULL,
	`required_count` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathways`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`completion_badge_class_id`) REFERENCES `badge_classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pathway_steps_pathway_idx` ON `pathway_steps` (`pathway_id`,`parent_id`,`position`);--> statement-breakpoint
CREATE TABLE `pathway_subscriptions` (
	`pathway_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`pathway_id`, `user_id`),
	FOREIGN KEY (`pathway_id`) REFERENCES `pathways`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pathway_subscriptions_user_idx` ON `pathway_subscriptions` (`user_id`);--> statement-breakpoint
CREATE TABLE `pathways` (
	`id` text PRIMARY KEY NOT NULL,
	`issuer_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`image_key` text,
	`completion_badge_class_id` text,
	`junction` text DEFAULT 'all' NOT NULL,
	`required_count` integer,
	`state` text DEFAULT 'draft' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`published_at` integer,
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`completion_badge_class_id`) REFERENCES `badge_classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pathways_issuer_idx` ON `pathways` (`issuer_id`,`state`);--> statement-breakpoint
ALTER TABLE `badge_classes` ADD `completion_rule` text;