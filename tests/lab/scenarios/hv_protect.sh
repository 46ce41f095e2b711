# hv_protect: the OS cannot read or write hypervisor memory. A test-only
# module pokes the protected canary page, the hypervisor's own pool and its
# code through a fresh writable mapping; every refused access raises the
# deny_mem counter, is logged, and leaves the bytes unchanged.
# lab-timeout: 300
. /lab/scenarios/hv_lib.sh
hv_load test_canary=1 || exit 0
st=$(thinhv status)
canary=$(echo "$st" | awk '$1 == "range:" && $2 == "test" {print $3; exit}')
pool=$(echo "$st" | awk '$1 == "range:" && $2 == "hv-mem" {print $3; exit}')
code=$(echo "$st" | awk '$1 == "range:" && $2 == "hv-code" {print $3; exit}')
note "canary=$canary pool=$pool code=$code"
[ -n "$canary" ] && [ -n "$pool" ] && [ -n "$code" ] &&
	pass ranges-reported "$(echo "$st" | grep -c '^range:') ranges" ||
	fail ranges-reported "$(echo "$st" | grep '^range:' | tr '\n' '|')"

last=$((NCPUS - 1))
before=$(hv_counter deny_mem)
# poke NAME CPU OP PA: expect refusal (rc=-14 from the module)
poke_refused() {
	taskset -c "$2" insmod /lab/kmod/hv_poke.ko op="$3" pa="$4" 2>/dev/null
	r=$(dmesg | grep "hv_poke: $3 pa=$(printf '%#x' "$4") " | tail -n 1)
	case "$r" in
	*"rc=-14"*) pass "$1" "${r#*] }" ;;
	*) fail "$1" "${r:-no hv_poke line}" ;;
	esac
}
poke_refused read-canary 0 read "$canary"
poke_refused write-canary "$last" write "$canary"
poke_refused read-pool "$last" read "$pool"
poke_refused write-pool 0 write "$pool"

# Code is readable and executable, never writable.
taskset -c 0 insmod /lab/kmod/hv_poke.ko op=read pa="$code" 2>/dev/null
v1=$(dmesg | grep "hv_poke: read pa=$(printf '%#x' "$code") " | tail -n 1 | sed -n 's/.*rc=0 value=//p')
[ -n "$v1" ] && pass read-code "value=$v1" || fail read-code "not readable"
poke_refused write-code "$last" write "$code"
taskset -c 0 insmod /lab/kmod/hv_poke.ko op=read pa="$code" 2>/dev/null
v2=$(dmesg | grep "hv_poke: read pa=$(printf '%#x' "$code") " | tail -n 1 | sed -n 's/.*rc=0 value=//p')
expect_eq code-unchanged "$v2" "$v1"

after=$(hv_counter deny_mem)
# busybox insmod retries a failed load once: count the refusals it saw
refused=$(dmesg | grep -c 'hv_poke: .* rc=-14')
if [ "$refused" -ge 5 ]; then
	expect_eq deny-counter-rose "$((after - before))" "$refused"
else
	fail deny-counter-rose "only $refused refusals seen"
fi
sleep 2 # the denial logger runs once a second
n=$(dmesg | grep -c 'thinhv: cpu[0-9]*: refused')
[ "$n" -ge 1 ] && pass denial-logged "$(dmesg | grep 'thinhv: cpu[0-9]*: refused' | tail -n 1 | sed 's/^\[[^]]*\] //')" ||
	fail denial-logged "no 'refused' line"
hv_sig_all thinhv still-virtualized
check unload rmmod thinhv
r=$(dmesg | grep 'thinhv: test canary page' | tail -n 1)
case "$r" in
*intact) pass canary-unchanged "${r#*] }" ;;
*) fail canary-unchanged "${r:-no canary line}" ;;
esac
hv_sig_all none native-again
hv_notes
