// SPDX-License-Identifier: GPL-2.0
/*
 * The "svr" generic netlink family: policies, handlers and notifications.
 * Numbering comes only from include/uapi/linux/svr.h, which also describes
 * the semantics of every command.
 *
 * Locking: the family is parallel_ops; every handler that reads or changes
 * configuration takes the netns's cfg_lock (dumps too, per message), so a
 * request is checked and applied as a whole. Nothing here takes RTNL.
 */
#include <linux/capability.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <svr/version.h>
#include <uapi/linux/svr.h>

#include "svr.h"
#include "config.h"
#include "fib.h"
#include "session_nl.h"

/* ---- policies ---------------------------------------------------------- */

#define SVR_POLICY_NAME		{ .type = NLA_NUL_STRING, .len = SVR_NAME_MAX - 1 }
#define SVR_POLICY_DEV		{ .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }
#define SVR_POLICY_ENUM(max)	NLA_POLICY_MAX(NLA_U8, (max) - 1)

static const struct nla_policy svr_empty_policy[SVR_A_INFO_MAX + 1] = {
};

static const struct nla_policy svr_stats_policy[SVR_A_STATS_MAX + 1] = {
};

static const struct nla_policy svr_prefix_policy[SVR_A_PREFIX_MAX + 1] = {
	[SVR_A_PREFIX_ADDR4]	= NLA_POLICY_EXACT_LEN(4),
	[SVR_A_PREFIX_ADDR6]	= NLA_POLICY_EXACT_LEN(16),
	[SVR_A_PREFIX_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[SVR_A_PREFIX_DEV]	= SVR_POLICY_DEV,
};

static const struct nla_policy svr_transport_policy[SVR_A_TRANSPORT_MAX + 1] = {
	[SVR_A_TRANSPORT_PROTO]		= { .type = NLA_U8 },
	[SVR_A_TRANSPORT_PORT_LO]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SVR_A_TRANSPORT_PORT_HI]	= NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy svr_access_policy[SVR_A_ACCESS_MAX + 1] = {
	[SVR_A_ACCESS_TENANT]	= SVR_POLICY_NAME,
	[SVR_A_ACCESS_ACTION]	= SVR_POLICY_ENUM(__SVR_ACCESS_ACTION_MAX),
};

static const struct nla_policy svr_path_policy[SVR_A_PATH_MAX + 1] = {
	[SVR_A_PATH_LOCAL4]	= NLA_POLICY_EXACT_LEN(4),
	[SVR_A_PATH_LOCAL6]	= NLA_POLICY_EXACT_LEN(16),
	[SVR_A_PATH_REMOTE4]	= NLA_POLICY_EXACT_LEN(4),
	[SVR_A_PATH_REMOTE6]	= NLA_POLICY_EXACT_LEN(16),
	[SVR_A_PATH_COST]	= { .type = NLA_U32 },
	[SVR_A_PATH_NAME]	= SVR_POLICY_NAME,
	[SVR_A_PATH_PORT_LO]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SVR_A_PATH_PORT_HI]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SVR_A_PATH_ADMIN]	= SVR_POLICY_ENUM(__SVR_ADMIN_MAX),
	/* SVR_A_PATH_SESSIONS ... PAD: counters, output only (rejected). */
	[SVR_A_PATH_BFD_INTERVAL] = { .type = NLA_U32 },	/* 0, 10-60000 */
	[SVR_A_PATH_BFD_MULTIPLIER] = NLA_POLICY_MAX(NLA_U32,
						     SVR_BFD_MULTIPLIER_MAX),
	/* SVR_A_PATH_BFD_STATE ... DOWNS: output only (rejected). */
};

static const struct nla_policy svr_key_policy[SVR_A_KEY_MAX + 1] = {
	[SVR_A_KEY_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[SVR_A_KEY_CIPHER_KEY]	= { .type = NLA_BINARY,
				    .len = SVR_CIPHER_KEY_MAX },
	[SVR_A_KEY_HMAC_KEY]	= NLA_POLICY_EXACT_LEN(SVR_HMAC_KEY_LEN),
};

static const struct nla_policy svr_router_policy[SVR_A_ROUTER_MAX + 1] = {
	[SVR_A_ROUTER_NAME]		= SVR_POLICY_NAME,
	[SVR_A_ROUTER_SESSION_LIMIT]	= { .type = NLA_U32 },
	[SVR_A_ROUTER_TIMEOUT_TCP_EST]	= { .type = NLA_U32 },
	[SVR_A_ROUTER_TIMEOUT_TCP_CLOSE] = { .type = NLA_U32 },
	[SVR_A_ROUTER_TIMEOUT_UDP]	= { .type = NLA_U32 },
	[SVR_A_ROUTER_TIMEOUT_ICMP]	= { .type = NLA_U32 },
	[SVR_A_ROUTER_WAYPORT_LO]	= { .type = NLA_U16 },
	[SVR_A_ROUTER_WAYPORT_HI]	= { .type = NLA_U16 },
	[SVR_A_ROUTER_ICMP_RATE]	= { .type = NLA_U32 },
	[SVR_A_ROUTER_KEEPALIVE]	= { .type = NLA_U32 },
	[SVR_A_ROUTER_DIRECT_XMIT]	= NLA_POLICY_MAX(NLA_U8, 1),
	[SVR_A_ROUTER_SESSION_BUCKETS]	= {
		.type = NLA_REJECT,
		.reject_message = "session-buckets is read-only (module parameter hashsize)",
	},
};

static const struct nla_policy svr_iface_policy[SVR_A_IFACE_MAX + 1] = {
	[SVR_A_IFACE_NAME]	= SVR_POLICY_DEV,
	[SVR_A_IFACE_TENANT]	= SVR_POLICY_NAME,
	[SVR_A_IFACE_SNAT]	= NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy svr_tenant_policy[SVR_A_TENANT_MAX + 1] = {
	[SVR_A_TENANT_NAME]	= SVR_POLICY_NAME,
	[SVR_A_TENANT_PREFIX]	= NLA_POLICY_NESTED(svr_prefix_policy),
	[SVR_A_TENANT_OP]	= SVR_POLICY_ENUM(__SVR_OP_MAX),
	[SVR_A_TENANT_FORCE]	= { .type = NLA_FLAG },
};

static const struct nla_policy svr_security_policy[SVR_A_SECURITY_MAX + 1] = {
	[SVR_A_SECURITY_NAME]		= SVR_POLICY_NAME,
	[SVR_A_SECURITY_CIPHER]		= SVR_POLICY_ENUM(__SVR_CIPHER_MAX),
	[SVR_A_SECURITY_HMAC]		= SVR_POLICY_ENUM(__SVR_HMAC_MAX),
	[SVR_A_SECURITY_HMAC_MODE]	= SVR_POLICY_ENUM(__SVR_HMAC_MODE_MAX),
	[SVR_A_SECURITY_KEY]		= NLA_POLICY_NESTED(svr_key_policy),
	[SVR_A_SECURITY_OP]		= SVR_POLICY_ENUM(__SVR_OP_MAX),
	[SVR_A_SECURITY_FORCE]		= { .type = NLA_FLAG },
};

static const struct nla_policy svr_service_policy[SVR_A_SERVICE_MAX + 1] = {
	[SVR_A_SERVICE_NAME]		= SVR_POLICY_NAME,
	[SVR_A_SERVICE_PREFIX]		= NLA_POLICY_NESTED(svr_prefix_policy),
	[SVR_A_SERVICE_TRANSPORT]	= NLA_POLICY_NESTED(svr_transport_policy),
	[SVR_A_SERVICE_ACCESS]		= NLA_POLICY_NESTED(svr_access_policy),
	[SVR_A_SERVICE_SECURITY]	= SVR_POLICY_NAME,
	[SVR_A_SERVICE_TIMEOUT]		= { .type = NLA_U32 },
	[SVR_A_SERVICE_OP]		= SVR_POLICY_ENUM(__SVR_OP_MAX),
	[SVR_A_SERVICE_FORCE]		= { .type = NLA_FLAG },
};

static const struct nla_policy svr_peer_policy[SVR_A_PEER_MAX + 1] = {
	[SVR_A_PEER_NAME]	= SVR_POLICY_NAME,
	[SVR_A_PEER_SECURITY]	= SVR_POLICY_NAME,
	[SVR_A_PEER_PATH]	= NLA_POLICY_NESTED(svr_path_policy),
	[SVR_A_PEER_OP]		= SVR_POLICY_ENUM(__SVR_OP_MAX),
	[SVR_A_PEER_FORCE]	= { .type = NLA_FLAG },
};

static const struct nla_policy svr_route_policy[SVR_A_ROUTE_MAX + 1] = {
	[SVR_A_ROUTE_SERVICE]	= SVR_POLICY_NAME,
	[SVR_A_ROUTE_TYPE]	= SVR_POLICY_ENUM(__SVR_NH_MAX),
	[SVR_A_ROUTE_PEER]	= SVR_POLICY_NAME,
	[SVR_A_ROUTE_GATEWAY4]	= NLA_POLICY_EXACT_LEN(4),
	[SVR_A_ROUTE_GATEWAY6]	= NLA_POLICY_EXACT_LEN(16),
	[SVR_A_ROUTE_DEV]	= SVR_POLICY_DEV,
	[SVR_A_ROUTE_COST]	= { .type = NLA_U32 },
};

static const struct nla_policy svr_session_policy[SVR_A_SESSION_MAX + 1] = {
	[SVR_A_SESSION_UUID]	= NLA_POLICY_EXACT_LEN(SVR_UUID_LEN),
	[SVR_A_SESSION_TENANT]	= SVR_POLICY_NAME,
	[SVR_A_SESSION_SERVICE]	= SVR_POLICY_NAME,
};

/* ---- helpers ----------------------------------------------------------- */

static struct svr_net *svr_nl_sn(struct genl_info *info)
{
	return svr_pernet(genl_info_net(info));
}

/* Like NL_SET_ERR_MSG_ATTR, for texts chosen at run time (static ones). */
static void svr_nl_err(struct netlink_ext_ack *extack,
		       const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

/* A required attribute: report which one is missing, with a text. */
static bool svr_nl_missing(struct netlink_ext_ack *extack,
			   const struct nlattr *nest, struct nlattr **tb,
			   int type, const char *msg)
{
	if (tb[type])
		return false;
	NL_SET_ERR_ATTR_MISS(extack, nest, type);
	if (extack)
		extack->_msg = msg;
	return true;
}

/* "Object in use by KIND NAME", see svr_config.busy_msg. */
static void svr_nl_busy(struct svr_net *sn, struct netlink_ext_ack *extack,
			const struct nlattr *attr, const char *what,
			const char *kind, const char *name)
{
	struct svr_config *cfg = sn->cfg;
	char *msg = cfg->busy_msg[cfg->busy_next++ % ARRAY_SIZE(cfg->busy_msg)];

	snprintf(msg, sizeof(cfg->busy_msg[0]), "%s in use by %s %s", what,
		 kind, name);
	svr_nl_err(extack, attr, msg);
}

static bool svr_name_valid(const char *s)
{
	size_t i, len = strlen(s);

	if (!len || len >= SVR_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(s[i]) && s[i] != '.' && s[i] != '_' &&
		    s[i] != '-')
			return false;
	return true;
}

/*
 * A name attribute: required unless @out may stay empty (@optional), then
 * "" in the message also means "none". On error, @bad is the text.
 */
static int svr_nl_name(const struct nlattr *attr, char *out, bool empty_ok,
		       const char *bad, struct netlink_ext_ack *extack)
{
	nla_strscpy(out, attr, SVR_NAME_MAX);
	if ((empty_ok && !out[0]) || svr_name_valid(out))
		return 0;
	svr_nl_err(extack, attr, bad);
	return -EINVAL;
}

static int svr_nl_dev(const struct nlattr *attr, char *out,
		      struct netlink_ext_ack *extack)
{
	nla_strscpy(out, attr, IFNAMSIZ);
	if (dev_valid_name(out))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "invalid device name");
	return -EINVAL;
}

/* The op for parts in a SET; NEW only takes add. */
static int svr_nl_op(struct genl_info *info, int type, bool is_new, u8 *op)
{
	*op = info->attrs[type] ? nla_get_u8(info->attrs[type]) : SVR_OP_ADD;
	if (is_new && *op != SVR_OP_ADD) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[type],
				    "op other than add only applies to set");
		return -EINVAL;
	}
	return 0;
}

/* Read one address attribute pair: exactly one of @a4, @a6 (or none). */
static u8 svr_nl_addr(struct nlattr *a4, struct nlattr *a6,
		      union svr_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (a4) {
		addr->ip = nla_get_in_addr(a4);
		return AF_INET;
	}
	if (a6) {
		addr->ip6 = nla_get_in6_addr(a6);
		return AF_INET6;
	}
	return 0;
}

static int svr_nl_put_addr(struct sk_buff *msg, int a4, int a6, u8 family,
			   const union svr_addr *addr)
{
	if (family == AF_INET)
		return nla_put_in_addr(msg, a4, addr->ip);
	return nla_put_in6_addr(msg, a6, &addr->ip6);
}

/* ---- filling messages -------------------------------------------------- */

typedef int (*svr_fill_t)(struct sk_buff *msg, const void *obj,
			  const void *arg);

static int svr_fill_router(struct sk_buff *msg, const void *obj,
			   const void *arg)
{
	const struct svr_router *r = obj;
	const struct svr_net *sn = arg;

	if (nla_put_string(msg, SVR_A_ROUTER_NAME, r->name) ||
	    nla_put_u32(msg, SVR_A_ROUTER_SESSION_LIMIT, r->session_limit) ||
	    nla_put_u32(msg, SVR_A_ROUTER_TIMEOUT_TCP_EST,
			r->timeout_tcp_est) ||
	    nla_put_u32(msg, SVR_A_ROUTER_TIMEOUT_TCP_CLOSE,
			r->timeout_tcp_close) ||
	    nla_put_u32(msg, SVR_A_ROUTER_TIMEOUT_UDP, r->timeout_udp) ||
	    nla_put_u32(msg, SVR_A_ROUTER_TIMEOUT_ICMP, r->timeout_icmp) ||
	    nla_put_u16(msg, SVR_A_ROUTER_WAYPORT_LO, r->wayport_lo) ||
	    nla_put_u16(msg, SVR_A_ROUTER_WAYPORT_HI, r->wayport_hi) ||
	    nla_put_u32(msg, SVR_A_ROUTER_ICMP_RATE, r->icmp_rate) ||
	    nla_put_u32(msg, SVR_A_ROUTER_KEEPALIVE, r->keepalive) ||
	    nla_put_u8(msg, SVR_A_ROUTER_DIRECT_XMIT, r->direct_xmit) ||
	    nla_put_u32(msg, SVR_A_ROUTER_SESSION_BUCKETS,
			svr_session_buckets(sn)))
		return -EMSGSIZE;
	return 0;
}

