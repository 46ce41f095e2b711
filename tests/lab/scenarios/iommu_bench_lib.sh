# iommu_bench_lib.sh - helpers shared by the iommu_bench_* scenarios (guest,
# busybox sh): the edu DMA loop of /lab/kmod/edu_dma.ko and timed O_DIRECT
# disk reads (/lab/bin/dread). Sourced; makes no assertion itself.
EDU_KO=/lab/kmod/edu_dma.ko
BENCH_DISK=/dev/sda
# The whole 32 MiB lab disk, in 128 KiB requests.
BENCH_BYTES=33554432
BENCH_BLOCK=131072
# Whole-disk reads per timed sample (one read takes ~0.1 s under TCG).
BENCH_PASSES=${BENCH_PASSES:-3}
# Small requests (per-request IOMMU work dominates): 8 MiB in 4 KiB reads.
BENCH_SMALL_BYTES=8388608
BENCH_SMALL_BLOCK=4096

# edu_run ARGS...: one edu_dma.ko run; EDU_LINE is its result line. Fails
# when the module printed no new line (it could not run at all).
edu_run() {
	n0=$(dmesg | grep -c 'edu_dma: ')
	insmod $EDU_KO "$@" 2>/dev/null
	n1=$(dmesg | grep -c 'edu_dma: ')
	EDU_LINE=$(dmesg | grep 'edu_dma: ' | tail -n 1 | sed 's/^\[[^]]*\] //')
	if [ "$n1" -le "$n0" ]; then
		EDU_LINE="no result line: $(dmesg | grep edu_dma | tail -n 1)"
		return 1
	fi
	return 0
}

# edu_field NAME: a key=value field of EDU_LINE (or of $2 when given).
edu_field() {
	echo "${2:-$EDU_LINE}" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"
}

# edu_ok: the last run completed every round with identical data.
edu_ok() {
	[ "$(edu_field rc)" = 0 ] && [ "$(edu_field mismatches)" = 0 ] &&
		[ "$(edu_field dmas)" -gt 0 ] 2>/dev/null
}

# edu_summary: "D DMAs in T ms (P ms/DMA), map+unmap M us/DMA (floor F)"
edu_summary() {
	echo "$EDU_LINE" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		d = f["dmas"] > 0 ? f["dmas"] : 1
		printf "%d DMAs of %d B in %.0f ms (%.1f ms/DMA), DMA-API map+unmap %.2f us/DMA (clock-read floor %.2f), domain %s, mismatches %d",
			f["dmas"], f["len"], f["total_ns"] / 1e6, f["total_ns"] / 1e6 / d,
			f["map_ns"] / 1e3 / d, f["clock_ns"] / 1e3, f["domain"], f["mismatches"] }'
}

# hv_counts: "exits cpuid hypercall npf msr", each summed over the CPUs of
# one `thinhv status` (that process's own CPUIDs and hypercalls included).
hv_counts() {
	thinhv status | awk '/ exits=/ { for (i = 1; i <= NF; i++) {
		split($i, kv, "="); s[kv[1]] += kv[2] } }
		END { printf "%d %d %d %d %d", s["exits"], s["cpuid"], s["hypercall"], s["npf"], s["msr"] }'
}

# hv_delta "A" "B": B - A field by field, as "exits=.. cpuid=.. hypercall=..
# npf=.. msr=.. other=.." (other: exits that are neither CPUID nor hypercall).
hv_delta() {
	echo "$1 $2" | awk '{ printf "exits=%d cpuid=%d hypercall=%d npf=%d msr=%d other=%d",
		$6 - $1, $7 - $2, $8 - $3, $9 - $4, $10 - $5, ($6 - $1) - ($7 - $2) - ($8 - $3) }'
}

