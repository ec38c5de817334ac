-- When a company answers (issue 16): its opening hours, closed dates and
-- first-answer target, as JSON of mend_core::hours::Hours. NULL for
-- workspaces from before this migration: they keep the default hours.
ALTER TABLE workspaces ADD COLUMN opening_hours TEXT;
