/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration model, per netns: router settings, managed interfaces,
 * tenants, security policies and keys, services, peers and paths, routes.
 *
 * Writers (netlink, the netdevice notifier) hold sn->cfg_lock. Readers on
 * the packet path use the lookups below under rcu_read_lock(): they never
 * lock, never allocate and answer in a bounded number of steps. A pointer
 * returned by a lookup is valid until rcu_read_unlock(); to keep an object
 * longer, take a reference with the matching _get() (which fails once the
 * object has been deleted) and drop it with _put().
 */
#ifndef _SVR_CONFIG_H
#define _SVR_CONFIG_H

#include <linux/if.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <uapi/linux/svr.h>

#include "crypto.h"

struct svr_net;

union svr_addr {
	__be32		ip;
	struct in6_addr	ip6;
};

/* Router-wide settings: replaced as a whole (copy, publish, free by RCU). */
struct svr_router {
	struct rcu_head	rcu;
	char		name[SVR_NAME_MAX];
	u32		session_limit;
	u32		timeout_tcp_est;	/* seconds */
	u32		timeout_tcp_close;
	u32		timeout_udp;
	u32		timeout_icmp;
	u16		wayport_lo;
	u16		wayport_hi;
	u32		icmp_rate;		/* ICMP errors per second */
	u32		keepalive;		/* seconds, 0: off */
	bool		direct_xmit;		/* svr_pass() */
};

struct svr_tenant {
	struct rhash_head	hnode;		/* cfg->tenants, by name */
	struct list_head	list;		/* cfg->tenant_list (cfg_lock) */
	struct list_head	prefixes;	/* struct svr_prefix (cfg_lock) */
	struct list_head	fib_ents;	/* struct svr_fib_ent (cfg_lock) */
	refcount_t		ref;
	u32			n_prefixes;
	u64			id;		/* creation order, dump cursor */
	struct rcu_head		rcu;
	u8			name_len;
	char			name[SVR_NAME_MAX];	/* key, zero padded */
};

/* A managed interface, by device name; bound to the device of that name. */
struct svr_iface {
	struct rhash_head	hnode;		/* cfg->ifaces, by name */
	struct hlist_node	idx_node;	/* cfg->iface_idx while bound */
	struct list_head	list;		/* cfg->iface_list (cfg_lock) */
	struct svr_tenant __rcu	*tenant;	/* NULL: none */
	int			ifindex;	/* 0: no such device now */
	bool			snat;		/* NAPT to the device address */
	u64			id;
	struct rcu_head		rcu;
	char			name[IFNAMSIZ];	/* key, zero padded */
};

struct svr_key {
	struct rhash_head	hnode;		/* cfg->keys, by id */
	struct list_head	list;		/* policy->keys (RCU) */
	struct svr_security	*policy;
	u32			id;
	u8			cipher_key_len;	/* 0, 16 or 32 */
	u8			cipher_key[SVR_CIPHER_KEY_MAX];
	u8			hmac_key_len;	/* 0 or 32 */
	u8			hmac_key[SVR_HMAC_KEY_LEN];
	u8			fingerprint[SVR_FINGERPRINT_LEN];
	unsigned long		added;		/* jiffies, when linked */
	struct svr_key_crypto	crypto;		/* crypto.c, set before linking */
	struct rcu_head		rcu;
};

struct svr_security {
	struct rhash_head	hnode;		/* cfg->secs, by name */
	struct list_head	list;		/* cfg->sec_list (cfg_lock) */
	struct list_head	keys;		/* struct svr_key (RCU) */
	refcount_t		ref;
	u8			cipher;		/* enum svr_cipher */
	u8			hmac;		/* enum svr_hmac */
	u8			hmac_mode;	/* enum svr_hmac_mode */
	bool			drivers_logged;	/* crypto.c (cfg_lock) */
	u32			n_keys;
	u64			id;
	struct rcu_head		rcu;
	char			name[SVR_NAME_MAX];
};

/* A prefix of a tenant or a service (cfg_lock). */
struct svr_prefix {
	struct list_head	list;
	u8			family;		/* AF_INET, AF_INET6 */
	u8			plen;
	union svr_addr		addr;		/* masked */
	char			dev[IFNAMSIZ];	/* "" = any (tenants only) */
	bool			dead;		/* being removed */
};

