#!/usr/bin/env bash
# The load-test figures in the README, in one run: for each --max-batch given (default 8, then 1), start
# `voxtile serve --demo` on a free loopback port, send one untimed round (plans compile, caches fill), then the measured
# `voxtile loadtest`, read the server's peak RSS (VmHWM) and stop it with SIGTERM (graceful). Then, on the first
# server setting, the time to first audio of a three-sentence text. Everything goes to stdout; exit 1 if any response
# was lost, cut off or not whole audio.
#   scripts/loadtest.sh [--batches "8 1"] [--concurrency 16] [--requests 16] [--source-seconds 5] [--threads N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
batches="8 1"; concurrency=16; requests=16; source_seconds=5; threads=""
while [ $# -gt 0 ]; do
  case "$1" in
    --batches) batches="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --source-seconds) source_seconds="$2"; shift 2 ;;
    --threads) threads="--threads $2"; shift 2 ;;
    *) echo "loadtest.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d /tmp/voxtile-loadtest.XXXXXX)"
export VOXTILE_CACHE="$work/cache"   # one plan cache for every server of the run
"$root/voxtile" --help >/dev/null      # build once, before any timing
status=0
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() { # $1 = max batch
  port=$(free_port)
  "$root/voxtile" serve --demo --port "$port" --max-batch "$1" --max-queue 256 --voices "$work/voices" $threads >"$work/serve-$1.log" 2>&1 &
  server_pid=$!
  url="http://127.0.0.1:$port"
}

stop_server() { # prints the server's peak RSS
  local hwm
  hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$server_pid/status")
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
  echo "peak_rss_mib=$hwm"
}

first=""
for b in $batches; do
  echo "== voxtile serve --demo --max-batch $b: $concurrency concurrent ${source_seconds} s clones (convert to a stored voice), $requests requests"
  start_server "$b"
  "$root/voxtile" loadtest --url "$url" --route convert --source-seconds "$source_seconds" --concurrency "$concurrency" --requests "$concurrency" -q >/dev/null || true
  "$root/voxtile" loadtest --url "$url" --route convert --source-seconds "$source_seconds" --concurrency "$concurrency" --requests "$requests" -q || status=1
  if [ -z "$first" ]; then
    first=$b
    echo "== time to first audio, three sentences (base voice EN-US), one request at a time, --max-batch $b"
    "$root/voxtile" loadtest --url "$url" --route speech --concurrency 1 --requests 1 -q >/dev/null || true
    "$root/voxtile" loadtest --url "$url" --route speech --concurrency 1 --requests 3 -q || status=1
  fi
  stop_server
done
rm -rf "$work"
exit $status
