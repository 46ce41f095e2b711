# selftest_hang - harness self-test: a guest that never finishes.
# lab-timeout: 25
pass selftest-started "about to hang"
while :; do sleep 1; done
