-- References a person can say (issue 16): each workspace numbers its
-- tickets 1, 2, 3, …; mend_core::reference::Reference writes the number as
-- `ACM-7KQ-3TF`. The count is taken in the same batch that reads a report's
-- workspace, so a report still costs one round trip.
ALTER TABLE workspaces ADD COLUMN tickets_numbered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN number INTEGER;

-- Tickets from before this migration are numbered in the order they were reported.
UPDATE tickets SET number = (
  SELECT count(*) FROM tickets AS earlier
  WHERE earlier.workspace_id = tickets.workspace_id
    AND (earlier.created_at < tickets.created_at
         OR (earlier.created_at = tickets.created_at AND earlier.id <= tickets.id)));
UPDATE workspaces SET tickets_numbered = (
  SELECT count(*) FROM tickets WHERE tickets.workspace_id = workspaces.id);

CREATE UNIQUE INDEX tickets_by_number ON tickets (workspace_id, number) WHERE number IS NOT NULL;
