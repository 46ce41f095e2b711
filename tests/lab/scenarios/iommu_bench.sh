# iommu_bench: DMA cost with and without IOMMU enforcement in one boot
# (edu A, 4000-byte transfers into its window), and the hypervisor's work
# per DMA: nested-page faults and exits counted over the enforced loop.
# QEMU TCG timings are functional, not hardware numbers (LAB.md).
# lab-append: memmap=16M$0x8000000
# lab-timeout: 400
. /lab/scenarios/hv_lib.sh
A=0000:00:04.0
WIN=0x8000000
N=${IOMMU_BENCH_N:-200}
P=/sys/module/thinhv/parameters
now() { awk '{printf "%d", $1 * 1000}' /proc/uptime; }
dma_loop() { # -> ms for N transfers (device -> RAM, then RAM -> device)
	t0=$(now)
	i=0
	while [ $i -lt $N ]; do
		edu dma $A to-ram $WIN 4000 || return 1
		edu dma $A to-dev $WIN 4000 || return 1
		i=$((i + 1))
	done
	echo $(($(now) - t0))
}
# Process start-up dominates each transfer: measure it with a no-DMA run.
idle_loop() {
	t0=$(now)
	i=0
	while [ $i -lt $N ]; do
		edu ident $A >/dev/null
		edu ident $A >/dev/null
		i=$((i + 1))
	done
	echo $(($(now) - t0))
}
cat >/tmp/iommu.xml <<XML
<policy version="1">
  <rule name="edu-a"><match bdf="$A"/><window>
    <range base="$WIN" size="8M" access="rw"/></window></rule>
  <rule name="bus0"><match bdf="0000:00:*.*"/><identity/></rule>
  <default><deny/></default>
</policy>
XML
thinhv policy compile /tmp/iommu.xml -o /tmp/iommu.blob
base_idle=$(idle_loop)
base=$(dma_loop)
hv_load dma_policy=/tmp/iommu.blob || exit 0
npf0=$(hv_counter npf)
ex0=$(hv_counter exits)
enf_idle=$(idle_loop)
ex1=$(hv_counter exits)
enf=$(dma_loop)
npf1=$(hv_counter npf)
ex2=$(hv_counter exits)
faults=$(head -n 1 $P/iommu_faults)
pass bench-native "$((2 * N)) DMAs ${base} ms (process-only loop ${base_idle} ms)"
pass bench-enforced "$((2 * N)) DMAs ${enf} ms (process-only loop ${enf_idle} ms)"
pass bench-npf-per-dma "npf delta $((npf1 - npf0)) over $((2 * N)) DMAs"
pass bench-exits "exits: process-only loop $((ex1 - ex0)), DMA loop $((ex2 - ex1))"
expect_eq no-faults-in-window "$faults" "faults 0 dropped 0"
pages=$(sed -n 's/.*table_pages \([0-9]*\).*/\1/p' $P/iommu_status)
pass bench-table-pages "$pages table pages ($((pages * 4)) KiB) + $(grep -c '^region.*0x200000 tables' $P/iommu_status) x 2 MiB device table"
check unload rmmod thinhv
