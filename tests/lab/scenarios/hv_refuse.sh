# hv_refuse: on a CPU without what the SVM backend needs, loading thinhv is
# refused with a dmesg line naming the reason and a distinct errno, and
# nothing changes. Run with --cpuflags svm=off (no SVM: ENODEV, "CPU has no
# SVM") or --cpuflags npt=off (SVM without nested paging: EOPNOTSUPP).
# The other refusals are in hv_lock (hypervisor bit, loading twice);
# VM_CR.SVMDIS, which QEMU 7.2 does not model, in unit test svm_caps.
# (QEMU 7.2 with svm=off and 5-level paging breaks the guest's static
# binaries before /init runs: the suite runs svm=off with --la57 off.)
# lab-timeout: 180
. /lab/scenarios/hv_lib.sh
set -- $(cpuid 0x80000001)
svm=$(bit $3 2)
set -- $(cpuid 0x8000000a)
npt=$(bit $4 0)
note "CPUID: svm=$svm npt=$npt"
if [ "$svm" = 0 ]; then
	why='thinhv: refused: CPU has no SVM' err='No such device'
elif [ "$npt" = 0 ]; then
	why='thinhv: refused: SVM without nested paging' err='Operation not supported'
else
	skip refuse "this CPU has SVM and NPT (run with --cpuflags svm=off or npt=off)"
	exit 0
fi
if out=$(insmod $HV_KO $HV_ARGS 2>&1); then
	fail refused "loaded: $(dmesg | grep thinhv | tail -n 2 | tr '\n' '|')"
	rmmod thinhv
	exit 0
fi
case $out in
*"$err"*) pass refused-errno "${out##*: }" ;;
*) fail refused-errno "want '$err', got '$out'" ;;
esac
r=$(dmesg | grep "$why" | tail -n 1)
[ -n "$r" ] && pass refused-reason "${r#*] }" || fail refused-reason "no '$why' in dmesg"
lsmod | grep -q '^thinhv ' && fail not-loaded "thinhv is listed" ||
	pass not-loaded "not in lsmod"
[ -e /dev/thinhv ] && fail no-device "/dev/thinhv exists" || pass no-device "no /dev/thinhv"
hv_sig_all none native
hv_clean_log log-clean
hv_notes
