#!/usr/bin/env bash
# bench_iommu.sh - DMA enforcement benchmarks (host): IOMMU table memory for
# the modelled 1 TiB / 256-device host (unit test model), then the lab
# scenario iommu_bench on both IOMMU profiles (DMA loop with and without
# enforcement in one boot, nested-page faults and exits per DMA, lab table
# memory). Copy reviewed numbers into BENCHMARKS.md ("DMA enforcement").
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
echo "-- table memory model (tests/unit/test_iommu.c test_table_memory_model)"
(cd "$top" && make -s unit 2>/dev/null | grep 'iommu table memory') || rc=1
for p in intel-iommu amd; do
	echo "-- lab: $p iommu_bench"
	"$top/tests/lab/run" "$p" iommu_bench --quiet | sed -n 's/^RESULT [^ ]* [^ ]* //p' || rc=1
done
exit $rc
