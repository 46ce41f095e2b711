# hv_lock: lock=1 refuses unload (the CPUs stay virtualized); loading a
# second time is refused cleanly; without allow_nested the emulator's
# hypervisor bit makes thinhv refuse with a clear reason (vmx profile:
# Bochs has no such bit; a CPU already in VMX use is refused instead).
# lab-timeout: 240
. /lab/scenarios/hv_lib.sh
case $PROFILE in
vmx)
	# Bochs sets no hypervisor bit: another VMX user (CR4.VMXE held on
	# every CPU by the test module) must make thinhv refuse instead.
	if insmod /lab/kmod/vmx_insn.ko hold_vmxe=1; then
		if insmod $HV_KO 2>/dev/null; then
			fail refuse-vmx-busy "loaded beside another VMX user"
			rmmod thinhv
		else
			r=$(dmesg | grep 'thinhv: refused: cpu' | tail -n 1)
			[ -n "$r" ] && pass refuse-vmx-busy "${r#*] }" ||
				fail refuse-vmx-busy "no reason in dmesg"
		fi
		rmmod vmx_insn
	else
		fail refuse-vmx-busy "cannot set CR4.VMXE"
	fi
	;;
*)
	if insmod $HV_KO 2>/dev/null; then
		fail refuse-under-hypervisor "loaded although CPUID.1:ECX[31] is set"
		rmmod thinhv
	else
		r=$(dmesg | grep 'thinhv: refused: already running under a hypervisor' | tail -n 1)
		[ -n "$r" ] && pass refuse-under-hypervisor "${r#*] }" ||
			fail refuse-under-hypervisor "no reason in dmesg"
	fi
	;;
esac
hv_load lock=1 || exit 0
thinhv status | grep -q '^locked: 1' && pass status-locked "locked: 1" ||
	fail status-locked "$(thinhv status | grep locked)"
if rmmod thinhv 2>/dev/null; then
	fail unload-refused "rmmod succeeded under lock=1"
else
	pass unload-refused "rmmod refused"
fi
hv_sig_all thinhv still-virtualized
if [ "$PROFILE" != vmx ]; then
	# A kernel bypassing thinhv.ko: the hypervisor itself refuses to leave
	# (HV_HC_DEVIRT = 6 -> -HV_EPERM) and validates arguments (-HV_EINVAL).
	c=0
	while [ $c -lt "$NCPUS" ]; do
		taskset -c $c insmod /lab/kmod/hv_hcall.ko fn=6 2>/dev/null
		r=$(dmesg | grep 'hv_hcall: fn=6 ' | tail -n 1)
		case "$r" in
		*"rax=-1 "*"cpu=$c") pass "raw-devirt-refused-cpu$c" "${r#*] }" ;;
		*) fail "raw-devirt-refused-cpu$c" "${r:-no hv_hcall line}" ;;
		esac
		c=$((c + 1))
	done
	taskset -c 0 insmod /lab/kmod/hv_hcall.ko fn=1 rbx=1 2>/dev/null
	r=$(dmesg | grep 'hv_hcall: fn=1 ' | tail -n 1)
	case "$r" in
	*"rax=-22 "*) pass hypercall-args-validated "${r#*] }" ;;
	*) fail hypercall-args-validated "${r:-no hv_hcall line}" ;;
	esac
fi
hv_sig_all thinhv still-virtualized-after-hypercalls
if insmod $HV_KO $HV_ARGS 2>/tmp/err; then
	fail second-load-refused "loaded twice"
else
	pass second-load-refused "$(cat /tmp/err)"
fi
hv_sig_all thinhv still-virtualized-2
hv_clean_log log-clean
hv_notes
