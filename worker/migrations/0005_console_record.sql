-- The rep console and the recovery record (issue 6).

-- A workspace's own one-voice terms (JSON of [mend_core::workspace::VoiceTerm]),
-- and whether its recovery record is published at /r/{workspace}.
ALTER TABLE workspaces ADD COLUMN voice_terms TEXT NOT NULL DEFAULT '[]';
ALTER TABLE workspaces ADD COLUMN record_public INTEGER NOT NULL DEFAULT 0;

-- What the one-voice reviewer flagged in a company event's words (JSON of
-- [mend_core::wire::Review]), kept beside the event; NULL when nothing was.
ALTER TABLE events ADD COLUMN findings TEXT;

-- The ticket's mend_core::record::TicketRecord as JSON, rewritten with every
-- event. NULL for tickets from before this migration: the record skips them.
ALTER TABLE tickets ADD COLUMN record TEXT;
CREATE INDEX tickets_by_report_day ON tickets (workspace_id, created_at);