/* A service's transport (cfg_lock). */
struct svr_transport {
	struct list_head	list;
	u8			proto;		/* enum svr_proto */
	u16			port_lo;	/* 0: no ports */
	u16			port_hi;
	bool			dead;		/* being removed */
};

enum svr_access {
	SVR_ACCESS_NOT_LISTED,
	SVR_ACCESS_ALLOW,
	SVR_ACCESS_DENY,
};

struct svr_access_ent {
	struct list_head	list;		/* service->access (RCU) */
	struct svr_tenant	*tenant;	/* NULL: the global tenant */
	u8			action;		/* enum svr_access_action */
	bool			dead;		/* being removed (cfg_lock) */
	struct rcu_head		rcu;
};

struct svr_peer;

/* One next hop of a service, as the packet path sees it. */
struct svr_nexthop {
	u8			type;		/* enum svr_nh_type */
	u8			family;		/* gateway: AF_INET(6), else 0 */
	struct svr_peer		*peer;		/* SVR_NH_PEER */
	union svr_addr		gw;		/* SVR_NH_GATEWAY */
	char			dev[IFNAMSIZ];	/* gateway: "" or a device */
	u32			cost;
};

/* A service's next hops sorted by cost (stable: creation order on ties). */
struct svr_routes {
	struct rcu_head		rcu;
	u32			n;
	struct svr_nexthop	nh[];
};

/* A configured route (cfg_lock); svc->routes is built from these. */
struct svr_route {
	struct list_head	list;		/* service->route_list */
	struct svr_nexthop	nh;
	u64			id;
};

struct svr_service {
	struct rhash_head	hnode;		/* cfg->services, by name */
	struct list_head	list;		/* cfg->service_list (cfg_lock) */
	struct list_head	prefixes;	/* struct svr_prefix (cfg_lock) */
	struct list_head	transports;	/* struct svr_transport */
	struct list_head	access;		/* struct svr_access_ent (RCU) */
	struct list_head	route_list;	/* struct svr_route (cfg_lock) */
	struct list_head	fib_ents;	/* struct svr_fib_ent (cfg_lock) */
	struct svr_routes __rcu	*routes;	/* NULL: no route */
	struct svr_security __rcu *security;	/* payload encryption */
	refcount_t		ref;
	u32			timeout;	/* idle seconds, 0: default */
	u32			n_prefixes;
	u32			n_transports;
	u32			n_access;
	u32			n_routes;
	u64			id;
	struct rcu_head		rcu;
	u8			name_len;
	char			name[SVR_NAME_MAX];
};

/* A path's BFD session (bfd.c), under ->lock. */
struct svr_bfd {
	spinlock_t		lock;		/* the members below */
	u8			state;		/* enum svr_bfd_state */
	u8			remote_state;
	u8			diag;
	u8			remote_mult;
	bool			send_now;
	bool			flipped;	/* to or from up: bump gen */
	__be16			peer_port;	/* 0: not heard from */
	union svr_addr		peer_addr;	/* where its packets come from */
	u32			my_disc;
	u32			your_disc;
	u32			remote_min_tx;	/* us */
	u32			stamp;		/* gen of the last table with it */
	unsigned long		last_rx;	/* jiffies */
	unsigned long		next_tx;
	atomic64_t		tx;
	atomic64_t		rx;
	atomic64_t		downs;
};

/*
 * A path's counters: shared by the versions of a path (a `peer path set`
 * replaces the object) and referenced by the sessions on it. Its BFD
 * session lives here too.
 */
struct svr_path_stats {
	refcount_t		ref;
	atomic_t		sessions;
	atomic64_t		tx_packets;
	atomic64_t		tx_bytes;
	atomic64_t		rx_packets;
	atomic64_t		rx_bytes;
	atomic64_t		md_sent;
	atomic64_t		md_rcvd;
	struct svr_bfd		bfd;
	struct rcu_head		rcu;
};

struct svr_path {
	struct list_head	list;		/* peer->paths (RCU) */
	struct svr_path_stats	*stats;		/* a reference */
	u8			family;
	u8			admin;		/* enum svr_admin */
	union svr_addr		local;		/* our waypoint */
	union svr_addr		remote;		/* the peer's waypoint */
	u32			cost;
	u16			port_lo;	/* 0: the router's wayports */
	u16			port_hi;
	char			name[SVR_NAME_MAX];	/* "": egress device */
	u32			bfd_interval;	/* ms, 0: no BFD */
	u32			bfd_mult;	/* 0: the default */
	struct rcu_head		rcu;
	/* Staging of a request (cfg_lock). */
	bool			dead;
	struct svr_path		*replaces;
};

