CREATE TABLE `help_articles` (
	`id` text PRIMARY KEY NOT NULL,
	`section_id` text NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`audience` text NOT NULL,
	`author_name` text NOT NULL,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`body_text` text NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`promoted` integer DEFAULT false NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`published_at` integer,
	FOREIGN KEY (`section_id`) REFERENCES `help_sections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `help_articles_slug_unique` ON `help_articles` (`slug`);--> statement-breakpoint
CREATE INDEX `help_articles_section_idx` ON `help_articles` (`section_id`,`state`,`position`);--> statement-breakpoint
CREATE INDEX `help_articles_promoted_idx` ON `help_articles` (`promoted`,`state`,`position`);--> statement-breakpoint
CREATE TABLE `help_categories` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `help_categories_slug_unique` ON `help_categories` (`slug`);--> statement-breakpoint
CREATE TABLE `help_feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`article_id` text NOT NULL,
	`message` text NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `help_articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `help_feedback_created_idx` ON `help_feedback` (`created_at`);--> statement-breakpoint
CREATE INDEX `help_feedback_article_idx` ON `help_feedback` (`article_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `help_sections` (
	`id` text PRIMARY KEY NOT NULL,
	`category_id` text NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `help_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `help_sections_slug_unique` ON `help_sections` (`category_id`,`slug`);--> statement-breakpoint
CREATE INDEX `help_sections_category_idx` ON `help_sections` (`category_id`,`position`);--> statement-breakpoint
CREATE TABLE `help_votes` (
	`article_id` text NOT NULL,
	`voter_key` text NOT NULL,
	`helpful` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `help_articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `help_votes_article_voter_unique` ON `help_votes` (`article_id`,`voter_key`);--> statement-breakpoint
CREATE INDEX `help_votes_counts_idx` ON `help_votes` (`article_id`,`helpful`);