# thinhv top-level Makefile.
#   make            userspace tools + kernel module
#   make tools      libthinhv.a and the `thinhv` CLI (build/)
#   make module     thinhv.ko via Kbuild (KDIR=, default: the lab kernel's headers)
#   make check      deps, unit tests, lint, lab scenarios    (SAN=1: ASan+UBSan)
#   make demo       the whole story in the emulated lab
#   make bench | fuzz | lint | install | man | deb | pkgtest | clean

SHELL := /bin/bash
.SUFFIXES:
.DEFAULT_GOAL := all

SRC := $(CURDIR)
B := build
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.0-dev)

# Lab kernel: Debian's linux-headers-amd64 names the version the lab boots.
LAB_KVER = $(shell $(SRC)/tests/lab/kver.sh)
KDIR ?= /usr/src/linux-headers-$(LAB_KVER)

PKGS := libxml-2.0 libsodium libpci tss2-esys tss2-tctildr tss2-mu tss2-rc \
	jansson
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))

CC ?= cc
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -D_GNU_SOURCE -DTHINHV_VERSION='"$(VERSION)"' \
	-I$(SRC)/include -I$(SRC)
LDFLAGS ?=
# A root tool reading hostile input is built as a distribution would build
# it: stack protector, fortified libc calls, PIE, full RELRO (BIND_NOW).
CFLAGS += -fstack-protector-strong -fPIE
LDFLAGS += -pie -Wl,-z,relro,-z,now
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
B := build/san
else
# FORTIFY needs optimisation and fights ASan's interceptors: not with SAN=1.
CFLAGS += -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
endif

OBJ = $(B)/obj
include sources.mk

LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o)
AUDIT_OBJS := $(AUDIT_SRCS:%.c=$(OBJ)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(OBJ)/%.o)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(OBJ)/%.o)

.PHONY: all tools module check check-extended unit lint lab demo bench fuzz \
	soak \
	clean deps lab-deps

all: tools module

tools: $(B)/thinhv $(B)/libthinhv.a $(B)/libaudit.a

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(B)/libthinhv.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# The audit library sits on libthinhv.a (attest/lib, ACPI decoding), so
# it comes first on a link line; libthinhv.a never needs it.
$(B)/libaudit.a: $(AUDIT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# Commands (CLI_OBJS) and test suites (UNIT_OBJS) register themselves from
# constructors and are linked as objects; the libraries hold no
# constructors, so plain archives suffice. Only the tests link CUnit.
$(B)/thinhv: $(CLI_OBJS) $(B)/libaudit.a $(B)/libthinhv.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(B)/libaudit.a $(B)/libthinhv.a \
		$(PKG_LIBS)

$(B)/unit_tests: $(UNIT_OBJS) $(B)/libaudit.a $(B)/libthinhv.a
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(B)/libaudit.a $(B)/libthinhv.a \
		$(PKG_LIBS) -lcunit

-include $(shell find $(B) -name '*.d' 2>/dev/null)

module:
	$(MAKE) -C $(KDIR) M=$(SRC) THINHV_WERROR=1 modules
	$(SRC)/scripts/check-layers calls-kernel --root $(SRC)
	$(SRC)/scripts/check-host --kbuild $(SRC)/Kbuild

deps:
	@$(SRC)/scripts/deps.sh

unit: $(B)/unit_tests $(B)/thinhv
	$(SRC)/scripts/check-layers calls-user --root $(SRC) --obj $(OBJ)
	THINHV_SRCDIR=$(SRC) THINHV_CLI=$(SRC)/$(B)/thinhv ./$(B)/unit_tests

LINT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
lint:
	@echo "lint: check-layers (docs/layers.md)"
	@$(SRC)/scripts/check-layers includes --root $(SRC)
	@$(SRC)/tests/layers/run
	@echo "lint: clang-format"
	@clang-format --dry-run -Werror $(LINT_FILES)
	@echo "lint: cppcheck"
	@cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
		--enable=warning,portability --suppress=missingIncludeSystem \
		-I include -D__x86_64__ -DPOL_XSD_PATH=\"policy/thinhv-policy.xsd\" \
		$(LINT_FILES)
	@echo "lint: check-host self-test"
	@$(SRC)/tests/check-host/run

# The harness self-test (a failing, a hung and a crashed guest must each be
# reported as failures) runs before the scenarios.
# The guest gets the plain (non-sanitizer) CLI whatever SAN says.
lab: module
	$(MAKE) SAN= tools
	$(SRC)/tests/lab/build-image
	@rc=0; $(SRC)/tests/lab/selftest || rc=1; \
	$(SRC)/tests/lab/check || rc=1; \
	$(SRC)/tests/attest/kmod-selftest.sh || rc=1; exit $$rc

check: deps
	$(MAKE) unit
	$(MAKE) lint
	$(MAKE) pkgtest
	$(MAKE) lab

# Longer lab runs (more Bochs boots, 60 s stress): not in CI's budget.
check-extended: deps module
	$(MAKE) SAN= tools
	$(MAKE) debian-image
	LAB_SUITE=$(SRC)/tests/lab/suite.extended $(SRC)/tests/lab/check

demo: deps
	$(MAKE) tools module
	$(SRC)/tests/lab/demo

bench: deps tools module
	$(SRC)/tests/bench/run

fuzz: deps
	$(MAKE) -f tests/fuzz/fuzz.mk

soak: deps tools module
	$(SRC)/tests/lab/soak $(or $(N),200)

# install, man, deb, pkgtest: dist/dist.mk
include dist/dist.mk

clean:
	rm -rf build
	-[ ! -d $(KDIR) ] || $(MAKE) -C $(KDIR) M=$(SRC) clean
