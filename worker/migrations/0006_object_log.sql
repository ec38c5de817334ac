-- The ticket's Durable Object owns its log (issue 14): D1 is the index the
-- queue, listings and the recovery record read, written by each object's
-- outbox after the event is committed in the object.

-- The last event projected into this row: a projection only ever moves a
-- row forward, so a retried or replayed one never takes it back.
ALTER TABLE tickets ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET last_seq = coalesce((SELECT max(seq) FROM events WHERE events.ticket_id = tickets.id), 0);

-- Bumped by every change of a workspace's settings, so a ticket's object,
-- which keeps the settings it works with, knows when to read them again.
ALTER TABLE workspaces ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 1;
