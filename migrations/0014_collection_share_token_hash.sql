-- Links are kept only as SHA-256 hashes from now on. D1's SQLite has no SHA-256 function, so the
-- links shared before cannot be hashed here: they are withdrawn, and their owners share again for a
-- new link (docs/decisions/015-graphql-limits-cors-and-headers.md).
UPDATE `collections` SET `shared_at` = NULL WHERE `share_slug` IS NOT NULL;--> statement-breakpoint
DROP INDEX `collections_share_slug_unique`;--> statement-breakpoint
ALTER TABLE `collections` ADD `share_token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `collections_share_token_hash_unique` ON `collections` (`share_token_hash`);--> statement-breakpoint
ALTER TABLE `collections` DROP COLUMN `share_slug`;