# SPDX-License-Identifier: GPL-2.0
# bash completion for svrctl(8), the configuration tool of svr.
#
# Completes options, objects (resolving abbreviations the way svrctl does:
# an exact name, else the first object in svrctl's order that starts with
# the word), commands, keywords and their fixed values, and the names that
# exist in the running configuration (tenants, services, security policies,
# peers, interfaces; with jq also key ids, path addresses and session
# UUIDs), read with `svrctl [-n NETNS] -j OBJECT show` from the namespace
# given with -n. Installed as
# /usr/share/bash-completion/completions/svrctl; works with or without the
# bash-completion package.

# In svrctl's order: abbreviations resolve to the first match.
_svrctl_objects="router interface tenant service security peer route session stats monitor save decode version help"

# _svrctl_resolve WORD CANDIDATE...: print the candidate WORD names.
_svrctl_resolve()
{
	local w=$1 c
	shift
	[ -n "$w" ] || return 1
	for c in "$@"; do
		[ "$c" = "$w" ] && { printf '%s\n' "$c"; return 0; }
	done
	for c in "$@"; do
		case "$c" in "$w"*) printf '%s\n' "$c"; return 0 ;; esac
	done
	return 1
}

# _svrctl_names OBJECT: names of the OBJECTs configured in the namespace
# (_svrctl_ns). Each object of `-j OBJECT show` has "name" as its first
# member (route: "service"); nested objects never start with "name".
_svrctl_names()
{
	local json key=name
	[ "$1" = route ] && key=service
	json=$("${_svrctl_cmd:-svrctl}" ${_svrctl_ns:+-n "$_svrctl_ns"} -j "$1" show 2>/dev/null) || return 0
	if command -v jq >/dev/null 2>&1; then
		printf '%s\n' "$json" | jq -r ".[].$key // empty" 2>/dev/null
	else
		printf '%s\n' "$json" | tr -d '\n' |
			grep -oE "(\[|\},) *\{ *\"$key\" *: *\"[^\"]*\"" |
			sed -E 's/.*"([^"]*)"$/\1/'
	fi
}

# _svrctl_jq OBJECT NAME FILTER: FILTER (jq) over `-j OBJECT show NAME`, for
# the values inside objects: key ids, path addresses, session UUIDs. Needs
# jq (nothing is offered without it).
_svrctl_jq()
{
	command -v jq >/dev/null 2>&1 || return 0
	"${_svrctl_cmd:-svrctl}" ${_svrctl_ns:+-n "$_svrctl_ns"} -j "$1" show $2 2>/dev/null |
		jq -r "$3" 2>/dev/null
}

# Network devices of the namespace.
_svrctl_devs()
{
	ip ${_svrctl_ns:+-n "$_svrctl_ns"} -o link show 2>/dev/null |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'
}

_svrctl_netns()
{
	ip netns list 2>/dev/null | awk '{ print $1 }'
}

# _svrctl_add WORD...: offer the words that start with $cur.
_svrctl_add()
{
	local IFS=$'\n' w
	for w in $(compgen -W "$*" -- "$cur"); do
		COMPREPLY+=("$w")
	done
}

_svrctl_files()
{
	local IFS=$'\n'
	COMPREPLY+=($(compgen -f -- "$cur"))
	compopt -o filenames 2>/dev/null
}

# Values of keywords that are the same for every object; returns 1 when prev
# is not one of them.
_svrctl_value()
{
	case "$prev" in
	tenant|allow|deny) _svrctl_add $(_svrctl_names tenant) global ;;
	security) _svrctl_add $(_svrctl_names security) ;;
	service) _svrctl_add $(_svrctl_names service) ;;
	dev) _svrctl_add $(_svrctl_devs) ;;
	proto) _svrctl_add tcp udp icmp any ;;
	cipher) _svrctl_add none aes-cbc-128 aes-cbc-256 ;;
	hmac) _svrctl_add none sha1 sha256 sha256-128 ;;
	hmac-mode) _svrctl_add regular time-based ;;
	cipher-key|hmac-key) _svrctl_add hex: file; compopt -o nospace 2>/dev/null ;;
	file) _svrctl_files ;;
	name|session-limit|tcp-timeout|tcp-close-timeout|udp-timeout|icmp-timeout|\
	wayport-range|icmp-rate|prefix|port|timeout|cost|port-range|gateway|path|\
	bfd-interval|bfd-multiplier|keepalive) ;;
	*) return 1 ;;
	esac
	return 0
}

