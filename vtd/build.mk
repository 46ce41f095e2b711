# Userspace sources of vtd/ (into build/libthinhv.a). ACPI decoding is pure C
# shared with the kernel module (see vtd/kbuild.mk).
LIB_SRCS += vtd/acpi_common.c vtd/acpi_dmar.c vtd/acpi_ivrs.c
# DMA enforcement: pure table builders and fault decoders (also in the module).
LIB_SRCS += vtd/iommu_pt.c vtd/iommu_plan.c vtd/vtd_tables.c \
	vtd/amdvi_tables.c vtd/iommu_fault.c vtd/iommu_host.c
