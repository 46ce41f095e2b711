# Kernel objects of vtd/ (paths relative to the tree top).
thinhv-y += vtd/acpi_common.o vtd/acpi_dmar.o vtd/acpi_ivrs.o
# DMA enforcement: pure builders/decoders + the VT-d and AMD-Vi drivers.
thinhv-y += vtd/iommu_pt.o vtd/iommu_plan.o vtd/vtd_tables.o \
	vtd/amdvi_tables.o vtd/iommu_fault.o vtd/iommu_kmod.o vtd/iommu_hw.o \
	vtd/vtd_drv.o vtd/amdvi_drv.o
# PCI config-space guard of the AMD IOMMU functions (kernel context).
thinhv-y += vtd/amdvi_pcicfg.o
