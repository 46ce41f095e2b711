# tests/fuzz/fuzz.mk - libFuzzer harnesses (`make fuzz` from the tree top).
# Every tests/fuzz/fuzz_NAME.c is built with clang -fsanitize=fuzzer,address,
# undefined against the project's library sources (each component's
# sources.mk LIB_SRCS, compiled again with sanitizer coverage) and run for
# FUZZ_SECONDS (default 60) on the seeds in tests/fuzz/corpus/NAME/;
# new inputs land in build/fuzz/corpus/NAME/, crashes in build/fuzz/crash/.
# Extra per-harness options: tests/fuzz/NAME.dict is passed as -dict=.
#   make fuzz                      all harnesses, 60 s each
#   make fuzz FUZZ_SECONDS=10 FUZZ_TARGETS=policy_blob
SHELL := /bin/bash
.SUFFIXES:
.DEFAULT_GOAL := fuzz

SRC := $(CURDIR)
B := build/fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60

# Library sources, exactly as the main build lists them.
OBJ := $(B)
include sources.mk

# += keeps what sources.mk added (libcrypto)
PKGS += libxml-2.0 libsodium libpci tss2-esys tss2-tctildr tss2-mu tss2-rc \
	jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
CFLAGS := -g -O1 -std=gnu11 -Wall -D_GNU_SOURCE -DTHINHV_FUZZ \
	-I$(SRC)/include -I$(SRC) $(SAN)

HARNESS_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
ALL_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(HARNESS_SRCS))
FUZZ_TARGETS ?= $(ALL_TARGETS)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)

# run-NAME is a pattern rule: make skips implicit rules for .PHONY targets,
# so those are forced instead.
.PHONY: fuzz build-fuzz FORCE
FORCE:

fuzz: $(addprefix run-,$(FUZZ_TARGETS))

build-fuzz: $(addprefix $(B)/fuzz_,$(FUZZ_TARGETS))

# Library objects get coverage but no fuzzer main.
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP \
		-c $< -o $@

$(B)/libthinhv_fuzz.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

# A plain archive: each harness pulls in only the objects it uses.
$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(B)/libthinhv_fuzz.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) $< \
		$(B)/libthinhv_fuzz.a $(PKG_LIBS) -o $@

run-%: $(B)/fuzz_% FORCE
	@mkdir -p $(B)/corpus/$* $(B)/crash tests/fuzz/corpus/$*
	@echo "fuzz: $* for $(FUZZ_SECONDS) s"
	./$(B)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=$(B)/crash/$*- -timeout=10 -rss_limit_mb=2048 \
		$(if $(wildcard tests/fuzz/$*.dict),-dict=tests/fuzz/$*.dict) \
		$(B)/corpus/$* tests/fuzz/corpus/$*

-include $(shell find $(B) -name '*.d' 2>/dev/null)
