# Kernel objects of vtd/ (paths relative to the tree top).
thinhv-y += vtd/acpi_common.o vtd/acpi_dmar.o vtd/acpi_ivrs.o
# DMA enforcement: pure builders/decoders + the VT-d and AMD-Vi drivers.
thinhv-y += vtd/iommu_pt.o vtd/iommu_plan.o vtd/vtd_tables.o \
	vtd/amdvi_tables.o vtd/iommu_fault.o vtd/iommu_kmod.o vtd/iommu_hw.o \
	vtd/vtd_drv.o vtd/amdvi_drv.o vtd/iommu_host.o
# iommu_host.c runs in host mode (hypercalls): the core's host-mode flags
# (thinhv/kbuild.mk), and no loop turned into a memset/memcpy call (kernel
# text is not mapped in host mode).
CFLAGS_vtd/iommu_host.o += $(HV_HOST_CFLAGS) -fno-tree-loop-distribute-patterns
CFLAGS_REMOVE_vtd/iommu_host.o += $(HV_HOST_CFLAGS_REMOVE)
OBJECT_FILES_NON_STANDARD_iommu_host.o := y
# PCI config-space guard of the AMD IOMMU functions (kernel context).
thinhv-y += vtd/amdvi_pcicfg.o
