#!/usr/bin/env bash
# Runs every test: type check, lint, formatting, unit and store tests on
# SQLite and PostgreSQL, and the Chromium end-to-end tests against the
# running portal. Installs what it needs first.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mf_node
mf_build_deps
mf_postgres
mf_chromium
mf_prometheus
mf_apt nginx libnginx-mod-http-lua # for the wake gate test, which starts its own nginx
mf_install
cd "$MF_ROOT"

REPORTS="$MF_ROOT/test-results"
rm -rf "$REPORTS"
mkdir -p "$REPORTS"

mf_log "type check"
yarn tsc
mf_log "lint"
yarn lint:all
mf_log "formatting"
yarn prettier:check

mf_log "unit and store tests (SQLite and PostgreSQL)"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
export MODELFLEET_REQUIRE_POSTGRES=1
yarn backstage-cli repo test --watchAll=false --verbose \
  --json --outputFile="$REPORTS/unit.json"

mf_log "two backend replicas on PostgreSQL: a simulated day of actions, a replica killed, faults, least privilege"
REPLICAS_TEST_REPORT="$REPORTS/replicas.json" yarn test:replicas

mf_log "hostile input: generated requests to every route, action, kind and the policies config"
yarn test:fuzz

mf_log "end-to-end tests in Chromium against the portal on port 7007"
yarn workspace app build
E2E_DIR="$(mktemp -d)"
cat >"$E2E_DIR/app-config.e2e.yaml" <<YAML
backend:
  database:
    client: better-sqlite3
    connection:
      directory: $E2E_DIR/sqlite
# The tests send the requests they need to the simulated clusters
# themselves, and no spot reclaim moves a model under them.
# A second user, a member of search-team, for the test of what another
# team's member sees (packages/backend/src/testUserAuth.ts).
auth:
  providers:
    modelfleet-test-user:
      userEntityRef: user:default/ana.silva
modelfleet:
  demo:
    simulator:
      traffic: false
      spot:
        reclaims: false
  # Nor does an arbitrage pass recommend or make a move under them (the
  # arbitrage e2e test asks for its move itself).
  arbitrage:
    schedule:
      frequency: { hours: 24 }
      timeout: { minutes: 10 }
      initialDelay: { hours: 24 }
YAML
# The portal runs in its own process group so that it stops with this script.
(cd packages/backend && exec setsid node "$MF_YARN" start --config ../../app-config.yaml --config "$E2E_DIR/app-config.e2e.yaml") \
  >"$REPORTS/portal.log" 2>&1 &
PORTAL_PID=$!
trap 'kill -TERM -- -$PORTAL_PID 2>/dev/null || true; rm -rf "$E2E_DIR"' EXIT
if ! mf_wait_for_portal http://localhost:7007 "$PORTAL_PID"; then
  tail -n 80 "$REPORTS/portal.log" >&2
  mf_die "the portal did not come up on http://localhost:7007"
fi
MODELFLEET_E2E_PORTAL_LOG="$REPORTS/portal.log" \
  PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/e2e.json" yarn playwright test

node "$MF_ROOT/scripts/summarize-tests.js" "$REPORTS/unit.json" "$REPORTS/replicas.json" "$REPORTS/e2e.json"
