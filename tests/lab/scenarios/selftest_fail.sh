# selftest_fail - harness self-test: a scenario whose assertion fails.
# The harness must report FAIL and exit non-zero (tests/lab/selftest).
pass selftest-ok "a passing assertion"
fail selftest-broken "this assertion fails on purpose"