struct svr_peer {
	struct rhash_head	hnode;		/* cfg->peers, by name */
	struct list_head	list;		/* cfg->peer_list (cfg_lock) */
	struct list_head	paths;		/* struct svr_path (RCU) */
	struct svr_security __rcu *security;	/* NULL: clear metadata */
	refcount_t		ref;
	u32			n_paths;
	u64			id;
	struct rcu_head		rcu;
	u8			name_len;
	char			name[SVR_NAME_MAX];
};

/**
 * svr_path_usable - may sessions use @path
 * @path: a peer path
 *
 * Administratively up and, with BFD on it, its BFD session up.
 * Context: rcu_read_lock().
 */
static inline bool svr_path_usable(const struct svr_path *path)
{
	return path->admin == SVR_ADMIN_UP &&
	       (!path->bfd_interval ||
		(path->stats &&
		 READ_ONCE(path->stats->bfd.state) == SVR_BFD_UP));
}

/* Counts against the per-netns limits (uapi SVR_MAX_*), under cfg_lock. */
struct svr_cfg_counts {
	u32	ifaces, tenants, secs, keys, services, peers, routes, prefixes;
	u32	fib_ents;
};

struct svr_fib;

struct svr_config {
	struct svr_router __rcu	*router;
	struct rhashtable	ifaces;
	struct rhashtable	tenants;
	struct rhashtable	secs;
	struct rhashtable	keys;
	struct rhashtable	services;
	struct rhashtable	peers;
	struct list_head	iface_list;
	struct list_head	tenant_list;
	struct list_head	sec_list;
	struct list_head	service_list;
	struct list_head	peer_list;
	struct hlist_head	iface_idx[256];	/* bound ifaces, by ifindex */
	struct svr_fib		*fib;
	struct svr_cfg_counts	n;
	u64			next_id;
	/* Bumped on every change: dumps put it in cb->seq. */
	u32			gen;
	/*
	 * Texts of "in use by NAME" errors: extack keeps a pointer until the
	 * ack is sent, after cfg_lock is dropped, so a slot is reused only
	 * after as many further such errors as there are slots.
	 */
	u32			busy_next;
	char			busy_msg[16][128];
};

/**
 * svr_iface_lookup - a managed interface by ifindex
 * @sn: the netns's svr state
 * @ifindex: the device's ifindex
 *
 * Context: rcu_read_lock(). Read ->tenant with rcu_dereference().
 * Return: the interface, or NULL when svr does not manage the device.
 */
struct svr_iface *svr_iface_lookup(struct svr_net *sn, int ifindex);

/**
 * svr_tenant_classify - the tenant of a first packet without metadata
 * @sn: the netns's svr state
 * @in: the ingress interface, or NULL
 * @family: AF_INET or AF_INET6
 * @saddr: the source address (__be32 or struct in6_addr)
 *
 * Precedence (SVR §5.2): the interface's tenant, except that a tenant
 * prefix may select a descendant of the interface's tenant (longest prefix
 * wins); without an interface tenant, the tenant of the longest matching
 * source prefix (a prefix limited to a device only matches on it).
 *
 * Context: rcu_read_lock().
 * Return: the tenant, or NULL for the global tenant.
 */
struct svr_tenant *svr_tenant_classify(struct svr_net *sn,
				       const struct svr_iface *in, u8 family,
				       const void *saddr);

/**
 * svr_tenant_find - a tenant by name (e.g. from metadata)
 * @sn: the netns's svr state
 * @name: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * Context: rcu_read_lock().
 * Return: the tenant, or NULL (also for "global" and invalid lengths).
 */
struct svr_tenant *svr_tenant_find(struct svr_net *sn, const char *name,
				   size_t len);

/**
 * svr_tenant_within - whether @t is @anc or one of its descendants
 * @t: a tenant, NULL for the global tenant
 * @anc: a tenant, NULL for the global tenant
 *
 * "eng.acme" is within "acme"; the global tenant only within itself.
 */
bool svr_tenant_within(const struct svr_tenant *t,
		       const struct svr_tenant *anc);

