# Kernel objects of the hypervisor core (paths relative to the tree top).
thinhv-y += thinhv/hv_main.o
