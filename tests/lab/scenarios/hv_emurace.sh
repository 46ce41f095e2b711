# hv_emurace: the targeted load for QEMU 7.2's race on the first vCPU's
# hflags2 (docs/lab.md "Soak"): CPU 0 exits to thinhv in a CPUID loop while
# every other CPU runs FXRSTOR in a loop, each of which makes QEMU rewrite
# CPU 0's hflags2 from another thread. hv.stress=SECONDS (default 60).
# Under MTTCG this reproduces the soak's host-mode fault on CPU 0 within
# seconds; with the lab's default single-threaded TCG it must pass: zero
# errors, zero fatal exits, a clean log, unload, native again.
# lab-timeout: 420
. /lab/scenarios/hv_lib.sh
dur=60
other=fxrstor
for a in $(cat /proc/cmdline); do
	case "$a" in
	hv.stress=*) dur=${a#hv.stress=} ;;
	# hv.emurace=cpuid: the control, no FXRSTOR on the other CPUs
	hv.emurace=*) other=${a#hv.emurace=} ;;
	esac
done
if [ "$NCPUS" -lt 2 ]; then
	skip emurace "needs 2 CPUs"
	exit 0
fi
hv_load || exit 0
taskset -c 0 emu_race cpuid "$dur" >/tmp/er.0 2>&1 &
c=1
while [ $c -lt "$NCPUS" ]; do
	taskset -c $c emu_race "$other" "$dur" >/tmp/er.$c 2>&1 &
	c=$((c + 1))
done
wait
c=0
while [ $c -lt "$NCPUS" ]; do
	r=$(cat /tmp/er.$c)
	case $r in
	*" errs=0") pass "load-cpu$c" "$r" ;;
	*) fail "load-cpu$c" "${r:-no result}" ;;
	esac
	c=$((c + 1))
done
hv_finish
