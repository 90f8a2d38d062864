ALTER TABLE `awards` ADD `idempotency_key` text;--> statement-breakpoint
ALTER TABLE `awards` ADD `request_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `awards_idempotency_unique` ON `awards` (`awarded_by`,`idempotency_key`);