# _svrctl_peer_path PEER 0|1 LOCAL: the local addresses of PEER's paths (0),
# or the remote addresses of its paths from LOCAL (1).
_svrctl_peer_path()
{
	if [ "$2" = 0 ]; then
		_svrctl_add $(_svrctl_jq peer "$1" '[.[].paths[].local] | unique | .[]')
	else
		_svrctl_add $(_svrctl_jq peer "$1" \
			".[].paths[] | select(.local == \"$3\") | .remote")
	fi
}

# _svrctl_object OBJECT: complete $cur; args=(words after OBJECT before cur).
_svrctl_object()
{
	local obj=$1 verbs verb i n=${#args[@]}

	case "$obj" in
	router) verbs="show set" ;;
	interface|service) verbs="add set del show" ;;
	tenant) verbs="add set del prefix show" ;;
	security) verbs="add set del key show" ;;
	peer) verbs="add set del path show" ;;
	route) verbs="add del show" ;;
	session) verbs="show flush del" ;;
	stats) verbs="show --prometheus" ;;
	monitor) verbs="config sessions all" ;;
	save|version) return ;;
	decode)
		[[ "$cur" == -* ]] && _svrctl_add -j && return
		_svrctl_files
		return ;;
	help)
		[ "$n" = 0 ] && _svrctl_add ${_svrctl_objects% help}
		return ;;
	esac

	if [ "$n" = 0 ]; then
		_svrctl_add $verbs help
		return
	fi
	verb=$(_svrctl_resolve "${args[0]}" $verbs help) || return
	[ "$verb" = help ] && return

	case "$obj" in
	router)
		[ "$verb" = set ] || return
		_svrctl_value && return
		_svrctl_add name session-limit tcp-timeout tcp-close-timeout \
			udp-timeout icmp-timeout wayport-range icmp-rate \
			keepalive direct-xmit no-direct-xmit ;;
	interface)
		if [ "$n" = 1 ]; then
			if [ "$verb" = add ]; then
				_svrctl_add $(_svrctl_devs)
			else
				_svrctl_add $(_svrctl_names interface)
			fi
			return
		fi
		_svrctl_value && return
		case "$verb" in
		add) _svrctl_add tenant source-nat ;;
		set) _svrctl_add tenant no-tenant source-nat no-source-nat ;;
		esac ;;
	tenant)
		if [ "$verb" = prefix ]; then
			case "$n" in
			1) _svrctl_add add del ;;
			2) _svrctl_add $(_svrctl_names tenant) ;;
			3) ;;
			*) _svrctl_value || _svrctl_add dev ;;
			esac
			return
		fi
		if [ "$n" = 1 ]; then
			[ "$verb" = add ] || _svrctl_add $(_svrctl_names tenant)
			return
		fi
		_svrctl_value && return
		case "$verb" in
		add|set) _svrctl_add prefix dev ;;
		del) _svrctl_add force prefix dev ;;
		esac ;;
	service)
		if [ "$n" = 1 ]; then
			[ "$verb" = add ] || _svrctl_add $(_svrctl_names service)
			return
		fi
		_svrctl_value && return
		case "$verb" in
		add|set) _svrctl_add prefix proto port allow deny security \
				no-security timeout ;;
		del) _svrctl_add prefix proto port allow deny ;;
		esac ;;
	security)
		if [ "$verb" = key ]; then
			case "$n" in
			1) _svrctl_add add del ;;
			2) _svrctl_add $(_svrctl_names security) ;;
			3)
				[ "${args[1]}" = del ] &&
					_svrctl_add $(_svrctl_jq security "${args[2]}" '.[].keys[].id') ;;
			*)
				[ "${args[1]}" = add ] || return
				_svrctl_value || _svrctl_add cipher-key hmac-key ;;
			esac
			return
		fi
		if [ "$n" = 1 ]; then
			[ "$verb" = add ] || _svrctl_add $(_svrctl_names security)
			return
		fi
		_svrctl_value && return
		case "$verb" in
		add|set) _svrctl_add cipher hmac hmac-mode ;;
		del) _svrctl_add force ;;
		esac ;;
	peer)
		if [ "$verb" = path ]; then
			case "$n" in
			1) _svrctl_add add set del ;;
			2) _svrctl_add $(_svrctl_names peer) ;;
			3|4)
				[ "${args[1]}" = add ] && return
				_svrctl_peer_path "${args[2]}" $((n - 3)) "${args[3]}" ;;
			*)
				[ "${args[1]}" = del ] && return
				_svrctl_value || _svrctl_add cost name no-name \
					port-range up down bfd-interval \
					bfd-multiplier ;;
			esac
			return
		fi
		if [ "$n" = 1 ]; then
			[ "$verb" = add ] || _svrctl_add $(_svrctl_names peer)
			return
		fi
		# peer del NAME path LOCAL REMOTE...
		if [ "$verb" = del ]; then
			for ((i = n - 1; i >= 2; i--)); do
				[ "${args[i]}" = path ] && break
			done
			if [ "$i" -ge 2 ] && [ $((n - 1 - i)) -lt 2 ]; then
				_svrctl_peer_path "${args[1]}" $((n - 1 - i)) "${args[n - 1]}"
				return
			fi
		fi
		_svrctl_value && return
		case "$verb" in
		add|set) _svrctl_add security no-security path cost name \
				no-name port-range up down bfd-interval \
				bfd-multiplier ;;
		del) _svrctl_add force path ;;
		esac ;;
	route)
		if [ "$n" = 1 ]; then
			_svrctl_add $(_svrctl_names service)
			return
		fi
		[ "$verb" = show ] && return
		case "$prev" in
		via) _svrctl_add peer gateway fib host; return ;;
		peer) _svrctl_add $(_svrctl_names peer); return ;;
		esac
		_svrctl_value && return
		if [ "$n" = 2 ]; then
			_svrctl_add via
		elif [ "$verb" = add ]; then
			_svrctl_add cost dev
		else
			_svrctl_add dev
		fi ;;
	session)
		if [ "$n" = 1 ] && [ "$verb" != flush ]; then
			_svrctl_add $(_svrctl_jq session "" '.[].uuid')
			[ "$verb" = del ] && return
		fi
		[ "$verb" = del ] && return
		_svrctl_value && return
		_svrctl_add service tenant ;;
	stats)
		[ "$verb" = show ] && [ "$n" = 1 ] && _svrctl_add --prometheus ;;
	monitor) ;;
	esac
}

