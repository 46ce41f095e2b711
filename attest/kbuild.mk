# Kernel objects of attest/ (paths from the tree top): the pure event-log
# encoder and the measurement helper the core calls at launch.
thinhv-y += attest/tcg_log.o attest/att_measure.o
