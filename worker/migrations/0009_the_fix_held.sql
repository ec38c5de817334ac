-- The fix held (issue 17): how many days after a customer confirms a
-- problem solved Mend asks them whether the fix held, 1 to 30.
ALTER TABLE workspaces ADD COLUMN follow_up_days INTEGER NOT NULL DEFAULT 7;

-- What we changed because customers told us (issue 17): the prevention
-- notes a workspace's managers publish on its public scorecard — the
-- company's own words and their month, nothing of the customer's.
CREATE TABLE published_changes (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id),
  ticket_id TEXT NOT NULL,
  text TEXT NOT NULL,
  month TEXT NOT NULL,
  published_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, ticket_id)
);
