# hv_stress: a mixed load (fork/exec, memory, file I/O, timers, CPUID exits)
# on every CPU for 60 s (hv.stress=SECONDS on the kernel command line
# changes it) runs virtualized with zero errors, zero fatal exits and a
# clean kernel log; then unload returns every CPU to native.
# lab-timeout: 420
. /lab/scenarios/hv_lib.sh
dur=60
for a in $(cat /proc/cmdline); do
	case "$a" in hv.stress=*) dur=${a#hv.stress=} ;; esac
done
# hv.native=1: the same load without thinhv (the control for timing
# failures on a loaded emulator host).
native=0
grep -q 'hv.native=1' /proc/cmdline && native=1
if [ $native = 0 ]; then
	hv_load || exit 0
fi
c=0
while [ $c -lt "$NCPUS" ]; do
	for k in fork mem file timer cpuid; do
		taskset -c $c sh /lab/scenarios/hv_worker.sh $k $k$c "$dur" &
	done
	c=$((c + 1))
done
wait
total=0
c=0
while [ $c -lt "$NCPUS" ]; do
	for k in fork mem file timer cpuid; do
		r=$(cat /tmp/hvw.$k$c 2>/dev/null)
		# (pass/fail of lib.sh use $n: keep our own names)
		wn=$(echo "$r" | sed -n 's/.* n=\([0-9]*\).*/\1/p')
		we=$(echo "$r" | sed -n 's/.*errs=\([0-9]*\).*/\1/p')
		total=$((total + ${wn:-0}))
		if [ -n "$wn" ] && [ "$wn" -gt 0 ] && [ "$we" = 0 ]; then
			pass "$k-cpu$c" "$r"
		else
			fail "$k-cpu$c" "${r:-no result}"
		fi
	done
	c=$((c + 1))
done
note "iterations=$total seconds=$dur"
if [ $native = 1 ]; then
	note "native control run: no thinhv loaded"
	exit 0
fi
hv_finish
