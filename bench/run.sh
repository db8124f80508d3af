#!/usr/bin/env bash
# `npm run bench`: every benchmark table, one after the other (about 17 minutes).
#   BENCH_QUICK=1      short cells (a smoke run; the numbers are not the recorded ones)
#   BENCH_SKIP_HTTPS=1 only the in-process tables
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/.bin/node
if [ "${BENCH_QUICK:-}" = 1 ]; then
  export BENCH_ITERATIONS=${BENCH_ITERATIONS:-3000} BENCH_STARTUP_RUNS=${BENCH_STARTUP_RUNS:-2}
  export BENCH_TENANTS=${BENCH_TENANTS:-"10 100 1000"} DURATION=${DURATION:-2} WARMUP=${WARMUP:-1}
fi
echo "# tenant-guard benchmarks"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Node $($NODE -v), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
$NODE bench/decision.ts
$NODE bench/quantity.ts
$NODE bench/routes.ts
$NODE bench/scaling.ts
# Starts the server process itself, built and flagged as the image runs it (Dockerfile ENTRYPOINT).
$NODE bench/directory-memory.ts
$NODE bench/startup.ts
if [ "${BENCH_SKIP_HTTPS:-}" != 1 ]; then
  bash bench/https.sh
  # The same comparison in alternation, ratios taken within each round (the VM's speed drifts).
  if [ "${BENCH_QUICK:-}" = 1 ]; then ROUNDS=1 REQUESTS=3000 WARM=500 $NODE bench/https-paired.ts
  else $NODE bench/https-paired.ts; fi
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