# disk_read [BYTES BLOCK]: BENCH_PASSES timed O_DIRECT reads of the first
# BYTES of the disk (default: all of it in BENCH_BLOCK requests), which must
# all read the same bytes; DREAD is "bytes=.. ns=.. kBps=.. fnv=.." over all
# passes, or the failing pass's output (and the function fails).
disk_read() {
	db=${1:-$BENCH_BYTES}
	dk=${2:-$BENCH_BLOCK}
	tb=0
	tn=0
	h=
	p=1
	while [ $p -le $BENCH_PASSES ]; do
		if ! out=$(dread $BENCH_DISK $db $dk 2>&1); then
			DREAD="pass $p: $out"
			return 1
		fi
		hp=$(disk_field fnv "$out")
		[ -n "$h" ] || h=$hp
		if [ "$hp" != "$h" ]; then
			DREAD="pass $p read different data: $out (pass 1 fnv $h)"
			return 1
		fi
		tb=$((tb + $(disk_field bytes "$out")))
		tn=$((tn + $(disk_field ns "$out")))
		p=$((p + 1))
	done
	DREAD="bytes=$tb ns=$tn kBps=$((tb * 1000000 / (tn > 0 ? tn : 1))) fnv=$h"
}

# disk_sample NAME REFVAR [BYTES BLOCK]: one disk_read, asserted: PASS with
# its MB/s when it read the same bytes as the sample that first set REFVAR
# (set here when empty). DISK_K is its kB/s, empty on failure.
disk_sample() {
	DISK_K=
	eval "r0=\$$2"
	if disk_read $3 $4; then
		if [ -z "$r0" ]; then
			r0=$(disk_field fnv)
			eval "$2=$r0"
		fi
		if [ "$(disk_field fnv)" = "$r0" ]; then
			DISK_K=$(disk_field kBps)
			pass "$1" "$(mbps "$DISK_K") MB/s, $BENCH_PASSES x $((${3:-$BENCH_BYTES} >> 20)) MiB in $((${4:-$BENCH_BLOCK} >> 10)) KiB reads, fnv $r0"
			return 0
		fi
	fi
	fail "$1" "read failed or data differs: $DREAD (reference fnv $r0)"
	return 1
}

# disk_field NAME [LINE]
disk_field() {
	echo "${2:-$DREAD}" | sed -n "s/.*$1=\([^ ]*\).*/\1/p"
}

# disk_fill: random data over the whole disk; prints its SHA-256, or
# nothing when writing or reading it back failed.
disk_fill() {
	dd if=/dev/urandom of=/tmp/disk.src bs=1M count=$((BENCH_BYTES >> 20)) 2>/dev/null &&
		dd if=/tmp/disk.src of=$BENCH_DISK bs=1M oflag=direct conv=fsync 2>/dev/null || return 1
	want=$(sha256sum </tmp/disk.src | cut -d' ' -f1)
	got=$(dd if=$BENCH_DISK bs=1M iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1)
	rm -f /tmp/disk.src
	[ "$want" = "$got" ] && echo "$want"
}

# mbps KBPS: kB/s as MB/s with one decimal.
mbps() {
	awk -v k="$1" 'BEGIN { printf "%.1f", k / 1000 }'
}

# median LIST...: the median (mean of the middle two for an even count),
# rounded to an integer, or with 3 decimals under MEDIAN_FMT=%.3f.
median() {
	echo "$@" | tr ' ' '\n' | grep . | sort -n | awk -v fmt="${MEDIAN_FMT:-%.0f}" '{ v[NR] = $1 }
		END { if (NR == 0) print 0; else if (NR % 2) printf fmt, v[(NR + 1) / 2];
		else printf fmt, (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# best LIST...: the largest value (the round least disturbed by the host).
best() {
	echo "$@" | tr ' ' '\n' | grep . | sort -n | tail -n 1
}

# pair_ratios "A..." "B...": B_i / A_i for each position i (rounds run next
# to each other see the same host load, so their ratio is steadier).
pair_ratios() {
	echo "$1 | $2" | awk -F'|' '{ na = split($1, a, " "); nb = split($2, b, " ");
		for (i = 1; i <= na && i <= nb; i++) if (a[i] > 0) printf " %.3f", b[i] / a[i] }'
}

# spread LIST...: "min-max" of kB/s values, as MB/s.
spread() {
	echo "$@" | tr ' ' '\n' | grep . | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 }
		END { printf "%.1f-%.1f", lo / 1000, hi / 1000 }'
}

# ratio A B: A / B with three decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'
}
