/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * svr: Secure Vector Routing, generic netlink interface.
 *
 * This header is the only place where svr's netlink commands, attributes,
 * enums and multicast groups are numbered. The module includes it as
 * <uapi/linux/svr.h>, svrctl as <linux/svr.h>. The same contract is
 * described in Documentation/netlink/specs/svr.yaml; a test keeps the two
 * in step.
 *
 * The model (per network namespace; Documentation/admin-guide.md):
 *
 *   router     one per netns: name and router-wide settings (GET/SET)
 *   interface  a managed device, by device name: tenant, source NAT
 *   tenant     name; source prefixes ("neighborhoods", optionally on a device)
 *   security   cipher, HMAC, HMAC mode; keys by id (ids unique per netns)
 *   service    name; destination prefixes; transports; access list;
 *              optional security policy (payload encryption), idle timeout
 *   peer       another router by name; optional security policy; paths
 *   route      service -> next hop (peer, gateway, fib or host) with a cost
 *
 * Verbs. <OBJ>_NEW creates (an existing name is -EEXIST), <OBJ>_SET changes
 * an existing object (-ENOENT otherwise), <OBJ>_DEL removes, <OBJ>_GET reads
 * one object (do, by name) or all of them (dump). NEW may carry parts.
 *
 * Parts (a tenant's or service's prefixes, a service's transports and access
 * entries, a peer's paths, a policy's keys) are changed with <OBJ>_SET and
 * the object's _OP attribute (enum svr_op), applied to every part nest in
 * the message:
 *   SVR_OP_ADD (also the default when _OP is absent): add the parts; a part
 *              that exists already is -EEXIST;
 *   SVR_OP_DEL: remove the parts, matched by their key (-ENOENT if absent);
 *   SVR_OP_SET: change the options of existing parts (peer paths only).
 * Part keys: prefix = (address, length, device); transport = (protocol,
 * port range); access entry = tenant name (an entry is either allow or
 * deny); path = (local, remote address); key = id.
 * Scalar options in the same SET message are changed as well. A request is
 * applied entirely or not at all.
 *
 * Optional references (an interface's tenant, a service's or peer's
 * security policy) are cleared by sending the attribute as "".
 *
 * Deleting a tenant, security policy or peer that another object uses is
 * -EBUSY, with the extack pointing at the attribute and naming the user in
 * the text ("tenant in use by interface/service"), unless the request has
 * the object's _FORCE flag: then references are removed (interface tenant
 * cleared, access entries dropped, security cleared, routes via the peer
 * removed). Deleting a service removes its routes. Changes that revoke
 * access end the sessions they no longer allow.
 *
 * Addresses are separate attributes per family (..._ADDR4: exactly 4
 * bytes, ..._ADDR6: exactly 16 bytes, network byte order); where an object
 * has two addresses they must be of the same family. Names are 1-63
 * characters of [A-Za-z0-9._-] (SVR_NAME_MAX with the NUL); "global" is
 * reserved for the global tenant. Device names follow the kernel's rules.
 *
 * Permissions: every change needs CAP_NET_ADMIN in the user namespace that
 * owns the netns (GENL_UNS_ADMIN_PERM); GET needs nothing and never returns
 * key bytes (a fingerprint instead). CONFIG_SAVE returns key bytes only to
 * callers with CAP_NET_ADMIN over the netns.
 *
 * Dumps: a configuration change during a dump sets NLM_F_DUMP_INTR on the
 * next message; restart the dump. Messages (dump or do) can be up to
 * SVR_MSG_SIZE_MAX bytes: receive with a buffer at least that large.
 *
 * Notifications: every change is multicast to SVR_MCGRP_CONFIG as
 * <OBJ>_ADD_NTF, <OBJ>_CHANGE_NTF or <OBJ>_DEL_NTF carrying the whole object
 * (after the change; before it for DEL); a requester with NLM_F_ECHO gets
 * it too. Sessions are announced on SVR_MCGRP_SESSIONS.
 */
