#!/usr/bin/env bash
# bench_dma.sh - DMA throughput with thinhv vs without, and the Linux-IOMMU
# peer (host): boots the lab once per line below and prints the scenarios'
# bench-* figures. thinhv: iommu_bench_dma (disk reads and edu loop,
# enforced vs native alternating in one boot; exits per DMA). Peer:
# iommu_bench_peer with Linux's own IOMMU driver in strict and in lazy mode
# (VT-d: one boot each; AMD-Vi: see below) with no thinhv. Copy reviewed numbers into BENCHMARKS.md
# ("DMA enforcement"). QEMU TCG: ratios and exit counts are the result;
# absolute MB/s are emulator speed (LAB.md).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
run_lab() { # run's arguments
	local out
	echo "-- lab: $*"
	out=$("$top/tests/lab/run" "$@" --quiet 2>&1) || rc=1
	echo "$out" | sed -n 's/^RESULT [^ ]* [^ ]* \(bench-[A-Za-z0-9-]*\) PASS /\1: /p'
	echo "$out" | grep -E ' FAIL |lab: error' || true
}
run_lab intel-iommu iommu_bench_dma
run_lab amd iommu_bench_dma
run_lab intel-iommu iommu_bench_peer --append "intel_iommu=on iommu.strict=1" --tag strict
run_lab intel-iommu iommu_bench_peer --append "intel_iommu=on iommu.strict=0" --tag lazy
# Lazy mode on AMD is edu's DMA-FQ group inside this boot: Linux makes every
# default domain strict on QEMU's AMD IOMMU (NpCache: "Using strict mode due
# to virtualization"), so an iommu.strict=0 boot would measure strict again.
run_lab amd-linux-iommu iommu_bench_peer --append "iommu.strict=1" --tag strict
exit $rc
