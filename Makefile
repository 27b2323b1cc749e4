# SPDX-License-Identifier: GPL-2.0
#
# svr: Secure Vector Routing for Linux.
#   make            build kernel/svr.ko, userspace/svrctl and the selftests' helpers
#   make check      install what is missing, build, run every test
#   make check-debug  the VM tests on a debug kernel (KASAN, lockdep, kmemleak)
#   make demo       the main job, in a VM
#   make fuzz       fuzz the wire-format parser for FUZZ_SECONDS (300)
#   make bench      the benchmark against forwarding, NAT, WireGuard, IPsec
#                   (Documentation/benchmarks.md; QUICK=1: once, tiny sizes)
#   make style      checkpatch on the kernel and shared code
#   make clean

# The Debian kernel the setup step installs, found without a version string.
KDIR ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
KSRC_CACHE ?= /var/cache/svr/ksrc
FUZZ_SECONDS ?= 300
V ?= 0

.PHONY: all module svrctl tools setup check check-debug check-unit check-vm demo fuzz style clean bench

all: module svrctl tools

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/setup" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

svrctl:
	$(MAKE) -C userspace

# Helpers of the VM selftests (selftests/svr-storm).
tools:
	$(MAKE) -C selftests

setup:
	@scripts/setup

check: setup
	@$(MAKE) --no-print-directory all
	@selftests/run-all

# The debug lane (Documentation/debug-kernel.md): scripts/debug-kernel builds
# the kernel once into a cache; svr.ko is built against it in a copy of the
# sources (DEBUG_BUILD), leaving kernel/svr.ko for the stock kernel alone
# (warnings not errors, as on Debian's kernel: defconfig has CONFIG_WERROR);
# the VM tests (SVR_DEBUG_TESTS, default a subset, below) run on it and fail on any
# KASAN/lockdep/UBSAN/debugobjects splat or kmemleak report. The guest
# boots without vm-run's slub_debug (KASAN does that job, 20% faster).
DEBUG_BUILD ?= $(CURDIR)/selftests/logs/debug-build
DEBUG_VM_TIMEOUT ?= 2700
# One script under KASAN+TCG may take twice the stock kernel's 600 s.
DEBUG_TEST_TIMEOUT ?= 1200
# The subset CI runs on the debug kernel, so that every file of kernel/
# runs (Documentation/debug-kernel.md says which test covers which):
# module life, netns, the netlink model under fuzz, the session datapath,
# SVR between routers with failover and BFD, and security. `make check-debug
# SVR_DEBUG_TESTS="..."` runs any list; the whole suite under KASAN+TCG
# takes far longer than CI can give it.
SVR_DEBUG_TESTS ?= selftests/00-module.sh selftests/01-netns.sh \
	selftests/11-nlfuzz.sh selftests/30-session.sh \
	selftests/33-session-table.sh selftests/44-svr-multihop.sh selftests/48-svr-bfd.sh \
	selftests/49-direct-xmit.sh selftests/51-payload.sh
check-debug: setup svrctl
	@scripts/debug-kernel
	@mkdir -p $(DEBUG_BUILD) && rsync -a --delete --exclude='*.mod.c' \
		--include='*/' --include='*.[ch]' --include=Kbuild \
		--include=Makefile --exclude='*' kernel include $(DEBUG_BUILD)/ && \
		cp -p Kbuild $(DEBUG_BUILD)/
	$(MAKE) -C $$(scripts/debug-kernel --dir)/build M=$(DEBUG_BUILD) W=1 \
		CONFIG_WERROR= modules
	@start=$$(date +%s); dk=$$(scripts/debug-kernel --dir); \
	SVR_KO=$(DEBUG_BUILD)/kernel/svr.ko SVR_NETNS_CHURN=10 SVR_FUZZ_MESSAGES=4000 \
	SVR_TEST_TIMEOUT=$(DEBUG_TEST_TIMEOUT) \
	SVR_MODULES_BUILTIN=$$dk/build/modules.builtin \
	selftests/vm-run --kernel $$dk/bzImage --moddir /nonexistent \
		--append 'pci=noacpi slub_debug=-' --timeout $(DEBUG_VM_TIMEOUT) \
		--log selftests/logs/debug-guest-kernel.log \
		selftests/run-tests $(SVR_DEBUG_TESTS); rc=$$?; \
	echo "# check-debug: tests took $$(( $$(date +%s) - start ))s, exit $$rc"; \
	exit $$rc

