CREATE TABLE `micro_credential_prerequisites` (
	`badge_class_id` text NOT NULL,
	`required_badge_class_id` text NOT NULL,
	PRIMARY KEY(`badge_class_id`, `required_badge_class_id`),
	FOREIGN KEY (`badge_class_id`) REFERENCES `micro_credentials`(`badge_class_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`required_badge_class_id`) REFERENCES `badge_classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `micro_credentials` (
	`badge_class_id` text PRIMARY KEY NOT NULL,
	`issuer_id` text NOT NULL,
	`competency` text NOT NULL,
	`key_method` text NOT NULL,
	`method_components` text DEFAULT '' NOT NULL,
	`research` text DEFAULT '' NOT NULL,
	`resources` text NOT NULL,
	`parts` text NOT NULL,
	`criteria` text NOT NULL,
	`review_target_days` integer DEFAULT 14 NOT NULL,
	`blind_review` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`badge_class_id`) REFERENCES `badge_classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `micro_credentials_issuer_idx` ON `micro_credentials` (`issuer_id`);--> statement-breakpoint
CREATE TABLE `submission_attempts` (
	`submission_id` text NOT NULL,
	`round` integer NOT NULL,
	`answers` text NOT NULL,
	`note` text,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`submission_id`, `round`),
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `submission_events` (
	`id` text PRIMARY KEY NOT NULL,
	`submission_id` text NOT NULL,
	`state` text NOT NULL,
	`actor_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `submission_events_submission_idx` ON `submission_events` (`submission_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `submission_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`submission_id` text NOT NULL,
	`round` integer NOT NULL,
	`assessor_id` text NOT NULL,
	`decision` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `submission_reviews_round_unique` ON `submission_reviews` (`submission_id`,`round`);--> statement-breakpoint
CREATE TABLE `submission_scores` (
	`review_id` text NOT NULL,
	`criterion_id` text NOT NULL,
	`level` integer NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`review_id`, `criterion_id`),
	FOREIGN KEY (`review_id`) REFERENCES `submission_reviews`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`badge_class_id` text NOT NULL,
	`issuer_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`state` text NOT NULL,
	`round` integer DEFAULT 0 NOT NULL,
	`answers` text NOT NULL,
	`public_narrative` text,
	`note` text,
	`claimed_by` text,
	`claimed_until` integer,
	`last_event_id` text NOT NULL,
	`submitted_at` integer,
	`decided_at` integer,
	`award_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`badge_class_id`) REFERENCES `badge_classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claimed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`award_id`) REFERENCES `awards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `submissions_queue_idx` ON `submissions` (`issuer_id`,`state`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `submissions_badge_class_queue_idx` ON `submissions` (`badge_class_id`,`state`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `submissions_learner_idx` ON `submissions` (`learner_id`,`updated_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `submissions_one_open` ON `submissions` (`learner_id`,`badge_class_id`) WHERE "submissions"."state" not in ('not_awarded', 'withdrawn');