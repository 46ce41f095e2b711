# hv_lock: lock=1 refuses unload (the CPUs stay virtualized); loading a
# second time is refused cleanly; without allow_nested the emulator's
# hypervisor bit makes thinhv refuse with a clear reason.
# lab-timeout: 240
. /lab/scenarios/hv_lib.sh
if insmod $HV_KO 2>/dev/null; then
	fail refuse-under-hypervisor "loaded although CPUID.1:ECX[31] is set"
	rmmod thinhv
else
	r=$(dmesg | grep 'thinhv: refused: already running under a hypervisor' | tail -n 1)
	[ -n "$r" ] && pass refuse-under-hypervisor "${r#*] }" ||
		fail refuse-under-hypervisor "no reason in dmesg"
fi
hv_load lock=1 || exit 0
thinhv status | grep -q '^locked: 1' && pass status-locked "locked: 1" ||
	fail status-locked "$(thinhv status | grep locked)"
if rmmod thinhv 2>/dev/null; then
	fail unload-refused "rmmod succeeded under lock=1"
else
	pass unload-refused "rmmod refused"
fi
hv_sig_all thinhv still-virtualized
if insmod $HV_KO $HV_ARGS 2>/tmp/err; then
	fail second-load-refused "loaded twice"
else
	pass second-load-refused "$(cat /tmp/err)"
fi
hv_sig_all thinhv still-virtualized-2
hv_clean_log log-clean
hv_notes