check-unit: setup
	@$(MAKE) --no-print-directory -C selftests/unit check

check-vm: setup all
	@selftests/vm-run selftests/run-tests

demo: setup
	@$(MAKE) --no-print-directory all
	@selftests/vm-run selftests/demo.sh

# The benchmark (Documentation/benchmarks.md): one VM, booted as the issue
# asks (-cpu max, no slub_debug), runs bench/bench.sh; bench/report.py then
# writes the tables and the plot into Documentation/ (QUICK=1: into
# selftests/logs/, leaving the committed figures alone).
QUICK ?= 0
BENCH_VM_TIMEOUT ?= 7200
ifeq ($(QUICK),1)
BENCH_OUT := selftests/logs/bench-quick.jsonl
BENCH_DOC := --md selftests/logs/bench-quick.md --png selftests/logs/bench-quick.png
else
BENCH_OUT := bench/results/bench.jsonl
BENCH_DOC := --md Documentation/benchmarks.md --png Documentation/benchmarks.png
endif
bench: setup all
	@$(MAKE) --no-print-directory -C bench
	@mkdir -p selftests/logs $$(dirname $(BENCH_OUT))
	@SVR_BENCH_QUICK=$(QUICK) SVR_BENCH_OUT=$(CURDIR)/$(BENCH_OUT) \
		selftests/vm-run --cpu max --no-slub-debug --smp 1 --mem 3072 \
		--timeout $(BENCH_VM_TIMEOUT) --log selftests/logs/bench-guest-kernel.log \
		bench/bench.sh; rc=$$?; \
	bench/report.py $(BENCH_DOC) $(BENCH_OUT) && exit $$rc

fuzz: setup
	@$(MAKE) --no-print-directory -C selftests/unit fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

