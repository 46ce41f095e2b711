# Userspace build of the hypervisor's pure code (host unit tests, CLI).
# Objects go to $(B)/hv/ because $(B)/thinhv is the CLI binary; they join
# libthinhv.a as extra prerequisites of the archive (its recipe uses $^).
HV_PURE_SRCS := thinhv/hv_ranges.c thinhv/hv_pt.c thinhv/hv_memtype.c \
	thinhv/hv_exit.c thinhv/hv_pcicfg.c thinhv/svm_caps.c
HV_PURE_OBJS := $(HV_PURE_SRCS:thinhv/%.c=$(B)/hv/%.o)

$(B)/hv/%.o: thinhv/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/libthinhv.a: $(HV_PURE_OBJS)

# VMX backend: pure capability/control logic (owner: VMX backend).
VMX_PURE_OBJS := $(B)/hv/vmx_caps.o
$(B)/libthinhv.a: $(VMX_PURE_OBJS)