static int svr_fill_iface(struct sk_buff *msg, const void *obj,
			  const void *arg)
{
	const struct svr_iface *ifc = obj;
	const struct svr_tenant *t = rcu_dereference_protected(ifc->tenant,
							       true);

	if (nla_put_string(msg, SVR_A_IFACE_NAME, ifc->name) ||
	    (t && nla_put_string(msg, SVR_A_IFACE_TENANT, t->name)) ||
	    nla_put_u8(msg, SVR_A_IFACE_SNAT, ifc->snat) ||
	    nla_put_u32(msg, SVR_A_IFACE_IFINDEX, ifc->ifindex))
		return -EMSGSIZE;
	return 0;
}

static int svr_fill_prefix(struct sk_buff *msg, int type,
			   const struct svr_prefix *p)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest ||
	    svr_nl_put_addr(msg, SVR_A_PREFIX_ADDR4, SVR_A_PREFIX_ADDR6,
			    p->family, &p->addr) ||
	    nla_put_u8(msg, SVR_A_PREFIX_PLEN, p->plen) ||
	    (p->dev[0] && nla_put_string(msg, SVR_A_PREFIX_DEV, p->dev)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int svr_fill_tenant(struct sk_buff *msg, const void *obj,
			   const void *arg)
{
	const struct svr_tenant *t = obj;
	const struct svr_prefix *p;

	if (nla_put_string(msg, SVR_A_TENANT_NAME, t->name))
		return -EMSGSIZE;
	list_for_each_entry(p, &t->prefixes, list)
		if (svr_fill_prefix(msg, SVR_A_TENANT_PREFIX, p))
			return -EMSGSIZE;
	return 0;
}

/* @arg non-NULL: include key bytes (CONFIG_SAVE for CAP_NET_ADMIN only). */
static int svr_fill_security(struct sk_buff *msg, const void *obj,
			     const void *arg)
{
	const struct svr_security *sec = obj;
	const struct svr_key *key;
	struct nlattr *nest;

	if (nla_put_string(msg, SVR_A_SECURITY_NAME, sec->name) ||
	    nla_put_u8(msg, SVR_A_SECURITY_CIPHER, sec->cipher) ||
	    nla_put_u8(msg, SVR_A_SECURITY_HMAC, sec->hmac) ||
	    nla_put_u8(msg, SVR_A_SECURITY_HMAC_MODE, sec->hmac_mode))
		return -EMSGSIZE;
	list_for_each_entry(key, &sec->keys, list) {
		nest = nla_nest_start(msg, SVR_A_SECURITY_KEY);
		if (!nest ||
		    nla_put_u32(msg, SVR_A_KEY_ID, key->id) ||
		    (arg && key->cipher_key_len &&
		     nla_put(msg, SVR_A_KEY_CIPHER_KEY, key->cipher_key_len,
			     key->cipher_key)) ||
		    (arg && key->hmac_key_len &&
		     nla_put(msg, SVR_A_KEY_HMAC_KEY, key->hmac_key_len,
			     key->hmac_key)) ||
		    nla_put(msg, SVR_A_KEY_FINGERPRINT,
			    sizeof(key->fingerprint), key->fingerprint))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

static int svr_fill_service(struct sk_buff *msg, const void *obj,
			    const void *arg)
{
	const struct svr_service *svc = obj;
	const struct svr_security *sec;
	const struct svr_transport *tr;
	const struct svr_access_ent *a;
	const struct svr_prefix *p;
	struct nlattr *nest;

	sec = rcu_dereference_protected(svc->security, true);
	if (nla_put_string(msg, SVR_A_SERVICE_NAME, svc->name) ||
	    (sec && nla_put_string(msg, SVR_A_SERVICE_SECURITY, sec->name)) ||
	    nla_put_u32(msg, SVR_A_SERVICE_TIMEOUT, svc->timeout))
		return -EMSGSIZE;
	list_for_each_entry(p, &svc->prefixes, list)
		if (svr_fill_prefix(msg, SVR_A_SERVICE_PREFIX, p))
			return -EMSGSIZE;
	list_for_each_entry(tr, &svc->transports, list) {
		nest = nla_nest_start(msg, SVR_A_SERVICE_TRANSPORT);
		if (!nest ||
		    nla_put_u8(msg, SVR_A_TRANSPORT_PROTO, tr->proto) ||
		    (tr->port_lo &&
		     (nla_put_u16(msg, SVR_A_TRANSPORT_PORT_LO, tr->port_lo) ||
		      nla_put_u16(msg, SVR_A_TRANSPORT_PORT_HI, tr->port_hi))))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	list_for_each_entry(a, &svc->access, list) {
		nest = nla_nest_start(msg, SVR_A_SERVICE_ACCESS);
		if (!nest ||
		    nla_put_string(msg, SVR_A_ACCESS_TENANT,
				   a->tenant ? a->tenant->name :
					       SVR_GLOBAL_TENANT) ||
		    nla_put_u8(msg, SVR_A_ACCESS_ACTION, a->action))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

/* The fill argument of PEER_GET replies: paths with their counters. */
static const bool svr_with_stats = true;

static int svr_fill_path_stats(struct sk_buff *msg,
			       const struct svr_path *path)
{
	const struct svr_path_stats *ps = path->stats;
	static const struct {
		int attr;
		size_t off;
	} c[] = {
		{ SVR_A_PATH_TX_PACKETS, offsetof(struct svr_path_stats, tx_packets) },
		{ SVR_A_PATH_TX_BYTES, offsetof(struct svr_path_stats, tx_bytes) },
		{ SVR_A_PATH_RX_PACKETS, offsetof(struct svr_path_stats, rx_packets) },
		{ SVR_A_PATH_RX_BYTES, offsetof(struct svr_path_stats, rx_bytes) },
		{ SVR_A_PATH_MD_SENT, offsetof(struct svr_path_stats, md_sent) },
		{ SVR_A_PATH_MD_RCVD, offsetof(struct svr_path_stats, md_rcvd) },
	};
	unsigned int i;

	if (!ps)
		return 0;
	if (nla_put_u32(msg, SVR_A_PATH_SESSIONS, atomic_read(&ps->sessions)) ||
	    nla_put_u8(msg, SVR_A_PATH_BFD_STATE, path->bfd_interval ?
		       READ_ONCE(ps->bfd.state) : SVR_BFD_ADMIN_DOWN) ||
	    nla_put_u8(msg, SVR_A_PATH_BFD_DIAG, READ_ONCE(ps->bfd.diag)) ||
	    nla_put_u64_64bit(msg, SVR_A_PATH_BFD_TX,
			      atomic64_read(&ps->bfd.tx), SVR_A_PATH_PAD) ||
	    nla_put_u64_64bit(msg, SVR_A_PATH_BFD_RX,
			      atomic64_read(&ps->bfd.rx), SVR_A_PATH_PAD) ||
	    nla_put_u64_64bit(msg, SVR_A_PATH_BFD_DOWNS,
			      atomic64_read(&ps->bfd.downs), SVR_A_PATH_PAD))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		const atomic64_t *v = (const void *)ps + c[i].off;

		if (nla_put_u64_64bit(msg, c[i].attr, atomic64_read(v),
				      SVR_A_PATH_PAD))
			return -EMSGSIZE;
	}
	return 0;
}

/* A path; with @stats its counters (PEER_GET replies, not CONFIG_SAVE). */
static int svr_fill_path(struct sk_buff *msg, int type,
			 const struct svr_path *path, bool stats)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest ||
	    svr_nl_put_addr(msg, SVR_A_PATH_LOCAL4, SVR_A_PATH_LOCAL6,
			    path->family, &path->local) ||
	    svr_nl_put_addr(msg, SVR_A_PATH_REMOTE4, SVR_A_PATH_REMOTE6,
			    path->family, &path->remote) ||
	    nla_put_u32(msg, SVR_A_PATH_COST, path->cost) ||
	    (path->name[0] &&
	     nla_put_string(msg, SVR_A_PATH_NAME, path->name)) ||
	    (path->port_lo &&
	     (nla_put_u16(msg, SVR_A_PATH_PORT_LO, path->port_lo) ||
	      nla_put_u16(msg, SVR_A_PATH_PORT_HI, path->port_hi))) ||
	    nla_put_u8(msg, SVR_A_PATH_ADMIN, path->admin) ||
	    nla_put_u32(msg, SVR_A_PATH_BFD_INTERVAL, path->bfd_interval) ||
	    nla_put_u32(msg, SVR_A_PATH_BFD_MULTIPLIER, path->bfd_mult) ||
	    (stats && svr_fill_path_stats(msg, path)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int svr_fill_peer(struct sk_buff *msg, const void *obj,
			 const void *arg)
{
	const struct svr_peer *peer = obj;
	const struct svr_security *sec;
	const struct svr_path *path;

	sec = rcu_dereference_protected(peer->security, true);
	if (nla_put_string(msg, SVR_A_PEER_NAME, peer->name) ||
	    (sec && nla_put_string(msg, SVR_A_PEER_SECURITY, sec->name)))
		return -EMSGSIZE;
	list_for_each_entry(path, &peer->paths, list)
		if (svr_fill_path(msg, SVR_A_PEER_PATH, path,
				  arg == &svr_with_stats))
			return -EMSGSIZE;
	return 0;
}

/* A next hop's attributes (SVR_A_ROUTE_*, without the service). */
static int svr_fill_nexthop(struct sk_buff *msg, const struct svr_nexthop *nh)
{
	if (nla_put_u8(msg, SVR_A_ROUTE_TYPE, nh->type) ||
	    (nh->peer && nla_put_string(msg, SVR_A_ROUTE_PEER,
					nh->peer->name)) ||
	    (nh->family && svr_nl_put_addr(msg, SVR_A_ROUTE_GATEWAY4,
					   SVR_A_ROUTE_GATEWAY6, nh->family,
					   &nh->gw)) ||
	    (nh->dev[0] && nla_put_string(msg, SVR_A_ROUTE_DEV, nh->dev)) ||
	    nla_put_u32(msg, SVR_A_ROUTE_COST, nh->cost))
		return -EMSGSIZE;
	return 0;
}

/* @obj: the route, @arg: its service. */
static int svr_fill_route(struct sk_buff *msg, const void *obj,
			  const void *arg)
{
	const struct svr_service *svc = arg;
	const struct svr_route *r = obj;

	if (nla_put_string(msg, SVR_A_ROUTE_SERVICE, svc->name))
		return -EMSGSIZE;
	return svr_fill_nexthop(msg, &r->nh);
}

/* One object in a message of its own, as large as it needs. */
static struct sk_buff *svr_nl_build(u32 portid, u32 seq, int flags, u8 cmd,
				    svr_fill_t fill, const void *obj,
				    const void *arg)
{
	size_t size = NLMSG_GOODSIZE;
	struct sk_buff *msg;
	void *hdr;

	for (;;) {
		msg = genlmsg_new(size, GFP_KERNEL);
		if (!msg)
			return ERR_PTR(-ENOMEM);
		hdr = genlmsg_put(msg, portid, seq, &svr_genl_family, flags,
				  cmd);
		if (hdr && !fill(msg, obj, arg)) {
			genlmsg_end(msg, hdr);
			return msg;
		}
		nlmsg_free(msg);
		if (size > NLMSG_GOODSIZE)
			return ERR_PTR(-EMSGSIZE);
		size = SVR_MSG_SIZE_MAX - NLMSG_HDRLEN - GENL_HDRLEN;
	}
}

static int svr_nl_reply(struct genl_info *info, u8 cmd, svr_fill_t fill,
			const void *obj, const void *arg)
{
	struct sk_buff *msg;

	msg = svr_nl_build(info->snd_portid, info->snd_seq, 0, cmd, fill, obj,
			   arg);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return genlmsg_reply(msg, info);
}

/* To the "config" group, and to the requester if it asked (NLM_F_ECHO). */
static void svr_nl_notify(struct svr_net *sn, u8 cmd, svr_fill_t fill,
			  const void *obj, const void *arg,
			  struct genl_info *info)
{
	bool echo = info && (info->nlhdr->nlmsg_flags & NLM_F_ECHO);
	struct sk_buff *msg;

	if (!echo && !genl_has_listeners(&svr_genl_family, sn->net, 0))
		return;
	msg = svr_nl_build(info ? info->snd_portid : 0,
			   info ? info->snd_seq : 0, 0, cmd, fill, obj, arg);
	if (IS_ERR(msg))
		return;
	if (info)
		genl_notify(&svr_genl_family, msg, info, 0, GFP_KERNEL);
	else
		genlmsg_multicast_netns(&svr_genl_family, sn->net, msg, 0, 0,
					GFP_KERNEL);
}

void svr_nl_notify_iface(struct svr_net *sn, struct svr_iface *ifc, u8 cmd,
			 struct genl_info *info)
{
	svr_nl_notify(sn, cmd, svr_fill_iface, ifc, NULL, info);
}

void *svr_nl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &svr_genl_family, flags, cmd);
}

int svr_nl_multicast_sessions(struct svr_net *sn, struct sk_buff *skb)
{
	return genlmsg_multicast_netns(&svr_genl_family, sn->net, skb, 0, 1,
				       GFP_ATOMIC);
}

/* ---- dumps ------------------------------------------------------------- */

struct svr_dump_ctx {
	u64	last;		/* id of the last object sent */
	u64	last_route;	/* route dumps: id of the last route sent */
	u64	filter;		/* route dumps: only this service (id) */
	u8	phase;		/* CONFIG_SAVE: which object kind */
	bool	keys;		/* CONFIG_SAVE: key bytes allowed */
};

static struct svr_dump_ctx *svr_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct svr_dump_ctx) > sizeof(cb->ctx));
	return (struct svr_dump_ctx *)cb->ctx;
}

static int svr_nl_dump_start(struct netlink_callback *cb)
{
	/* One object always fits (uapi SVR_MSG_SIZE_MAX). */
	cb->min_dump_alloc = SVR_MSG_SIZE_MAX;
	return 0;
}

/* Put one object in a dump; -EMSGSIZE when the message is full. */
static int svr_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd, svr_fill_t fill, const void *obj,
			const void *arg)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &svr_genl_family, NLM_F_MULTI,
			  cmd);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (fill(skb, obj, arg)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Dump the objects of @head (a list of @type linked by ->list, with ->id)
 * after ctx->last. Returns 1 when all were sent, 0 when the message is
 * full, -EMSGSIZE when not even one object fits.
 */
#define svr_dump_list(skb, cb, ctx, head, type, cmd, fill, arg)	\
({									\
	type *__o;							\
	int __ret = 1;							\
	list_for_each_entry(__o, head, list) {				\
		if (__o->id <= (ctx)->last)				\
			continue;					\
		if (svr_dump_one(skb, cb, cmd, fill, __o, arg)) {	\
			__ret = (skb)->len ? 0 : -EMSGSIZE;		\
			break;						\
		}							\
		(ctx)->last = __o->id;					\
	}								\
	__ret;								\
})

static int svr_dump_routes(struct sk_buff *skb, struct netlink_callback *cb,
			   struct svr_config *cfg, struct svr_dump_ctx *ctx)
{
	struct svr_service *svc;
	struct svr_route *r;

	list_for_each_entry(svc, &cfg->service_list, list) {
		if (svc->id < ctx->last || (ctx->filter && svc->id != ctx->filter))
			continue;
		if (svc->id > ctx->last) {
			ctx->last = svc->id;
			ctx->last_route = 0;
		}
		list_for_each_entry(r, &svc->route_list, list) {
			if (r->id <= ctx->last_route)
				continue;
			if (svr_dump_one(skb, cb, SVR_CMD_ROUTE_GET,
					 svr_fill_route, r, svc))
				return skb->len ? 0 : -EMSGSIZE;
			ctx->last_route = r->id;
		}
	}
	return 1;
}

/* Common end of a dumpit: @ret from the list walkers above. */
static int svr_dump_end(struct sk_buff *skb, int ret)
{
	if (ret < 0)
		return ret;
	return skb->len;
}

/* Dumps of interfaces, tenants, security policies, services and peers. */
static int svr_nl_obj_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct svr_net *sn = svr_pernet(sock_net(skb->sk));
	struct svr_dump_ctx *ctx = svr_dump_ctx(cb);
	u8 cmd = genl_dumpit_info(cb)->op.cmd;
	struct svr_config *cfg;
	int ret = 1;

	mutex_lock(&sn->cfg_lock);
	cfg = sn->cfg;
	cb->seq = cfg->gen;
	switch (cmd) {
	case SVR_CMD_IFACE_GET:
		ret = svr_dump_list(skb, cb, ctx, &cfg->iface_list,
				    struct svr_iface, cmd, svr_fill_iface, NULL);
		break;
	case SVR_CMD_TENANT_GET:
		ret = svr_dump_list(skb, cb, ctx, &cfg->tenant_list,
				    struct svr_tenant, cmd, svr_fill_tenant,
				    NULL);
		break;
	case SVR_CMD_SECURITY_GET:
		ret = svr_dump_list(skb, cb, ctx, &cfg->sec_list,
				    struct svr_security, cmd, svr_fill_security,
				    NULL);
		break;
	case SVR_CMD_SERVICE_GET:
		ret = svr_dump_list(skb, cb, ctx, &cfg->service_list,
				    struct svr_service, cmd, svr_fill_service,
				    NULL);
		break;
	case SVR_CMD_PEER_GET:
		ret = svr_dump_list(skb, cb, ctx, &cfg->peer_list,
				    struct svr_peer, cmd, svr_fill_peer,
				    &svr_with_stats);
		break;
	}
	mutex_unlock(&sn->cfg_lock);
	return svr_dump_end(skb, ret);
}

