# hv_lib.sh - helpers shared by the hv_* scenarios (guest, busybox sh).
# Sourced by them; not a scenario itself (no assertions at top level).
HV_KO=/lab/thinhv.ko
# QEMU TCG sets CPUID.1:ECX[31]: the lab must opt in (see hv_refuse).
HV_ARGS="allow_nested=1"
# thinhv refuses an unmeasured launch by default; the vmx profile has no TPM.
[ -e /dev/tpm0 ] || HV_ARGS="$HV_ARGS require_tpm=0"

hv_sig() { cpuid --vendor 0x40000000 --cpu "$1" 2>/dev/null; }

# hv_sig_all EXPECT NAME: every CPU shows (or, with EXPECT=none, lacks) it.
hv_sig_all() {
	i=0
	while [ $i -lt "$NCPUS" ]; do
		s=$(hv_sig $i)
		if [ "$1" = none ]; then
			if [ "$s" = thinhv ]; then
				fail "$2-cpu$i" "signature still present"
			else
				pass "$2-cpu$i" "$s"
			fi
		else
			expect_eq "$2-cpu$i" "$s" "$1"
		fi
		i=$((i + 1))
	done
}

# hv_finish: the end every load scenario shares: each CPU still runs
# thinhv, no fatal exit was decided, the counters are noted, the kernel log
# is clean, unload works and each CPU is native again.
hv_finish() {
	hv_sig_all thinhv still-virtualized
	expect_eq no-fatal-exits "$(hv_counter fatal)" 0
	note "$(thinhv status | grep '^cpu' | tr '\n' '|')"
	hv_clean_log log-clean
	check unload rmmod thinhv
	hv_sig_all none native-again
	hv_notes
}

hv_load() {
	if insmod $HV_KO $HV_ARGS "$@"; then
		pass load "$(dmesg | grep 'thinhv: virtualized' | tail -n 1 | sed 's/^\[[^]]*\] //')"
		return 0
	fi
	fail load "$(dmesg | grep thinhv | tail -n 3 | tr '\n' '|')"
	return 1
}

# Sum of one per-CPU counter from `thinhv status`.
hv_counter() {
	thinhv status | sed -n "s/.* $1=\([0-9]*\).*/\1/p" |
		awk '{s += $1} END {print s + 0}'
}

# Dump thinhv's dmesg lines as notes (shows in the serial log).
hv_notes() {
	dmesg | grep -E 'thinhv|hv_poke|hv_insn' | while read -r l; do
		note "$l"
	done
}

# No oops, BUG, WARNING, or host-mode fatal report in the kernel log since
# thinhv was first loaded (Bochs' boot already warns about XSAVE state).
hv_clean_log() {
	bad=$(dmesg | sed -n '/thinhv/,$p' | grep -E 'BUG:|Oops|general protection fault|WARNING:|thinhv: FATAL|Call Trace' | head -n 3 | tr '\n' '|')
	if [ -z "$bad" ]; then
		pass "$1" "kernel log clean"
	else
		fail "$1" "$bad"
	fi
}