#ifndef _UAPI_LINUX_SVR_H
#define _UAPI_LINUX_SVR_H

#define SVR_GENL_NAME		"svr"
#define SVR_GENL_VERSION	1

#define SVR_MCGRP_CONFIG	"config"
#define SVR_MCGRP_SESSIONS	"sessions"

/* Limits shared by the module and svrctl. */
#define SVR_NAME_MAX		64	/* including the terminating NUL */
#define SVR_GLOBAL_TENANT	"global"
#define SVR_MSG_SIZE_MAX	32768	/* largest message the module sends */
#define SVR_HMAC_KEY_LEN	32
#define SVR_CIPHER_KEY_MAX	32	/* aes-cbc-128: 16, aes-cbc-256: 32 */
#define SVR_FINGERPRINT_LEN	8	/* SHA-256 of the key, first bytes */
#define SVR_UUID_LEN		16

/* Per-netns limits (-ENOSPC with an extack when exceeded). */
#define SVR_MAX_IFACES		1024
#define SVR_MAX_TENANTS		4096
#define SVR_MAX_SECURITY	1024
#define SVR_MAX_KEYS		4096	/* keys of all policies together */
#define SVR_MAX_SERVICES	65536
#define SVR_MAX_PEERS		4096
#define SVR_MAX_ROUTES		262144	/* routes of all services together */
#define SVR_MAX_PREFIXES	262144	/* prefixes of all objects together */
/* Per-object limits (keep one object within SVR_MSG_SIZE_MAX). */
#define SVR_MAX_OBJ_PREFIXES	128	/* per tenant, per service */
#define SVR_MAX_OBJ_TRANSPORTS	64	/* per service */
#define SVR_MAX_OBJ_ACCESS	128	/* per service */
#define SVR_MAX_OBJ_PATHS	64	/* per peer */
#define SVR_MAX_OBJ_KEYS	16	/* per security policy */
#define SVR_MAX_OBJ_ROUTES	16	/* per service */

/* Router defaults (router SET with 0 restores a default). */
#define SVR_DEF_SESSION_LIMIT	262144
#define SVR_DEF_TIMEOUT_TCP_EST	1900	/* seconds */
#define SVR_DEF_TIMEOUT_TCP_CLOSE 10
#define SVR_DEF_TIMEOUT_UDP	180
#define SVR_DEF_TIMEOUT_ICMP	10
#define SVR_DEF_WAYPORT_LO	16384
#define SVR_DEF_WAYPORT_HI	65534
#define SVR_DEF_ICMP_RATE	100	/* ICMP errors per second */
#define SVR_DEF_KEEPALIVE	0	/* seconds; 0: no keepalives */
#define SVR_KEEPALIVE_MAX	86400
/* BFD on a path: probes on UDP port 1280 (SSR's), every interval ms. */
#define SVR_BFD_PORT		1280
#define SVR_BFD_INTERVAL_MIN	10	/* ms */
#define SVR_BFD_INTERVAL_MAX	60000
#define SVR_DEF_BFD_MULTIPLIER	3
#define SVR_BFD_MULTIPLIER_MAX	255

/* ---- value enums --------------------------------------------------- */

enum svr_op {
	SVR_OP_ADD,
	SVR_OP_DEL,
	SVR_OP_SET,

	__SVR_OP_MAX
};

enum svr_cipher {
	SVR_CIPHER_NONE,
	SVR_CIPHER_AES_CBC_128,
	SVR_CIPHER_AES_CBC_256,

	__SVR_CIPHER_MAX
};

enum svr_hmac {
	SVR_HMAC_NONE,
	SVR_HMAC_SHA1,
	SVR_HMAC_SHA256,
	SVR_HMAC_SHA256_128,

	__SVR_HMAC_MAX
};

enum svr_hmac_mode {
	SVR_HMAC_MODE_REGULAR,
	SVR_HMAC_MODE_TIME_BASED,

