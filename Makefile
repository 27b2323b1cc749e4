# SPDX-License-Identifier: GPL-2.0
#
# svr: Secure Vector Routing for Linux.
#   make            build kernel/svr.ko and userspace/svrctl
#   make check      install what is missing, build, run every test
#   make demo       the main job, in a VM
#   make fuzz       fuzz the wire-format parser for FUZZ_SECONDS (300)
#   make style      checkpatch on the kernel and shared code
#   make clean

# The Debian kernel the setup step installs, found without a version string.
KDIR ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
KSRC_CACHE ?= /var/cache/svr/ksrc
FUZZ_SECONDS ?= 300
V ?= 0

.PHONY: all module svrctl setup check check-unit check-vm demo fuzz style clean

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
