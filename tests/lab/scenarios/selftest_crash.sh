# selftest_crash - harness self-test: the guest kernel panics mid-scenario
# (panic=-1 + -no-reboot: the emulator exits without the end marker).
pass selftest-started "about to panic"
echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
sleep 30
