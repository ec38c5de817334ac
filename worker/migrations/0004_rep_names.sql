-- Whether a workspace's company events show the first name of the rep who
-- wrote them (mend_core::workspace::Settings::rep_names). Off: one voice.
ALTER TABLE workspaces ADD COLUMN rep_names INTEGER NOT NULL DEFAULT 0;
