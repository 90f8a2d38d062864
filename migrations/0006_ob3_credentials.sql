CREATE TABLE `issuer_signing_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`issuer_id` text NOT NULL,
	`number` integer NOT NULL,
	`public_key_multibase` text NOT NULL,
	`private_key_sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer,
	FOREIGN KEY (`issuer_id`) REFERENCES `issuers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issuer_signing_keys_number_unique` ON `issuer_signing_keys` (`issuer_id`,`number`);--> statement-breakpoint
ALTER TABLE `awards` ADD `status_index` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `awards_status_index_unique` ON `awards` (`issuer_id`,`status_index`);