	__SVR_HMAC_MODE_MAX
};

/* A transport's protocol: IANA numbers; icmp (1) also matches ICMPv6. */
enum svr_proto {
	SVR_PROTO_ANY	= 0,
	SVR_PROTO_ICMP	= 1,
	SVR_PROTO_TCP	= 6,
	SVR_PROTO_UDP	= 17,
};

enum svr_access_action {
	SVR_ACCESS_ACTION_ALLOW,
	SVR_ACCESS_ACTION_DENY,

	__SVR_ACCESS_ACTION_MAX
};

enum svr_admin {
	SVR_ADMIN_UP,
	SVR_ADMIN_DOWN,

	__SVR_ADMIN_MAX
};

/* A path's BFD session state: RFC 5880 §4.1 values. */
enum svr_bfd_state {
	SVR_BFD_ADMIN_DOWN,	/* BFD off, or the path is down */
	SVR_BFD_DOWN,
	SVR_BFD_INIT,
	SVR_BFD_UP,

	__SVR_BFD_MAX
};

enum svr_nh_type {
	SVR_NH_PEER,		/* SVR to a peer router */
	SVR_NH_GATEWAY,		/* plain forwarding to a gateway [dev] */
	SVR_NH_FIB,		/* the kernel's routing table decides */
	SVR_NH_HOST,		/* deliver to the router's own stack */

	__SVR_NH_MAX
};

enum svr_session_state {
	SVR_SESSION_STATE_PENDING,	/* metadata sent, no reverse yet */
	SVR_SESSION_STATE_ESTABLISHED,	/* fast lane */
	SVR_SESSION_STATE_CLOSING,	/* FIN/RST seen */

	__SVR_SESSION_STATE_MAX
};

enum svr_session_role {
	SVR_SESSION_ROLE_INGRESS,	/* first router: adds metadata */
	SVR_SESSION_ROLE_EGRESS,	/* last router: removes metadata */
	SVR_SESSION_ROLE_LOCAL,		/* no peer: gateway, fib or host */
	SVR_SESSION_ROLE_TRANSIT,	/* egress of one hop, ingress of the next */

	__SVR_SESSION_ROLE_MAX
};

/* ---- attribute sets ------------------------------------------------- */

enum {
	SVR_A_INFO_VERSION = 1,		/* string: module version */
	SVR_A_INFO_GENL_VERSION,	/* u32: SVR_GENL_VERSION */
	SVR_A_INFO_NETNS_COOKIE,	/* u64: the netns this answer is for */

	__SVR_A_INFO_MAX,
	SVR_A_INFO_MAX = (__SVR_A_INFO_MAX - 1)
};

enum {
	SVR_A_STATS_COUNTER = 1,	/* nest: SVR_A_COUNTER_*, repeated */

	__SVR_A_STATS_MAX,
	SVR_A_STATS_MAX = (__SVR_A_STATS_MAX - 1)
};

enum {
	SVR_A_COUNTER_NAME = 1,		/* string */
	SVR_A_COUNTER_VALUE,		/* u64 */
	SVR_A_COUNTER_PAD,

	__SVR_A_COUNTER_MAX,
	SVR_A_COUNTER_MAX = (__SVR_A_COUNTER_MAX - 1)
};

/* A prefix (nested in tenants and services). Key: address, plen, dev. */
enum {
	SVR_A_PREFIX_ADDR4 = 1,		/* binary[4]: IPv4 network */
	SVR_A_PREFIX_ADDR6,		/* binary[16]: IPv6 network */
	SVR_A_PREFIX_PLEN,		/* u8: 0-32 or 0-128 */
	SVR_A_PREFIX_DEV,		/* string: limit to this ingress device
					 * (tenant prefixes only)
					 */

	__SVR_A_PREFIX_MAX,
	SVR_A_PREFIX_MAX = (__SVR_A_PREFIX_MAX - 1)
};

