# SPDX-License-Identifier: GPL-2.0
#
# svr: Secure Vector Routing for Linux.
#   make            build kernel/svr.ko and userspace/svrctl
#   make check      install what is missing, build, run every test
#   make check-debug  the VM tests on a debug kernel (KASAN, lockdep, kmemleak)
#   make demo       the main job, in a VM
#   make fuzz       fuzz the wire-format parser for FUZZ_SECONDS (300)
#   make style      checkpatch on the kernel and shared code
#   make clean

# The Debian kernel the setup step installs, found without a version string.
KDIR ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
KSRC_CACHE ?= /var/cache/svr/ksrc
FUZZ_SECONDS ?= 300
V ?= 0

.PHONY: all module svrctl setup check check-debug check-unit check-vm demo fuzz style clean

all: module svrctl

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/setup" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

svrctl:
	$(MAKE) -C userspace

setup:
	@scripts/setup

check: setup
	@$(MAKE) --no-print-directory all
	@selftests/run-all

# The debug lane (Documentation/debug-kernel.md): scripts/debug-kernel builds
# the kernel once into a cache; svr.ko is built against it in a copy of the
# sources (DEBUG_BUILD), leaving kernel/svr.ko for the stock kernel alone;
# the VM tests (SVR_DEBUG_TESTS, default all) run on it and fail on any
# KASAN/lockdep/UBSAN/debugobjects splat or kmemleak report.
DEBUG_BUILD ?= $(CURDIR)/selftests/logs/debug-build
DEBUG_VM_TIMEOUT ?= 2700
check-debug: setup svrctl
	@scripts/debug-kernel
	@mkdir -p $(DEBUG_BUILD) && rsync -a --delete --include='*/' \
		--include='*.[ch]' --exclude='*' kernel include $(DEBUG_BUILD)/ && \
		cp -p Kbuild $(DEBUG_BUILD)/
	$(MAKE) -C $$(scripts/debug-kernel --dir)/build M=$(DEBUG_BUILD) W=1 modules
	@start=$$(date +%s); dk=$$(scripts/debug-kernel --dir); \
	SVR_KO=$(DEBUG_BUILD)/kernel/svr.ko \
	SVR_MODULES_BUILTIN=$$dk/build/modules.builtin \
	selftests/vm-run --kernel $$dk/bzImage --moddir /nonexistent \
		--append pci=noacpi --timeout $(DEBUG_VM_TIMEOUT) \
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

fuzz: setup
	@$(MAKE) --no-print-directory -C selftests/unit fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

style: setup
	@$(KSRC_CACHE)/scripts/checkpatch.pl --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		kernel/*.c kernel/*.h include/svr/*.h include/uapi/linux/svr.h

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	-$(MAKE) -C selftests/unit clean