/*
 * The service filter is resolved in the first dumpit call: an error from
 * .start loses its extack on 6.1, one from dumpit reaches NLMSG_DONE.
 */
static int svr_nl_route_filter(struct netlink_callback *cb,
			       struct svr_net *sn, struct svr_dump_ctx *ctx)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *attr = info->attrs[SVR_A_ROUTE_SERVICE];
	struct svr_service *svc;
	char name[SVR_NAME_MAX];

	ctx->phase = 1;
	if (!attr)
		return 0;
	nla_strscpy(name, attr, sizeof(name));
	svc = svr_service_find(sn, name, strlen(name));
	if (!svc) {
		NL_SET_ERR_MSG(cb->extack, "unknown service");
		return -ENOENT;
	}
	ctx->filter = svc->id;
	return 0;
}

static int svr_nl_route_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct svr_net *sn = svr_pernet(sock_net(skb->sk));
	struct svr_dump_ctx *ctx = svr_dump_ctx(cb);
	int ret = 0;

	mutex_lock(&sn->cfg_lock);
	if (!ctx->phase)
		ret = svr_nl_route_filter(cb, sn, ctx);
	if (!ret) {
		cb->seq = sn->cfg->gen;
		ret = svr_dump_routes(skb, cb, sn->cfg, ctx);
	}
	mutex_unlock(&sn->cfg_lock);
	return svr_dump_end(skb, ret);
}

enum {
	SVR_SAVE_ROUTER,
	SVR_SAVE_TENANTS,
	SVR_SAVE_SECURITY,
	SVR_SAVE_IFACES,
	SVR_SAVE_PEERS,
	SVR_SAVE_SERVICES,
	SVR_SAVE_ROUTES,
	SVR_SAVE_DONE,
};

static int svr_nl_save_start(struct netlink_callback *cb)
{
	struct net *net = sock_net(cb->skb->sk);

	svr_nl_dump_start(cb);
	svr_dump_ctx(cb)->keys = netlink_ns_capable(cb->skb, net->user_ns,
						    CAP_NET_ADMIN);
	return 0;
}

static int svr_save_phase(struct sk_buff *skb, struct netlink_callback *cb,
			  struct svr_net *sn, struct svr_dump_ctx *ctx)
{
	struct svr_config *cfg = sn->cfg;

	switch (ctx->phase) {
	case SVR_SAVE_ROUTER:
		return svr_dump_one(skb, cb, SVR_CMD_ROUTER_GET,
				    svr_fill_router,
				    rcu_dereference_protected(cfg->router, true),
				    sn) ? -EMSGSIZE : 1;
	case SVR_SAVE_TENANTS:
		return svr_dump_list(skb, cb, ctx, &cfg->tenant_list,
				     struct svr_tenant, SVR_CMD_TENANT_GET,
				     svr_fill_tenant, NULL);
	case SVR_SAVE_SECURITY:
		return svr_dump_list(skb, cb, ctx, &cfg->sec_list,
				     struct svr_security, SVR_CMD_SECURITY_GET,
				     svr_fill_security,
				     ctx->keys ? ctx : NULL);
	case SVR_SAVE_IFACES:
		return svr_dump_list(skb, cb, ctx, &cfg->iface_list,
				     struct svr_iface, SVR_CMD_IFACE_GET,
				     svr_fill_iface, NULL);
	case SVR_SAVE_PEERS:
		return svr_dump_list(skb, cb, ctx, &cfg->peer_list,
				     struct svr_peer, SVR_CMD_PEER_GET,
				     svr_fill_peer, NULL);
	case SVR_SAVE_SERVICES:
		return svr_dump_list(skb, cb, ctx, &cfg->service_list,
				     struct svr_service, SVR_CMD_SERVICE_GET,
				     svr_fill_service, NULL);
	case SVR_SAVE_ROUTES:
		return svr_dump_routes(skb, cb, cfg, ctx);
	}
	return 1;
}

static int svr_nl_save_dumpit(struct sk_buff *skb,
			      struct netlink_callback *cb)
{
	struct svr_net *sn = svr_pernet(sock_net(skb->sk));
	struct svr_dump_ctx *ctx = svr_dump_ctx(cb);
	int ret = 1;

	mutex_lock(&sn->cfg_lock);
	cb->seq = sn->cfg->gen;
	while (ctx->phase < SVR_SAVE_DONE) {
		ret = svr_save_phase(skb, cb, sn, ctx);
		if (ret < 0 && skb->len)
			ret = 0;
		if (ret <= 0)
			break;
		ctx->phase++;
		ctx->last = 0;
		ctx->last_route = 0;
	}
	mutex_unlock(&sn->cfg_lock);
	return svr_dump_end(skb, ret);
}

/* ---- info and stats ---------------------------------------------------- */

/* OK for unprivileged users. */
static int svr_nl_info_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &svr_genl_family, 0,
				SVR_CMD_INFO_GET);
	if (!hdr)
		goto nla_put_failure;
	if (nla_put_string(msg, SVR_A_INFO_VERSION, SVR_VERSION) ||
	    nla_put_u32(msg, SVR_A_INFO_GENL_VERSION, SVR_GENL_VERSION) ||
	    nla_put_u64_64bit(msg, SVR_A_INFO_NETNS_COOKIE,
			      genl_info_net(info)->net_cookie,
			      0))
		goto nla_put_failure;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int svr_nl_fill_counter(struct sk_buff *msg, const char *name, u64 v)
{
	struct nlattr *nest = nla_nest_start(msg, SVR_A_STATS_COUNTER);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, SVR_A_COUNTER_NAME, name) ||
	    nla_put_u64_64bit(msg, SVR_A_COUNTER_VALUE, v, SVR_A_COUNTER_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* OK for unprivileged users. */
static int svr_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &svr_genl_family, 0,
				SVR_CMD_STATS_GET);
	if (!hdr)
		goto nla_put_failure;
	for (i = 0; i < SVR_STAT_MAX; i++)
		if (svr_nl_fill_counter(msg, svr_stat_names[i],
					svr_stat_read(sn, i)))
			goto nla_put_failure;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- router ------------------------------------------------------------ */

static int svr_nl_router_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	int ret;

	mutex_lock(&sn->cfg_lock);
	ret = svr_nl_reply(info, SVR_CMD_ROUTER_GET, svr_fill_router,
			   rcu_dereference_protected(sn->cfg->router, true),
			   sn);
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static void svr_nl_u32_or_default(struct nlattr **tb, int type, u32 *v,
				  u32 def)
{
	if (tb[type])
		*v = nla_get_u32(tb[type]) ?: def;
}

static int svr_nl_router_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct nlattr **tb = info->attrs;
	struct svr_router *old, *r;
	bool retime;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	mutex_lock(&sn->cfg_lock);
	old = rcu_dereference_protected(sn->cfg->router,
					lockdep_is_held(&sn->cfg_lock));
	*r = *old;
	if (tb[SVR_A_ROUTER_NAME]) {
		ret = svr_nl_name(tb[SVR_A_ROUTER_NAME], r->name, false,
				  "invalid router name", info->extack);
		if (ret)
			goto err;
	}
	svr_nl_u32_or_default(tb, SVR_A_ROUTER_SESSION_LIMIT,
			      &r->session_limit, SVR_DEF_SESSION_LIMIT);
	svr_nl_u32_or_default(tb, SVR_A_ROUTER_TIMEOUT_TCP_EST,
			      &r->timeout_tcp_est, SVR_DEF_TIMEOUT_TCP_EST);
	svr_nl_u32_or_default(tb, SVR_A_ROUTER_TIMEOUT_TCP_CLOSE,
			      &r->timeout_tcp_close,
			      SVR_DEF_TIMEOUT_TCP_CLOSE);
	svr_nl_u32_or_default(tb, SVR_A_ROUTER_TIMEOUT_UDP, &r->timeout_udp,
			      SVR_DEF_TIMEOUT_UDP);
	svr_nl_u32_or_default(tb, SVR_A_ROUTER_TIMEOUT_ICMP,
			      &r->timeout_icmp, SVR_DEF_TIMEOUT_ICMP);
	svr_nl_u32_or_default(tb, SVR_A_ROUTER_ICMP_RATE, &r->icmp_rate,
			      SVR_DEF_ICMP_RATE);
	svr_nl_u32_or_default(tb, SVR_A_ROUTER_KEEPALIVE, &r->keepalive,
			      SVR_DEF_KEEPALIVE);
	if (r->keepalive > SVR_KEEPALIVE_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SVR_A_ROUTER_KEEPALIVE],
				    "keepalive is at most 86400 seconds");
		ret = -EINVAL;
		goto err;
	}
	if (tb[SVR_A_ROUTER_DIRECT_XMIT])
		r->direct_xmit = nla_get_u8(tb[SVR_A_ROUTER_DIRECT_XMIT]);
	if (tb[SVR_A_ROUTER_WAYPORT_LO])
		r->wayport_lo = nla_get_u16(tb[SVR_A_ROUTER_WAYPORT_LO]) ?:
				SVR_DEF_WAYPORT_LO;
	if (tb[SVR_A_ROUTER_WAYPORT_HI])
		r->wayport_hi = nla_get_u16(tb[SVR_A_ROUTER_WAYPORT_HI]) ?:
				SVR_DEF_WAYPORT_HI;
	if (r->wayport_lo > r->wayport_hi) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[SVR_A_ROUTER_WAYPORT_HI] ?:
				    tb[SVR_A_ROUTER_WAYPORT_LO],
				    "wayport range is reversed");
		ret = -EINVAL;
		goto err;
	}
	retime = r->timeout_tcp_est != old->timeout_tcp_est ||
		 r->timeout_tcp_close != old->timeout_tcp_close ||
		 r->timeout_udp != old->timeout_udp ||
		 r->timeout_icmp != old->timeout_icmp;
	rcu_assign_pointer(sn->cfg->router, r);
	kfree_rcu(old, rcu);
	svr_cfg_changed(sn);
	/* New timeouts apply to the sessions in the table too. */
	if (retime)
		svr_sessions_retime(sn);
	svr_session_ka_start(sn);
	svr_nl_notify(sn, SVR_CMD_ROUTER_CHANGE_NTF, svr_fill_router, r, sn,
		      info);
	mutex_unlock(&sn->cfg_lock);
	return 0;

err:
	mutex_unlock(&sn->cfg_lock);
	kfree(r);
	return ret;
}

/* ---- lookups by attribute, with extack --------------------------------- */

static struct svr_tenant *svr_nl_tenant(struct svr_net *sn,
					struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	char name[SVR_NAME_MAX];
	struct svr_tenant *t;

	nla_strscpy(name, attr, sizeof(name));
	t = svr_tenant_find(sn, name, strlen(name));
	if (!t)
		NL_SET_ERR_MSG_ATTR(extack, attr, "unknown tenant");
	return t;
}

static struct svr_service *svr_nl_service(struct svr_net *sn,
					  struct nlattr *attr,
					  struct netlink_ext_ack *extack)
{
	char name[SVR_NAME_MAX];
	struct svr_service *svc;

	nla_strscpy(name, attr, sizeof(name));
	svc = svr_service_find(sn, name, strlen(name));
	if (!svc)
		NL_SET_ERR_MSG_ATTR(extack, attr, "unknown service");
	return svc;
}

