-- Each workspace's currency and make-good policy (JSON of mend_core::make_good::Policy).
-- NULL means the standard policy in the workspace's currency.
ALTER TABLE workspaces ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE workspaces ADD COLUMN make_good_policy TEXT;