/**
 * svr_fib_lookup - the service for a first packet
 * @sn: the netns's svr state
 * @t: the classified tenant, NULL for the global tenant
 * @family: AF_INET or AF_INET6
 * @daddr: the destination address
 * @proto: the IP protocol (ICMPv6 matches icmp transports)
 * @dport: the destination port in host order (ignored but for tcp/udp)
 *
 * Precedence (SVR §5.3), among the services whose access list admits @t:
 * (1) entries with a port range containing @dport and the protocol, by
 * longest prefix (at one length a single port beats a range); (2) entries
 * of the protocol without ports, by longest prefix; (3) entries of any
 * protocol, by longest prefix.
 *
 * When no service admits @t, the same precedence over all services is
 * used, so the caller can tell "denied/not allowed" (check the result with
 * svr_service_access()) from "no service" (NULL).
 *
 * Cost: at most four hash probes per prefix length in use (33 for IPv4,
 * 129 for IPv6), each walking the services that share exactly that prefix,
 * protocol and port.
 *
 * Context: rcu_read_lock().
 * Return: the service, or NULL on a FIB miss.
 */
struct svr_service *svr_fib_lookup(struct svr_net *sn,
				   const struct svr_tenant *t, u8 family,
				   const void *daddr, u8 proto, u16 dport);

/**
 * svr_service_access - may tenant @t use @svc
 * @svc: the service
 * @t: the tenant, NULL for the global tenant
 *
 * An entry for @t or any ancestor counts ("allow acme" admits
 * "eng.acme"; "global" admits the global tenant only). A deny entry at
 * any such level wins over every allow.
 *
 * Context: rcu_read_lock().
 * Return: SVR_ACCESS_ALLOW, SVR_ACCESS_DENY (explicitly denied: stay
 * silent) or SVR_ACCESS_NOT_LISTED.
 */
enum svr_access svr_service_access(const struct svr_service *svc,
				   const struct svr_tenant *t);

/**
 * svr_service_find - a service by name (e.g. from metadata)
 * @sn: the netns's svr state
 * @name: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * Context: rcu_read_lock().
 * Return: the service or NULL.
 */
struct svr_service *svr_service_find(struct svr_net *sn, const char *name,
				     size_t len);

/**
 * svr_service_routes - a service's next hops, sorted by cost
 * @svc: the service
 *
 * Context: rcu_read_lock(). The array is replaced, never changed, on a
 * route change; a peer next hop's ->peer stays valid in the RCU section.
 * Return: the next hops, or NULL when the service has no route.
 */
static inline struct svr_routes *svr_service_routes(struct svr_service *svc)
{
	return rcu_dereference(svc->routes);
}

/**
 * svr_service_security - a service's payload security policy, or NULL
 * @svc: the service
 *
 * Context: rcu_read_lock().
 */
static inline struct svr_security *
svr_service_security(struct svr_service *svc)
{
	return rcu_dereference(svc->security);
}

/**
 * svr_peer_find - a peer by its router name
 * @sn: the netns's svr state
 * @name: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * Walk its paths with list_for_each_entry_rcu(path, &peer->paths, list);
 * its security policy is rcu_dereference(peer->security).
 *
 * Context: rcu_read_lock().
 * Return: the peer or NULL.
 */
struct svr_peer *svr_peer_find(struct svr_net *sn, const char *name,
			       size_t len);

/**
 * svr_key_lookup - a key by its id (TLV 16), with ->policy its policy
 * @sn: the netns's svr state
 * @id: the key id
 *
 * Context: rcu_read_lock().
 * Return: the key or NULL.
 */
struct svr_key *svr_key_lookup(struct svr_net *sn, u32 id);

/*
 * References for holders beyond an RCU section (sessions). _get() must be
 * called under rcu_read_lock() on a pointer from a lookup and returns
 * false once the object has been deleted; _put() may be called anywhere
 * (the object is then freed after a grace period).
 */
bool svr_tenant_get(struct svr_tenant *t);
void svr_tenant_put(struct svr_tenant *t);
bool svr_service_get(struct svr_service *svc);
void svr_service_put(struct svr_service *svc);
bool svr_peer_get(struct svr_peer *peer);
void svr_peer_put(struct svr_peer *peer);
bool svr_security_get(struct svr_security *sec);
void svr_security_put(struct svr_security *sec);

