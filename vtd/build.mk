# Userspace sources of vtd/ (into build/libthinhv.a). ACPI decoding is pure C
# shared with the kernel module (see vtd/kbuild.mk).
LIB_SRCS += vtd/acpi_common.c vtd/acpi_dmar.c vtd/acpi_ivrs.c
