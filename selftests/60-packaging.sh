#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages, installed like on a router: dpkg -i svr-dkms and
# svrctl (DKMS builds svr.ko for the running kernel in the guest), modprobe,
# the installed svrctl, save | -f - round trip, the systemd units (verified,
# and their commands run as systemd would), the man page, the bash
# completion, the demo from the installed files, make install/uninstall
# with DESTDIR, and dpkg --purge.
#
# Needs a writable root and the .debs built on the host: `make
# check-packaging` does both (make deb, then vm-run --rw). In the ordinary
# read-only `make check` guest the whole test is skipped.
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

DEB_DIR=${SVR_DEB_DIR:-$REPO/selftests/logs/deb}
KVER=$(uname -r)
SVRCTL=/usr/sbin/svrctl
DKMS_KO=/lib/modules/$KVER/updates/dkms/svr.ko
UNITS=/lib/systemd/system
TMP=$(mktemp -d)
VERSION=$(sed -n 's/^#define SVR_VERSION "\(.*\)"/\1/p' "$REPO/include/svr/version.h")
SYSPATH=/usr/sbin:/usr/bin:/sbin:/bin

ready=
if [ "${SVR_IN_VM:-0}" != 1 ]; then
	ready="not in a vm-run guest: this test installs packages"
elif ! touch /usr/.svr-rw-probe 2>/dev/null; then
	ready="read-only root (run make check-packaging: vm-run --rw)"
elif ! ls "$DEB_DIR"/svr-dkms_*_all.deb "$DEB_DIR"/svrctl_*_amd64.deb >/dev/null 2>&1; then
	ready="no .debs in $DEB_DIR (run make deb on the host)"
fi
rm -f /usr/.svr-rw-probe 2>/dev/null
if [ -n "$ready" ]; then
	echo "TAP version 13"
	echo "1..1"
	echo "ok 1 packaging # SKIP $ready"
	exit $ksft_skip
fi

S() { "$SVRCTL" -n "$r1" "$@"; }

