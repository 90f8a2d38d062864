CREATE TABLE `outbox_events` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`key` text,
	`payload` text NOT NULL,
	`sealed` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_at` integer NOT NULL,
	`available_at` integer NOT NULL,
	`queued_at` integer,
	`claimed_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_events_key_unique` ON `outbox_events` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_events_due_idx` ON `outbox_events` (`available_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_events_finished_idx` ON `outbox_events` (`status`,`finished_at`);