/* A transport (nested in services). Key: proto, port range. */
enum {
	SVR_A_TRANSPORT_PROTO = 1,	/* u8: enum svr_proto */
	SVR_A_TRANSPORT_PORT_LO,	/* u16: first port (tcp, udp only) */
	SVR_A_TRANSPORT_PORT_HI,	/* u16: last port (default: PORT_LO) */

	__SVR_A_TRANSPORT_MAX,
	SVR_A_TRANSPORT_MAX = (__SVR_A_TRANSPORT_MAX - 1)
};

/* An access entry (nested in services). Key: tenant. */
enum {
	SVR_A_ACCESS_TENANT = 1,	/* string: tenant name or "global" */
	SVR_A_ACCESS_ACTION,		/* u8: enum svr_access_action
					 * (default allow)
					 */

	__SVR_A_ACCESS_MAX,
	SVR_A_ACCESS_MAX = (__SVR_A_ACCESS_MAX - 1)
};

/* A peer path (nested in peers). Key: local and remote address. */
enum {
	SVR_A_PATH_LOCAL4 = 1,		/* binary[4]: local waypoint */
	SVR_A_PATH_LOCAL6,		/* binary[16] */
	SVR_A_PATH_REMOTE4,		/* binary[4]: the peer's waypoint */
	SVR_A_PATH_REMOTE6,		/* binary[16] */
	SVR_A_PATH_COST,		/* u32 (default 0) */
	SVR_A_PATH_NAME,		/* string ("": the egress device name) */
	SVR_A_PATH_PORT_LO,		/* u16: wayport range (0: router's) */
	SVR_A_PATH_PORT_HI,		/* u16 */
	SVR_A_PATH_ADMIN,		/* u8: enum svr_admin (default up) */
	/* Counters, in PEER_GET replies only (never accepted): */
	SVR_A_PATH_SESSIONS,		/* u32: sessions on the path now */
	SVR_A_PATH_TX_PACKETS,		/* u64: to the peer */
	SVR_A_PATH_TX_BYTES,		/* u64 */
	SVR_A_PATH_RX_PACKETS,		/* u64: from the peer */
	SVR_A_PATH_RX_BYTES,		/* u64 */
	SVR_A_PATH_MD_SENT,		/* u64: packets with metadata sent */
	SVR_A_PATH_MD_RCVD,		/* u64: packets with metadata received */
	SVR_A_PATH_PAD,
	/* BFD liveness (Documentation/datapath.md), both ends configured: */
	SVR_A_PATH_BFD_INTERVAL,	/* u32: ms between probes, 0: off */
	SVR_A_PATH_BFD_MULTIPLIER,	/* u32: missed intervals (0: 3) */
	/* BFD state and counters, in PEER_GET replies only: */
	SVR_A_PATH_BFD_STATE,		/* u8: enum svr_bfd_state */
	SVR_A_PATH_BFD_DIAG,		/* u8: RFC 5880 diagnostic code */
	SVR_A_PATH_BFD_TX,		/* u64: probes sent */
	SVR_A_PATH_BFD_RX,		/* u64: probes received */
	SVR_A_PATH_BFD_DOWNS,		/* u64: times it went from up to down */

	__SVR_A_PATH_MAX,
	SVR_A_PATH_MAX = (__SVR_A_PATH_MAX - 1)
};

/* A key (nested in security policies). Key: id. */
enum {
	SVR_A_KEY_ID = 1,		/* u32: >= 1, unique per netns */
	SVR_A_KEY_CIPHER_KEY,		/* binary[16|32]: per the cipher;
					 * absent with cipher none; only in
					 * requests and CONFIG_SAVE
					 */
	SVR_A_KEY_HMAC_KEY,		/* binary[32]: required unless hmac
					 * none; same visibility
					 */
	SVR_A_KEY_FINGERPRINT,		/* binary[8]: in replies only */

	__SVR_A_KEY_MAX,
	SVR_A_KEY_MAX = (__SVR_A_KEY_MAX - 1)
};

