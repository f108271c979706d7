#!/usr/bin/env bash
# Start a Stoplight Prism mock server (pinned in package.json) in dynamic mode on 127.0.0.1.
#
#   tests/prism/start.sh SPEC PORT [SEED] [-- EXTRA_PRISM_ARGS...]
#
# Installs Prism with `npm ci` when node_modules/.bin/prism is missing, starts
# `prism mock -d -h 127.0.0.1 -p PORT [--seed SEED] SPEC` detached (own session and
# process group, stdin from /dev/null, stdout+stderr to a log file), waits until the port
# answers HTTP, then prints the PID (only that) on stdout. Stop it with tests/prism/stop.sh PID.
#
# Environment:
#   PRISM_LOG            log file (default: tests/prism/logs/prism-PORT.log, truncated on start)
#   PRISM_START_TIMEOUT  seconds to wait for the port (default 120: the full 1 MB DevRev spec
#                        alone takes ~40 s to load on this 2-core machine; small specs ~2 s)
#   PRISM_INSTALL_TIMEOUT seconds allowed for `npm ci` (default 300)
#
# Exit codes: 0 started; 2 usage; 3 port already in use; 4 install failed;
#             5 Prism exited during startup; 6 timeout (Prism is killed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prism_bin="$here/node_modules/.bin/prism"

usage() {
  echo "usage: $0 SPEC PORT [SEED] [-- EXTRA_PRISM_ARGS...]" >&2
  exit 2
}
log() { echo "prism/start.sh: $*" >&2; }

[ $# -ge 2 ] || usage
spec="$1"
port="$2"
shift 2
seed=""
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  seed="$1"
  shift
fi
extra=()
if [ $# -gt 0 ]; then
  [ "$1" = "--" ] || usage
  shift
  extra=("$@")
fi

[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || {
  log "PORT must be 1..65535, got '$port'"
  exit 2
}
[ -f "$spec" ] || { log "spec file not found: $spec"; exit 2; }
spec="$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")"

timeout_s="${PRISM_START_TIMEOUT:-120}"
log_file="${PRISM_LOG:-$here/logs/prism-$port.log}"
mkdir -p "$(dirname "$log_file")"

# Something on 127.0.0.1:PORT already? Then the readiness probe would lie: refuse.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_open "$port"; then
  log "127.0.0.1:$port is already in use"
  exit 3
fi

# Install on first use. flock serialises concurrent first calls (several test binaries).
if [ ! -x "$prism_bin" ]; then
  (
    flock -w "${PRISM_INSTALL_TIMEOUT:-300}" 9 || { log "timed out waiting for install lock"; exit 4; }
    if [ ! -x "$prism_bin" ]; then
      log "installing Prism: npm ci --prefix $here"
      CI=true timeout "${PRISM_INSTALL_TIMEOUT:-300}" \
        npm ci --prefix "$here" --no-audit --no-fund --loglevel=error </dev/null >&2 ||
        { log "npm ci failed"; exit 4; }
    fi
  ) 9>"$here/.install.lock"
  [ -x "$prism_bin" ] || { log "npm ci did not produce $prism_bin"; exit 4; }
fi

args=(mock -d -h 127.0.0.1 -p "$port")
[ -n "$seed" ] && args+=(--seed "$seed")
args+=("${extra[@]+"${extra[@]}"}" "$spec")

: >"$log_file"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) prism ${args[*]}" >>"$log_file"
# setsid (not forking: a background job of a non-interactive shell is no group leader) makes
# Prism the leader of its own session/process group, so $! is node's PID and stop.sh can
# signal the whole group. No fd of ours but 0/1/2 leaks into it (so `Command::output()` on
# this script returns as soon as the script exits).
setsid "$prism_bin" "${args[@]}" </dev/null >>"$log_file" 2>&1 &
pid=$!
# If this script dies or is interrupted before Prism is ready, take Prism down with it.
ready=no
cleanup() {
  if [ "$ready" = no ]; then
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

alive() { # exists and is not a fully exited zombie (multi-threaded node: main thread Z, rest alive)
  local state threads
  [ -r "/proc/$1/status" ] || return 1
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
  threads="$(sed -n 's/^Threads:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)"
  [ -n "$state" ] || return 1
  [ "$state" != Z ] || [ "${threads:-1}" -gt 1 ]
}

fail() {
  local code="$1"
  shift
  log "$*"
  log "last lines of $log_file:"
  tail -n 40 "$log_file" | sed 's/^/  | /' >&2 || true
  exit "$code"
}

have_curl=yes
command -v curl >/dev/null 2>&1 || have_curl=no
start=$SECONDS
while :; do
  if ! alive "$pid"; then
    st=0
    wait "$pid" || st=$?
    fail 5 "Prism (pid $pid) exited with status $st during startup"
  fi
  # Ready = port accepts and answers HTTP (any status; a 404/405 on / is fine).
  if port_open "$port" && { [ "$have_curl" = no ] ||
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/__prism_ready_probe"; }; then
    break
  fi
  if [ $((SECONDS - start)) -ge "$timeout_s" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    fail 6 "Prism did not answer on 127.0.0.1:$port within ${timeout_s}s (killed it)"
  fi
  sleep 0.2
done

ready=yes
echo "$pid" >"${log_file%.log}.pid"
version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$here/node_modules/@stoplight/prism-cli/package.json" 2>/dev/null || true)"
log "Prism ${version:-?} pid $pid on http://127.0.0.1:$port after $((SECONDS - start))s (log: $log_file)"
echo "$pid"
