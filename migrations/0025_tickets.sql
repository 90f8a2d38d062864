CREATE TABLE `ticket_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`author_user_id` text,
	`author_role` text NOT NULL,
	`public` integer NOT NULL,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_comments_ticket_idx` ON `ticket_comments` (`ticket_id`,`public`,`created_at`);--> statement-breakpoint
CREATE TABLE `ticket_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_links_ticket_idx` ON `ticket_links` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`topic` text NOT NULL,
	`state` text DEFAULT 'new' NOT NULL,
	`requester_user_id` text,
	`requester_email` text NOT NULL,
	`source_page` text,
	`assignee_user_id` text,
	`follow_up_of_id` text,
	`rating` text,
	`rating_comment` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`solved_at` integer,
	FOREIGN KEY (`requester_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tickets_state_idx` ON `tickets` (`state`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_requester_user_idx` ON `tickets` (`requester_user_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_requester_email_idx` ON `tickets` (`requester_email`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_idx` ON `tickets` (`assignee_user_id`,`state`);--> statement-breakpoint
CREATE INDEX `tickets_solved_idx` ON `tickets` (`state`,`solved_at`);