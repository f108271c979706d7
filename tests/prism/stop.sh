#!/usr/bin/env bash
# Stop a Prism started by tests/prism/start.sh.
#
#   tests/prism/stop.sh PID [PID...]
#
# Sends SIGTERM to the process group PID leads (start.sh makes Prism a group leader), waits up
# to PRISM_STOP_TIMEOUT seconds (default 10), then SIGKILLs the group. Refuses a PID that is
# not a Prism process (PIDs get reused). A PID that is already gone is not an error.
# A dead process still awaiting reaping (state Z) counts as stopped: start.sh has exited, so
# Prism's parent is init (on this VM PID 1 reaps such orphans within a few seconds).
set -uo pipefail

[ $# -ge 1 ] || { echo "usage: $0 PID [PID...]" >&2; exit 2; }
log() { echo "prism/stop.sh: $*" >&2; }

alive() { # exists and is not (yet) a fully exited zombie
  local state threads
  [ -r "/proc/$1/status" ] || return 1
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
  threads="$(sed -n 's/^Threads:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)"
  [ -n "$state" ] || return 1
  # A multi-threaded process whose main thread has exited shows State Z while its other
  # threads (and its listening socket) live on: only Z with a single thread is gone.
  [ "$state" != Z ] || [ "${threads:-1}" -gt 1 ]
}

rc=0
for pid in "$@"; do
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$pid" -gt 1 ] || { log "bad PID '$pid'"; rc=2; continue; }
  if ! alive "$pid"; then
    log "pid $pid is not running"
    continue
  fi
  # Only `node .../.bin/prism ...` or `node .../prism-cli/dist/index.js ...` qualifies.
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
    grep -Eq '^[^ ]*node [^ ]*(/\.bin/prism|prism-cli/dist/index\.js) '; then
    log "pid $pid is not a Prism process; not touching it"
    rc=1
    continue
  fi
  # Whole group if PID leads one (start.sh), else just the process.
  target="$pid"
  [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] && target="-$pid"
  kill -TERM -- "$target" 2>/dev/null || true
  deadline=$((SECONDS + ${PRISM_STOP_TIMEOUT:-10}))
  while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  if alive "$pid"; then
    log "pid $pid ignored SIGTERM; sending SIGKILL"
    kill -KILL -- "$target" 2>/dev/null || true
    sleep 0.2
  fi
  if alive "$pid"; then
    log "pid $pid still alive"
    rc=1
  fi
done
exit "$rc"
