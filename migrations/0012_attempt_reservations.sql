CREATE TABLE `attempt_windows` (
	`key` text PRIMARY KEY NOT NULL,
	`attempts` integer NOT NULL,
	`window_started_at` integer NOT NULL,
	`paused_until` integer,
	`holder` text,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attempt_windows_expires_idx` ON `attempt_windows` (`expires_at`);--> statement-breakpoint
DROP TABLE `attempt_counters`;--> statement-breakpoint
ALTER TABLE `email_codes` DROP COLUMN `failed_attempts`;--> statement-breakpoint
ALTER TABLE `email_codes` DROP COLUMN `send_count`;--> statement-breakpoint
ALTER TABLE `email_codes` DROP COLUMN `last_sent_at`;--> statement-breakpoint
ALTER TABLE `pending_sign_ins` DROP COLUMN `failures`;