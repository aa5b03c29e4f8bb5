#!/usr/bin/env bash
# The load-test figures in the README, in one run: for each --max-batch given (default 8, then 1), start
# `voxtile serve --demo` on a free loopback port, send one untimed round (plans compile, caches fill), then the measured
# `voxtile loadtest`, read the server's peak RSS (VmHWM) and stop it with SIGTERM (graceful). Then, on the first
# server setting, the time to first audio of a three-sentence text. Everything goes to stdout; exit 1 if any response
# was lost, cut off or not whole audio.
# The servers get --request-timeout 3600: a load test measures throughput, not the deadline (at 16 concurrent 5 s
# clones on a busy 2-core machine the last batch finishes after the default 120 s and would be answered 504).
# --cache DIR keeps the compiled plans between runs (default: a new folder, removed at the end).
#   scripts/loadtest.sh [--batches "8 1"] [--concurrency 16] [--requests 16] [--source-seconds 5] [--threads N] [--cache DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
batches="8 1"; concurrency=16; requests=16; source_seconds=5; threads=""; cache=""
while [ $# -gt 0 ]; do
  case "$1" in
    --batches) batches="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --source-seconds) source_seconds="$2"; shift 2 ;;
    --threads) threads="--threads $2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    *) echo "loadtest.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d /tmp/voxtile-loadtest.XXXXXX)"
export VOXTILE_CACHE="${cache:-$work/cache}"   # one plan cache for every server of the run
"$root/voxtile" --help >/dev/null      # build once, before any timing
status=0
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() { # $1 = max batch
  port=$(free_port)
  "$root/voxtile" serve --demo --port "$port" --max-batch "$1" --max-queue 256 --request-timeout 3600 --voices "$work/voices" $threads >"$work/serve-$1.log" 2>&1 &
  server_pid=$!
  url="http://127.0.0.1:$port"
  # Listening takes a few seconds (loading the models); loadtest itself then waits for /readyz (plans compiled).
  for _ in $(seq 600); do
    curl -sf "$url/healthz" >/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve-$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "loadtest.sh: the server did not start listening" >&2; exit 1
}

stop_server() { # prints the server's conversion batches and peak RSS
  local hwm
  curl -sf "$url/metrics" | awk '/^voxtile_batch_size_(count|sum)\{stage="conversion"\}/ {printf "%s ", $0} END {print ""}'
  hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$server_pid/status")
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
  echo "peak_rss_mib=$hwm"
}

first=""
for b in $batches; do
  echo "== voxtile serve --demo --max-batch $b: $concurrency concurrent ${source_seconds} s clones (convert to a stored voice), $requests requests"
  start_server "$b"
  # Untimed: one batch's worth, so the batch plan is compiled (or loaded from the cache) before the clock starts.
  "$root/voxtile" loadtest --url "$url" --route convert --source-seconds "$source_seconds" --concurrency "$b" --requests "$b" -q >/dev/null || true
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