static struct svr_peer *svr_nl_peer(struct svr_net *sn, struct nlattr *attr,
				    struct netlink_ext_ack *extack)
{
	char name[SVR_NAME_MAX];
	struct svr_peer *peer;

	nla_strscpy(name, attr, sizeof(name));
	peer = svr_peer_find(sn, name, strlen(name));
	if (!peer)
		NL_SET_ERR_MSG_ATTR(extack, attr, "unknown peer");
	return peer;
}

/*
 * An optional security reference: absent keeps @cur, "" means none.
 * Returns 0 and sets *@out, or -ENOENT.
 */
static int svr_nl_security_ref(struct svr_net *sn, struct nlattr *attr,
			       struct svr_security *cur,
			       struct svr_security **out,
			       struct netlink_ext_ack *extack)
{
	char name[SVR_NAME_MAX];

	*out = cur;
	if (!attr)
		return 0;
	nla_strscpy(name, attr, sizeof(name));
	if (!name[0]) {
		*out = NULL;
		return 0;
	}
	*out = svr_security_find(sn, name);
	if (*out)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "unknown security policy");
	return -ENOENT;
}

/* ---- interfaces -------------------------------------------------------- */

static struct svr_iface *svr_nl_iface_get(struct svr_net *sn,
					  struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SVR_A_IFACE_NAME];
	struct svr_iface *ifc;
	char name[IFNAMSIZ];

	if (svr_nl_missing(info->extack, NULL, info->attrs, SVR_A_IFACE_NAME,
			   "missing interface name"))
		return ERR_PTR(-EINVAL);
	nla_strscpy(name, attr, sizeof(name));
	ifc = svr_iface_find(sn, name);
	if (ifc)
		return ifc;
	NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such interface");
	return ERR_PTR(-ENOENT);
}

/* Tenant and source NAT options of NEW and SET. */
static int svr_nl_iface_opts(struct svr_net *sn, struct genl_info *info,
			     struct svr_iface *ifc, bool *changed_tenant)
{
	struct nlattr *attr = info->attrs[SVR_A_IFACE_TENANT];
	struct svr_tenant *t = rcu_dereference_protected(ifc->tenant, true);
	char name[SVR_NAME_MAX];

	*changed_tenant = false;
	if (attr) {
		nla_strscpy(name, attr, sizeof(name));
		if (!name[0]) {
			t = NULL;
		} else {
			t = svr_nl_tenant(sn, attr, info->extack);
			if (!t)
				return -ENOENT;
		}
		*changed_tenant = t != rcu_dereference_protected(ifc->tenant,
								 true);
	}
	rcu_assign_pointer(ifc->tenant, t);
	if (info->attrs[SVR_A_IFACE_SNAT])
		WRITE_ONCE(ifc->snat, nla_get_u8(info->attrs[SVR_A_IFACE_SNAT]));
	return 0;
}

static int svr_nl_iface_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SVR_A_IFACE_NAME];
	struct svr_net *sn = svr_nl_sn(info);
	struct net_device *dev;
	struct svr_iface *ifc;
	char name[IFNAMSIZ];
	bool changed;
	int ifindex = 0, ret;

	if (svr_nl_missing(info->extack, NULL, info->attrs, SVR_A_IFACE_NAME,
			   "missing interface name"))
		return -EINVAL;
	ret = svr_nl_dev(attr, name, info->extack);
	if (ret)
		return ret;
	ifc = svr_iface_alloc(name);
	if (!ifc)
		return -ENOMEM;

	mutex_lock(&sn->cfg_lock);
	if (svr_iface_find(sn, name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "interface exists");
		ret = -EEXIST;
		goto err;
	}
	if (sn->cfg->n.ifaces >= SVR_MAX_IFACES) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "too many interfaces");
		ret = -ENOSPC;
		goto err;
	}
	rcu_read_lock();
	dev = dev_get_by_name_rcu(sn->net, name);
	if (dev)
		ifindex = dev->ifindex;
	rcu_read_unlock();
	if (!ifindex) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		ret = -ENODEV;
		goto err;
	}
	ret = svr_nl_iface_opts(sn, info, ifc, &changed);
	if (ret)
		goto err;
	ret = svr_hooks_enable(sn);
	if (ret) {
		NL_SET_ERR_MSG(info->extack, "cannot register svr's netfilter hooks");
		goto err;
	}
	ret = svr_iface_link(sn, ifc);
	if (ret)
		goto err;
	svr_iface_bind(sn, ifc, ifindex);
	svr_nl_notify_iface(sn, ifc, SVR_CMD_IFACE_ADD_NTF, info);
	mutex_unlock(&sn->cfg_lock);
	return 0;

err:
	mutex_unlock(&sn->cfg_lock);
	kfree(ifc);
	return ret;
}

static int svr_nl_iface_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_iface *ifc;
	bool changed;
	int ret;

	mutex_lock(&sn->cfg_lock);
	ifc = svr_nl_iface_get(sn, info);
	ret = PTR_ERR_OR_ZERO(ifc);
	if (ret)
		goto out;
	ret = svr_nl_iface_opts(sn, info, ifc, &changed);
	if (ret)
		goto out;
	svr_cfg_changed(sn);
	svr_nl_notify_iface(sn, ifc, SVR_CMD_IFACE_CHANGE_NTF, info);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static int svr_nl_iface_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_iface *ifc;
	int ret;

	mutex_lock(&sn->cfg_lock);
	ifc = svr_nl_iface_get(sn, info);
	ret = PTR_ERR_OR_ZERO(ifc);
	if (ret)
		goto out;
	svr_nl_notify_iface(sn, ifc, SVR_CMD_IFACE_DEL_NTF, info);
	svr_iface_unlink(sn, ifc);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static int svr_nl_iface_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_iface *ifc;
	int ret;

	mutex_lock(&sn->cfg_lock);
	ifc = svr_nl_iface_get(sn, info);
	ret = PTR_ERR_OR_ZERO(ifc);
	if (!ret)
		ret = svr_nl_reply(info, SVR_CMD_IFACE_GET, svr_fill_iface,
				   ifc, NULL);
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

/* ---- prefixes (parts of tenants and services) -------------------------- */

static bool svr_prefix_eq(const struct svr_prefix *a,
			  const struct svr_prefix *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr)) &&
	       !strncmp(a->dev, b->dev, IFNAMSIZ);
}

static int svr_nl_parse_prefix(struct nlattr *nest, struct svr_prefix *p,
			       bool dev_ok, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SVR_A_PREFIX_MAX + 1];
	union svr_addr masked;
	int ret;

	ret = nla_parse_nested(tb, SVR_A_PREFIX_MAX, nest, svr_prefix_policy,
			       extack);
	if (ret)
		return ret;
	memset(p, 0, sizeof(*p));
	if (tb[SVR_A_PREFIX_ADDR4] && tb[SVR_A_PREFIX_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SVR_A_PREFIX_ADDR6],
				    "prefix has both an ipv4 and an ipv6 address");
		return -EINVAL;
	}
	p->family = svr_nl_addr(tb[SVR_A_PREFIX_ADDR4], tb[SVR_A_PREFIX_ADDR6],
				&p->addr);
	if (!p->family) {
		NL_SET_ERR_ATTR_MISS(extack, nest, SVR_A_PREFIX_ADDR4);
		NL_SET_ERR_MSG(extack, "missing prefix address");
		return -EINVAL;
	}
	if (svr_nl_missing(extack, nest, tb, SVR_A_PREFIX_PLEN,
			   "missing prefix length"))
		return -EINVAL;
	p->plen = nla_get_u8(tb[SVR_A_PREFIX_PLEN]);
	if (p->family == AF_INET && p->plen > 32) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SVR_A_PREFIX_PLEN],
				    "prefix length exceeds 32 for ipv4");
		return -EINVAL;
	}
	masked = p->addr;
	svr_addr_mask(p->family, &masked, p->plen);
	if (memcmp(&masked, &p->addr, sizeof(masked))) {
		NL_SET_ERR_MSG_ATTR(extack, p->family == AF_INET ?
				    tb[SVR_A_PREFIX_ADDR4] :
				    tb[SVR_A_PREFIX_ADDR6],
				    "prefix address has host bits set");
		return -EINVAL;
	}
	if (tb[SVR_A_PREFIX_DEV]) {
		if (!dev_ok) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SVR_A_PREFIX_DEV],
					    "prefix device only applies to tenant prefixes");
			return -EINVAL;
		}
		ret = svr_nl_dev(tb[SVR_A_PREFIX_DEV], p->dev, extack);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Stage prefix changes of @info (attribute @type) on @parts: additions go
 * to @added (not yet in @parts), deletions are marked dead. Undo with
 * svr_prefixes_abort(), finish with svr_prefixes_commit().
 */
static int svr_nl_stage_prefixes(struct svr_net *sn, struct genl_info *info,
				 int type, u8 op, struct list_head *parts,
				 u32 n, bool dev_ok, struct list_head *added,
				 int *delta)
{
	struct svr_prefix tmp, *p, *q;
	struct nlattr *nest;
	int rem, ret;

	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != type)
			continue;
		ret = svr_nl_parse_prefix(nest, &tmp, dev_ok, info->extack);
		if (ret)
			return ret;
		if (op == SVR_OP_SET) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "op set does not apply to prefixes");
			return -EOPNOTSUPP;
		}
		list_for_each_entry(q, parts, list)
			if (!q->dead && svr_prefix_eq(q, &tmp))
				break;
		if (op == SVR_OP_DEL) {
			if (list_entry_is_head(q, parts, list)) {
				NL_SET_ERR_MSG_ATTR(info->extack, nest,
						    "no such prefix");
				return -ENOENT;
			}
			q->dead = true;
			(*delta)--;
			continue;
		}
		if (!list_entry_is_head(q, parts, list)) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest, "prefix exists");
			return -EEXIST;
		}
		list_for_each_entry(q, added, list) {
			if (svr_prefix_eq(q, &tmp)) {
				NL_SET_ERR_MSG_ATTR(info->extack, nest,
						    "duplicate prefix");
				return -EEXIST;
			}
		}
		if (n + *delta + 1 > SVR_MAX_OBJ_PREFIXES ||
		    sn->cfg->n.prefixes + *delta + 1 > SVR_MAX_PREFIXES) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "too many prefixes");
			return -ENOSPC;
		}
		p = kmemdup(&tmp, sizeof(tmp), GFP_KERNEL_ACCOUNT);
		if (!p)
			return -ENOMEM;
		list_add_tail(&p->list, added);
		(*delta)++;
	}
	return 0;
}

static void svr_prefixes_free(struct list_head *list)
{
	struct svr_prefix *p, *tmp;

	list_for_each_entry_safe(p, tmp, list, list) {
		list_del(&p->list);
		kfree(p);
	}
}

/* Undo a staging whose additions were spliced after @last. */
static void svr_prefixes_undead(struct list_head *parts);

static void svr_prefixes_abort(struct list_head *parts, struct list_head *last)
{
	LIST_HEAD(front);

	list_cut_position(&front, parts, last);
	svr_prefixes_free(parts);
	list_splice(&front, parts);
	svr_prefixes_undead(parts);
}

static void svr_prefixes_undead(struct list_head *parts)
{
	struct svr_prefix *p;

	list_for_each_entry(p, parts, list)
		p->dead = false;
}

static void svr_prefixes_commit(struct list_head *parts)
{
	struct svr_prefix *p, *tmp;

	list_for_each_entry_safe(p, tmp, parts, list) {
		if (p->dead) {
			list_del(&p->list);
			kfree(p);
		}
	}
}

/* ---- tenants ----------------------------------------------------------- */

static struct svr_tenant *svr_nl_tenant_get(struct svr_net *sn,
					    struct genl_info *info)
{
	struct svr_tenant *t;

	if (svr_nl_missing(info->extack, NULL, info->attrs, SVR_A_TENANT_NAME,
			   "missing tenant name"))
		return ERR_PTR(-EINVAL);
	t = svr_nl_tenant(sn, info->attrs[SVR_A_TENANT_NAME], info->extack);
	return t ?: ERR_PTR(-ENOENT);
}

/* Apply the prefix part of a NEW or SET; on error nothing changed. */
static int svr_nl_tenant_prefixes(struct svr_net *sn, struct genl_info *info,
				  struct svr_tenant *t, u8 op)
{
	struct list_head *last = t->prefixes.prev;
	LIST_HEAD(added);
	int delta = 0, ret;

	ret = svr_nl_stage_prefixes(sn, info, SVR_A_TENANT_PREFIX, op,
				    &t->prefixes, t->n_prefixes, true, &added,
				    &delta);
	if (ret)
		goto err_free;
	list_splice_tail(&added, &t->prefixes);
	ret = svr_tenant_fib_update(sn, t);
	if (ret) {
		svr_prefixes_abort(&t->prefixes, last);
		return ret;
	}
	svr_prefixes_commit(&t->prefixes);
	t->n_prefixes += delta;
	sn->cfg->n.prefixes += delta;
	return 0;

err_free:
	svr_prefixes_free(&added);
	svr_prefixes_undead(&t->prefixes);
	return ret;
}

static int svr_nl_tenant_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SVR_A_TENANT_NAME];
	struct svr_net *sn = svr_nl_sn(info);
	char name[SVR_NAME_MAX];
	struct svr_tenant *t;
	u8 op;
	int ret;

	if (svr_nl_missing(info->extack, NULL, info->attrs, SVR_A_TENANT_NAME,
			   "missing tenant name"))
		return -EINVAL;
	ret = svr_nl_name(attr, name, false, "invalid tenant name",
			  info->extack);
	if (ret)
		return ret;
	if (!strcmp(name, SVR_GLOBAL_TENANT)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "tenant name global is reserved");
		return -EINVAL;
	}
	ret = svr_nl_op(info, SVR_A_TENANT_OP, true, &op);
	if (ret)
		return ret;
	t = svr_tenant_alloc(name);
	if (!t)
		return -ENOMEM;

	mutex_lock(&sn->cfg_lock);
	if (sn->cfg->n.tenants >= SVR_MAX_TENANTS) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "too many tenants");
		ret = -ENOSPC;
		goto err;
	}
	ret = svr_tenant_link(sn, t);
	if (ret) {
		if (ret == -EEXIST)
			NL_SET_ERR_MSG_ATTR(info->extack, attr, "tenant exists");
		goto err;
	}
	ret = svr_nl_tenant_prefixes(sn, info, t, op);
	if (ret) {
		svr_tenant_unlink(sn, t);
		goto out;
	}
	svr_nl_notify(sn, SVR_CMD_TENANT_ADD_NTF, svr_fill_tenant, t, NULL,
		      info);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;

err:
	mutex_unlock(&sn->cfg_lock);
	svr_tenant_free(t);
	return ret;
}

