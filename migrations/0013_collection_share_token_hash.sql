ALTER TABLE `collections` ADD `share_token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `collections_share_token_hash_unique` ON `collections` (`share_token_hash`);