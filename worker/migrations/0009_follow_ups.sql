-- The fix held (issue 17): how many days after a customer confirms a
-- problem solved Mend asks them whether the fix held, 1 to 30.
ALTER TABLE workspaces ADD COLUMN follow_up_days INTEGER NOT NULL DEFAULT 7;
