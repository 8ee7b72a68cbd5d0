/**
 * MySQL schemas the case tables start from, as Prisma writes them (the shapes of umami's MySQL folder): a table
 * whose columns later migrations rename with CHANGE, and tables joined by foreign keys that cascade on delete.
 */
export const MYSQL_EVENT_DATA =
  'CREATE TABLE `event_data` (\n  `event_id` VARCHAR(36) NOT NULL,\n  `event_numeric_value` DECIMAL(19, 4) NULL,\n  `event_date_value` TIMESTAMP(0) NULL,\n  `event_data_type` INTEGER UNSIGNED NOT NULL,\n  `created_at` TIMESTAMP(0) NULL DEFAULT CURRENT_TIMESTAMP(0)\n) ENGINE=InnoDB;';

export const MYSQL_CASCADING_KEYS =
  'CREATE TABLE `account` (`user_id` INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, PRIMARY KEY (`user_id`)) ENGINE=InnoDB;\nCREATE TABLE `website` (`website_id` INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, `user_id` INTEGER UNSIGNED NULL, PRIMARY KEY (`website_id`)) ENGINE=InnoDB;\nCREATE TABLE `session` (`session_id` INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, `website_id` INTEGER UNSIGNED NOT NULL, PRIMARY KEY (`session_id`)) ENGINE=InnoDB;\nALTER TABLE `website` ADD CONSTRAINT `website_ibfk_1` FOREIGN KEY (`user_id`) REFERENCES `account`(`user_id`) ON DELETE CASCADE ON UPDATE NO ACTION;\nALTER TABLE `session` ADD CONSTRAINT `session_ibfk_1` FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`) ON DELETE CASCADE ON UPDATE NO ACTION;';
