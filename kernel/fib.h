/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prefix tables shared by tenant classification and the service FIB.
 *
 * One rhashtable per netns holds nodes keyed by (family, prefix length,
 * kind, protocol, port, masked address); a bitmap per (family, kind) says
 * which prefix lengths have nodes, so a lookup probes only those, longest
 * first. Each node holds the entries (tenant or service) of that exact key
 * on an RCU hlist. Writers hold cfg_lock.
 */
#ifndef _SVR_FIB_H
#define _SVR_FIB_H

#include "config.h"

enum svr_fib_kind {
	SVR_FIB_TENANT,		/* tenant source prefix */
	SVR_FIB_PORT,		/* service: protocol + one port */
	SVR_FIB_RANGE,		/* service: protocol + a port range */
	SVR_FIB_PROTO,		/* service: protocol, no ports */
	SVR_FIB_ANY,		/* service: any protocol */
	__SVR_FIB_KIND_MAX
};

struct svr_fib_key {
	u8		family;
	u8		plen;
	u8		kind;
	u8		proto;
	u16		port;
	u16		pad;		/* zero: the key is hashed as bytes */
	union svr_addr	addr;
};

struct svr_fib_node;

struct svr_fib_ent {
	struct hlist_node	hnode;		/* node->ents (RCU) */
	struct list_head	owner;		/* the owner's fib_ents */
	struct svr_fib_node	*node;
	void			*obj;		/* tenant or service */
	u16			port_lo;	/* SVR_FIB_RANGE */
	u16			port_hi;
	char			dev[IFNAMSIZ];	/* SVR_FIB_TENANT: "" = any */
	struct rcu_head		rcu;
};

int svr_fib_net_init(struct svr_config *cfg);
void svr_fib_net_exit(struct svr_config *cfg);

/*
 * Prepare an entry (allocate it and the node) without publishing it:
 * appended to @list. Then either svr_fib_commit() or svr_fib_release().
 */
int svr_fib_prepare(struct svr_config *cfg, const struct svr_fib_key *key,
		    void *obj, u16 lo, u16 hi, const char *dev,
		    struct list_head *list);
/* Publish every entry of @list (infallible). */
void svr_fib_commit(struct list_head *list);
/* Unpublish and free (after a grace period) every entry of @list. */
void svr_fib_release(struct svr_config *cfg, struct list_head *list);

/* Build a tenant's / service's entries from its prefixes (and transports). */
int svr_fib_build_tenant(struct svr_config *cfg, struct svr_tenant *t,
			 struct list_head *list);
int svr_fib_build_service(struct svr_config *cfg, struct svr_service *svc,
			  struct list_head *list);

void svr_addr_mask(u8 family, union svr_addr *a, u8 plen);

int svr_fib_selftest(void);

#endif /* _SVR_FIB_H */
