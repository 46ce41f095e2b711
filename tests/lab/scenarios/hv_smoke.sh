# hv_smoke: load thinhv, see the signature on every CPU, refuse CPU
# hotplug and malformed ioctls while loaded, unload, signature gone and
# the native GDTR/IDTR/TR state back as before. The quickest end-to-end
# check of the late launch.
# lab-timeout: 240
. /lab/scenarios/hv_lib.sh
hv_sig_all none native
# native descriptor state per CPU (GDTR/IDTR limits, TR limit via ioperm)
i=0
while [ $i -lt "$NCPUS" ]; do
	desc_probe --cpu $i >/tmp/desc.$i
	i=$((i + 1))
done
# Without a TPM the default is to refuse: an unmeasured launch must be
# asked for (require_tpm=0), never the silent fallback.
if [ ! -e /dev/tpm0 ]; then
	if insmod $HV_KO allow_nested=1 2>/dev/null; then
		fail refuse-unmeasured "launched without a TPM and without require_tpm=0"
		rmmod thinhv
	else
		r=$(dmesg | grep 'thinhv: refused: measurement unavailable' | tail -n 1)
		[ -n "$r" ] && pass refuse-unmeasured "${r#*] }" ||
			fail refuse-unmeasured "no reason in dmesg"
	fi
fi
hv_load || exit 0
hv_sig_all thinhv signature
check ioctl-validation hv_ioctl
check status thinhv status
if [ "$NCPUS" -gt 1 ]; then
	if echo 0 >/sys/devices/system/cpu/cpu1/online 2>/dev/null; then
		fail hotplug-refused "cpu1 went offline under the hypervisor"
		echo 1 >/sys/devices/system/cpu/cpu1/online
	else
		pass hotplug-refused "$(dmesg | grep 'thinhv: refusing' | tail -n 1 | sed 's/^\[[^]]*\] //')"
	fi
	hv_sig_all thinhv after-hotplug
fi
hv_clean_log log-clean
check unload rmmod thinhv
hv_sig_all none native-again
i=0
while [ $i -lt "$NCPUS" ]; do
	d=$(desc_probe --cpu $i)
	expect_eq "native-state-cpu$i" "$d" "$(cat /tmp/desc.$i)"
	expect_eq "native-port-io-cpu$i" "${d##*io=}" ok
	i=$((i + 1))
done
if [ "$NCPUS" -gt 1 ]; then
	check hotplug-after-unload sh -c 'echo 0 >/sys/devices/system/cpu/cpu1/online && echo 1 >/sys/devices/system/cpu/cpu1/online'
fi
hv_notes