install_debs() {
	local t0 rc log=$REPO/selftests/logs/packaging-dpkg.log
	svr_unload
	# The man-db trigger rebuilds the index: slow under TCG, not tested here.
	rm -f /var/lib/man-db/auto-update
	# SVR_PKG_DKMS_TARBALL (make check-packaging, SVR_PKG_DKMS=host): svr.ko
	# built by DKMS on the host for this kernel, as a DKMS tarball where the
	# package's postinst looks for prebuilt binaries; without it, the
	# postinst compiles the module here.
	if [ -n "${SVR_PKG_DKMS_TARBALL:-}" ]; then
		[ -r "$SVR_PKG_DKMS_TARBALL" ] || fail "no $SVR_PKG_DKMS_TARBALL"
		mkdir -p /usr/share/svr-dkms
		cp "$SVR_PKG_DKMS_TARBALL" /usr/share/svr-dkms/svr-$VERSION.dkms.tar.gz
		echo "DKMS: module built on the host (make dkms-host), loaded by the postinst"
	else
		echo "DKMS: the postinst builds the module in the guest"
	fi
	t0=$(date +%s)
	DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB_DIR"/svr-dkms_*_all.deb \
		"$DEB_DIR"/svrctl_*_amd64.deb >"$log" 2>&1 && rc=0 || rc=$?
	echo "dpkg -i took $(( $(date +%s) - t0 ))s"
	grep -E 'DKMS|dkms|Building|Signing|Installing|ldtarball' "$log" | head -n 20
	if [ $rc != 0 ]; then
		tail -n 40 "$log"
		cat /var/lib/dkms/svr/*/build/make.log 2>/dev/null | tail -n 40
		fail "dpkg -i exited with $rc"
	fi
	for p in svr-dkms svrctl; do
		assert_eq "$(dpkg-query -W -f='${Status} ${Version}' $p)" \
			"install ok installed $VERSION-1" "$p"
	done
	# Saved configurations hold keys: root only.
	assert_eq "$(stat -c '%a %U' /etc/svr)" "700 root" "/etc/svr"
}

dkms_status() {
	local st
	st=$(dkms status svr)
	echo "$st"
	echo "$st" | grep -qE "^svr/$VERSION, $KVER, [^:]+: installed" ||
		fail "svr/$VERSION is not installed for $KVER"
	[ -f "$DKMS_KO" ] || fail "no $DKMS_KO"
}

modprobe_dkms() {
	svr_unload
	assert_eq "$(modinfo -n svr)" "$DKMS_KO" "modinfo -n svr"
	assert_eq "$(modinfo -F version svr)" "$VERSION" "module version"
	modprobe svr
	svr_loaded || fail "svr not loaded after modprobe"
	assert_eq "$(cat /sys/module/svr/srcversion)" "$(modinfo -F srcversion "$DKMS_KO")" \
		"loaded module is the DKMS one"
	[ -r /proc/net/svr/stats ] || fail "no /proc/net/svr/stats"
}

svrctl_version() {
	local out
	assert_eq "$(PATH=$SYSPATH command -v svrctl)" "$SVRCTL" "svrctl on the system PATH"
	out=$("$SVRCTL" version)
	echo "$out"
	echo "$out" | grep -q "svrctl $VERSION" || fail "svrctl version"
	echo "$out" | grep -q "svr.ko $VERSION" || fail "module version via svrctl"
	assert_eq "$("$SVRCTL" -V)" "svrctl $VERSION" "svrctl -V"
}

K256=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
H256=0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000

save_roundtrip() {
	svr_modprobe svr
	ip -n "$r1" link add lan0 type veth peer name lan0p
	ip -n "$r2" link add lan0 type veth peer name lan0p
	S -f - <<-EOF
	router set name r1 udp-timeout 120
	tenant add blue prefix 198.18.1.0/24 dev lan0
	tenant add red prefix 198.18.9.0/24
	security add sp1 cipher aes-cbc-256 hmac sha256-128
	security key add sp1 7 cipher-key hex:$K256 hmac-key hex:$H256
	interface add lan0 tenant blue
	peer add rB security sp1 path 192.0.2.1 192.0.2.2 cost 10
	peer add rC
	service add web prefix 198.18.2.0/24 proto tcp port 80,443 allow blue deny red
	route add web via peer rB
	EOF
	S save >"$TMP/r1.conf"
	"$SVRCTL" -n "$r2" -f - <"$TMP/r1.conf"
	"$SVRCTL" -n "$r2" save >"$TMP/r2.conf"
	diff <(sort "$TMP/r1.conf") <(sort "$TMP/r2.conf") ||
		fail "save | svrctl -f - | save differs"
	grep -q "^security key add sp1 7 " "$TMP/r2.conf" || fail "keys not saved"
	wc -l <"$TMP/r1.conf"
}

units_verify() {
	local u
	for u in svr.service svr@.service; do
		[ -f "$UNITS/$u" ] || fail "$u not installed"
	done
	# Enabled by the package: the saved configuration is applied at boot.
	[ -L /etc/systemd/system/multi-user.target.wants/svr.service ] ||
		fail "svr.service not enabled"
	systemd-analyze verify "$UNITS/svr.service" 2>&1 | tee "$TMP/verify.log"
	mkdir -p "$TMP/units"
	cp "$UNITS/svr@.service" "$TMP/units/svr@blue.service"
	SYSTEMD_UNIT_PATH="$TMP/units:" systemd-analyze verify svr@blue.service 2>&1 |
		tee -a "$TMP/verify.log"
	[ ! -s "$TMP/verify.log" ] || fail "systemd-analyze verify complained"
}

# unit_run UNIT KEY [INSTANCE]: run the unit's KEY= command lines (ExecStart,
# ExecStop) as systemd would (no systemd in the guest), %i substituted.
unit_run() {
	local line
	grep "^$2=" "$UNITS/$1" | sed -e "s/^$2=//" -e "s/%[iI]/${3:-}/g" |
		while IFS= read -r line; do
			echo "+ $line"
			eval "$line" || exit 1
		done
}

units_apply() {
	umask 077
	S save >"/etc/svr/$r1.conf"
	printf 'tenant add boot-blue prefix 203.0.113.0/24\n' >/etc/svr/svr.conf
	umask 022
	cp "/etc/svr/$r1.conf" "$TMP/expect.conf"
	unit_run svr.service ExecStop
	svr_loaded && fail "svr.service ExecStop left svr loaded"
	unit_run svr.service ExecStart
	svr_loaded || fail "svr.service did not load svr"
	"$SVRCTL" tenant show | grep -q boot-blue || fail "/etc/svr/svr.conf not applied"
	unit_run svr@.service ExecStart "$r1"
	S save >"$TMP/got.conf"
	diff <(sort "$TMP/expect.conf") <(sort "$TMP/got.conf") ||
		fail "svr@$r1 did not restore /etc/svr/$r1.conf"
	rm -f /etc/svr/svr.conf
	unit_run svr.service ExecStop
	unit_run svr.service ExecStart
	assert_eq "$("$SVRCTL" -j tenant show)" "[]" "no svr.conf: empty configuration"
}

man_page() {
	local page warn
	page=$(man -w svrctl)
	assert_eq "$page" /usr/share/man/man8/svrctl.8.gz "man -w svrctl"
	warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warn" ] || fail "man warnings: $warn"
	MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q 'svrctl' || fail "man page empty"
}

completion() {
	svr_modprobe svr
	"$SVRCTL" -n "$r1" -j tenant show | grep -q '"blue"' ||
		S -f "/etc/svr/$r1.conf"
	PATH=$SYSPATH bash --norc -c '
		r1=$1
		. /usr/share/bash-completion/bash_completion
		# Loaded on demand from the completions directory.
		_completion_loader svrctl
		complete -p svrctl | grep -q _svrctl || { echo "not loaded"; exit 1; }
		comp() {
			COMP_LINE=$1; COMP_POINT=${#COMP_LINE}
			read -ra COMP_WORDS <<<"$1"
			[[ "$1" == *" " ]] && COMP_WORDS+=("")
			COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
			COMPREPLY=()
			_svrctl svrctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			echo "${COMPREPLY[*]}"
		}
		sorted() { printf "%s\n" $1 | sort | tr "\n" " "; }
		check() { # want line (names in any order)
			local got; got=$(comp "$2")
			echo "\"$2\" -> $got"
			[ "$(sorted "$got")" = "$(sorted "$1")" ] ||
				{ echo "FAIL: expected \"$1\""; bad=1; }
		}
		bad=0
		check "tenant" "svrctl te"
		check "service security session stats save" "svrctl s"
		check "add set del prefix show help" "svrctl -n $r1 tenant "
		check "blue red" "svrctl -n $r1 tenant show "
		check "blue" "svrctl -n $r1 t del b"
		check "rB rC" "svrctl -n $r1 peer del "
		check "web" "svrctl -n $r1 route add "
		check "peer gateway fib host" "svrctl -n $r1 route add web via "
		check "rB rC" "svrctl -n $r1 route add web via peer "
		check "blue red global" "svrctl -n $r1 service set web allow "
		check "sp1" "svrctl -n $r1 security key add "
		check "tcp udp icmp any" "svrctl service add x proto "
		check "$r1" "svrctl -n $r1"
		check "show --prometheus help" "svrctl stats "
		check "--prometheus" "svrctl stats show "
		check "7" "svrctl -n $r1 security key del sp1 "
		check "192.0.2.1" "svrctl -n $r1 peer path del rB "
		check "192.0.2.2" "svrctl -n $r1 peer path set rB 192.0.2.1 "
		exit $bad
	' - "$r1"
}

demo_installed() {
	local out
	modprobe svr
	assert_eq "$(cat /sys/module/svr/srcversion)" "$(modinfo -F srcversion "$DKMS_KO")" \
		"the DKMS module is loaded"
	# The demo (make demo) with the installed svrctl in place of the tree's
	# (in a private mount namespace: the shared tree is not touched) and the
	# DKMS module, loaded above (SVR_KO too, should the demo reload it).
	out=$(SVR_KO=$DKMS_KO unshare -m sh -c \
		'mount --bind "$1" "$2/userspace/svrctl" &&
		 [ "$("$2/userspace/svrctl" -V)" = "$("$1" -V)" ] &&
		 exec bash "$2/selftests/demo.sh"' \
		- "$SVRCTL" "$REPO" 2>&1) || { echo "$out" | tail -n 30; fail "demo failed"; }
	echo "$out" | tail -n 3
	echo "$out" | grep -q "demo done" || fail "the demo did not finish"
}

# The textfile-collector script and its timer units of
# Documentation/observability.md, as printed there, against the live module:
# one file per namespace, each a valid exposition, files of namespaces that
# are gone removed; the units verify.
doc_block() { # DOC REGEX: the fenced block holding a line that matches
	awk -v re="$2" '/^```/ { if (on) exit; blk = ""; inb = !inb; next }
		inb { blk = blk $0 "\n"; if ($0 ~ re) on = 1 }
		END { if (on) printf "%s", blk }' "$1"
}

prometheus_recipe() {
	local doc=$REPO/Documentation/observability.md out=$TMP/prom u f
	svr_modprobe svr
	doc_block "$doc" '^# /usr/local/sbin/svr-prom' >/usr/local/sbin/svr-prom
	[ -s /usr/local/sbin/svr-prom ] || fail "no svr-prom script in $doc"
	chmod 0755 /usr/local/sbin/svr-prom
	mkdir -p "$out"
	touch "$out/svr-gone.prom" "$out/other.prom"
	PATH=$SYSPATH /usr/local/sbin/svr-prom "$out"
	ls -la "$out"
	grep -E '^svr_pkt_prerouting_total\{netns="init"\} [0-9]+$' "$out/svr-init.prom" ||
		fail "no init-netns counter"
	grep -E "^svr_drops_total\{netns=\"$r1\",reason=\"fib_miss\"\} [0-9]+\$" "$out/svr-$r1.prom" ||
		fail "no per-netns drop counter"
	[ ! -e "$out/svr-gone.prom" ] || fail "the file of a namespace that is gone is left"
	[ -e "$out/other.prom" ] || fail "another exporter's file was removed"
	ls -A "$out" | grep -q '^\.' && fail "temporary files left"
	for f in "$out"/svr-*.prom; do
		assert_eq "$(stat -c %a "$f")" 644 "mode of $f"
		assert_eq "$(grep -c '^# TYPE svr_drops_total counter$' "$f")" 1 "TYPE lines in $f"
		# Every sample after its family's HELP and TYPE.
		awk '/^# TYPE/ { t[$3] = 1; next } /^# HELP/ { next }
		     { n = $1; sub(/\{.*/, "", n); if (!(n in t)) exit 1 }' "$f" ||
			fail "a sample before its TYPE line in $f"
	done
	mkdir -p "$TMP/promunits"
	for u in svr-prom.service svr-prom.timer; do
		doc_block "$doc" "^# /etc/systemd/system/$u" >"$TMP/promunits/$u"
		[ -s "$TMP/promunits/$u" ] || fail "no $u in $doc"
	done
	cp "$UNITS/svr.service" "$TMP/promunits/"
	(cd "$TMP/promunits" && SYSTEMD_UNIT_PATH="$TMP/promunits:" \
		systemd-analyze verify svr-prom.service svr-prom.timer) 2>&1 | tee "$TMP/promverify.log"
	[ ! -s "$TMP/promverify.log" ] || fail "systemd-analyze verify complained"
	rm -f /usr/local/sbin/svr-prom
}