/* A 7-tuple (nested in sessions). */
enum {
	SVR_A_TUPLE_SRC4 = 1,		/* binary[4] */
	SVR_A_TUPLE_SRC6,		/* binary[16] */
	SVR_A_TUPLE_DST4,		/* binary[4] */
	SVR_A_TUPLE_DST6,		/* binary[16] */
	SVR_A_TUPLE_SPORT,		/* u16 (host order); ICMP: echo id */
	SVR_A_TUPLE_DPORT,		/* u16 */
	SVR_A_TUPLE_PROTO,		/* u8: IANA protocol */
	SVR_A_TUPLE_IFINDEX,		/* u32: ingress/egress device */
	SVR_A_TUPLE_VLAN,		/* u16: 0 = untagged */

	__SVR_A_TUPLE_MAX,
	SVR_A_TUPLE_MAX = (__SVR_A_TUPLE_MAX - 1)
};

enum {
	SVR_A_ROUTER_NAME = 1,		/* string: sent as source router name */
	SVR_A_ROUTER_SESSION_LIMIT,	/* u32 */
	SVR_A_ROUTER_TIMEOUT_TCP_EST,	/* u32: seconds */
	SVR_A_ROUTER_TIMEOUT_TCP_CLOSE,	/* u32: seconds */
	SVR_A_ROUTER_TIMEOUT_UDP,	/* u32: seconds */
	SVR_A_ROUTER_TIMEOUT_ICMP,	/* u32: seconds */
	SVR_A_ROUTER_WAYPORT_LO,	/* u16 */
	SVR_A_ROUTER_WAYPORT_HI,	/* u16 */
	SVR_A_ROUTER_ICMP_RATE,		/* u32: ICMP errors per second */
	SVR_A_ROUTER_KEEPALIVE,		/* u32: seconds of UDP idle, 0 = off */
	SVR_A_ROUTER_DIRECT_XMIT,	/* u8: 1 = sessions sent from PREROUTING */
	SVR_A_ROUTER_SESSION_BUCKETS,	/* u32: session table size (read-only) */

	__SVR_A_ROUTER_MAX,
	SVR_A_ROUTER_MAX = (__SVR_A_ROUTER_MAX - 1)
};

enum {
	SVR_A_IFACE_NAME = 1,		/* string: device name (key) */
	SVR_A_IFACE_TENANT,		/* string: tenant for all arrivals */
	SVR_A_IFACE_SNAT,		/* u8: 1 = NAPT to the device address */
	SVR_A_IFACE_IFINDEX,		/* u32: replies only; 0 = no device */

	__SVR_A_IFACE_MAX,
	SVR_A_IFACE_MAX = (__SVR_A_IFACE_MAX - 1)
};

enum {
	SVR_A_TENANT_NAME = 1,		/* string (key) */
	SVR_A_TENANT_PREFIX,		/* nest: SVR_A_PREFIX_*, repeated */
	SVR_A_TENANT_OP,		/* u8: enum svr_op for parts */
	SVR_A_TENANT_FORCE,		/* flag: DEL even when in use */

	__SVR_A_TENANT_MAX,
	SVR_A_TENANT_MAX = (__SVR_A_TENANT_MAX - 1)
};

enum {
	SVR_A_SECURITY_NAME = 1,	/* string (key) */
	SVR_A_SECURITY_CIPHER,		/* u8: enum svr_cipher */
	SVR_A_SECURITY_HMAC,		/* u8: enum svr_hmac */
	SVR_A_SECURITY_HMAC_MODE,	/* u8: enum svr_hmac_mode */
	SVR_A_SECURITY_KEY,		/* nest: SVR_A_KEY_*, repeated */
	SVR_A_SECURITY_OP,		/* u8: enum svr_op for keys */
	SVR_A_SECURITY_FORCE,		/* flag: DEL even when in use */

	__SVR_A_SECURITY_MAX,
	SVR_A_SECURITY_MAX = (__SVR_A_SECURITY_MAX - 1)
};

