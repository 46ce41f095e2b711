# Kernel objects of vtd/ (paths relative to the tree top).
thinhv-y += vtd/acpi_common.o vtd/acpi_dmar.o vtd/acpi_ivrs.o
