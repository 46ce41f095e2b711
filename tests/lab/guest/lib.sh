# /lab/lib.sh - assertion helpers for lab scenarios (guest, busybox sh).
# Each assertion prints one line the host harness parses:
#   @@RESULT <name> PASS|FAIL|SKIP <detail...>
# A scenario's failures are also counted so its exit status is non-zero.
LAB_FAILS=0

pass() {
	n=$1
	shift
	echo "@@RESULT $n PASS $*"
}

fail() {
	n=$1
	shift
	echo "@@RESULT $n FAIL $*"
	LAB_FAILS=$((LAB_FAILS + 1))
}

skip() {
	n=$1
	shift
	echo "@@RESULT $n SKIP $*"
}

# check NAME CMD... : PASS when CMD exits 0; on failure, its output is the detail.
check() {
	n=$1
	shift
	if out=$("$@" 2>&1); then
		pass "$n" "$(echo "$out" | tail -n 1)"
	else
		fail "$n" "rc=$? $(echo "$out" | tail -n 3 | tr '\n' '|')"
	fi
}

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1" "$2"
	else
		fail "$1" "got '$2' want '$3'"
	fi
}

# Print a message that shows in the serial log but is not a result.
note() {
	echo "@@NOTE $*"
}

lab_done() {
	[ "$LAB_FAILS" -eq 0 ]
}

# say TEXT: a plain-words line for people watching (`make demo`).
say() {
	echo "@@SAY $*"
}

# export_file NAME PATH: copies a guest file to the host through the serial
# log (base64 between markers); the harness writes it to <logdir>/files/NAME,
# where the scenario's host-side checker (scenarios/<name>.host) finds it.
export_file() {
	echo "@@FILE-BEGIN $1"
	base64 "$2" | sed 's/^/@@F /'
	echo "@@FILE-END $1"
}

# bit HEX N -> 0/1 (a register bit from the cpuid probe's hex output)
bit() {
	echo $((((0x$1) >> $2) & 1))
}
