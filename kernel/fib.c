// SPDX-License-Identifier: GPL-2.0
/*
 * Prefix tables: tenant classification by source prefix and the service
 * FIB by destination prefix, protocol and port (SVR §5.2, §5.3).
 *
 * A lookup probes, longest length first, only the prefix lengths that have
 * nodes (a bitmap per family and kind), so its cost depends on the lengths
 * in use, not on the number of services. Adding a service creates its
 * entries (prefixes x transports) without touching anyone else's.
 */
#include <linux/bitmap.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "svr.h"
#include "fib.h"

#define SVR_PLEN_SLOTS	129	/* prefix lengths 0..128 */

struct svr_fib_node {
	struct rhash_head	hnode;
	struct svr_fib_key	key;
	struct hlist_head	ents;		/* struct svr_fib_ent (RCU) */
	u32			users;		/* entries, prepared or not */
	struct rcu_head		rcu;
};

struct svr_fib {
	struct rhashtable	nodes;
	u32		count[2][__SVR_FIB_KIND_MAX][SVR_PLEN_SLOTS];
	unsigned long	lens[2][__SVR_FIB_KIND_MAX][BITS_TO_LONGS(SVR_PLEN_SLOTS)];
};

static const struct rhashtable_params svr_fib_params = {
	.key_len		= sizeof(struct svr_fib_key),
	.key_offset		= offsetof(struct svr_fib_node, key),
	.head_offset		= offsetof(struct svr_fib_node, hnode),
	.automatic_shrinking	= true,
};

static struct kmem_cache *svr_fib_ent_cache __read_mostly;

static int svr_fam_idx(u8 family)
{
	return family == AF_INET6;
}

static int svr_fam_maxlen(u8 family)
{
	return family == AF_INET6 ? 128 : 32;
}

void svr_addr_mask(u8 family, union svr_addr *a, u8 plen)
{
	int i;

	if (family == AF_INET) {
		a->ip &= plen ? htonl(~0U << (32 - plen)) : 0;
		return;
	}
	for (i = 0; i < 4; i++, plen = plen > 32 ? plen - 32 : 0) {
		if (plen >= 32)
			continue;
		a->ip6.s6_addr32[i] &= plen ? htonl(~0U << (32 - plen)) : 0;
	}
}

int svr_fib_net_init(struct svr_config *cfg)
{
	struct svr_fib *fib;
	int ret;

	fib = kzalloc(sizeof(*fib), GFP_KERNEL_ACCOUNT);
	if (!fib)
		return -ENOMEM;
	ret = rhashtable_init(&fib->nodes, &svr_fib_params);
	if (ret) {
		kfree(fib);
		return ret;
	}
	cfg->fib = fib;
	return 0;
}

/* Every entry has been released by then: the table is empty. */
void svr_fib_net_exit(struct svr_config *cfg)
{
	rhashtable_destroy(&cfg->fib->nodes);
	kfree(cfg->fib);
	cfg->fib = NULL;
}

static void svr_fib_ent_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(svr_fib_ent_cache,
			container_of(head, struct svr_fib_ent, rcu));
}

static struct svr_fib_node *svr_fib_node_get(struct svr_fib *fib,
					     const struct svr_fib_key *key)
{
	struct svr_fib_node *node;
	int ret, f = svr_fam_idx(key->family);

	node = rhashtable_lookup_fast(&fib->nodes, key, svr_fib_params);
	if (node) {
		node->users++;
		return node;
	}
	node = kzalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);
	if (!node)
		return ERR_PTR(-ENOMEM);
	node->key = *key;
	node->users = 1;
	INIT_HLIST_HEAD(&node->ents);
	ret = rhashtable_insert_fast(&fib->nodes, &node->hnode,
				     svr_fib_params);
	if (ret) {
		kfree(node);
		return ERR_PTR(ret);
	}
	if (!fib->count[f][key->kind][key->plen]++)
		set_bit(key->plen, fib->lens[f][key->kind]);
	return node;
}

static void svr_fib_node_put(struct svr_fib *fib, struct svr_fib_node *node)
{
	int f = svr_fam_idx(node->key.family);

	if (--node->users)
		return;
	rhashtable_remove_fast(&fib->nodes, &node->hnode, svr_fib_params);
	if (!--fib->count[f][node->key.kind][node->key.plen])
		clear_bit(node->key.plen, fib->lens[f][node->key.kind]);
	kfree_rcu(node, rcu);
}

int svr_fib_prepare(struct svr_config *cfg, const struct svr_fib_key *key,
		    void *obj, u16 lo, u16 hi, const char *dev,
		    struct list_head *list)
{
	struct svr_fib_node *node;
	struct svr_fib_ent *e;

