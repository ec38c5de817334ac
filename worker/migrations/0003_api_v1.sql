-- Mend API v1: workspace settings and their sites, identity keys, what the
-- queue and an identified customer's listing read beside each ticket,
-- idempotency records, rate-limit windows and console sessions.

ALTER TABLE workspaces ADD COLUMN colour TEXT NOT NULL DEFAULT '#1f6feb';
ALTER TABLE workspaces ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';

-- One row per site that may embed a workspace's widget and call the API
-- from a browser, exactly as browsers send it in `Origin`.
CREATE TABLE workspace_origins (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id),
  origin TEXT NOT NULL,
  PRIMARY KEY (workspace_id, origin)
) WITHOUT ROWID;
CREATE INDEX workspace_origins_by_origin ON workspace_origins (origin);

WITH RECURSIVE split (workspace_id, origin, rest) AS (
  SELECT id, '', allowed_origins || ' ' FROM workspaces
  UNION ALL
  SELECT workspace_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
  FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO workspace_origins (workspace_id, origin)
  SELECT workspace_id, origin FROM split WHERE origin <> '';
ALTER TABLE workspaces DROP COLUMN allowed_origins;

-- The secrets a company's backend signs customers' identity tokens with.
-- HMAC needs the secret itself, so it is kept; the API shows it only once.
CREATE TABLE identity_keys (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id),
  kid TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, kid)
) WITHOUT ROWID;

-- The identified customer (`sub` of their identity token), if any.
ALTER TABLE tickets ADD COLUMN customer_subject TEXT;
-- mend_core::ticket::Standing as JSON, rewritten with every event: the queue sorts by it.
ALTER TABLE tickets ADD COLUMN standing TEXT NOT NULL DEFAULT '{}';
-- The start of the customer's account and the order, for listings.
ALTER TABLE tickets ADD COLUMN headline TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN order_id TEXT;
-- The id of the workspace key that last acted on the ticket ("mine" in the queue).
ALTER TABLE tickets ADD COLUMN last_key_id TEXT;
CREATE INDEX tickets_by_customer ON tickets (workspace_id, customer_subject, created_at)
  WHERE customer_subject IS NOT NULL;

UPDATE tickets SET
  standing = json_object(
    'status', status,
    'promise', CASE WHEN next_update_by IS NULL THEN NULL
               ELSE json_object('due', next_update_by, 'missed', json('false')) END,
    'reported_at', created_at,
    'escalated', json('false')),
  headline = coalesce(
    (SELECT substr(json_extract(body, '$.report.what_happened'), 1, 140) FROM events
     WHERE events.ticket_id = tickets.id AND seq = 1), ''),
  order_id = (SELECT json_extract(body, '$.report.order_id') FROM events
              WHERE events.ticket_id = tickets.id AND seq = 1);

-- One row per Idempotency-Key: a retry gets the first answer back.
-- `scope` is who asked and where (credential hash or 'anonymous', method and path);
-- `fingerprint` the SHA-256 of the body; `status` is NULL while the first request runs.
-- Times here and below are Unix milliseconds, so they compare as numbers.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER,
  body TEXT,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_ms);

-- Fixed-window counters for rate limits; `bucket` names what is counted
-- (a client address is kept only as its hash).
CREATE TABLE rate_windows (
  bucket TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
) WITHOUT ROWID;

-- Console sessions: the cookie's hash and the key it stands for, so
-- revoking the key ends its sessions.
CREATE TABLE sessions (
  session_hash TEXT PRIMARY KEY,
  key_hash TEXT NOT NULL REFERENCES rep_keys (key_hash),
  expires_ms INTEGER NOT NULL
);
