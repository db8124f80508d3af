#!/usr/bin/env bash
# Over HTTPS, in one go, with ../shared/peers/compare.sh: bare node:https (the ceiling for Node),
# Pepr 1.1.4 (LOG_LEVEL=info, its deployed default, and warn) and tenant-guard (--log-level info,
# what users run, and warn), each alone on core 0 with the load generator on core 1, mutate and
# validate of the 6 KB pod at 1 and 16 connections. compare.sh takes one target per invocation,
# so tenant-guard at warn is a second, target-only invocation; its results are merged into the
# same table (ratios are against the bare server of the first invocation).
# Env: PEERS_DIR (default ../shared/peers), DURATION (10), WARMUP (2), TG_BENCH_PORT (18443),
#      TG_BENCH_BEFORE_DIR (another checkout, with tsconfig.build.json, to run as "tenant-guard
#      before", e.g. for profiles),
#      BENCH_DEPS (/tmp/bench-deps; installed there by the harness, never in this repo).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS_DIR=${PEERS_DIR:-$(cd "$ROOT/../shared/peers" 2>/dev/null && pwd || true)}
if [ -z "$PEERS_DIR" ] || [ ! -f "$PEERS_DIR/compare.sh" ]; then
  echo "bench/https.sh: no harness at ../shared/peers (set PEERS_DIR); skipping the HTTPS table" >&2
  exit 0
fi
PORT=${TG_BENCH_PORT:-18443}
RUN=$(mktemp -d /tmp/tg-bench-https.XXXXXX)
export DURATION=${DURATION:-10} WARMUP=${WARMUP:-2}
export TARGET_CWD=$ROOT
export TARGET_URL_MUTATE=https://127.0.0.1:$PORT/mutate TARGET_URL_VALIDATE=https://127.0.0.1:$PORT/validate
# The server as the image runs it: dist/ built by tsc, the Dockerfile ENTRYPOINT's node flags.
FLAGS=$(cd "$ROOT" && node_modules/.bin/node --input-type=module -e \
  'const m = await import("./bench/server-process.ts"); m.buildDist(); console.log(m.imageNodeFlags().join(" "))')
# Expanded by compare.sh's `bash -c`, which exports the harness's certificate as BENCH_TLS_*.
serve='node_modules/.bin/node '$FLAGS' bench/.out/dist/main.js serve --port '$PORT' --host 127.0.0.1 --directory file:examples/cluster.yaml --tls-cert $BENCH_TLS_CERT --tls-key $BENCH_TLS_KEY'

echo "bench/https.sh: run directory $RUN ($DURATION s per cell after $WARMUP s warm-up)" >&2
PEERS=${PEERS:-"bare pepr pepr-warn"} BENCH_RUN=$RUN/main TARGET_NAME="tenant-guard (log info)" \
  TARGET_CMD="$serve --log-level info" bash "$PEERS_DIR/compare.sh" >"$RUN/main.txt"
PEERS=" " BENCH_RUN=$RUN/warn TARGET_NAME="tenant-guard (log warn)" \
  TARGET_CMD="$serve --log-level warn" bash "$PEERS_DIR/compare.sh" >"$RUN/warn.txt"

# Optional: the same server from another checkout (a before/after comparison in the same run).
if [ -n "${TG_BENCH_BEFORE_DIR:-}" ]; then
  (cd "$TG_BENCH_BEFORE_DIR" && "$ROOT/node_modules/.bin/node" "$ROOT/node_modules/typescript/bin/tsc" \
    -p tsconfig.build.json --outDir bench/.out/dist)
  PEERS=" " BENCH_RUN=$RUN/before TARGET_NAME="tenant-guard before (log info)" TARGET_CWD=$TG_BENCH_BEFORE_DIR \
    TARGET_CMD="$serve --log-level info" bash "$PEERS_DIR/compare.sh" >"$RUN/before.txt"
fi
cat "$RUN"/*/results.jsonl >"$RUN/results.jsonl"
NODE=${BENCH_DEPS:-/tmp/bench-deps}/node_modules/.bin/node
echo "### Over HTTPS: ../shared/peers/compare.sh, pod-create.json, server on core 0, load on core 1"
echo
"$NODE" "$PEERS_DIR/table.mjs" "$RUN/results.jsonl"
echo
"$ROOT/node_modules/.bin/node" "$ROOT/bench/https-summary.ts" "$RUN/results.jsonl"
echo
echo "raw results: $RUN/results.jsonl"
