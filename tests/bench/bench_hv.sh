#!/usr/bin/env bash
# bench_hv.sh - hypervisor numbers (host): boots the amd lab with the
# hv_bench scenario on 1 and 2 CPUs, then the vmx lab on 1 CPU, and prints
# the figures they report.
# QEMU TCG: cycle counts are emulator cost, not hardware (LAB.md); the
# workload ratio and exit rate are meaningful, the absolute times are not.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
for cpus in 1 2; do
	out=$("$top/tests/lab/run" amd hv_bench --cpus "$cpus" --quiet 2>&1) || rc=1
	echo "-- amd, $cpus CPU(s), 5-level paging"
	echo "$out" | sed -n 's/^RESULT amd hv_bench\[[^]]*\] \(bench-[a-z]*\) PASS /\1: /p'
	echo "$out" | grep -E ' FAIL ' || true
done
# VT-x: Bochs (vmx profile), 1 CPU; a smaller workload (hv_bench.sh) and
# Bochs counts instructions, not cycles (BENCHMARKS.md).
out=$("$top/tests/lab/run" vmx hv_bench --cpus 1 --quiet 2>&1) || rc=1
echo "-- vmx (Bochs), 1 CPU"
echo "$out" | sed -n 's/^RESULT vmx hv_bench\[[^]]*\] \(bench-[a-z]*\) PASS /\1: /p'
echo "$out" | grep -E ' FAIL ' || true
exit $rc