	if (cfg->n.fib_ents >= SVR_MAX_FIB_ENTS)
		return -ENOSPC;
	e = kmem_cache_zalloc(svr_fib_ent_cache, GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	node = svr_fib_node_get(cfg->fib, key);
	if (IS_ERR(node)) {
		kmem_cache_free(svr_fib_ent_cache, e);
		return PTR_ERR(node);
	}
	INIT_HLIST_NODE(&e->hnode);
	e->node = node;
	e->obj = obj;
	e->port_lo = lo;
	e->port_hi = hi;
	if (dev)
		strscpy(e->dev, dev, sizeof(e->dev));
	list_add_tail(&e->owner, list);
	cfg->n.fib_ents++;
	return 0;
}

void svr_fib_commit(struct list_head *list)
{
	struct svr_fib_ent *e;

	/* Tail: among equal keys the older entry stays first. */
	list_for_each_entry(e, list, owner) {
		struct hlist_node *last = NULL, *n;

		hlist_for_each(n, &e->node->ents)
			last = n;
		if (last)
			hlist_add_behind_rcu(&e->hnode, last);
		else
			hlist_add_head_rcu(&e->hnode, &e->node->ents);
	}
}

void svr_fib_release(struct svr_config *cfg, struct list_head *list)
{
	struct svr_fib_ent *e, *tmp;

	list_for_each_entry_safe(e, tmp, list, owner) {
		if (!hlist_unhashed(&e->hnode))
			hlist_del_rcu(&e->hnode);
		list_del(&e->owner);
		svr_fib_node_put(cfg->fib, e->node);
		cfg->n.fib_ents--;
		call_rcu(&e->rcu, svr_fib_ent_free_rcu);
	}
}

static void svr_fib_key_init(struct svr_fib_key *key,
			     const struct svr_prefix *p, u8 kind)
{
	memset(key, 0, sizeof(*key));
	key->family = p->family;
	key->plen = p->plen;
	key->kind = kind;
	key->addr = p->addr;
}

int svr_fib_build_tenant(struct svr_config *cfg, struct svr_tenant *t,
			 struct list_head *list)
{
	struct svr_fib_key key;
	struct svr_prefix *p;
	int ret;

	list_for_each_entry(p, &t->prefixes, list) {
		if (p->dead)
			continue;
		svr_fib_key_init(&key, p, SVR_FIB_TENANT);
		ret = svr_fib_prepare(cfg, &key, t, 0, 0, p->dev, list);
		if (ret)
			goto err;
	}
	return 0;
err:
	svr_fib_release(cfg, list);
	return ret;
}

static int svr_fib_prepare_transport(struct svr_config *cfg,
				     struct svr_service *svc,
				     const struct svr_prefix *p,
				     const struct svr_transport *tr,
				     struct list_head *list)
{
	struct svr_fib_key key;
	u16 lo = 0, hi = 0;

	if (!tr || tr->proto == SVR_PROTO_ANY) {
		svr_fib_key_init(&key, p, SVR_FIB_ANY);
	} else if (!tr->port_lo) {
		svr_fib_key_init(&key, p, SVR_FIB_PROTO);
		key.proto = tr->proto;
	} else if (tr->port_lo == tr->port_hi) {
		svr_fib_key_init(&key, p, SVR_FIB_PORT);
		key.proto = tr->proto;
		key.port = tr->port_lo;
	} else {
		svr_fib_key_init(&key, p, SVR_FIB_RANGE);
		key.proto = tr->proto;
		lo = tr->port_lo;
		hi = tr->port_hi;
	}
	return svr_fib_prepare(cfg, &key, svc, lo, hi, NULL, list);
}

int svr_fib_build_service(struct svr_config *cfg, struct svr_service *svc,
			  struct list_head *list)
{
	struct svr_transport *tr;
	struct svr_prefix *p;
	bool any_tr;
	int ret;