enum {
	SVR_A_SERVICE_NAME = 1,		/* string (key) */
	SVR_A_SERVICE_PREFIX,		/* nest: SVR_A_PREFIX_*, repeated */
	/* nest: SVR_A_TRANSPORT_*, repeated; none means any protocol */
	SVR_A_SERVICE_TRANSPORT,
	SVR_A_SERVICE_ACCESS,		/* nest: SVR_A_ACCESS_*, repeated */
	SVR_A_SERVICE_SECURITY,		/* string: payload policy ("" = none) */
	SVR_A_SERVICE_TIMEOUT,		/* u32: idle seconds (0 = default) */
	SVR_A_SERVICE_OP,		/* u8: enum svr_op for parts */
	SVR_A_SERVICE_FORCE,		/* flag: reserved (DEL never refuses) */

	__SVR_A_SERVICE_MAX,
	SVR_A_SERVICE_MAX = (__SVR_A_SERVICE_MAX - 1)
};

enum {
	SVR_A_PEER_NAME = 1,		/* string: the peer router's name */
	SVR_A_PEER_SECURITY,		/* string: metadata policy ("" = none) */
	SVR_A_PEER_PATH,		/* nest: SVR_A_PATH_*, repeated */
	SVR_A_PEER_OP,			/* u8: enum svr_op for paths */
	SVR_A_PEER_FORCE,		/* flag: DEL even when routes use it */

	__SVR_A_PEER_MAX,
	SVR_A_PEER_MAX = (__SVR_A_PEER_MAX - 1)
};

/*
 * A route; key: service, type and (peer | gateway, dev). ROUTE_GET dumps
 * every route or, with SVR_A_ROUTE_SERVICE, one service's routes.
 */
enum {
	SVR_A_ROUTE_SERVICE = 1,	/* string */
	SVR_A_ROUTE_TYPE,		/* u8: enum svr_nh_type */
	SVR_A_ROUTE_PEER,		/* string: for SVR_NH_PEER */
	SVR_A_ROUTE_GATEWAY4,		/* binary[4]: for SVR_NH_GATEWAY */
	SVR_A_ROUTE_GATEWAY6,		/* binary[16] */
	SVR_A_ROUTE_DEV,		/* string: optional device (gateway) */
	SVR_A_ROUTE_COST,		/* u32: lower wins (default 0) */

	__SVR_A_ROUTE_MAX,
	SVR_A_ROUTE_MAX = (__SVR_A_ROUTE_MAX - 1)
};

/*
 * A session (filled by the datapath). SESSION_GET dumps, optionally
 * filtered by SVR_A_SESSION_SERVICE and/or SVR_A_SESSION_TENANT;
 * SESSION_GET (do) and SESSION_DEL take SVR_A_SESSION_UUID; SESSION_FLUSH
 * takes the same optional filters as the dump.
 */
enum {
	SVR_A_SESSION_UUID = 1,		/* binary[16] */
	SVR_A_SESSION_TENANT,		/* string ("global" for the global) */
	SVR_A_SESSION_SERVICE,		/* string */
	SVR_A_SESSION_FORWARD,		/* nest: SVR_A_TUPLE_*, as received */
	SVR_A_SESSION_REVERSE,		/* nest: SVR_A_TUPLE_*, reply as seen */
	/* nest: SVR_A_TUPLE_*, the forward packet after translation */
	SVR_A_SESSION_REWRITE,
	SVR_A_SESSION_NEXTHOP,		/* nest: SVR_A_ROUTE_* (no service) */
	SVR_A_SESSION_PATH,		/* nest: SVR_A_PATH_* of the peer path */
	SVR_A_SESSION_PEER,		/* string: peer router (ingress: next,
					 * egress: previous)
					 */
	SVR_A_SESSION_STATE,		/* u8: enum svr_session_state */
	SVR_A_SESSION_ROLE,		/* u8: enum svr_session_role */
	SVR_A_SESSION_PACKETS_FWD,	/* u64 */
	SVR_A_SESSION_BYTES_FWD,	/* u64 */
	SVR_A_SESSION_PACKETS_REV,	/* u64 */
	SVR_A_SESSION_BYTES_REV,	/* u64 */
	SVR_A_SESSION_AGE,		/* u32: seconds since creation */
	SVR_A_SESSION_IDLE,		/* u32: seconds since the last packet */
	SVR_A_SESSION_TIMEOUT,		/* u32: idle timeout in seconds */
	SVR_A_SESSION_PAD,

