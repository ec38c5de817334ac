#!/usr/bin/env bash
# Runs Mend locally: migrations and demo data into .wrangler/state, then
# `wrangler dev` (real workerd, local D1 and Durable Objects) on 127.0.0.1:8787.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MEND_ROOT"

STATE=.wrangler/state
PORT=8787
MAIL_PORT=8025
export CI=true # wrangler applies migrations without asking
wrangler d1 migrations apply mend --local --persist-to "$STATE" >/dev/null
eval "$(node scripts/seed.mjs --persist-to "$STATE")"

# `wrangler dev` reads its secrets from .dev.vars (git-ignored). The admin
# token is made once and then kept: appended when missing, never replaced.
HAS_TOKEN='^[[:space:]]*(export[[:space:]]+)?ADMIN_TOKEN[[:space:]]*=[[:space:]]*[^[:space:]]'
if ! grep -Eq "$HAS_TOKEN" .dev.vars 2>/dev/null; then
  [ -n "$(tail -c1 .dev.vars 2>/dev/null)" ] && echo >>.dev.vars # finish a last line that lacks its newline
  NEW_TOKEN="mend_admin_$(node -p 'require("node:crypto").randomBytes(32).toString("base64url")')"
  (umask 077 && echo "ADMIN_TOKEN=$NEW_TOKEN" >>.dev.vars)
fi
chmod 600 .dev.vars
ADMIN_TOKEN="$(grep -E "$HAS_TOKEN" .dev.vars | tail -n1 | sed -E 's/^[^=]*=[[:space:]]*//; s/[[:space:]]+$//; s/^(["'"'"'])(.*)\1$/\2/')"

cat <<INFO

  Mend is running on http://127.0.0.1:$PORT

  Demo order page:  http://127.0.0.1:$PORT/demo/
  Rep console:      http://127.0.0.1:$PORT/console/ (sign in with the rep or the manager key)
  Demo rep key:     $REP_KEY
  Demo manager key: $MANAGER_KEY
  Admin token:      $ADMIN_TOKEN (in .dev.vars)
  Local inbox:      http://127.0.0.1:$MAIL_PORT/ (every email Mend sends while it runs)

  Report a problem on the demo page, then post an update as a rep
  (TICKET is the reference the widget shows):

  TICKET=<reference>; curl -sS -X POST http://127.0.0.1:$PORT/v1/tickets/\$TICKET/commands -H 'Authorization: Bearer $REP_KEY' -H 'Content-Type: application/json' -d "{\"type\":\"update\",\"text\":\"We found your armchair; it ships tomorrow.\",\"next_update_by\":\"\$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)\"}"

  Administer workspaces and keys with the admin token (scripts/admin.mjs --help):

  make admin ARGS="GET /v1/workspaces/acme"

INFO
# The local inbox: Mend hands it every email instead of sending it (scripts/mailbox.mjs).
node scripts/mailbox.mjs --port "$MAIL_PORT" >/dev/null &
MAILBOX=$!
trap 'kill $MAILBOX 2>/dev/null' EXIT
# Local development only: webhook endpoints may be http://127.0.0.1 (see the
# README, *Webhooks*), and email goes to the local inbox (*Email*).
wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to "$STATE" --show-interactive-dev-session=false \
  --var WEBHOOKS_ALLOW_LOOPBACK:true \
  --var "MAIL_RELAY_URL:http://127.0.0.1:$MAIL_PORT/messages" \
  --var MAIL_FROM:care@mend.localhost \
  --var "PUBLIC_URL:http://127.0.0.1:$PORT"
