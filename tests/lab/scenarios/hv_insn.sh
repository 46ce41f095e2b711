# hv_insn: the OS cannot use SVM itself or undo the hypervisor's setup:
# VMRUN/VMLOAD/VMSAVE/STGI/CLGI/INVLPGA/SKINIT at CPL 0 get #UD from
# thinhv (counted), EFER.SVME clear / VM_HSAVE_PA / VM_CR writes are
# refused (#GP), and VMMCALL from user mode is #UD (SIGILL).
# Both: CPUID's copies of CR4.OSXSAVE and CR4.PKE follow the OS's CR4 when
# it flips them after launch (CPUID is answered in host mode).
# vmx profile: every VMX instruction at CPL 0 and 3 gets #UD (counted),
# setting CR4.VMXE and writing IA32_FEATURE_CONTROL / VMX MSRs get #GP,
# XSETBV is validated (x87 clear, AVX without SSE, a reserved bit and
# XCR1 get #GP with XCR0 unchanged; valid values are applied), INVD is
# emulated (no store lost), VMCALL from user mode is #UD.
# lab-timeout: 240
. /lab/scenarios/hv_lib.sh
hv_load || exit 0
before=$(hv_counter virt_insn)
msr_before=$(hv_counter deny_msr)
# vtrap NAME: the trap number vmx_insn printed for NAME
vtrap() {
	dmesg | sed -n "s/.*vmx_insn: $1 trap=\(-*[0-9]*\).*/\1/p" | tail -n 1
}
# xline NAME: "TRAP same" or "TRAP now=XCR0" from vmx_insn's last NAME line
xline() {
	dmesg | grep "vmx_insn: $1 trap=" | tail -n 1 |
		sed -n 's/.*trap=\(-*[0-9]*\) xcr0=\([0-9a-fx]*\) now=\([0-9a-fx]*\).*/\1 \2 \3/p' |
		awk '{ print $1, ($2 == $3 ? "same" : "now=" $3) }'
}
case $PROFILE in
vmx)
	insmod /lab/kmod/vmx_insn.ko 2>/dev/null
	for i in vmxon vmclear vmptrld vmptrst vmread vmwrite vmlaunch \
		vmresume vmxoff invept invvpid; do
		expect_eq "$i-ud" "$(vtrap $i)" 6
	done
	expect_eq cr4-vmxe-gp "$(vtrap cr4-vmxe)" 13
	runs=$(dmesg | grep -c 'vmx_insn: vmxon trap=')
	expect_eq virt-insn-counted "$(($(hv_counter virt_insn) - before))" "$((12 * runs))"
	for m in feature-control vmx-basic; do
		rc=$(dmesg | sed -n "s/.*vmx_insn: wrmsr-$m rc=\(-*[0-9]*\).*/\1/p" | tail -n 1)
		if [ -n "$rc" ] && [ "$rc" != 0 ]; then
			pass "wrmsr-$m-refused" "rc=$rc"
		else
			fail "wrmsr-$m-refused" "rc=${rc:-none}"
		fi
	done
	# XSETBV (vmx_insn.c borrows CR4.OSXSAVE where Linux turned XSAVE
	# off at boot): refused values get #GP with XCR0 unchanged, allowed
	# ones are applied by thinhv in root mode.
	xs=0
	if dmesg | grep -q 'vmx_insn: xsetbv skipped'; then
		skip xsetbv "$(dmesg | sed -n 's/.*vmx_insn: xsetbv skipped //p' | tail -n 1)"
	else
		note "$(dmesg | grep 'vmx_insn: xsetbv' | tail -n 8 | sed 's/^\[[^]]*\] //' | tr '\n' '|')"
		for x in bad avx-nosse reserved xcr1; do
			r=$(xline xsetbv-$x)
			# AVX without SSE is only tried on a CPU with AVX
			[ -z "$r" ] && [ $x = avx-nosse ] && continue
			expect_eq "xsetbv-$x-gp" "$r" "13 same"
			xs=$((xs + 1))
		done
		expect_eq xsetbv-same-applied "$(xline xsetbv-same)" "-1 same"
		if dmesg | grep -q 'vmx_insn: xsetbv-change'; then
			expect_eq xsetbv-change-applied "$(xline xsetbv-change)" "-1 now=0x3"
			expect_eq xsetbv-restore-applied "$(xline xsetbv-restore)" "-1 now=0x1"
		fi
	fi
	r=$(dmesg | grep 'vmx_insn: invd' | tail -n 1)
	expect_eq invd-emulated "${r##*] }" "vmx_insn: invd trap=-1 val=0x1234"
	expect_eq msr-refusals-counted "$(($(hv_counter deny_msr) - msr_before))" "$(((2 + xs) * runs))"
	out=$(vmxon_probe)
	note "user mode: $(echo "$out" | tr '\n' ' ')"
	for i in vmxon vmptrld vmlaunch vmxoff vmcall; do
		expect_eq "user-$i-ud" "$(echo "$out" | sed -n "s/^$i sig=//p")" 4
	done
	;;
*)
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
	;;
esac
# CPUID is answered in host mode: the bits mirroring CR4 (OSXSAVE, PKE)
# must follow the OS's CR4 when it flips them (cr4_cpuid.h).
mod=hv_insn
[ "$PROFILE" = vmx ] && mod=vmx_insn
for b in osxsave pke; do
	r=$(dmesg | sed -n "s/.*$mod: cpuid-mirror $b //p" | tail -n 1)
	case $r in
	skipped*) skip "cpuid-mirrors-cr4-$b" "$r" ;;
	*) expect_eq "cpuid-mirrors-cr4-$b" "$r" ok ;;
	esac
done
hv_sig_all thinhv still-virtualized
hv_clean_log log-clean
check unload rmmod thinhv
hv_sig_all none native-again
hv_notes