_svrctl()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n : || return
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${words[cword]}
		prev=${words[cword - 1]}
	fi
	COMPREPLY=()

	local _svrctl_ns= _svrctl_cmd=${words[0]} obj= i w
	local -a args=()
	# /usr/sbin is not on a user's PATH on Debian; reading needs no privilege.
	if ! command -v "$_svrctl_cmd" >/dev/null 2>&1; then
		for _svrctl_cmd in svrctl /usr/sbin/svrctl /usr/local/sbin/svrctl; do
			command -v "$_svrctl_cmd" >/dev/null 2>&1 && break
		done
	fi

	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		if [ -z "$obj" ]; then
			case "$w" in
			-n|--netns) ((i++)); _svrctl_ns=${words[i]} ;;
			-f|--file) ((i++)) ;;
			-h|--help|-V|--version) return ;;
			-*) ;;
			*) obj=$(_svrctl_resolve "$w" $_svrctl_objects) || return ;;
			esac
		else
			args+=("$w")
		fi
	done

	if [ -z "$obj" ]; then
		case "$prev" in
		-n|--netns) _svrctl_add $(_svrctl_netns); return ;;
		-f|--file) _svrctl_files; _svrctl_add -; return ;;
		esac
		if [[ "$cur" == -* ]]; then
			_svrctl_add -n -j -p -o -f -h -V --netns --json --pretty \
				--oneline --file --help --version
		else
			_svrctl_add $_svrctl_objects
		fi
		return
	fi
	_svrctl_object "$obj"
	if declare -F __ltrim_colon_completions >/dev/null; then
		__ltrim_colon_completions "$cur"
	fi
}

complete -F _svrctl svrctl