static int svr_nl_tenant_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_tenant *t;
	u8 op;
	int ret;

	ret = svr_nl_op(info, SVR_A_TENANT_OP, false, &op);
	if (ret)
		return ret;
	mutex_lock(&sn->cfg_lock);
	t = svr_nl_tenant_get(sn, info);
	ret = PTR_ERR_OR_ZERO(t);
	if (ret)
		goto out;
	ret = svr_nl_tenant_prefixes(sn, info, t, op);
	if (ret)
		goto out;
	svr_cfg_changed(sn);
	svr_nl_notify(sn, SVR_CMD_TENANT_CHANGE_NTF, svr_fill_tenant, t, NULL,
		      info);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static void svr_nl_service_changed(struct svr_net *sn,
				   struct svr_service *svc,
				   struct genl_info *info)
{
	svr_nl_notify(sn, SVR_CMD_SERVICE_CHANGE_NTF, svr_fill_service, svc,
		      NULL, info);
}

static int svr_nl_tenant_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[SVR_A_TENANT_FORCE]);
	struct nlattr *attr = info->attrs[SVR_A_TENANT_NAME];
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_access_ent *a, *atmp;
	struct svr_service *svc;
	struct svr_iface *ifc;
	struct svr_tenant *t;
	bool used;
	int ret;

	mutex_lock(&sn->cfg_lock);
	t = svr_nl_tenant_get(sn, info);
	ret = PTR_ERR_OR_ZERO(t);
	if (ret)
		goto out;
	list_for_each_entry(ifc, &sn->cfg->iface_list, list) {
		if (rcu_access_pointer(ifc->tenant) != t)
			continue;
		if (!force) {
			svr_nl_busy(sn, info->extack, attr, "tenant",
				    "interface", ifc->name);
			ret = -EBUSY;
			goto out;
		}
	}
	list_for_each_entry(svc, &sn->cfg->service_list, list) {
		list_for_each_entry(a, &svc->access, list) {
			if (a->tenant != t)
				continue;
			if (!force) {
				svr_nl_busy(sn, info->extack, attr, "tenant",
					    "service", svc->name);
				ret = -EBUSY;
				goto out;
			}
		}
	}
	/* Forced, or unused: remove every reference. */
	list_for_each_entry(ifc, &sn->cfg->iface_list, list) {
		if (rcu_access_pointer(ifc->tenant) != t)
			continue;
		RCU_INIT_POINTER(ifc->tenant, NULL);
		svr_nl_notify_iface(sn, ifc, SVR_CMD_IFACE_CHANGE_NTF, NULL);
	}
	list_for_each_entry(svc, &sn->cfg->service_list, list) {
		used = false;
		list_for_each_entry_safe(a, atmp, &svc->access, list) {
			if (a->tenant != t)
				continue;
			list_del_rcu(&a->list);
			svc->n_access--;
			kfree_rcu(a, rcu);
			used = true;
		}
		if (used)
			svr_nl_service_changed(sn, svc, NULL);
	}
	svr_nl_notify(sn, SVR_CMD_TENANT_DEL_NTF, svr_fill_tenant, t, NULL,
		      info);
	svr_tenant_unlink(sn, t);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static int svr_nl_tenant_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_tenant *t;
	int ret;

	mutex_lock(&sn->cfg_lock);
	t = svr_nl_tenant_get(sn, info);
	ret = PTR_ERR_OR_ZERO(t);
	if (!ret)
		ret = svr_nl_reply(info, SVR_CMD_TENANT_GET, svr_fill_tenant,
				   t, NULL);
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

/* ---- security policies and keys ---------------------------------------- */

static u8 svr_cipher_key_len(u8 cipher)
{
	switch (cipher) {
	case SVR_CIPHER_AES_CBC_128:
		return 16;
	case SVR_CIPHER_AES_CBC_256:
		return 32;
	}
	return 0;
}

/* Whether @key suits a policy with @cipher and @hmac. */
static bool svr_key_fits(const struct svr_key *key, u8 cipher, u8 hmac)
{
	return key->cipher_key_len == svr_cipher_key_len(cipher) &&
	       key->hmac_key_len == (hmac == SVR_HMAC_NONE ? 0 :
				     SVR_HMAC_KEY_LEN);
}

static int svr_nl_parse_key(struct svr_net *sn, struct nlattr *nest,
			    u8 cipher, u8 hmac, bool del,
			    struct svr_key *key,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SVR_A_KEY_MAX + 1];
	struct nlattr *ck, *hk;
	int ret;

	ret = nla_parse_nested(tb, SVR_A_KEY_MAX, nest, svr_key_policy,
			       extack);
	if (ret)
		return ret;
	if (svr_nl_missing(extack, nest, tb, SVR_A_KEY_ID, "missing key id"))
		return -EINVAL;
	key->id = nla_get_u32(tb[SVR_A_KEY_ID]);
	if (del)
		return 0;
	ck = tb[SVR_A_KEY_CIPHER_KEY];
	hk = tb[SVR_A_KEY_HMAC_KEY];
	if (cipher == SVR_CIPHER_NONE && ck) {
		NL_SET_ERR_MSG_ATTR(extack, ck,
				    "cipher key given but the cipher is none");
		return -EINVAL;
	}
	if (cipher != SVR_CIPHER_NONE &&
	    svr_nl_missing(extack, nest, tb, SVR_A_KEY_CIPHER_KEY,
			   "missing cipher key"))
		return -EINVAL;
	if (ck && nla_len(ck) != svr_cipher_key_len(cipher)) {
		NL_SET_ERR_MSG_ATTR(extack, ck,
				    "cipher key length does not match the cipher");
		return -EINVAL;
	}
	if (hmac == SVR_HMAC_NONE && hk) {
		NL_SET_ERR_MSG_ATTR(extack, hk,
				    "hmac key given but the hmac is none");
		return -EINVAL;
	}
	if (hmac != SVR_HMAC_NONE &&
	    svr_nl_missing(extack, nest, tb, SVR_A_KEY_HMAC_KEY,
			   "missing hmac key"))
		return -EINVAL;
	if (ck) {
		key->cipher_key_len = nla_len(ck);
		nla_memcpy(key->cipher_key, ck, sizeof(key->cipher_key));
	}
	if (hk) {
		key->hmac_key_len = SVR_HMAC_KEY_LEN;
		nla_memcpy(key->hmac_key, hk, sizeof(key->hmac_key));
	}
	svr_key_fingerprint(key);
	return 0;
}

static struct svr_key *svr_sec_key(struct svr_security *sec, u32 id)
{
	struct svr_key *key;

	list_for_each_entry(key, &sec->keys, list)
		if (key->id == id)
			return key;
	return NULL;
}

/*
 * Key changes of a NEW or SET, checked completely before anything changes:
 * additions are collected in @added, deletions in @dels (ids, -1 ended).
 */
struct svr_key_stage {
	struct list_head	added;
	struct svr_key		*dels[SVR_MAX_OBJ_KEYS];
	u32			n_dels;
};

static int svr_nl_stage_keys(struct svr_net *sn, struct genl_info *info,
			     struct svr_security *sec, u8 cipher, u8 hmac,
			     u8 op, struct svr_key_stage *st)
{
	struct svr_key *key, *q;
	struct nlattr *nest;
	int rem, ret;
	u32 i, n = sec->n_keys;

	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != SVR_A_SECURITY_KEY)
			continue;
		if (op == SVR_OP_SET) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "op set does not apply to keys");
			return -EOPNOTSUPP;
		}
		key = svr_key_alloc();
		if (!key)
			return -ENOMEM;
		ret = svr_nl_parse_key(sn, nest, cipher, hmac,
				       op == SVR_OP_DEL, key, info->extack);
		if (ret) {
			svr_key_free(key);
			return ret;
		}
		q = svr_sec_key(sec, key->id);
		if (op == SVR_OP_DEL) {
			for (i = 0; q && i < st->n_dels; i++)
				if (st->dels[i] == q)
					q = NULL;
			svr_key_free(key);
			if (!q) {
				NL_SET_ERR_MSG_ATTR(info->extack, nest,
						    "no such key");
				return -ENOENT;
			}
			st->dels[st->n_dels++] = q;
			n--;
			continue;
		}
		list_add_tail(&key->list, &st->added);
		if (svr_key_lookup(sn, key->id)) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "key id exists");
			return -EEXIST;
		}
		list_for_each_entry(q, &st->added, list) {
			if (q != key && q->id == key->id) {
				NL_SET_ERR_MSG_ATTR(info->extack, nest,
						    "duplicate key id");
				return -EEXIST;
			}
		}
		if (++n > SVR_MAX_OBJ_KEYS ||
		    sn->cfg->n.keys + n - sec->n_keys > SVR_MAX_KEYS) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "too many keys");
			return -ENOSPC;
		}
	}
	/* Remaining keys must suit a changed cipher or hmac. */
	list_for_each_entry(q, &sec->keys, list) {
		for (i = 0; i < st->n_dels; i++)
			if (st->dels[i] == q)
				break;
		if (i == st->n_dels && !svr_key_fits(q, cipher, hmac)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[SVR_A_SECURITY_CIPHER] ?:
					    info->attrs[SVR_A_SECURITY_HMAC],
					    "existing keys do not match the cipher or hmac");
			return -EINVAL;
		}
	}
	return 0;
}

static void svr_key_stage_free(struct svr_key_stage *st)
{
	struct svr_key *key, *tmp;

	list_for_each_entry_safe(key, tmp, &st->added, list) {
		list_del(&key->list);
		svr_key_free(key);
	}
}

/* Apply a checked stage; the id table may still refuse (memory). */
static int svr_key_stage_apply(struct svr_net *sn, struct svr_security *sec,
			       struct svr_key_stage *st)
{
	struct svr_key *key, *tmp;
	u32 i;
	int ret;

	list_for_each_entry_safe(key, tmp, &st->added, list) {
		list_del(&key->list);
		ret = svr_key_link(sn, sec, key);
		if (ret) {
			svr_key_free(key);
			return ret;
		}
	}
	for (i = 0; i < st->n_dels; i++)
		svr_key_unlink(sn, st->dels[i]);
	return 0;
}

static struct svr_security *svr_nl_sec_get(struct svr_net *sn,
					   struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SVR_A_SECURITY_NAME];
	struct svr_security *sec;
	char name[SVR_NAME_MAX];

	if (svr_nl_missing(info->extack, NULL, info->attrs,
			   SVR_A_SECURITY_NAME, "missing security policy name"))
		return ERR_PTR(-EINVAL);
	nla_strscpy(name, attr, sizeof(name));
	sec = svr_security_find(sn, name);
	if (sec)
		return sec;
	NL_SET_ERR_MSG_ATTR(info->extack, attr, "unknown security policy");
	return ERR_PTR(-ENOENT);
}

static u8 svr_nl_u8_or(struct genl_info *info, int type, u8 v)
{
	return info->attrs[type] ? nla_get_u8(info->attrs[type]) : v;
}

static int svr_nl_security_new_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SVR_A_SECURITY_NAME];
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_key_stage st = { .added = LIST_HEAD_INIT(st.added) };
	char name[SVR_NAME_MAX];
	struct svr_security *sec;
	u8 op;
	int ret;

	if (svr_nl_missing(info->extack, NULL, info->attrs,
			   SVR_A_SECURITY_NAME, "missing security policy name"))
		return -EINVAL;
	ret = svr_nl_name(attr, name, false, "invalid security policy name",
			  info->extack);
	if (ret)
		return ret;
	ret = svr_nl_op(info, SVR_A_SECURITY_OP, true, &op);
	if (ret)
		return ret;
	sec = svr_security_alloc(name);
	if (!sec)
		return -ENOMEM;
	/* Defaults per SVR §7.1 (hmac-mode time-based). */
	sec->cipher = svr_nl_u8_or(info, SVR_A_SECURITY_CIPHER,
				   SVR_CIPHER_AES_CBC_128);
	sec->hmac = svr_nl_u8_or(info, SVR_A_SECURITY_HMAC, SVR_HMAC_SHA256);
	sec->hmac_mode = svr_nl_u8_or(info, SVR_A_SECURITY_HMAC_MODE,
				      SVR_HMAC_MODE_TIME_BASED);

	mutex_lock(&sn->cfg_lock);
	if (sn->cfg->n.secs >= SVR_MAX_SECURITY) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "too many security policies");
		ret = -ENOSPC;
		goto err;
	}
	if (svr_security_find(sn, name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "security policy exists");
		ret = -EEXIST;
		goto err;
	}
	ret = svr_nl_stage_keys(sn, info, sec, sec->cipher, sec->hmac, op,
				&st);
	if (ret)
		goto err;
	ret = svr_security_link(sn, sec);
	if (ret)
		goto err;
	ret = svr_key_stage_apply(sn, sec, &st);
	if (ret) {
		svr_key_stage_free(&st);
		svr_security_unlink(sn, sec);
		goto out;
	}
	svr_nl_notify(sn, SVR_CMD_SECURITY_ADD_NTF, svr_fill_security, sec,
		      NULL, info);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;

err:
	mutex_unlock(&sn->cfg_lock);
	svr_key_stage_free(&st);
	svr_security_free(sec);
	return ret;
}

static int svr_nl_security_set_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct svr_key_stage st = { .added = LIST_HEAD_INIT(st.added) };
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_security *sec;
	u8 op, cipher, hmac;
	int ret;

	ret = svr_nl_op(info, SVR_A_SECURITY_OP, false, &op);
	if (ret)
		return ret;
	mutex_lock(&sn->cfg_lock);
	sec = svr_nl_sec_get(sn, info);
	ret = PTR_ERR_OR_ZERO(sec);
	if (ret)
		goto out;
	cipher = svr_nl_u8_or(info, SVR_A_SECURITY_CIPHER, sec->cipher);
	hmac = svr_nl_u8_or(info, SVR_A_SECURITY_HMAC, sec->hmac);
	ret = svr_nl_stage_keys(sn, info, sec, cipher, hmac, op, &st);
	if (ret)
		goto out;
	ret = svr_key_stage_apply(sn, sec, &st);
	if (ret)
		goto out;
	WRITE_ONCE(sec->cipher, cipher);
	WRITE_ONCE(sec->hmac, hmac);
	WRITE_ONCE(sec->hmac_mode, svr_nl_u8_or(info, SVR_A_SECURITY_HMAC_MODE,
						sec->hmac_mode));
	svr_cfg_changed(sn);
	svr_nl_notify(sn, SVR_CMD_SECURITY_CHANGE_NTF, svr_fill_security, sec,
		      NULL, info);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	svr_key_stage_free(&st);
	return ret;
}

