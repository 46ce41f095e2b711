# dist.mk - packaging targets, included by the top-level Makefile:
#   make man        man pages from docs/man/*.scd (scdoc) into build/man/
#   make install    CLI, man pages, completion, unit, config into
#                   $(DESTDIR)$(PREFIX), and thinhv.ko built for the running
#                   kernel (KVER=$(uname -r), KDIR=/lib/modules/KVER/build)
#   make deb        thinhv and thinhv-dkms .debs into build/deb/
#   make pkgtest    --help/man-page cross-check and the .debs' contents
#   make debian-image  the `debian` lab profile's disk (Debian 12, systemd,
#                   the .debs installed with apt, thinhv.ko built by DKMS)

PREFIX ?= /usr/local
SBINDIR = $(PREFIX)/sbin
MANDIR = $(PREFIX)/share/man
SYSCONFDIR ?= /etc
SYSTEMD_UNITDIR ?= /lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
KVER ?= $(shell uname -r)
INSTALL_KDIR ?= /lib/modules/$(KVER)/build

MAN_SRCS := $(wildcard docs/man/*.scd)
MAN_PAGES := $(MAN_SRCS:docs/man/%.scd=build/man/%)

.PHONY: man install install-files install-module deb pkgtest debian-image

man: $(MAN_PAGES)

build/man/%: docs/man/%.scd
	@mkdir -p $(dir $@)
	scdoc <$< >$@

build/dist/thinhv.service: dist/thinhv.service.in
	@mkdir -p $(dir $@)
	sed 's|@SBINDIR@|$(SBINDIR)|g' $< >$@

install: install-files install-module

# Everything but the module (the Debian package's thinhv part).
install-files: tools man build/dist/thinhv.service
	install -D -m 0755 $(B)/thinhv $(DESTDIR)$(SBINDIR)/thinhv
	for p in $(MAN_PAGES); do s=$${p##*.}; \
		install -D -m 0644 $$p $(DESTDIR)$(MANDIR)/man$$s/$${p##*/}; done
	install -D -m 0644 dist/bash-completion/thinhv $(DESTDIR)$(BASHCOMPDIR)/thinhv
	install -D -m 0644 build/dist/thinhv.service $(DESTDIR)$(SYSTEMD_UNITDIR)/thinhv.service
	install -D -m 0644 dist/thinhv.conf $(DESTDIR)$(SYSCONFDIR)/thinhv/thinhv.conf
	install -D -m 0644 policy/examples/server.xml $(DESTDIR)$(SYSCONFDIR)/thinhv/policy.xml.example
	install -d $(DESTDIR)$(PREFIX)/share/thinhv/examples
	install -m 0644 policy/examples/*.xml $(DESTDIR)$(PREFIX)/share/thinhv/examples/
	install -m 0644 policy/thinhv-policy.xsd $(DESTDIR)$(PREFIX)/share/thinhv/

# thinhv.ko for the running kernel (or KVER=), built in a private copy of
# the module sources so the lab build (make module) is left alone.
install-module:
	@[ -d $(INSTALL_KDIR) ] || { echo "install: no kernel headers for $(KVER) at $(INSTALL_KDIR): install linux-headers-$(KVER), or use the thinhv-dkms package (make deb)" >&2; exit 1; }
	rm -rf build/kmod-$(KVER)
	dist/kmod-src.sh build/kmod-$(KVER)
	$(MAKE) -C $(INSTALL_KDIR) M=$(SRC)/build/kmod-$(KVER) modules
	install -D -m 0644 build/kmod-$(KVER)/thinhv.ko $(DESTDIR)/lib/modules/$(KVER)/extra/thinhv.ko
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)

# The .debs are built from a copy of the tracked (and new, unignored)
# files but the tests under build/deb/, so dpkg-buildpackage leaves the
# tree alone.
DEB_VERSION := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)
deb:
	rm -rf build/deb
	mkdir -p build/deb/thinhv-$(DEB_VERSION)
	git ls-files -co --exclude-standard | grep -v -e '^build/' -e '^tests/' | \
		tar -cf - -T - | tar -xf - -C build/deb/thinhv-$(DEB_VERSION)
	cd build/deb/thinhv-$(DEB_VERSION) && \
		dpkg-buildpackage -b -us -uc -j2 >../build.log 2>&1 || \
		{ tail -n 40 ../build.log; exit 1; }
	@ls -1 build/deb/*.deb

pkgtest: tools man
	tests/pkg/check

debian-image: deb
	tests/lab/debian/build-debian-image build/deb