make_install() {
	local src=$DEB_DIR/svr-$VERSION d=$TMP/destdir left
	[ -x "$src/userspace/svrctl" ] || fail "no built tree in $src"
	make -s -C "$src" --no-print-directory install INSTALL_MODULE=0 \
		DESTDIR="$d" PREFIX=/usr/local
	(cd "$d" && find . -type f | sort)
	for f in usr/local/sbin/svrctl usr/local/share/man/man8/svrctl.8 \
		 usr/local/share/bash-completion/completions/svrctl \
		 lib/systemd/system/svr.service lib/systemd/system/svr@.service \
		 usr/local/share/doc/svrctl/install.md \
		 usr/local/share/doc/svrctl/firewall.md \
		 usr/local/share/doc/svrctl/json.md; do
		[ -f "$d/$f" ] || fail "make install: no $f"
	done
	grep -q '^ExecStart=/usr/local/sbin/svrctl -n %i' "$d/lib/systemd/system/svr@.service" ||
		fail "units not rewritten for PREFIX"
	make -s -C "$src" --no-print-directory uninstall INSTALL_MODULE=0 \
		DESTDIR="$d" PREFIX=/usr/local
	left=$(cd "$d" && find . -type f)
	[ -z "$left" ] || fail "make uninstall left: $left"
}

