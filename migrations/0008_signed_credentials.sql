CREATE TABLE `signed_credentials` (
	`award_id` text PRIMARY KEY NOT NULL,
	`document` text NOT NULL,
	`signed_at` integer NOT NULL,
	FOREIGN KEY (`award_id`) REFERENCES `awards`(`id`) ON UPDATE no action ON DELETE no action
);
