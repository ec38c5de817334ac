-- Mend's first schema: workspaces, their rep keys, tickets and each ticket's event log.
-- Secrets are never stored: only SHA-256 hashes of rep keys and customer tokens.

CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- The apology the customer sees first, in the company's own voice.
  apology TEXT NOT NULL,
  -- Space-separated origins that may embed the widget frame.
  allowed_origins TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

CREATE TABLE rep_keys (
  key_hash TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id),
  role TEXT NOT NULL CHECK (role IN ('rep', 'manager')),
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id),
  token_hash TEXT NOT NULL,
  -- A copy of the state the event log folds to, for queues and listings.
  status TEXT NOT NULL,
  next_update_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX tickets_by_workspace ON tickets (workspace_id, status, updated_at);

-- The log is the truth. (ticket_id, seq) as the key makes a repeated sequence number impossible.
CREATE TABLE events (
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (ticket_id, seq)
) WITHOUT ROWID;