static int svr_nl_security_del_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[SVR_A_SECURITY_FORCE]);
	struct nlattr *attr = info->attrs[SVR_A_SECURITY_NAME];
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_security *sec;
	struct svr_service *svc;
	struct svr_peer *peer;
	int ret;

	mutex_lock(&sn->cfg_lock);
	sec = svr_nl_sec_get(sn, info);
	ret = PTR_ERR_OR_ZERO(sec);
	if (ret)
		goto out;
	if (!force) {
		list_for_each_entry(peer, &sn->cfg->peer_list, list) {
			if (rcu_access_pointer(peer->security) == sec) {
				svr_nl_busy(sn, info->extack, attr,
					    "security policy", "peer",
					    peer->name);
				ret = -EBUSY;
				goto out;
			}
		}
		list_for_each_entry(svc, &sn->cfg->service_list, list) {
			if (rcu_access_pointer(svc->security) == sec) {
				svr_nl_busy(sn, info->extack, attr,
					    "security policy", "service",
					    svc->name);
				ret = -EBUSY;
				goto out;
			}
		}
	}
	list_for_each_entry(peer, &sn->cfg->peer_list, list) {
		if (rcu_access_pointer(peer->security) != sec)
			continue;
		RCU_INIT_POINTER(peer->security, NULL);
		svr_nl_notify(sn, SVR_CMD_PEER_CHANGE_NTF, svr_fill_peer, peer,
			      NULL, NULL);
	}
	list_for_each_entry(svc, &sn->cfg->service_list, list) {
		if (rcu_access_pointer(svc->security) != sec)
			continue;
		RCU_INIT_POINTER(svc->security, NULL);
		svr_nl_service_changed(sn, svc, NULL);
	}
	svr_nl_notify(sn, SVR_CMD_SECURITY_DEL_NTF, svr_fill_security, sec,
		      NULL, info);
	svr_security_unlink(sn, sec);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static int svr_nl_security_get_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_security *sec;
	int ret;

	mutex_lock(&sn->cfg_lock);
	sec = svr_nl_sec_get(sn, info);
	ret = PTR_ERR_OR_ZERO(sec);
	if (!ret)
		ret = svr_nl_reply(info, SVR_CMD_SECURITY_GET,
				   svr_fill_security, sec, NULL);
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

/* ---- services ---------------------------------------------------------- */

static int svr_nl_parse_transport(struct nlattr *nest,
				  struct svr_transport *tr,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SVR_A_TRANSPORT_MAX + 1];
	struct nlattr *lo, *hi;
	int ret;

	ret = nla_parse_nested(tb, SVR_A_TRANSPORT_MAX, nest,
			       svr_transport_policy, extack);
	if (ret)
		return ret;
	memset(tr, 0, sizeof(*tr));
	if (svr_nl_missing(extack, nest, tb, SVR_A_TRANSPORT_PROTO,
			   "missing transport protocol"))
		return -EINVAL;
	tr->proto = nla_get_u8(tb[SVR_A_TRANSPORT_PROTO]);
	if (tr->proto != SVR_PROTO_ANY && tr->proto != SVR_PROTO_ICMP &&
	    tr->proto != SVR_PROTO_TCP && tr->proto != SVR_PROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SVR_A_TRANSPORT_PROTO],
				    "transport protocol must be tcp, udp, icmp or any");
		return -EINVAL;
	}
	lo = tb[SVR_A_TRANSPORT_PORT_LO];
	hi = tb[SVR_A_TRANSPORT_PORT_HI];
	if (!lo && !hi)
		return 0;
	if (tr->proto != SVR_PROTO_TCP && tr->proto != SVR_PROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, lo ?: hi,
				    "transport ports need tcp or udp");
		return -EINVAL;
	}
	if (svr_nl_missing(extack, nest, tb, SVR_A_TRANSPORT_PORT_LO,
			   "missing transport first port"))
		return -EINVAL;
	tr->port_lo = nla_get_u16(lo);
	tr->port_hi = hi ? nla_get_u16(hi) : tr->port_lo;
	if (tr->port_hi < tr->port_lo) {
		NL_SET_ERR_MSG_ATTR(extack, hi, "port range is reversed");
		return -EINVAL;
	}
	return 0;
}

static bool svr_transport_eq(const struct svr_transport *a,
			     const struct svr_transport *b)
{
	return a->proto == b->proto && a->port_lo == b->port_lo &&
	       a->port_hi == b->port_hi;
}

static int svr_nl_stage_transports(struct genl_info *info, u8 op,
				   struct svr_service *svc,
				   struct list_head *added, int *delta)
{
	struct svr_transport tmp, *tr, *q;
	struct nlattr *nest;
	int rem, ret;

	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != SVR_A_SERVICE_TRANSPORT)
			continue;
		ret = svr_nl_parse_transport(nest, &tmp, info->extack);
		if (ret)
			return ret;
		if (op == SVR_OP_SET) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "op set does not apply to transports");
			return -EOPNOTSUPP;
		}
		list_for_each_entry(q, &svc->transports, list)
			if (!q->dead && svr_transport_eq(q, &tmp))
				break;
		if (op == SVR_OP_DEL) {
			if (list_entry_is_head(q, &svc->transports, list)) {
				NL_SET_ERR_MSG_ATTR(info->extack, nest,
						    "no such transport");
				return -ENOENT;
			}
			q->dead = true;
			(*delta)--;
			continue;
		}
		if (!list_entry_is_head(q, &svc->transports, list)) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "transport exists");
			return -EEXIST;
		}
		list_for_each_entry(q, added, list) {
			if (svr_transport_eq(q, &tmp)) {
				NL_SET_ERR_MSG_ATTR(info->extack, nest,
						    "duplicate transport");
				return -EEXIST;
			}
		}
		if (svc->n_transports + *delta + 1 > SVR_MAX_OBJ_TRANSPORTS) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "too many transports");
			return -ENOSPC;
		}
		tr = kmemdup(&tmp, sizeof(tmp), GFP_KERNEL_ACCOUNT);
		if (!tr)
			return -ENOMEM;
		list_add_tail(&tr->list, added);
		(*delta)++;
	}
	return 0;
}

static void svr_transports_free(struct list_head *list)
{
	struct svr_transport *tr, *tmp;

	list_for_each_entry_safe(tr, tmp, list, list) {
		list_del(&tr->list);
		kfree(tr);
	}
}

/*
 * Access entries: added ones are collected on @added, deleted ones marked
 * dead. The tenant references are resolved here, under cfg_lock.
 */
static int svr_nl_stage_access(struct svr_net *sn, struct genl_info *info,
			       u8 op, struct svr_service *svc,
			       struct list_head *added, int *delta)
{
	struct nlattr *tb[SVR_A_ACCESS_MAX + 1];
	struct svr_access_ent *a, *q;
	struct svr_tenant *t = NULL;
	char name[SVR_NAME_MAX];
	struct nlattr *nest;
	int rem, ret;

	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != SVR_A_SERVICE_ACCESS)
			continue;
		ret = nla_parse_nested(tb, SVR_A_ACCESS_MAX, nest,
				       svr_access_policy, info->extack);
		if (ret)
			return ret;
		if (op == SVR_OP_SET) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "op set does not apply to access entries");
			return -EOPNOTSUPP;
		}
		if (svr_nl_missing(info->extack, nest, tb, SVR_A_ACCESS_TENANT,
				   "missing access tenant"))
			return -EINVAL;
		nla_strscpy(name, tb[SVR_A_ACCESS_TENANT], sizeof(name));
		if (strcmp(name, SVR_GLOBAL_TENANT)) {
			t = svr_nl_tenant(sn, tb[SVR_A_ACCESS_TENANT],
					  info->extack);
			if (!t)
				return -ENOENT;
		} else {
			t = NULL;
		}
		list_for_each_entry(q, &svc->access, list)
			if (!q->dead && q->tenant == t)
				break;
		if (op == SVR_OP_DEL) {
			if (list_entry_is_head(q, &svc->access, list)) {
				NL_SET_ERR_MSG_ATTR(info->extack,
						    tb[SVR_A_ACCESS_TENANT],
						    "no such access entry");
				return -ENOENT;
			}
			q->dead = true;
			(*delta)--;
			continue;
		}
		if (!list_entry_is_head(q, &svc->access, list)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[SVR_A_ACCESS_TENANT],
					    "access entry for this tenant exists");
			return -EEXIST;
		}
		list_for_each_entry(q, added, list) {
			if (q->tenant == t) {
				NL_SET_ERR_MSG_ATTR(info->extack,
						    tb[SVR_A_ACCESS_TENANT],
						    "duplicate access entry");
				return -EEXIST;
			}
		}
		if (svc->n_access + *delta + 1 > SVR_MAX_OBJ_ACCESS) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "too many access entries");
			return -ENOSPC;
		}
		a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
		if (!a)
			return -ENOMEM;
		a->tenant = t;
		a->action = tb[SVR_A_ACCESS_ACTION] ?
			    nla_get_u8(tb[SVR_A_ACCESS_ACTION]) :
			    SVR_ACCESS_ACTION_ALLOW;
		list_add_tail(&a->list, added);
		(*delta)++;
	}
	return 0;
}

static void svr_access_free(struct list_head *list)
{
	struct svr_access_ent *a, *tmp;

	list_for_each_entry_safe(a, tmp, list, list) {
		list_del(&a->list);
		kfree(a);
	}
}

/*
 * The parts and options of a service NEW or SET, applied as a whole. For
 * NEW, @svc is linked already (and is unlinked by the caller on error).
 */
static int svr_nl_service_apply(struct svr_net *sn, struct genl_info *info,
				struct svr_service *svc, u8 op)
{
	struct list_head *last_p = svc->prefixes.prev;
	struct list_head *last_t = svc->transports.prev;
	int dp = 0, dt = 0, da = 0, ret;
	LIST_HEAD(prefixes);
	LIST_HEAD(transports);
	LIST_HEAD(access);
	struct svr_access_ent *a, *atmp;
	struct svr_transport *tr, *trtmp;
	struct svr_security *sec;
	struct svr_prefix *p;
	bool refib;

	ret = svr_nl_security_ref(sn, info->attrs[SVR_A_SERVICE_SECURITY],
				  rcu_dereference_protected(svc->security,
							    true),
				  &sec, info->extack);
	if (ret)
		return ret;
	ret = svr_nl_stage_prefixes(sn, info, SVR_A_SERVICE_PREFIX, op,
				    &svc->prefixes, svc->n_prefixes, false,
				    &prefixes, &dp);
	if (ret)
		goto err_unstage;
	ret = svr_nl_stage_transports(info, op, svc, &transports, &dt);
	if (ret)
		goto err_unstage;
	ret = svr_nl_stage_access(sn, info, op, svc, &access, &da);
	if (ret)
		goto err_unstage;

	refib = !list_empty(&prefixes) || !list_empty(&transports);
	list_for_each_entry(p, &svc->prefixes, list)
		refib |= p->dead;
	list_for_each_entry(tr, &svc->transports, list)
		refib |= tr->dead;
	list_splice_tail_init(&prefixes, &svc->prefixes);
	list_splice_tail_init(&transports, &svc->transports);
	if (refib) {
		ret = svr_service_fib_update(sn, svc);
		if (ret) {
			svr_prefixes_abort(&svc->prefixes, last_p);
			list_cut_position(&transports, &svc->transports,
					  last_t);
			svr_transports_free(&svc->transports);
			list_splice_init(&transports, &svc->transports);
			goto err_unstage;
		}
	}
	/* Nothing can fail from here on. */
	svr_prefixes_commit(&svc->prefixes);
	list_for_each_entry_safe(tr, trtmp, &svc->transports, list) {
		if (tr->dead) {
			list_del(&tr->list);
			kfree(tr);
		}
	}
	list_for_each_entry_safe(a, atmp, &svc->access, list) {
		if (a->dead) {
			list_del_rcu(&a->list);
			kfree_rcu(a, rcu);
		}
	}
	list_for_each_entry_safe(a, atmp, &access, list) {
		list_del(&a->list);
		list_add_tail_rcu(&a->list, &svc->access);
	}
	svc->n_prefixes += dp;
	sn->cfg->n.prefixes += dp;
	svc->n_transports += dt;
	svc->n_access += da;
	rcu_assign_pointer(svc->security, sec);
	if (info->attrs[SVR_A_SERVICE_TIMEOUT])
		WRITE_ONCE(svc->timeout,
			   nla_get_u32(info->attrs[SVR_A_SERVICE_TIMEOUT]));
	return 0;

err_unstage:
	svr_prefixes_free(&prefixes);
	svr_transports_free(&transports);
	svr_access_free(&access);
	list_for_each_entry(p, &svc->prefixes, list)
		p->dead = false;
	list_for_each_entry(tr, &svc->transports, list)
		tr->dead = false;
	list_for_each_entry(a, &svc->access, list)
		a->dead = false;
	return ret;
}

static struct svr_service *svr_nl_service_get(struct svr_net *sn,
					      struct genl_info *info)
{
	struct svr_service *svc;

	if (svr_nl_missing(info->extack, NULL, info->attrs,
			   SVR_A_SERVICE_NAME, "missing service name"))
		return ERR_PTR(-EINVAL);
	svc = svr_nl_service(sn, info->attrs[SVR_A_SERVICE_NAME],
			     info->extack);
	return svc ?: ERR_PTR(-ENOENT);
}

static int svr_nl_service_new_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SVR_A_SERVICE_NAME];
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_service *svc;
	char name[SVR_NAME_MAX];
	u8 op;
	int ret;

	if (svr_nl_missing(info->extack, NULL, info->attrs,
			   SVR_A_SERVICE_NAME, "missing service name"))
		return -EINVAL;
	ret = svr_nl_name(attr, name, false, "invalid service name",
			  info->extack);
	if (ret)
		return ret;
	ret = svr_nl_op(info, SVR_A_SERVICE_OP, true, &op);
	if (ret)
		return ret;
	svc = svr_service_alloc(name);
	if (!svc)
		return -ENOMEM;

	mutex_lock(&sn->cfg_lock);
	if (sn->cfg->n.services >= SVR_MAX_SERVICES) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "too many services");
		ret = -ENOSPC;
		goto err;
	}
	ret = svr_service_link(sn, svc);
	if (ret) {
		if (ret == -EEXIST)
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "service exists");
		goto err;
	}
	ret = svr_nl_service_apply(sn, info, svc, op);
	if (ret) {
		svr_service_unlink(sn, svc);
		goto out;
	}
	svr_nl_notify(sn, SVR_CMD_SERVICE_ADD_NTF, svr_fill_service, svc, NULL,
		      info);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;