style: setup
	@$(KSRC_CACHE)/scripts/checkpatch.pl --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		$(filter-out %.mod.c,$(wildcard kernel/*.c)) kernel/*.h \
		include/svr/*.h include/uapi/linux/svr.h

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
	-$(MAKE) -C selftests/unit clean
	$(MAKE) -C bench clean

# ---- install, uninstall, Debian packages (issue 10, Documentation/install.md)
# make install [DESTDIR=] [PREFIX=/usr/local] [KDIR=...]
#   svrctl to $(PREFIX)/sbin, svrctl.8 to $(PREFIX)/share/man/man8, the bash
#   completion, the systemd units to /lib/systemd/system (their svrctl path
#   rewritten to $(PREFIX)/sbin), the docs, and svr.ko with the kernel's
#   modules_install into $(DESTDIR)/lib/modules/KVER/$(INSTALL_MOD_DIR) for the
#   kernel of KDIR, unsigned: Debian's signing key is not in the headers;
#   for Secure Boot use DKMS and its MOK key (INSTALL_MODULE=0 leaves the
#   module out: the Debian packages build it with DKMS instead).
# make install-dkms   the module's sources and dkms.conf to /usr/src/svr-VERSION
#                     (then: dkms install svr/VERSION)
# make uninstall      removes what install put there (not /etc/svr)
# make deb            svr-dkms and svrctl .debs (dpkg-buildpackage -us -uc -b
#                     in a copy of the tree) into $(DEB_OUT)
# make check-packaging  make deb, then selftests/60-packaging.sh in a VM with
#                     a writable root: dpkg -i, DKMS, modprobe, units, man
#                     page, completion, the demo from the installed files
#                     (SVR_PKG_DKMS=host|guest: where DKMS compiles, below)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/svrctl
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= /lib/systemd/system
DKMSDIR ?= /usr/src
INSTALL_MODULE ?= 1
INSTALL_MOD_DIR ?= extra
INSTALL ?= install
SVR_VERSION := $(shell sed -n 's/^\#define SVR_VERSION "\(.*\)"/\1/p' include/svr/version.h)
# Debian's headers say 6.1.N in kernel.release; utsrelease.h has the name.
KVER = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
DEB_OUT ?= $(CURDIR)/selftests/logs/deb
# The DKMS build runs in the guest, under TCG: minutes, more on a busy host.
PKG_TEST_TIMEOUT ?= 2400
PKG_VM_TIMEOUT ?= 2700
# The module's sources (without git: install-dkms also runs in a copy).
SVR_SRC_FILES = Kbuild kernel/Kbuild $(filter-out %.mod.c,$(wildcard \
	kernel/*.c kernel/*.h)) $(shell find include -name '*.h')
# The files of a source copy for make deb: tracked or new, no build products.
PKG_SRC_FILES = $(shell git ls-files -co --exclude-standard Kbuild Makefile \
	LICENSE README.md dkms.conf kernel include userspace Documentation \
	systemd completion debian)

.PHONY: install install-userspace install-module install-dkms uninstall \
	deb dkms-host check-packaging

install: install-userspace $(if $(filter 1,$(INSTALL_MODULE)),install-module)

install-userspace: svrctl
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 0755 userspace/svrctl $(DESTDIR)$(SBINDIR)/svrctl
	$(INSTALL) -m 0644 Documentation/svrctl.8 $(DESTDIR)$(MANDIR)/man8/svrctl.8
	$(INSTALL) -m 0644 completion/svrctl.bash $(DESTDIR)$(BASHCOMPDIR)/svrctl
	for u in svr.service svr@.service; do \
		sed -e 's,/usr/sbin/svrctl,$(SBINDIR)/svrctl,g' \
		    -e 's,/usr/share/doc/svrctl,$(DOCDIR),g' systemd/$$u \
			>$(DESTDIR)$(UNITDIR)/$$u.tmp && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	$(INSTALL) -m 0644 $(wildcard Documentation/install.md \
		Documentation/observability.md Documentation/admin-guide.md \
		Documentation/wire-format.md Documentation/firewall.md \
		Documentation/json.md) $(DESTDIR)$(DOCDIR)/

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) CONFIG_MODULE_SIG_ALL= \
		modules_install
	$(if $(DESTDIR),,depmod -a $(KVER))

install-dkms:
	@test -n "$(SVR_VERSION)" || { echo "no SVR_VERSION in include/svr/version.h" >&2; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(DKMSDIR)/svr-$(SVR_VERSION)
	tar -cf - $(SVR_SRC_FILES) dkms.conf LICENSE | \
		tar -xf - -C $(DESTDIR)$(DKMSDIR)/svr-$(SVR_VERSION) --no-same-owner

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/svrctl $(DESTDIR)$(MANDIR)/man8/svrctl.8 \
		$(DESTDIR)$(BASHCOMPDIR)/svrctl \
		$(DESTDIR)$(UNITDIR)/svr.service $(DESTDIR)$(UNITDIR)/svr@.service \
		$(addprefix $(DESTDIR)$(DOCDIR)/,install.md observability.md \
			admin-guide.md wire-format.md firewall.md json.md)
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true
	$(if $(KVER),rm -f $(DESTDIR)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/kernel/svr.ko)
	$(if $(DESTDIR)$(filter-out 1,$(INSTALL_MODULE)),,$(if $(KVER),depmod -a $(KVER)))
	$(if $(SVR_VERSION),rm -rf $(DESTDIR)$(DKMSDIR)/svr-$(SVR_VERSION))

deb:
	@v=$$(dpkg-parsechangelog -l debian/changelog -S Version | sed 's/-[^-]*$$//'); \
	test "$$v" = "$(SVR_VERSION)" || { echo "debian/changelog says $$v, include/svr/version.h $(SVR_VERSION)" >&2; exit 1; }
	rm -rf $(DEB_OUT) && mkdir -p $(DEB_OUT)/svr-$(SVR_VERSION)
	tar -cf - $(PKG_SRC_FILES) | tar -xf - -C $(DEB_OUT)/svr-$(SVR_VERSION)
	cd $(DEB_OUT)/svr-$(SVR_VERSION) && \
		dpkg-buildpackage -us -uc -b >$(DEB_OUT)/build.log 2>&1 || \
		{ tail -n 40 $(DEB_OUT)/build.log >&2; exit 1; }
	@ls -1 $(DEB_OUT)/*.deb

# dkms-host: DKMS builds svr.ko from the svr-dkms package's sources on this
# machine (a private DKMS tree, the Debian headers of KDIR) and archives it
# with `dkms mktarball`, for the guest to load instead of compiling under TCG.
DKMS_HOST_DIR = $(DEB_OUT)/dkms-host
DKMS_TARBALL = $(DEB_OUT)/svr-$(SVR_VERSION).dkms.tar.gz
dkms-host:
	rm -rf $(DKMS_HOST_DIR) $(DKMS_TARBALL) && mkdir -p $(DKMS_HOST_DIR)/root $(DKMS_HOST_DIR)/tree
	dpkg-deb -x $(DEB_OUT)/svr-dkms_$(SVR_VERSION)-*_all.deb $(DKMS_HOST_DIR)/root
	dkms build -m svr -v $(SVR_VERSION) -k $(KVER) \
		--sourcetree $(DKMS_HOST_DIR)/root/usr/src --dkmstree $(DKMS_HOST_DIR)/tree \
		>$(DKMS_HOST_DIR)/build.log 2>&1 || \
		{ cat $(DKMS_HOST_DIR)/build.log $(DKMS_HOST_DIR)/tree/svr/*/build/make.log >&2; exit 1; }
	dkms mktarball -m svr -v $(SVR_VERSION) -k $(KVER) \
		--sourcetree $(DKMS_HOST_DIR)/root/usr/src --dkmstree $(DKMS_HOST_DIR)/tree \
		--archive $(DKMS_TARBALL) >>$(DKMS_HOST_DIR)/build.log 2>&1
	@echo "dkms-host: svr.ko for $(KVER) built by DKMS: $(DKMS_TARBALL)"

# SVR_PKG_DKMS=host (default): the module is built by dkms-host and shipped
# into the guest as a DKMS binary tarball (/usr/share/svr-dkms/, which the
# package's postinst loads with `dkms ldtarball`, then installs);
# SVR_PKG_DKMS=guest: the postinst builds it in the guest (20-40 minutes of
# TCG on a busy 2-CPU host).
SVR_PKG_DKMS ?= host
check-packaging: setup
	@$(MAKE) --no-print-directory all deb $(if $(filter host,$(SVR_PKG_DKMS)),dkms-host)
	@start=$$(date +%s); \
	$(if $(filter host,$(SVR_PKG_DKMS)),SVR_PKG_DKMS_TARBALL=$(DKMS_TARBALL)) \
	SVR_TEST_TIMEOUT=$(PKG_TEST_TIMEOUT) \
	selftests/vm-run --rw --timeout $(PKG_VM_TIMEOUT) \
		--log selftests/logs/packaging-guest-kernel.log \
		selftests/run-tests selftests/60-packaging.sh; rc=$$?; \
	echo "# check-packaging: VM took $$(( $$(date +%s) - start ))s, exit $$rc"; \
	exit $$rc
