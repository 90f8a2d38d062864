-- Full-text search over published articles (FTS5; drizzle-kit does not generate virtual tables
-- or triggers). The triggers keep it equal to the published rows of help_articles, so every
-- write path (content load, staff edits to come) indexes by itself. Title is column 1 and body
-- column 2, which bm25() weights and snippet() names by position.
CREATE VIRTUAL TABLE `help_search` USING fts5(
  `article_id` UNINDEXED,
  `title`,
  `body`,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `help_articles_search_insert` AFTER INSERT ON `help_articles`
WHEN new.`state` = 'published'
BEGIN
  INSERT INTO `help_search` (`article_id`, `title`, `body`) VALUES (new.`id`, new.`title`, new.`summary` || char(10) || new.`body_text`);
END;
--> statement-breakpoint
CREATE TRIGGER `help_articles_search_update` AFTER UPDATE ON `help_articles`
BEGIN
  DELETE FROM `help_search` WHERE `article_id` = old.`id`;
  INSERT INTO `help_search` (`article_id`, `title`, `body`)
    SELECT new.`id`, new.`title`, new.`summary` || char(10) || new.`body_text` WHERE new.`state` = 'published';
END;
--> statement-breakpoint
CREATE TRIGGER `help_articles_search_delete` AFTER DELETE ON `help_articles`
BEGIN
  DELETE FROM `help_search` WHERE `article_id` = old.`id`;
END;
