# hv_kvm: another hypervisor on the same CPUs (amd profiles). While KVM
# holds SVM (a VM exists, so Linux 6.1 has set EFER.SVME on every CPU),
# loading thinhv is refused with EBUSY and a reason. Once the VM is gone
# and KVM unloaded, thinhv loads; under thinhv KVM cannot use SVM (EFER.SVME
# is the hypervisor's and stays set, VMRUN is #UD): creating a VM fails, or
# kvm_amd does not load. Then unload returns every CPU to native.
# lab-timeout: 300
. /lab/scenarios/hv_lib.sh
if [ "$PROFILE" = vmx ]; then
	skip kvm "SVM profiles only"
	exit 0
fi
# load_kvm: KVM and its dependencies, in order; 0 when kvm_amd is loaded
load_kvm() {
	while read -r m; do
		insmod /lab/modules/$m.ko 2>>/tmp/kvm.err
	done </lab/modules/optional.order
	lsmod | grep -q '^kvm_amd '
}
unload_kvm() {
	for m in kvm_amd kvm ccp irqbypass; do rmmod $m 2>/dev/null; done
}
if ! load_kvm; then
	fail kvm-native "kvm_amd did not load natively: $(tail -n 2 /tmp/kvm.err | tr '\n' '|')"
	exit 0
fi
pass kvm-native "kvm_amd loaded"
kvm_hold 600 >/tmp/kh.out 2>&1 &
kh=$!
i=0
while ! grep -q 'kvm_hold:' /tmp/kh.out 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq kvm-vm-created "$(cat /tmp/kh.out)" "kvm_hold: vm created"
if out=$(insmod $HV_KO $HV_ARGS 2>&1); then
	fail refused-beside-kvm "thinhv loaded while KVM holds SVM"
	rmmod thinhv
else
	case $out in
	*"Device or resource busy"*) pass refused-errno "${out##*: }" ;;
	*) fail refused-errno "want EBUSY, got '$out'" ;;
	esac
	r=$(dmesg | grep 'thinhv: refused: cpu[0-9]* is already in use by another hypervisor' | tail -n 1)
	[ -n "$r" ] && pass refused-reason "${r#*] }" || fail refused-reason "no reason in dmesg"
fi
kill $kh
wait $kh 2>/dev/null
unload_kvm
lsmod | grep -q '^kvm' && fail kvm-unloaded "$(lsmod | grep '^kvm')" || pass kvm-unloaded "kvm gone"
hv_load || exit 0
if load_kvm; then
	kvm_hold 1 >/tmp/kh2.out 2>&1
	r=$(cat /tmp/kh2.out)
	case $r in
	"kvm_hold: create failed"*) pass kvm-refused-under-thinhv "kvm_amd loaded; $r" ;;
	*) fail kvm-refused-under-thinhv "$r" ;;
	esac
else
	pass kvm-refused-under-thinhv "kvm_amd did not load: $(tail -n 1 /tmp/kvm.err)"
fi
note "$(dmesg | grep -iE 'kvm|svm' | tail -n 4 | sed 's/^\[[^]]*\] //' | tr '\n' '|')"
unload_kvm
hv_finish