/**
 * svr_sessions_config_changed - end the sessions the config no longer allows
 * @sn: the netns's svr state
 *
 * Called with cfg_lock held, after any change that can revoke access (a
 * service deleted or changed, an access entry or tenant removed, an
 * interface unmanaged or its tenant changed, a route or peer removed).
 * Implemented by the session table (kernel/session_stub.c until then).
 */
void svr_sessions_config_changed(struct svr_net *sn);

/* Module and per-netns lifetime (main.c). */
int svr_config_init(void);
void svr_config_exit(void);
int svr_config_notifier_register(void);
void svr_config_notifier_unregister(void);
int svr_config_net_init(struct svr_net *sn);
void svr_config_net_exit(struct svr_net *sn);

/* ---- Internal: for netlink.c and fib.c; cfg_lock held. ----------------- */

/* Entries of the service FIB of all services together. */
#define SVR_MAX_FIB_ENTS	(1U << 20)

struct svr_iface *svr_iface_find(struct svr_net *sn, const char *name);
struct svr_security *svr_security_find(struct svr_net *sn, const char *name);

struct svr_tenant *svr_tenant_alloc(const char *name);
struct svr_service *svr_service_alloc(const char *name);
struct svr_peer *svr_peer_alloc(const char *name);
struct svr_security *svr_security_alloc(const char *name);
struct svr_iface *svr_iface_alloc(const char *name);
/* Free an object that was never linked. */
void svr_tenant_free(struct svr_tenant *t);
void svr_service_free(struct svr_service *svc);
void svr_peer_free(struct svr_peer *peer);
struct svr_path_stats *svr_path_stats_new(void);
struct svr_path_stats *svr_path_stats_get(struct svr_path_stats *ps);
void svr_path_stats_put(struct svr_path_stats *ps);
void svr_path_free(struct svr_path *path);
void svr_path_free_rcu(struct svr_path *path);
void svr_security_free(struct svr_security *sec);

/* Link a new object: name hash and list. -EEXIST, -ENOMEM. */
int svr_tenant_link(struct svr_net *sn, struct svr_tenant *t);
int svr_service_link(struct svr_net *sn, struct svr_service *svc);
int svr_peer_link(struct svr_net *sn, struct svr_peer *peer);
int svr_security_link(struct svr_net *sn, struct svr_security *sec);
int svr_iface_link(struct svr_net *sn, struct svr_iface *ifc);
/* Unpublish and drop the config's reference. */
void svr_tenant_unlink(struct svr_net *sn, struct svr_tenant *t);
void svr_service_unlink(struct svr_net *sn, struct svr_service *svc);
void svr_peer_unlink(struct svr_net *sn, struct svr_peer *peer);
void svr_security_unlink(struct svr_net *sn, struct svr_security *sec);
void svr_iface_unlink(struct svr_net *sn, struct svr_iface *ifc);

void svr_iface_bind(struct svr_net *sn, struct svr_iface *ifc, int ifindex);
void svr_iface_unbind(struct svr_net *sn, struct svr_iface *ifc);

/* Keys: link into the policy and the per-netns id table. */
struct svr_key *svr_key_alloc(void);
void svr_key_free(struct svr_key *key);
int svr_key_link(struct svr_net *sn, struct svr_security *sec,
		 struct svr_key *key);
void svr_key_unlink(struct svr_net *sn, struct svr_key *key);
void svr_key_fingerprint(struct svr_key *key);

/* Rebuild svc->routes from svc->route_list. */
int svr_service_routes_update(struct svr_service *svc);
/* The same in two steps, leaving out routes via @skip (may be NULL). */
struct svr_routes *svr_routes_build(struct svr_service *svc,
				    const struct svr_peer *skip);
void svr_routes_publish(struct svr_service *svc, struct svr_routes *routes);

/* Swap an object's FIB entries for ones built from its current parts. */
int svr_tenant_fib_update(struct svr_net *sn, struct svr_tenant *t);
int svr_service_fib_update(struct svr_net *sn, struct svr_service *svc);

void svr_cfg_changed(struct svr_net *sn);

/* Notifications (netlink.c); @info may be NULL. */
struct genl_info;
void svr_nl_notify_iface(struct svr_net *sn, struct svr_iface *ifc, u8 cmd,
			 struct genl_info *info);

/* In-module self-tests (module parameter selftest=1). */
int svr_config_selftest(void);
int svr_fib_init(void);
void svr_fib_exit(void);

#endif /* _SVR_CONFIG_H */
