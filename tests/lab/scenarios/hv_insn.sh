# hv_insn: the OS cannot use SVM itself or undo the hypervisor's setup:
# VMRUN/VMLOAD/VMSAVE/STGI/CLGI/INVLPGA/SKINIT at CPL 0 get #UD from
# thinhv (counted), EFER.SVME clear / VM_HSAVE_PA / VM_CR writes are
# refused (#GP), and VMMCALL from user mode is #UD (SIGILL).
# lab-timeout: 240
. /lab/scenarios/hv_lib.sh
hv_load || exit 0
before=$(hv_counter virt_insn)
msr_before=$(hv_counter deny_msr)
insmod /lab/kmod/hv_insn.ko 2>/dev/null
for i in vmrun vmload vmsave clgi stgi invlpga skinit; do
	t=$(dmesg | sed -n "s/.*hv_insn: $i trap=\(-*[0-9]*\).*/\1/p" | tail -n 1)
	expect_eq "$i-ud" "$t" 6
done
# busybox insmod retries a failed load: scale by the runs seen
runs=$(dmesg | grep -c 'hv_insn: vmrun trap=')
expect_eq virt-insn-counted "$(($(hv_counter virt_insn) - before))" "$((7 * runs))"
for m in efer-svme hsave vmcr; do
	rc=$(dmesg | sed -n "s/.*hv_insn: wrmsr-$m rc=\(-*[0-9]*\).*/\1/p" | tail -n 1)
	if [ -n "$rc" ] && [ "$rc" != 0 ]; then
		pass "wrmsr-$m-refused" "rc=$rc"
	else
		fail "wrmsr-$m-refused" "rc=${rc:-none}"
	fi
done
expect_eq msr-refusals-counted "$(($(hv_counter deny_msr) - msr_before))" "$((3 * runs))"
check user-vmmcall-ud hv_vmmcall
hv_sig_all thinhv still-virtualized
hv_clean_log log-clean
check unload rmmod thinhv
hv_sig_all none native-again
hv_notes
