#!/usr/bin/env bash
# Sets everything up and starts the ModelFleet portal on the embedded default
# (SQLite in .data/, no cloud account) at http://localhost:7007.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mf_node
mf_build_deps
mf_install

mf_log "building the frontend (served by the backend on port 7007)"
yarn workspace app build

mkdir -p "$MF_ROOT/.data/sqlite"
mf_log "starting the portal: http://localhost:7007 (Ctrl-C stops it)"
cd "$MF_ROOT/packages/backend"
exec node "$MF_YARN" start "$@"