purge() {
	svr_unload
	dpkg --purge svrctl svr-dkms >"$TMP/purge.log" 2>&1 ||
		{ cat "$TMP/purge.log"; fail "dpkg --purge"; }
	[ -z "$(dkms status svr)" ] || fail "dkms still knows svr: $(dkms status svr)"
	[ ! -e "$DKMS_KO" ] || fail "$DKMS_KO left behind"
	[ ! -e /usr/src/svr-$VERSION ] || fail "/usr/src/svr-$VERSION left behind"
	[ ! -e "$SVRCTL" ] || fail "$SVRCTL left behind"
	rm -rf /usr/share/svr-dkms
	[ ! -e /etc/systemd/system/multi-user.target.wants/svr.service ] ||
		fail "svr.service still enabled after purge"
	modinfo svr >/dev/null 2>&1 && fail "modinfo still finds svr"
	return 0
}

# vm-run's guest has no udev: bash's <(...) (dkms uses it) needs /dev/fd.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
setup_ns r1 r2

ktap_header 13
run_case "dpkg -i svr-dkms svrctl (DKMS builds svr.ko)" install_debs
run_case "dkms status: svr installed for the running kernel" dkms_status
run_case "modprobe svr loads the DKMS module" modprobe_dkms
run_case "installed svrctl version" svrctl_version
run_case "svrctl save | svrctl -f - round trip" save_roundtrip
run_case "systemd-analyze verify svr.service svr@.service" units_verify
run_case "svr.service and svr@NETNS apply /etc/svr" units_apply
run_case "man -l svrctl.8 without warnings" man_page
run_case "bash completion: objects, keywords, configured names" completion
run_case "demo from the installed files" demo_installed
run_case "Prometheus textfile recipe and timer of observability.md" prometheus_recipe
run_case "make install/uninstall DESTDIR PREFIX" make_install
run_case "dpkg --purge removes the module and the tool" purge
rm -rf "$TMP"
ktap_finish
