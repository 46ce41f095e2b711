#!/usr/bin/env bash
# bench_attest.sh - attestation timings on a private swtpm (host): quote time
# and offline verify time per bundle (target < 20 ms). See BENCHMARKS.md.
exec "$(dirname "$0")/../attest/bench.sh" "$@"