	list_for_each_entry(p, &svc->prefixes, list) {
		if (p->dead)
			continue;
		any_tr = false;
		list_for_each_entry(tr, &svc->transports, list) {
			if (tr->dead)
				continue;
			any_tr = true;
			ret = svr_fib_prepare_transport(cfg, svc, p, tr, list);
			if (ret)
				goto err;
		}
		if (!any_tr) {
			ret = svr_fib_prepare_transport(cfg, svc, p, NULL, list);
			if (ret)
				goto err;
		}
	}
	return 0;
err:
	svr_fib_release(cfg, list);
	return ret;
}

/* The longest length below @lim in use in @a or @b; -1 when none. */
static int svr_fib_prev_len(const unsigned long *a, const unsigned long *b,
			    int lim)
{
	int la = lim, lb = lim;

	if (a)
		la = find_last_bit(a, lim);
	if (b)
		lb = find_last_bit(b, lim);
	if (la == lim)
		la = -1;
	if (lb == lim)
		lb = -1;
	return max(la, lb);
}

static struct svr_fib_node *svr_fib_probe(struct svr_fib *fib,
					  struct svr_fib_key *key,
					  const void *addr, int plen, u8 kind)
{
	key->plen = plen;
	key->kind = kind;
	if (key->family == AF_INET)
		key->addr.ip = *(const __be32 *)addr;
	else
		key->addr.ip6 = *(const struct in6_addr *)addr;
	svr_addr_mask(key->family, &key->addr, plen);
	return rhashtable_lookup(&fib->nodes, key, svr_fib_params);
}

static struct svr_service *svr_fib_scan(struct svr_fib_node *node,
					const struct svr_tenant *t,
					bool filter, int dport)
{
	struct svr_fib_ent *e;

	if (!node)
		return NULL;
	hlist_for_each_entry_rcu(e, &node->ents, hnode) {
		if (dport >= 0 && (dport < e->port_lo || dport > e->port_hi))
			continue;
		if (filter && svr_service_access(e->obj, t) != SVR_ACCESS_ALLOW)
			continue;
		return e->obj;
	}
	return NULL;
}

static struct svr_service *svr_fib_search(struct svr_fib *fib,
					  const struct svr_tenant *t,
					  bool filter, u8 family,
					  const void *daddr, u8 proto,
					  u16 dport)
{
	unsigned long (*lens)[BITS_TO_LONGS(SVR_PLEN_SLOTS)];
	struct svr_fib_key key = { .family = family };
	struct svr_service *svc;
	int max = svr_fam_maxlen(family) + 1;
	bool ports = proto == IPPROTO_TCP || proto == IPPROTO_UDP;
	int l;

	lens = fib->lens[svr_fam_idx(family)];
	/* 1: a port entry of the protocol containing dport, longest prefix. */
	key.proto = proto;
	for (l = ports ? svr_fib_prev_len(lens[SVR_FIB_PORT],
					  lens[SVR_FIB_RANGE], max) : -1;
	     l >= 0; l = svr_fib_prev_len(lens[SVR_FIB_PORT],
					  lens[SVR_FIB_RANGE], l)) {
		key.port = dport;
		svc = svr_fib_scan(svr_fib_probe(fib, &key, daddr, l,
						 SVR_FIB_PORT), t, filter, -1);
		if (svc)
			return svc;
		key.port = 0;
		svc = svr_fib_scan(svr_fib_probe(fib, &key, daddr, l,
						 SVR_FIB_RANGE), t, filter,
				   dport);
		if (svc)
			return svc;
	}
	/* 2: entries of the protocol without ports. */
	key.port = 0;
	for (l = svr_fib_prev_len(lens[SVR_FIB_PROTO], NULL, max); l >= 0;
	     l = svr_fib_prev_len(lens[SVR_FIB_PROTO], NULL, l)) {
		svc = svr_fib_scan(svr_fib_probe(fib, &key, daddr, l,
						 SVR_FIB_PROTO), t, filter, -1);
		if (svc)
			return svc;
	}
	/* 3: entries of any protocol. */
	key.proto = 0;
	for (l = svr_fib_prev_len(lens[SVR_FIB_ANY], NULL, max); l >= 0;
	     l = svr_fib_prev_len(lens[SVR_FIB_ANY], NULL, l)) {
		svc = svr_fib_scan(svr_fib_probe(fib, &key, daddr, l,
						 SVR_FIB_ANY), t, filter, -1);
		if (svc)
			return svc;
	}
	return NULL;
}

struct svr_service *svr_fib_lookup(struct svr_net *sn,
				   const struct svr_tenant *t, u8 family,
				   const void *daddr, u8 proto, u16 dport)
{
	struct svr_fib *fib = sn->cfg->fib;
	struct svr_service *svc;

	if (family != AF_INET && family != AF_INET6)
		return NULL;
	if (proto == IPPROTO_ICMPV6)
		proto = IPPROTO_ICMP;
	svc = svr_fib_search(fib, t, true, family, daddr, proto, dport);
	if (!svc)
		svc = svr_fib_search(fib, t, false, family, daddr, proto,
				     dport);
	return svc;
}

struct svr_tenant *svr_tenant_classify(struct svr_net *sn,
				       const struct svr_iface *in, u8 family,
				       const void *saddr)
{
	struct svr_tenant *itn = in ? rcu_dereference(in->tenant) : NULL;
	struct svr_fib_key key = { .family = family };
	struct svr_fib *fib = sn->cfg->fib;
	unsigned long *lens;
	struct svr_fib_node *node;
	struct svr_fib_ent *e;
	int l;

	if (family != AF_INET && family != AF_INET6)
		return itn;
	lens = fib->lens[svr_fam_idx(family)][SVR_FIB_TENANT];
	for (l = svr_fib_prev_len(lens, NULL, svr_fam_maxlen(family) + 1);
	     l >= 0; l = svr_fib_prev_len(lens, NULL, l)) {
		node = svr_fib_probe(fib, &key, saddr, l, SVR_FIB_TENANT);
		if (!node)
			continue;
		hlist_for_each_entry_rcu(e, &node->ents, hnode) {
			if (e->dev[0] &&
			    (!in || strncmp(e->dev, in->name, IFNAMSIZ)))
				continue;
			/* Under an interface tenant: its descendants only. */
			if (itn && (e->obj == itn ||
				    !svr_tenant_within(e->obj, itn)))
				continue;
			return e->obj;
		}
	}
	return itn;
}

int __init svr_fib_init(void)
{
	svr_fib_ent_cache = KMEM_CACHE(svr_fib_ent, SLAB_ACCOUNT);
	return svr_fib_ent_cache ? 0 : -ENOMEM;
}

void svr_fib_exit(void)
{
	kmem_cache_destroy(svr_fib_ent_cache);
}