	__SVR_A_SESSION_MAX,
	SVR_A_SESSION_MAX = (__SVR_A_SESSION_MAX - 1)
};

/*
 * Commands. CONFIG_SAVE is a dump of the whole configuration in an order
 * that can be replayed (router, tenants, security, interfaces, peers,
 * services, routes); each message carries the command and attribute set of
 * the object's GET, and keys include their bytes for CAP_NET_ADMIN callers.
 * CONFIG_SAVE takes no attributes.
 */
enum {
	SVR_CMD_INFO_GET = 1,
	SVR_CMD_STATS_GET,

	SVR_CMD_ROUTER_GET,
	SVR_CMD_ROUTER_SET,

	SVR_CMD_IFACE_NEW,
	SVR_CMD_IFACE_SET,
	SVR_CMD_IFACE_DEL,
	SVR_CMD_IFACE_GET,

	SVR_CMD_TENANT_NEW,
	SVR_CMD_TENANT_SET,
	SVR_CMD_TENANT_DEL,
	SVR_CMD_TENANT_GET,

	SVR_CMD_SECURITY_NEW,
	SVR_CMD_SECURITY_SET,
	SVR_CMD_SECURITY_DEL,
	SVR_CMD_SECURITY_GET,

	SVR_CMD_SERVICE_NEW,
	SVR_CMD_SERVICE_SET,
	SVR_CMD_SERVICE_DEL,
	SVR_CMD_SERVICE_GET,

	SVR_CMD_PEER_NEW,
	SVR_CMD_PEER_SET,
	SVR_CMD_PEER_DEL,
	SVR_CMD_PEER_GET,

	SVR_CMD_ROUTE_NEW,
	SVR_CMD_ROUTE_DEL,
	SVR_CMD_ROUTE_GET,

	SVR_CMD_SESSION_GET,
	SVR_CMD_SESSION_DEL,
	SVR_CMD_SESSION_FLUSH,

	SVR_CMD_CONFIG_SAVE,

	/* Notifications (never requests). */
	SVR_CMD_ROUTER_CHANGE_NTF,
	SVR_CMD_IFACE_ADD_NTF,
	SVR_CMD_IFACE_CHANGE_NTF,
	SVR_CMD_IFACE_DEL_NTF,
	SVR_CMD_TENANT_ADD_NTF,
	SVR_CMD_TENANT_CHANGE_NTF,
	SVR_CMD_TENANT_DEL_NTF,
	SVR_CMD_SECURITY_ADD_NTF,
	SVR_CMD_SECURITY_CHANGE_NTF,
	SVR_CMD_SECURITY_DEL_NTF,
	SVR_CMD_SERVICE_ADD_NTF,
	SVR_CMD_SERVICE_CHANGE_NTF,
	SVR_CMD_SERVICE_DEL_NTF,
	SVR_CMD_PEER_ADD_NTF,
	SVR_CMD_PEER_CHANGE_NTF,
	SVR_CMD_PEER_DEL_NTF,
	SVR_CMD_ROUTE_ADD_NTF,
	SVR_CMD_ROUTE_DEL_NTF,
	SVR_CMD_SESSION_ADD_NTF,	/* group "sessions" */
	SVR_CMD_SESSION_DEL_NTF,	/* group "sessions" */

	__SVR_CMD_MAX,
	SVR_CMD_MAX = (__SVR_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_SVR_H */
