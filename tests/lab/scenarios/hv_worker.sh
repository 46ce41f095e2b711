# hv_worker.sh KIND TAG SECONDS - one load generator for hv_stress (guest,
# busybox sh; not a scenario). Writes "/tmp/hvw.TAG: KIND n=.. errs=.." at
# the end; every iteration checks its own result.
kind=$1 tag=$2 dur=$3
end=$(($(date +%s) + dur))
n=0 errs=0 slow=
native=0
grep -q 'hv.native=1' /proc/cmdline && native=1
# At least one iteration: on a starved emulator host the first clock read
# can come after the deadline (soak run la57off-22 saw n=0).
while :; do
	case $kind in
	fork)
		# fork/exec: a pipeline of fresh processes with a known answer
		[ "$(echo "$n" | sed 's/^/x/' | tr -d '\n')" = "x$n" ] || errs=$((errs + 1))
		;;
	mem)
		# memory: 4 MiB through tmpfs pages and back, checksummed
		dd if=/dev/urandom of=/tmp/m.$tag bs=64k count=64 2>/dev/null
		a=$(md5sum </tmp/m.$tag)
		cp /tmp/m.$tag /tmp/m2.$tag
		b=$(md5sum </tmp/m2.$tag)
		[ "$a" = "$b" ] || errs=$((errs + 1))
		rm -f /tmp/m.$tag /tmp/m2.$tag
		;;
	file)
		# file I/O: many small files written, listed, read back
		d=/tmp/f.$tag
		mkdir -p $d
		i=0
		while [ $i -lt 50 ]; do
			echo "$tag $n $i" >$d/$i
			i=$((i + 1))
		done
		[ "$(cat $d/* | wc -l)" -eq 50 ] || errs=$((errs + 1))
		[ "$(cat $d/49)" = "$tag $n 49" ] || errs=$((errs + 1))
		rm -rf $d
		;;
	timer)
		# timers: short sleeps must neither hang nor return early
		t0=$(cut -d' ' -f1 /proc/uptime)
		usleep 20000
		t1=$(cut -d' ' -f1 /proc/uptime)
		awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.01 && b - a < 5) }' ||
			{ errs=$((errs + 1)); slow="$slow $t0+$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')s"; }
		;;
	cpuid)
		# exits: the hypervisor answers CPUID on this CPU all along
		# (native control run: it must not)
		v=$(cpuid --vendor 0x40000000)
		if [ $native = 1 ]; then
			[ "$v" != thinhv ] || errs=$((errs + 1))
		else
			[ "$v" = thinhv ] || errs=$((errs + 1))
		fi
		;;
	esac
	n=$((n + 1))
	[ "$(date +%s)" -lt "$end" ] || break
done
# A failed timer iteration names when it started and how long it took.
echo "$kind n=$n errs=$errs${slow:+ sleeps:$slow}" >/tmp/hvw.$tag