err:
	mutex_unlock(&sn->cfg_lock);
	svr_service_free(svc);
	return ret;
}

static int svr_nl_service_set_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_service *svc;
	u8 op;
	int ret;

	ret = svr_nl_op(info, SVR_A_SERVICE_OP, false, &op);
	if (ret)
		return ret;
	mutex_lock(&sn->cfg_lock);
	svc = svr_nl_service_get(sn, info);
	ret = PTR_ERR_OR_ZERO(svc);
	if (ret)
		goto out;
	ret = svr_nl_service_apply(sn, info, svc, op);
	if (ret)
		goto out;
	svr_cfg_changed(sn);
	svr_nl_service_changed(sn, svc, info);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static int svr_nl_service_del_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_service *svc;
	int ret;

	mutex_lock(&sn->cfg_lock);
	svc = svr_nl_service_get(sn, info);
	ret = PTR_ERR_OR_ZERO(svc);
	if (ret)
		goto out;
	svr_nl_notify(sn, SVR_CMD_SERVICE_DEL_NTF, svr_fill_service, svc, NULL,
		      info);
	svr_service_unlink(sn, svc);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static int svr_nl_service_get_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_service *svc;
	int ret;

	mutex_lock(&sn->cfg_lock);
	svc = svr_nl_service_get(sn, info);
	ret = PTR_ERR_OR_ZERO(svc);
	if (!ret)
		ret = svr_nl_reply(info, SVR_CMD_SERVICE_GET, svr_fill_service,
				   svc, NULL);
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

/* ---- peers and paths --------------------------------------------------- */

static bool svr_path_eq(const struct svr_path *a, const struct svr_path *b)
{
	return a->family == b->family &&
	       !memcmp(&a->local, &b->local, sizeof(a->local)) &&
	       !memcmp(&a->remote, &b->remote, sizeof(a->remote));
}

/* A path's BFD options: an interval of 0 (off) or 10-60000 ms. */
static int svr_nl_parse_path_bfd(struct nlattr **tb, struct svr_path *path,
				 struct netlink_ext_ack *extack)
{
	if (tb[SVR_A_PATH_BFD_INTERVAL]) {
		u32 ms = nla_get_u32(tb[SVR_A_PATH_BFD_INTERVAL]);

		if (ms && (ms < SVR_BFD_INTERVAL_MIN ||
			   ms > SVR_BFD_INTERVAL_MAX)) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[SVR_A_PATH_BFD_INTERVAL],
					    "BFD interval is 0 (off) or 10-60000 ms");
			return -EINVAL;
		}
		path->bfd_interval = ms;
	}
	if (tb[SVR_A_PATH_BFD_MULTIPLIER])
		path->bfd_mult = nla_get_u32(tb[SVR_A_PATH_BFD_MULTIPLIER]);
	return 0;
}

/* The key of a path nest, and with @opts its options over @path. */
static int svr_nl_parse_path(struct nlattr *nest, struct svr_path *path,
			     bool opts, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SVR_A_PATH_MAX + 1];
	union svr_addr remote;
	u8 rfam;
	int ret;

	ret = nla_parse_nested(tb, SVR_A_PATH_MAX, nest, svr_path_policy,
			       extack);
	if (ret)
		return ret;
	path->family = svr_nl_addr(tb[SVR_A_PATH_LOCAL4], tb[SVR_A_PATH_LOCAL6],
				   &path->local);
	rfam = svr_nl_addr(tb[SVR_A_PATH_REMOTE4], tb[SVR_A_PATH_REMOTE6],
			   &remote);
	if (!path->family || (tb[SVR_A_PATH_LOCAL4] && tb[SVR_A_PATH_LOCAL6])) {
		NL_SET_ERR_ATTR_MISS(extack, nest, SVR_A_PATH_LOCAL4);
		NL_SET_ERR_MSG(extack, "path needs one local address");
		return -EINVAL;
	}
	if (!rfam || (tb[SVR_A_PATH_REMOTE4] && tb[SVR_A_PATH_REMOTE6])) {
		NL_SET_ERR_ATTR_MISS(extack, nest, SVR_A_PATH_REMOTE4);
		NL_SET_ERR_MSG(extack, "path needs one remote address");
		return -EINVAL;
	}
	if (rfam != path->family) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SVR_A_PATH_REMOTE4] ?:
				    tb[SVR_A_PATH_REMOTE6],
				    "path addresses of different families");
		return -EINVAL;
	}
	path->remote = remote;
	if (!opts)
		return 0;
	if (tb[SVR_A_PATH_COST])
		path->cost = nla_get_u32(tb[SVR_A_PATH_COST]);
	if (tb[SVR_A_PATH_NAME]) {
		ret = svr_nl_name(tb[SVR_A_PATH_NAME], path->name, true,
				  "invalid path name", extack);
		if (ret)
			return ret;
	}
	if (!!tb[SVR_A_PATH_PORT_LO] != !!tb[SVR_A_PATH_PORT_HI]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SVR_A_PATH_PORT_LO] ?:
				    tb[SVR_A_PATH_PORT_HI],
				    "path port range needs both ends");
		return -EINVAL;
	}
	if (tb[SVR_A_PATH_PORT_LO]) {
		path->port_lo = nla_get_u16(tb[SVR_A_PATH_PORT_LO]);
		path->port_hi = nla_get_u16(tb[SVR_A_PATH_PORT_HI]);
		if (path->port_hi < path->port_lo) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SVR_A_PATH_PORT_HI],
					    "port range is reversed");
			return -EINVAL;
		}
	}
	if (tb[SVR_A_PATH_ADMIN])
		path->admin = nla_get_u8(tb[SVR_A_PATH_ADMIN]);
	return svr_nl_parse_path_bfd(tb, path, extack);
}

static struct svr_path *svr_peer_path(struct svr_peer *peer,
				      const struct svr_path *key)
{
	struct svr_path *q;

	list_for_each_entry(q, &peer->paths, list)
		if (!q->dead && svr_path_eq(q, key))
			return q;
	return NULL;
}

/* Stage path changes: additions and replacements on @staged. */
static int svr_nl_stage_paths(struct genl_info *info, u8 op,
			      struct svr_peer *peer, struct list_head *staged,
			      int *delta)
{
	struct svr_path *path, *q, *s;
	struct nlattr *nest;
	int rem, ret;

	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != SVR_A_PEER_PATH)
			continue;
		path = kzalloc(sizeof(*path), GFP_KERNEL_ACCOUNT);
		if (!path)
			return -ENOMEM;
		ret = svr_nl_parse_path(nest, path, false, info->extack);
		if (ret)
			goto err;
		q = svr_peer_path(peer, path);
		list_for_each_entry(s, staged, list) {
			if (svr_path_eq(s, path)) {
				NL_SET_ERR_MSG_ATTR(info->extack, nest,
						    "duplicate path");
				ret = -EEXIST;
				goto err;
			}
		}
		if (op == SVR_OP_ADD && q) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest, "path exists");
			ret = -EEXIST;
			goto err;
		}
		if (op != SVR_OP_ADD && !q) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest, "no such path");
			ret = -ENOENT;
			goto err;
		}
		if (op == SVR_OP_DEL) {
			q->dead = true;
			(*delta)--;
			kfree(path);
			continue;
		}
		if (op == SVR_OP_SET) {
			*path = *q;
			path->replaces = q;
			svr_path_stats_get(path->stats);	/* shared */
		} else {
			path->stats = svr_path_stats_new();
			if (!path->stats) {
				ret = -ENOMEM;
				goto err;
			}
		}
		ret = svr_nl_parse_path(nest, path, true, info->extack);
		if (ret)
			goto err;
		if (op == SVR_OP_ADD &&
		    peer->n_paths + *delta + 1 > SVR_MAX_OBJ_PATHS) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "too many paths");
			ret = -ENOSPC;
			goto err;
		}
		list_add_tail(&path->list, staged);
		if (op == SVR_OP_ADD)
			(*delta)++;
	}
	return 0;
err:
	svr_path_free(path);
	return ret;
}

static void svr_paths_unstage(struct svr_peer *peer, struct list_head *staged)
{
	struct svr_path *path, *tmp;

	list_for_each_entry_safe(path, tmp, staged, list) {
		list_del(&path->list);
		svr_path_free(path);
	}
	list_for_each_entry(path, &peer->paths, list)
		path->dead = false;
}

static void svr_paths_commit(struct svr_peer *peer, struct list_head *staged)
{
	struct svr_path *path, *tmp;

	list_for_each_entry_safe(path, tmp, &peer->paths, list) {
		if (path->dead) {
			list_del_rcu(&path->list);
			svr_path_free_rcu(path);
		}
	}
	list_for_each_entry_safe(path, tmp, staged, list) {
		list_del(&path->list);
		if (path->replaces) {
			list_replace_rcu(&path->replaces->list, &path->list);
			svr_path_free_rcu(path->replaces);
			path->replaces = NULL;
		} else {
			list_add_tail_rcu(&path->list, &peer->paths);
		}
	}
}

static int svr_nl_peer_apply(struct svr_net *sn, struct genl_info *info,
			     struct svr_peer *peer, u8 op)
{
	struct svr_security *sec;
	LIST_HEAD(staged);
	int delta = 0, ret;

	ret = svr_nl_security_ref(sn, info->attrs[SVR_A_PEER_SECURITY],
				  rcu_dereference_protected(peer->security,
							    true),
				  &sec, info->extack);
	if (ret)
		return ret;
	ret = svr_nl_stage_paths(info, op, peer, &staged, &delta);
	if (ret) {
		svr_paths_unstage(peer, &staged);
		return ret;
	}
	svr_paths_commit(peer, &staged);
	peer->n_paths += delta;
	rcu_assign_pointer(peer->security, sec);
	return 0;
}

static struct svr_peer *svr_nl_peer_get(struct svr_net *sn,
					struct genl_info *info)
{
	struct svr_peer *peer;

	if (svr_nl_missing(info->extack, NULL, info->attrs, SVR_A_PEER_NAME,
			   "missing peer name"))
		return ERR_PTR(-EINVAL);
	peer = svr_nl_peer(sn, info->attrs[SVR_A_PEER_NAME], info->extack);
	return peer ?: ERR_PTR(-ENOENT);
}

static int svr_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SVR_A_PEER_NAME];
	struct svr_net *sn = svr_nl_sn(info);
	char name[SVR_NAME_MAX];
	struct svr_peer *peer;
	u8 op;
	int ret;

	if (svr_nl_missing(info->extack, NULL, info->attrs, SVR_A_PEER_NAME,
			   "missing peer name"))
		return -EINVAL;
	ret = svr_nl_name(attr, name, false, "invalid peer name",
			  info->extack);
	if (ret)
		return ret;
	ret = svr_nl_op(info, SVR_A_PEER_OP, true, &op);
	if (ret)
		return ret;
	peer = svr_peer_alloc(name);
	if (!peer)
		return -ENOMEM;

	mutex_lock(&sn->cfg_lock);
	if (sn->cfg->n.peers >= SVR_MAX_PEERS) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "too many peers");
		ret = -ENOSPC;
		goto err;
	}
	if (svr_peer_find(sn, name, strlen(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "peer exists");
		ret = -EEXIST;
		goto err;
	}
	ret = svr_nl_peer_apply(sn, info, peer, op);
	if (ret)
		goto err;
	ret = svr_peer_link(sn, peer);
	if (ret)
		goto err;
	svr_nl_notify(sn, SVR_CMD_PEER_ADD_NTF, svr_fill_peer, peer, NULL,
		      info);
	mutex_unlock(&sn->cfg_lock);
	return 0;

err:
	mutex_unlock(&sn->cfg_lock);
	svr_peer_free(peer);
	return ret;
}

static int svr_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_peer *peer;
	u8 op;
	int ret;

	ret = svr_nl_op(info, SVR_A_PEER_OP, false, &op);
	if (ret)
		return ret;
	mutex_lock(&sn->cfg_lock);
	peer = svr_nl_peer_get(sn, info);
	ret = PTR_ERR_OR_ZERO(peer);
	if (ret)
		goto out;
	ret = svr_nl_peer_apply(sn, info, peer, op);
	if (ret)
		goto out;
	svr_cfg_changed(sn);
	svr_nl_notify(sn, SVR_CMD_PEER_CHANGE_NTF, svr_fill_peer, peer, NULL,
		      info);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static bool svr_service_uses_peer(const struct svr_service *svc,
				  const struct svr_peer *peer)
{
	const struct svr_route *r;

	list_for_each_entry(r, &svc->route_list, list)
		if (r->nh.peer == peer)
			return true;
	return false;
}

/* Remove every route via @peer; all memory is found before anything moves. */
static int svr_nl_peer_unroute(struct svr_net *sn, struct svr_peer *peer)
{
	struct svr_service *svc;
	struct svr_routes **arr;
	struct svr_route *r, *tmp;
	u32 i = 0, n = 0;
	int ret = 0;

	list_for_each_entry(svc, &sn->cfg->service_list, list)
		n += svr_service_uses_peer(svc, peer);
	if (!n)
		return 0;
	arr = kvcalloc(n, sizeof(*arr), GFP_KERNEL_ACCOUNT);
	if (!arr)
		return -ENOMEM;
	list_for_each_entry(svc, &sn->cfg->service_list, list) {
		if (!svr_service_uses_peer(svc, peer))
			continue;
		arr[i] = svr_routes_build(svc, peer);
		if (IS_ERR(arr[i])) {
			ret = PTR_ERR(arr[i]);
			goto err;
		}
		i++;
	}
	i = 0;
	list_for_each_entry(svc, &sn->cfg->service_list, list) {
		if (!svr_service_uses_peer(svc, peer))
			continue;
		list_for_each_entry_safe(r, tmp, &svc->route_list, list) {
			if (r->nh.peer != peer)
				continue;
			list_del(&r->list);
			kfree(r);
			svc->n_routes--;
			sn->cfg->n.routes--;
		}
		svr_routes_publish(svc, arr[i++]);
	}
	kvfree(arr);
	return 0;

err:
	while (i--)
		kfree(arr[i]);
	kvfree(arr);
	return ret;
}

