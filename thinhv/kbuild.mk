# Kernel objects of the hypervisor core and the SVM backend (paths from the
# tree top).
thinhv-y += thinhv/hv_main.o thinhv/hv_core.o thinhv/hv_dev.o thinhv/hv_measure.o \
	thinhv/hv_ranges.o thinhv/hv_pt.o thinhv/hv_memtype.o \
	thinhv/hv_exit.o thinhv/svm.o thinhv/svm_host.o thinhv/svm_asm.o \
	thinhv/hv_pcicfg.o thinhv/hv_pcicfg_kern.o thinhv/svm_caps.o

# Host-mode code runs with the guest's GS base and only the hypervisor's
# private page table: no stack protector (reads %gs), no ftrace hooks, no
# retpoline/return thunks (they live in kernel text, unmapped in host mode).
# hv_ranges/hv_exit/hv_pcicfg are called from host mode. objtool cannot follow the
# stack switches of svm_asm.S nor the thunk-free code.
HV_HOST_CFLAGS := -fno-stack-protector -mfunction-return=keep \
	-mindirect-branch=keep -fno-jump-tables
HV_HOST_CFLAGS_REMOVE := $(CC_FLAGS_FTRACE) -fstack-protector \
	-fstack-protector-strong -mstack-protector-guard-reg=gs \
	-mstack-protector-guard-symbol=__stack_chk_guard \
	-mindirect-branch=thunk-extern -mindirect-branch-register \
	-mfunction-return=thunk-extern -mindirect-branch-cs-prefix
CFLAGS_thinhv/svm_host.o += $(HV_HOST_CFLAGS)
CFLAGS_thinhv/hv_exit.o += $(HV_HOST_CFLAGS)
CFLAGS_thinhv/hv_ranges.o += $(HV_HOST_CFLAGS)
CFLAGS_thinhv/hv_pcicfg.o += $(HV_HOST_CFLAGS)
CFLAGS_REMOVE_thinhv/svm_host.o += $(HV_HOST_CFLAGS_REMOVE)
CFLAGS_REMOVE_thinhv/hv_exit.o += $(HV_HOST_CFLAGS_REMOVE)
CFLAGS_REMOVE_thinhv/hv_ranges.o += $(HV_HOST_CFLAGS_REMOVE)
CFLAGS_REMOVE_thinhv/hv_pcicfg.o += $(HV_HOST_CFLAGS_REMOVE)
OBJECT_FILES_NON_STANDARD_svm_asm.o := y
OBJECT_FILES_NON_STANDARD_svm_host.o := y
OBJECT_FILES_NON_STANDARD_hv_exit.o := y
OBJECT_FILES_NON_STANDARD_hv_ranges.o := y
OBJECT_FILES_NON_STANDARD_hv_pcicfg.o := y
asflags-y += -I$(src)/include -I$(src)

# VMX backend (owner: VMX backend). vmx_host.c and vmx_caps.c (XSETBV
# check) run in VMX root mode: the host-mode flags above apply to them.
thinhv-y += thinhv/vmx.o thinhv/vmx_host.o thinhv/vmx_asm.o \
	thinhv/vmx_caps.o
CFLAGS_thinhv/vmx_host.o += $(HV_HOST_CFLAGS)
CFLAGS_thinhv/vmx_caps.o += $(HV_HOST_CFLAGS)
CFLAGS_REMOVE_thinhv/vmx_host.o += $(HV_HOST_CFLAGS_REMOVE)
CFLAGS_REMOVE_thinhv/vmx_caps.o += $(HV_HOST_CFLAGS_REMOVE)
OBJECT_FILES_NON_STANDARD_vmx_asm.o := y
OBJECT_FILES_NON_STANDARD_vmx_host.o := y
OBJECT_FILES_NON_STANDARD_vmx_caps.o := y