static int svr_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[SVR_A_PEER_FORCE]);
	struct nlattr *attr = info->attrs[SVR_A_PEER_NAME];
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_service *svc;
	struct svr_peer *peer;
	int ret;

	mutex_lock(&sn->cfg_lock);
	peer = svr_nl_peer_get(sn, info);
	ret = PTR_ERR_OR_ZERO(peer);
	if (ret)
		goto out;
	list_for_each_entry(svc, &sn->cfg->service_list, list) {
		if (!force && svr_service_uses_peer(svc, peer)) {
			svr_nl_busy(sn, info->extack, attr, "peer",
				    "a route of service", svc->name);
			ret = -EBUSY;
			goto out;
		}
	}
	ret = svr_nl_peer_unroute(sn, peer);
	if (ret)
		goto out;
	svr_nl_notify(sn, SVR_CMD_PEER_DEL_NTF, svr_fill_peer, peer, NULL,
		      info);
	svr_peer_unlink(sn, peer);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static int svr_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_peer *peer;
	int ret;

	mutex_lock(&sn->cfg_lock);
	peer = svr_nl_peer_get(sn, info);
	ret = PTR_ERR_OR_ZERO(peer);
	if (!ret)
		ret = svr_nl_reply(info, SVR_CMD_PEER_GET, svr_fill_peer, peer,
				   &svr_with_stats);
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

/* ---- routes ------------------------------------------------------------ */

static bool svr_nh_eq(const struct svr_nexthop *a, const struct svr_nexthop *b)
{
	return a->type == b->type && a->peer == b->peer &&
	       a->family == b->family &&
	       !memcmp(&a->gw, &b->gw, sizeof(a->gw)) &&
	       !strncmp(a->dev, b->dev, IFNAMSIZ);
}

/* The service and next hop of a route request. */
static int svr_nl_parse_route(struct svr_net *sn, struct genl_info *info,
			      struct svr_service **svcp,
			      struct svr_nexthop *nh)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct nlattr *gw4 = tb[SVR_A_ROUTE_GATEWAY4];
	struct nlattr *gw6 = tb[SVR_A_ROUTE_GATEWAY6];
	int ret;

	memset(nh, 0, sizeof(*nh));
	if (svr_nl_missing(extack, NULL, tb, SVR_A_ROUTE_SERVICE,
			   "missing route service") ||
	    svr_nl_missing(extack, NULL, tb, SVR_A_ROUTE_TYPE,
			   "missing route type"))
		return -EINVAL;
	*svcp = svr_nl_service(sn, tb[SVR_A_ROUTE_SERVICE], extack);
	if (!*svcp)
		return -ENOENT;
	nh->type = nla_get_u8(tb[SVR_A_ROUTE_TYPE]);
	if (tb[SVR_A_ROUTE_PEER] && nh->type != SVR_NH_PEER) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SVR_A_ROUTE_PEER],
				    "route peer only applies to peer routes");
		return -EINVAL;
	}
	if ((gw4 || gw6 || tb[SVR_A_ROUTE_DEV]) &&
	    nh->type != SVR_NH_GATEWAY) {
		NL_SET_ERR_MSG_ATTR(extack, gw4 ?: gw6 ?: tb[SVR_A_ROUTE_DEV],
				    "route gateway and device only apply to gateway routes");
		return -EINVAL;
	}
	if (nh->type == SVR_NH_PEER) {
		if (svr_nl_missing(extack, NULL, tb, SVR_A_ROUTE_PEER,
				   "missing route peer"))
			return -EINVAL;
		nh->peer = svr_nl_peer(sn, tb[SVR_A_ROUTE_PEER], extack);
		if (!nh->peer)
			return -ENOENT;
	}
	if (nh->type == SVR_NH_GATEWAY) {
		if (gw4 && gw6) {
			NL_SET_ERR_MSG_ATTR(extack, gw6,
					    "route has both an ipv4 and an ipv6 gateway");
			return -EINVAL;
		}
		nh->family = svr_nl_addr(gw4, gw6, &nh->gw);
		if (!nh->family) {
			NL_SET_ERR_ATTR_MISS(extack, NULL,
					     SVR_A_ROUTE_GATEWAY4);
			NL_SET_ERR_MSG(extack, "missing route gateway");
			return -EINVAL;
		}
		if (tb[SVR_A_ROUTE_DEV]) {
			ret = svr_nl_dev(tb[SVR_A_ROUTE_DEV], nh->dev, extack);
			if (ret)
				return ret;
		}
	}
	if (tb[SVR_A_ROUTE_COST])
		nh->cost = nla_get_u32(tb[SVR_A_ROUTE_COST]);
	return 0;
}

static struct svr_route *svr_service_route(struct svr_service *svc,
					   const struct svr_nexthop *nh)
{
	struct svr_route *r;

	list_for_each_entry(r, &svc->route_list, list)
		if (svr_nh_eq(&r->nh, nh))
			return r;
	return NULL;
}

static int svr_nl_route_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_service *svc;
	struct svr_nexthop nh;
	struct svr_route *r;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	mutex_lock(&sn->cfg_lock);
	ret = svr_nl_parse_route(sn, info, &svc, &nh);
	if (ret)
		goto err;
	if (svr_service_route(svc, &nh)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVR_A_ROUTE_TYPE],
				    "route exists");
		ret = -EEXIST;
		goto err;
	}
	if (svc->n_routes >= SVR_MAX_OBJ_ROUTES ||
	    sn->cfg->n.routes >= SVR_MAX_ROUTES) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SVR_A_ROUTE_SERVICE],
				    "too many routes");
		ret = -ENOSPC;
		goto err;
	}
	r->nh = nh;
	r->id = ++sn->cfg->next_id;
	list_add_tail(&r->list, &svc->route_list);
	ret = svr_service_routes_update(svc);
	if (ret) {
		list_del(&r->list);
		goto err;
	}
	svc->n_routes++;
	sn->cfg->n.routes++;
	svr_cfg_changed(sn);
	svr_nl_notify(sn, SVR_CMD_ROUTE_ADD_NTF, svr_fill_route, r, svc, info);
	mutex_unlock(&sn->cfg_lock);
	return 0;

err:
	mutex_unlock(&sn->cfg_lock);
	kfree(r);
	return ret;
}

static int svr_nl_route_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_routes *routes;
	struct svr_service *svc;
	struct svr_nexthop nh;
	struct svr_route *r;
	int ret;

	mutex_lock(&sn->cfg_lock);
	ret = svr_nl_parse_route(sn, info, &svc, &nh);
	if (ret)
		goto out;
	r = svr_service_route(svc, &nh);
	if (!r) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVR_A_ROUTE_TYPE],
				    "no such route");
		ret = -ENOENT;
		goto out;
	}
	list_del(&r->list);
	routes = svr_routes_build(svc, NULL);
	if (IS_ERR(routes)) {
		list_add(&r->list, &svc->route_list);
		ret = PTR_ERR(routes);
		goto out;
	}
	svr_routes_publish(svc, routes);
	svc->n_routes--;
	sn->cfg->n.routes--;
	svr_cfg_changed(sn);
	svr_nl_notify(sn, SVR_CMD_ROUTE_DEL_NTF, svr_fill_route, r, svc, info);
	kfree(r);
	svr_sessions_config_changed(sn);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

static int svr_nl_route_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_nl_sn(info);
	struct svr_service *svc;
	struct svr_nexthop nh;
	struct svr_route *r;
	int ret;

	mutex_lock(&sn->cfg_lock);
	ret = svr_nl_parse_route(sn, info, &svc, &nh);
	if (ret)
		goto out;
	r = svr_service_route(svc, &nh);
	if (!r) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVR_A_ROUTE_TYPE],
				    "no such route");
		ret = -ENOENT;
		goto out;
	}
	ret = svr_nl_reply(info, SVR_CMD_ROUTE_GET, svr_fill_route, r, svc);
out:
	mutex_unlock(&sn->cfg_lock);
	return ret;
}

/* ---- sessions (the session table implements them) ---------------------- */

static int svr_nl_session_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (svr_nl_missing(info->extack, NULL, info->attrs, SVR_A_SESSION_UUID,
			   "missing session uuid"))
		return -EINVAL;
	return svr_session_nl_get(skb, info);
}

static int svr_nl_session_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (svr_nl_missing(info->extack, NULL, info->attrs, SVR_A_SESSION_UUID,
			   "missing session uuid"))
		return -EINVAL;
	return svr_session_nl_del(skb, info);
}

/* ---- the family -------------------------------------------------------- */

#define SVR_OP_DO(c, fn, pol, max, fl)					\
	{ .cmd = (c), .doit = (fn), .policy = (pol), .maxattr = (max),	\
	  .flags = (fl) }
#define SVR_OP_GET(c, fn, dump, st, pol, max)				\
	{ .cmd = (c), .doit = (fn), .dumpit = (dump), .start = (st),	\
	  .policy = (pol), .maxattr = (max) }
#define SVR_ADMIN	GENL_UNS_ADMIN_PERM

static const struct genl_ops svr_genl_ops[] = {
	SVR_OP_DO(SVR_CMD_INFO_GET, svr_nl_info_get_doit, svr_empty_policy,
		  SVR_A_INFO_MAX, 0),
	SVR_OP_DO(SVR_CMD_STATS_GET, svr_nl_stats_get_doit, svr_stats_policy,
		  SVR_A_STATS_MAX, 0),
	SVR_OP_DO(SVR_CMD_ROUTER_GET, svr_nl_router_get_doit,
		  svr_router_policy, SVR_A_ROUTER_MAX, 0),
	SVR_OP_DO(SVR_CMD_ROUTER_SET, svr_nl_router_set_doit,
		  svr_router_policy, SVR_A_ROUTER_MAX, SVR_ADMIN),

	SVR_OP_DO(SVR_CMD_IFACE_NEW, svr_nl_iface_new_doit, svr_iface_policy,
		  SVR_A_IFACE_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_IFACE_SET, svr_nl_iface_set_doit, svr_iface_policy,
		  SVR_A_IFACE_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_IFACE_DEL, svr_nl_iface_del_doit, svr_iface_policy,
		  SVR_A_IFACE_MAX, SVR_ADMIN),
	SVR_OP_GET(SVR_CMD_IFACE_GET, svr_nl_iface_get_doit,
		   svr_nl_obj_dumpit, svr_nl_dump_start, svr_iface_policy,
		   SVR_A_IFACE_MAX),

	SVR_OP_DO(SVR_CMD_TENANT_NEW, svr_nl_tenant_new_doit,
		  svr_tenant_policy, SVR_A_TENANT_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_TENANT_SET, svr_nl_tenant_set_doit,
		  svr_tenant_policy, SVR_A_TENANT_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_TENANT_DEL, svr_nl_tenant_del_doit,
		  svr_tenant_policy, SVR_A_TENANT_MAX, SVR_ADMIN),
	SVR_OP_GET(SVR_CMD_TENANT_GET, svr_nl_tenant_get_doit,
		   svr_nl_obj_dumpit, svr_nl_dump_start, svr_tenant_policy,
		   SVR_A_TENANT_MAX),

	SVR_OP_DO(SVR_CMD_SECURITY_NEW, svr_nl_security_new_doit,
		  svr_security_policy, SVR_A_SECURITY_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_SECURITY_SET, svr_nl_security_set_doit,
		  svr_security_policy, SVR_A_SECURITY_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_SECURITY_DEL, svr_nl_security_del_doit,
		  svr_security_policy, SVR_A_SECURITY_MAX, SVR_ADMIN),
	SVR_OP_GET(SVR_CMD_SECURITY_GET, svr_nl_security_get_doit,
		   svr_nl_obj_dumpit, svr_nl_dump_start,
		   svr_security_policy, SVR_A_SECURITY_MAX),

	SVR_OP_DO(SVR_CMD_SERVICE_NEW, svr_nl_service_new_doit,
		  svr_service_policy, SVR_A_SERVICE_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_SERVICE_SET, svr_nl_service_set_doit,
		  svr_service_policy, SVR_A_SERVICE_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_SERVICE_DEL, svr_nl_service_del_doit,
		  svr_service_policy, SVR_A_SERVICE_MAX, SVR_ADMIN),
	SVR_OP_GET(SVR_CMD_SERVICE_GET, svr_nl_service_get_doit,
		   svr_nl_obj_dumpit, svr_nl_dump_start,
		   svr_service_policy, SVR_A_SERVICE_MAX),

	SVR_OP_DO(SVR_CMD_PEER_NEW, svr_nl_peer_new_doit, svr_peer_policy,
		  SVR_A_PEER_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_PEER_SET, svr_nl_peer_set_doit, svr_peer_policy,
		  SVR_A_PEER_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_PEER_DEL, svr_nl_peer_del_doit, svr_peer_policy,
		  SVR_A_PEER_MAX, SVR_ADMIN),
	SVR_OP_GET(SVR_CMD_PEER_GET, svr_nl_peer_get_doit, svr_nl_obj_dumpit,
		   svr_nl_dump_start, svr_peer_policy, SVR_A_PEER_MAX),

	SVR_OP_DO(SVR_CMD_ROUTE_NEW, svr_nl_route_new_doit, svr_route_policy,
		  SVR_A_ROUTE_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_ROUTE_DEL, svr_nl_route_del_doit, svr_route_policy,
		  SVR_A_ROUTE_MAX, SVR_ADMIN),
	SVR_OP_GET(SVR_CMD_ROUTE_GET, svr_nl_route_get_doit,
		   svr_nl_route_dumpit, svr_nl_dump_start,
		   svr_route_policy, SVR_A_ROUTE_MAX),

	{
		.cmd		= SVR_CMD_SESSION_GET,
		.doit		= svr_nl_session_get_doit,
		.dumpit		= svr_session_nl_dump,
		.start		= svr_session_nl_dump_start,
		.done		= svr_session_nl_dump_done,
		.policy		= svr_session_policy,
		.maxattr	= SVR_A_SESSION_MAX,
	},
	SVR_OP_DO(SVR_CMD_SESSION_DEL, svr_nl_session_del_doit,
		  svr_session_policy, SVR_A_SESSION_MAX, SVR_ADMIN),
	SVR_OP_DO(SVR_CMD_SESSION_FLUSH, svr_session_nl_flush,
		  svr_session_policy, SVR_A_SESSION_MAX, SVR_ADMIN),

	SVR_OP_GET(SVR_CMD_CONFIG_SAVE, NULL, svr_nl_save_dumpit,
		   svr_nl_save_start, svr_empty_policy, SVR_A_INFO_MAX),
};

static const struct genl_multicast_group svr_mcgrps[] = {
	{ .name = SVR_MCGRP_CONFIG },
	{ .name = SVR_MCGRP_SESSIONS },
};

struct genl_family svr_genl_family __ro_after_init = {
	.name		= SVR_GENL_NAME,
	.version	= SVR_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= svr_genl_ops,
	.n_ops		= ARRAY_SIZE(svr_genl_ops),
	.resv_start_op	= 0,
	.mcgrps		= svr_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(svr_mcgrps),
};

int __init svr_genl_init(void)
{
	return genl_register_family(&svr_genl_family);
}

void svr_genl_uninit(void)
{
	genl_unregister_family(&svr_genl_family);
}
