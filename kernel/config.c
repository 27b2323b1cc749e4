// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration model: objects, their lifetime and the lookups the
 * packet path uses. Netlink (netlink.c) parses and validates requests and
 * changes the model through the helpers here, under sn->cfg_lock.
 *
 * Lifetime: every tenant, service, peer and security policy has a
 * reference count; the configuration holds one. Unlinking removes the
 * object from the tables (new lookups miss it) and drops that reference;
 * the last put frees it after an RCU grace period. Other configuration
 * objects never outlive their user: deleting one in use is refused unless
 * forced, and forcing removes the references first.
 */
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/utsname.h>
#include <crypto/sha2.h>

#include "svr.h"
#include "config.h"
#include "fib.h"

static struct kmem_cache *svr_tenant_cache __read_mostly;
static struct kmem_cache *svr_service_cache __read_mostly;
static struct kmem_cache *svr_peer_cache __read_mostly;

#define SVR_NAME_PARAMS(type, keyfield)					\
	{								\
		.key_len	= sizeof_field(type, keyfield),		\
		.key_offset	= offsetof(type, keyfield),		\
		.head_offset	= offsetof(type, hnode),		\
		.automatic_shrinking = true,				\
	}

static const struct rhashtable_params svr_tenant_params =
	SVR_NAME_PARAMS(struct svr_tenant, name);
static const struct rhashtable_params svr_service_params =
	SVR_NAME_PARAMS(struct svr_service, name);
static const struct rhashtable_params svr_peer_params =
	SVR_NAME_PARAMS(struct svr_peer, name);
static const struct rhashtable_params svr_sec_params =
	SVR_NAME_PARAMS(struct svr_security, name);
static const struct rhashtable_params svr_iface_params =
	SVR_NAME_PARAMS(struct svr_iface, name);
static const struct rhashtable_params svr_key_params =
	SVR_NAME_PARAMS(struct svr_key, id);

/* A zero-padded copy of @name, the form the name tables hash. */
static bool svr_name_key(char *key, size_t size, const char *name,
			 size_t len)
{
	if (!len || len >= size)
		return false;
	memset(key, 0, size);
	memcpy(key, name, len);
	return true;
}

/* ---- router ------------------------------------------------------------ */

static void svr_router_defaults(struct svr_router *r)
{
	r->session_limit = SVR_DEF_SESSION_LIMIT;
	r->timeout_tcp_est = SVR_DEF_TIMEOUT_TCP_EST;
	r->timeout_tcp_close = SVR_DEF_TIMEOUT_TCP_CLOSE;
	r->timeout_udp = SVR_DEF_TIMEOUT_UDP;
	r->timeout_icmp = SVR_DEF_TIMEOUT_ICMP;
	r->wayport_lo = SVR_DEF_WAYPORT_LO;
	r->wayport_hi = SVR_DEF_WAYPORT_HI;
	r->icmp_rate = SVR_DEF_ICMP_RATE;
	r->keepalive = SVR_DEF_KEEPALIVE;
}

/* The host name of the creating task's UTS namespace, made a valid name. */
static void svr_router_default_name(char *name)
{
	char host[__NEW_UTS_LEN + 1];
	int i, n = 0;

	/* uts_sem is not exported: a racing sethostname() may tear it. */
	strscpy(host, utsname()->nodename, sizeof(host));
	for (i = 0; host[i] && n < SVR_NAME_MAX - 1; i++)
		name[n++] = isalnum(host[i]) || strchr("._-", host[i]) ?
			    host[i] : '-';
	name[n] = '\0';
	if (!n)
		strscpy(name, "svr", SVR_NAME_MAX);
}

/* ---- lookups (RCU) ----------------------------------------------------- */

struct svr_iface *svr_iface_lookup(struct svr_net *sn, int ifindex)
{
	struct svr_config *cfg = sn->cfg;
	struct svr_iface *ifc;

	hlist_for_each_entry_rcu(ifc, &cfg->iface_idx[hash_32(ifindex, 8)],
				 idx_node)
		if (READ_ONCE(ifc->ifindex) == ifindex)
			return ifc;
	return NULL;
}

struct svr_tenant *svr_tenant_find(struct svr_net *sn, const char *name,
				   size_t len)
{
	char key[SVR_NAME_MAX];

	if (!svr_name_key(key, sizeof(key), name, len))
		return NULL;
	return rhashtable_lookup_fast(&sn->cfg->tenants, key,
				      svr_tenant_params);
}

struct svr_service *svr_service_find(struct svr_net *sn, const char *name,
				     size_t len)
{
	char key[SVR_NAME_MAX];

	if (!svr_name_key(key, sizeof(key), name, len))
		return NULL;
	return rhashtable_lookup_fast(&sn->cfg->services, key,
				      svr_service_params);
}

struct svr_peer *svr_peer_find(struct svr_net *sn, const char *name,
			       size_t len)
{
	char key[SVR_NAME_MAX];

	if (!svr_name_key(key, sizeof(key), name, len))
		return NULL;
	return rhashtable_lookup_fast(&sn->cfg->peers, key, svr_peer_params);
}

struct svr_security *svr_security_find(struct svr_net *sn, const char *name)
{
	char key[SVR_NAME_MAX];

	if (!svr_name_key(key, sizeof(key), name, strlen(name)))
		return NULL;
	return rhashtable_lookup_fast(&sn->cfg->secs, key, svr_sec_params);
}

struct svr_iface *svr_iface_find(struct svr_net *sn, const char *name)
{
	char key[IFNAMSIZ];

	if (!svr_name_key(key, sizeof(key), name, strlen(name)))
		return NULL;
	return rhashtable_lookup_fast(&sn->cfg->ifaces, key,
				      svr_iface_params);
}

struct svr_key *svr_key_lookup(struct svr_net *sn, u32 id)
{
	return rhashtable_lookup_fast(&sn->cfg->keys, &id, svr_key_params);
}

bool svr_tenant_within(const struct svr_tenant *t,
		       const struct svr_tenant *anc)
{
	if (!t || !anc)
		return t == anc;
	if (t == anc)
		return true;
	if (t->name_len <= anc->name_len)
		return false;
	return t->name[t->name_len - anc->name_len - 1] == '.' &&
	       !memcmp(t->name + t->name_len - anc->name_len, anc->name,
		       anc->name_len);
}

enum svr_access svr_service_access(const struct svr_service *svc,
				   const struct svr_tenant *t)
{
	enum svr_access res = SVR_ACCESS_NOT_LISTED;
	struct svr_access_ent *e;

	list_for_each_entry_rcu(e, &svc->access, list) {
		if (!svr_tenant_within(t, e->tenant))
			continue;
		if (e->action == SVR_ACCESS_ACTION_DENY)
			return SVR_ACCESS_DENY;
		res = SVR_ACCESS_ALLOW;
	}
	return res;
}

/* ---- references -------------------------------------------------------- */

static void svr_tenant_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(svr_tenant_cache,
			container_of(head, struct svr_tenant, rcu));
}

bool svr_tenant_get(struct svr_tenant *t)
{
	return refcount_inc_not_zero(&t->ref);
}

void svr_tenant_put(struct svr_tenant *t)
{
	if (refcount_dec_and_test(&t->ref))
		call_rcu(&t->rcu, svr_tenant_free_rcu);
}

static void svr_service_free_parts(struct svr_service *svc)
{
	struct svr_access_ent *a, *an;
	struct svr_transport *tr, *trn;
	struct svr_prefix *p, *pn;
	struct svr_route *r, *rn;

	list_for_each_entry_safe(a, an, &svc->access, list)
		kfree(a);
	list_for_each_entry_safe(tr, trn, &svc->transports, list)
		kfree(tr);
	list_for_each_entry_safe(p, pn, &svc->prefixes, list)
		kfree(p);
	list_for_each_entry_safe(r, rn, &svc->route_list, list)
		kfree(r);
	kfree(rcu_dereference_protected(svc->routes, true));
}

static void svr_service_free_rcu(struct rcu_head *head)
{
	struct svr_service *svc = container_of(head, struct svr_service, rcu);

	svr_service_free_parts(svc);
	kmem_cache_free(svr_service_cache, svc);
}

bool svr_service_get(struct svr_service *svc)
{
	return refcount_inc_not_zero(&svc->ref);
}

void svr_service_put(struct svr_service *svc)
{
	if (refcount_dec_and_test(&svc->ref))
		call_rcu(&svc->rcu, svr_service_free_rcu);
}

struct svr_path_stats *svr_path_stats_new(void)
{
	struct svr_path_stats *ps = kzalloc(sizeof(*ps), GFP_KERNEL_ACCOUNT);

	if (ps) {
		refcount_set(&ps->ref, 1);
		spin_lock_init(&ps->bfd.lock);
	}
	return ps;
}

struct svr_path_stats *svr_path_stats_get(struct svr_path_stats *ps)
{
	if (ps)
		refcount_inc(&ps->ref);
	return ps;
}

/* Packets may still count on it under RCU (a session that just moved). */
void svr_path_stats_put(struct svr_path_stats *ps)
{
	if (ps && refcount_dec_and_test(&ps->ref))
		kfree_rcu(ps, rcu);
}

void svr_path_free(struct svr_path *path)
{
	svr_path_stats_put(path->stats);
	kfree(path);
}

static void svr_path_free_cb(struct rcu_head *head)
{
	svr_path_free(container_of(head, struct svr_path, rcu));
}

void svr_path_free_rcu(struct svr_path *path)
{
	call_rcu(&path->rcu, svr_path_free_cb);
}

static void svr_peer_free_rcu(struct rcu_head *head)
{
	struct svr_peer *peer = container_of(head, struct svr_peer, rcu);
	struct svr_path *path, *tmp;

	list_for_each_entry_safe(path, tmp, &peer->paths, list)
		svr_path_free(path);
	kmem_cache_free(svr_peer_cache, peer);
}

bool svr_peer_get(struct svr_peer *peer)
{
	return refcount_inc_not_zero(&peer->ref);
}

void svr_peer_put(struct svr_peer *peer)
{
	if (refcount_dec_and_test(&peer->ref))
		call_rcu(&peer->rcu, svr_peer_free_rcu);
}

bool svr_security_get(struct svr_security *sec)
{
	return refcount_inc_not_zero(&sec->ref);
}

void svr_security_put(struct svr_security *sec)
{
	if (refcount_dec_and_test(&sec->ref))
		kfree_rcu(sec, rcu);
}

/* ---- allocation -------------------------------------------------------- */

struct svr_tenant *svr_tenant_alloc(const char *name)
{
	struct svr_tenant *t;

	t = kmem_cache_zalloc(svr_tenant_cache, GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	INIT_LIST_HEAD(&t->prefixes);
	INIT_LIST_HEAD(&t->fib_ents);
	refcount_set(&t->ref, 1);
	strscpy(t->name, name, sizeof(t->name));
	t->name_len = strlen(t->name);
	return t;
}

void svr_tenant_free(struct svr_tenant *t)
{
	struct svr_prefix *p, *tmp;

	list_for_each_entry_safe(p, tmp, &t->prefixes, list)
		kfree(p);
	kmem_cache_free(svr_tenant_cache, t);
}

struct svr_service *svr_service_alloc(const char *name)
{
	struct svr_service *svc;

	svc = kmem_cache_zalloc(svr_service_cache, GFP_KERNEL_ACCOUNT);
	if (!svc)
		return NULL;
	INIT_LIST_HEAD(&svc->prefixes);
	INIT_LIST_HEAD(&svc->transports);
	INIT_LIST_HEAD(&svc->access);
	INIT_LIST_HEAD(&svc->route_list);
	INIT_LIST_HEAD(&svc->fib_ents);
	refcount_set(&svc->ref, 1);
	strscpy(svc->name, name, sizeof(svc->name));
	svc->name_len = strlen(svc->name);
	return svc;
}

void svr_service_free(struct svr_service *svc)
{
	svr_service_free_parts(svc);
	kmem_cache_free(svr_service_cache, svc);
}

struct svr_peer *svr_peer_alloc(const char *name)
{
	struct svr_peer *peer;

	peer = kmem_cache_zalloc(svr_peer_cache, GFP_KERNEL_ACCOUNT);
	if (!peer)
		return NULL;
	INIT_LIST_HEAD(&peer->paths);
	refcount_set(&peer->ref, 1);
	strscpy(peer->name, name, sizeof(peer->name));
	peer->name_len = strlen(peer->name);
	return peer;
}

void svr_peer_free(struct svr_peer *peer)
{
	struct svr_path *path, *tmp;

	list_for_each_entry_safe(path, tmp, &peer->paths, list)
		svr_path_free(path);
	kmem_cache_free(svr_peer_cache, peer);
}

struct svr_security *svr_security_alloc(const char *name)
{
	struct svr_security *sec;

	sec = kzalloc(sizeof(*sec), GFP_KERNEL_ACCOUNT);
	if (!sec)
		return NULL;
	INIT_LIST_HEAD(&sec->keys);
	refcount_set(&sec->ref, 1);
	strscpy(sec->name, name, sizeof(sec->name));
	return sec;
}

/* Only for a policy that was never linked (its keys are not either). */
void svr_security_free(struct svr_security *sec)
{
	struct svr_key *key, *tmp;

	list_for_each_entry_safe(key, tmp, &sec->keys, list)
		svr_key_free(key);
	kfree(sec);
}

struct svr_iface *svr_iface_alloc(const char *name)
{
	struct svr_iface *ifc;

	ifc = kzalloc(sizeof(*ifc), GFP_KERNEL_ACCOUNT);
	if (!ifc)
		return NULL;
	INIT_HLIST_NODE(&ifc->idx_node);
	strscpy(ifc->name, name, sizeof(ifc->name));
	return ifc;
}

struct svr_key *svr_key_alloc(void)
{
	return kzalloc(sizeof(struct svr_key), GFP_KERNEL_ACCOUNT);
}

void svr_key_free(struct svr_key *key)
{
	svr_crypto_key_free(key);
	kfree_sensitive(key);
}

static void svr_key_free_rcu(struct rcu_head *head)
{
	svr_key_free(container_of(head, struct svr_key, rcu));
}

void svr_key_fingerprint(struct svr_key *key)
{
	static const char tag[] = "svr key fingerprint";
	u8 buf[sizeof(tag) + SVR_CIPHER_KEY_MAX + SVR_HMAC_KEY_LEN];
	u8 digest[SHA256_DIGEST_SIZE];
	size_t n = sizeof(tag);

	memcpy(buf, tag, sizeof(tag));
	memcpy(buf + n, key->cipher_key, key->cipher_key_len);
	n += key->cipher_key_len;
	memcpy(buf + n, key->hmac_key, key->hmac_key_len);
	n += key->hmac_key_len;
	sha256(buf, n, digest);
	memcpy(key->fingerprint, digest, sizeof(key->fingerprint));
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(digest, sizeof(digest));
}

/* ---- linking (cfg_lock) ------------------------------------------------ */

void svr_cfg_changed(struct svr_net *sn)
{
	struct svr_config *cfg = sn->cfg;

	/* 0 means "no generation" to the dump consistency check. */
	if (!++cfg->gen)
		cfg->gen = 1;
	svr_bfd_kick(sn);	/* paths with BFD may have changed */
}

#define SVR_LINK(sn, obj, table, params, head, count)		\
({									\
	struct svr_config *__cfg = (sn)->cfg;				\
	int __ret = rhashtable_lookup_insert_fast(&__cfg->table,	\
						  &(obj)->hnode, params);\
	if (!__ret) {							\
		(obj)->id = ++__cfg->next_id;				\
		list_add_tail(&(obj)->list, &__cfg->head);		\
		__cfg->n.count++;					\
		svr_cfg_changed(sn);					\
	}								\
	__ret;								\
})

int svr_tenant_link(struct svr_net *sn, struct svr_tenant *t)
{
	return SVR_LINK(sn, t, tenants, svr_tenant_params, tenant_list,
			tenants);
}

int svr_service_link(struct svr_net *sn, struct svr_service *svc)
{
	return SVR_LINK(sn, svc, services, svr_service_params,
			service_list, services);
}

int svr_peer_link(struct svr_net *sn, struct svr_peer *peer)
{
	return SVR_LINK(sn, peer, peers, svr_peer_params, peer_list,
			peers);
}

int svr_security_link(struct svr_net *sn, struct svr_security *sec)
{
	return SVR_LINK(sn, sec, secs, svr_sec_params, sec_list, secs);
}

int svr_iface_link(struct svr_net *sn, struct svr_iface *ifc)
{
	return SVR_LINK(sn, ifc, ifaces, svr_iface_params, iface_list,
			ifaces);
}

void svr_tenant_unlink(struct svr_net *sn, struct svr_tenant *t)
{
	struct svr_config *cfg = sn->cfg;
	struct svr_prefix *p, *tmp;

	rhashtable_remove_fast(&cfg->tenants, &t->hnode, svr_tenant_params);
	list_del(&t->list);
	svr_fib_release(cfg, &t->fib_ents);
	list_for_each_entry_safe(p, tmp, &t->prefixes, list) {
		list_del(&p->list);
		kfree(p);
	}
	cfg->n.prefixes -= t->n_prefixes;
	t->n_prefixes = 0;
	cfg->n.tenants--;
	svr_cfg_changed(sn);
	svr_tenant_put(t);
}

void svr_service_unlink(struct svr_net *sn, struct svr_service *svc)
{
	struct svr_config *cfg = sn->cfg;

	rhashtable_remove_fast(&cfg->services, &svc->hnode,
			       svr_service_params);
	list_del(&svc->list);
	svr_fib_release(cfg, &svc->fib_ents);
	cfg->n.prefixes -= svc->n_prefixes;
	cfg->n.routes -= svc->n_routes;
	cfg->n.services--;
	svr_cfg_changed(sn);
	svr_service_put(svc);
}

void svr_peer_unlink(struct svr_net *sn, struct svr_peer *peer)
{
	struct svr_config *cfg = sn->cfg;

	rhashtable_remove_fast(&cfg->peers, &peer->hnode, svr_peer_params);
	list_del(&peer->list);
	cfg->n.peers--;
	svr_cfg_changed(sn);
	svr_peer_put(peer);
}

int svr_key_link(struct svr_net *sn, struct svr_security *sec,
		 struct svr_key *key)
{
	int ret;

	/* Transforms are keyed now, never on the packet path (crypto.c). */
	ret = svr_crypto_key_init(key);
	if (ret)
		return ret;
	key->added = jiffies;
	ret = rhashtable_lookup_insert_fast(&sn->cfg->keys, &key->hnode,
					    svr_key_params);
	if (ret) {
		svr_crypto_key_free(key);
		return ret;
	}
	svr_crypto_log_drivers(sec, key);
	key->policy = sec;
	list_add_tail_rcu(&key->list, &sec->keys);
	sec->n_keys++;
	sn->cfg->n.keys++;
	return 0;
}

void svr_key_unlink(struct svr_net *sn, struct svr_key *key)
{
	rhashtable_remove_fast(&sn->cfg->keys, &key->hnode, svr_key_params);
	list_del_rcu(&key->list);
	key->policy->n_keys--;
	sn->cfg->n.keys--;
	call_rcu(&key->rcu, svr_key_free_rcu);
}

void svr_security_unlink(struct svr_net *sn, struct svr_security *sec)
{
	struct svr_config *cfg = sn->cfg;
	struct svr_key *key, *tmp;

	rhashtable_remove_fast(&cfg->secs, &sec->hnode, svr_sec_params);
	list_del(&sec->list);
	list_for_each_entry_safe(key, tmp, &sec->keys, list)
		svr_key_unlink(sn, key);
	cfg->n.secs--;
	svr_cfg_changed(sn);
	svr_security_put(sec);
}

void svr_iface_bind(struct svr_net *sn, struct svr_iface *ifc, int ifindex)
{
	WRITE_ONCE(ifc->ifindex, ifindex);
	hlist_add_head_rcu(&ifc->idx_node,
			   &sn->cfg->iface_idx[hash_32(ifindex, 8)]);
	svr_cfg_changed(sn);
}

void svr_iface_unbind(struct svr_net *sn, struct svr_iface *ifc)
{
	if (!ifc->ifindex)
		return;
	hlist_del_init_rcu(&ifc->idx_node);
	WRITE_ONCE(ifc->ifindex, 0);
	svr_cfg_changed(sn);
}

void svr_iface_unlink(struct svr_net *sn, struct svr_iface *ifc)
{
	struct svr_config *cfg = sn->cfg;

	svr_iface_unbind(sn, ifc);
	rhashtable_remove_fast(&cfg->ifaces, &ifc->hnode, svr_iface_params);
	list_del(&ifc->list);
	cfg->n.ifaces--;
	svr_cfg_changed(sn);
	kfree_rcu(ifc, rcu);
}

/* ---- routes and FIB entries -------------------------------------------- */

static int svr_nh_cmp(const void *a, const void *b)
{
	const struct svr_nexthop *x = a, *y = b;

	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	return 0;
}

struct svr_routes *svr_routes_build(struct svr_service *svc,
				    const struct svr_peer *skip)
{
	struct svr_routes *routes;
	struct svr_route *r;
	u32 i, j, n = 0;

	list_for_each_entry(r, &svc->route_list, list)
		n++;
	routes = kzalloc(struct_size(routes, nh, n), GFP_KERNEL_ACCOUNT);
	if (!routes)
		return ERR_PTR(-ENOMEM);
	list_for_each_entry(r, &svc->route_list, list)
		if (!skip || r->nh.peer != skip)
			routes->nh[routes->n++] = r->nh;
	/* Stable insertion sort: creation order among equal costs. */
	for (i = 1; i < routes->n; i++) {
		struct svr_nexthop tmp = routes->nh[i];

		for (j = i; j && svr_nh_cmp(&routes->nh[j - 1], &tmp) > 0; j--)
			routes->nh[j] = routes->nh[j - 1];
		routes->nh[j] = tmp;
	}
	return routes;
}

/* An empty array is published as NULL. */
void svr_routes_publish(struct svr_service *svc, struct svr_routes *routes)
{
	struct svr_routes *old;

	if (routes && !routes->n) {
		kfree(routes);
		routes = NULL;
	}
	old = rcu_replace_pointer(svc->routes, routes, true);
	if (old)
		kfree_rcu(old, rcu);
}

int svr_service_routes_update(struct svr_service *svc)
{
	struct svr_routes *routes = svr_routes_build(svc, NULL);

	if (IS_ERR(routes))
		return PTR_ERR(routes);
	svr_routes_publish(svc, routes);
	return 0;
}

int svr_tenant_fib_update(struct svr_net *sn, struct svr_tenant *t)
{
	LIST_HEAD(ents);
	int ret;

	ret = svr_fib_build_tenant(sn->cfg, t, &ents);
	if (ret)
		return ret;
	svr_fib_commit(&ents);
	svr_fib_release(sn->cfg, &t->fib_ents);
	list_splice(&ents, &t->fib_ents);
	return 0;
}

int svr_service_fib_update(struct svr_net *sn, struct svr_service *svc)
{
	LIST_HEAD(ents);
	int ret;

	ret = svr_fib_build_service(sn->cfg, svc, &ents);
	if (ret)
		return ret;
	svr_fib_commit(&ents);
	svr_fib_release(sn->cfg, &svc->fib_ents);
	list_splice(&ents, &svc->fib_ents);
	return 0;
}

/* ---- devices ----------------------------------------------------------- */

static struct svr_iface *svr_iface_by_index_locked(struct svr_net *sn,
						   int ifindex)
{
	struct svr_iface *ifc;

	list_for_each_entry(ifc, &sn->cfg->iface_list, list)
		if (ifc->ifindex == ifindex)
			return ifc;
	return NULL;
}

static int svr_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct svr_net *sn = svr_pernet(dev_net(dev));
	struct svr_iface *ifc;

	if (event != NETDEV_REGISTER && event != NETDEV_UNREGISTER &&
	    event != NETDEV_CHANGENAME)
		return NOTIFY_DONE;
	if (!sn || !READ_ONCE(sn->cfg))
		return NOTIFY_DONE;

	mutex_lock(&sn->cfg_lock);
	if (!sn->cfg)
		goto out;
	/* The device went away or is now called differently: unbind. */
	ifc = svr_iface_by_index_locked(sn, dev->ifindex);
	if (ifc && (event == NETDEV_UNREGISTER ||
		    strncmp(ifc->name, dev->name, IFNAMSIZ))) {
		svr_iface_unbind(sn, ifc);
		svr_nl_notify_iface(sn, ifc, SVR_CMD_IFACE_CHANGE_NTF, NULL);
		svr_sessions_config_changed(sn);
	}
	/* A device of a managed name appeared. */
	if (event != NETDEV_UNREGISTER) {
		ifc = svr_iface_find(sn, dev->name);
		if (ifc && !ifc->ifindex) {
			svr_iface_bind(sn, ifc, dev->ifindex);
			svr_nl_notify_iface(sn, ifc, SVR_CMD_IFACE_CHANGE_NTF,
					    NULL);
		}
	}
out:
	mutex_unlock(&sn->cfg_lock);
	return NOTIFY_DONE;
}

static struct notifier_block svr_netdev_nb = {
	.notifier_call = svr_netdev_event,
};

/* ---- per netns --------------------------------------------------------- */

int svr_config_net_init(struct svr_net *sn)
{
	struct svr_router *router;
	struct svr_config *cfg;
	int ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return -ENOMEM;
	router = kzalloc(sizeof(*router), GFP_KERNEL_ACCOUNT);
	if (!router) {
		ret = -ENOMEM;
		goto err_cfg;
	}
	svr_router_defaults(router);
	svr_router_default_name(router->name);
	RCU_INIT_POINTER(cfg->router, router);
	INIT_LIST_HEAD(&cfg->iface_list);
	INIT_LIST_HEAD(&cfg->tenant_list);
	INIT_LIST_HEAD(&cfg->sec_list);
	INIT_LIST_HEAD(&cfg->service_list);
	INIT_LIST_HEAD(&cfg->peer_list);
	cfg->gen = 1;

	ret = rhashtable_init(&cfg->ifaces, &svr_iface_params);
	if (ret)
		goto err_router;
	ret = rhashtable_init(&cfg->tenants, &svr_tenant_params);
	if (ret)
		goto err_ifaces;
	ret = rhashtable_init(&cfg->secs, &svr_sec_params);
	if (ret)
		goto err_tenants;
	ret = rhashtable_init(&cfg->keys, &svr_key_params);
	if (ret)
		goto err_secs;
	ret = rhashtable_init(&cfg->services, &svr_service_params);
	if (ret)
		goto err_keys;
	ret = rhashtable_init(&cfg->peers, &svr_peer_params);
	if (ret)
		goto err_services;
	ret = svr_fib_net_init(cfg);
	if (ret)
		goto err_peers;
	WRITE_ONCE(sn->cfg, cfg);
	return 0;

err_peers:
	rhashtable_destroy(&cfg->peers);
err_services:
	rhashtable_destroy(&cfg->services);
err_keys:
	rhashtable_destroy(&cfg->keys);
err_secs:
	rhashtable_destroy(&cfg->secs);
err_tenants:
	rhashtable_destroy(&cfg->tenants);
err_ifaces:
	rhashtable_destroy(&cfg->ifaces);
err_router:
	kfree(router);
err_cfg:
	kfree(cfg);
	return ret;
}

/* No packet and no request reaches this netns any more. */
void svr_config_net_exit(struct svr_net *sn)
{
	struct svr_config *cfg = sn->cfg;
	struct svr_security *sec, *sect;
	struct svr_service *svc, *svct;
	struct svr_tenant *t, *tt;
	struct svr_iface *ifc, *ifct;
	struct svr_peer *peer, *peert;

	if (!cfg)
		return;
	mutex_lock(&sn->cfg_lock);
	/* Users first: services and interfaces refer to the others. */
	list_for_each_entry_safe(svc, svct, &cfg->service_list, list)
		svr_service_unlink(sn, svc);
	list_for_each_entry_safe(ifc, ifct, &cfg->iface_list, list)
		svr_iface_unlink(sn, ifc);
	list_for_each_entry_safe(peer, peert, &cfg->peer_list, list)
		svr_peer_unlink(sn, peer);
	list_for_each_entry_safe(t, tt, &cfg->tenant_list, list)
		svr_tenant_unlink(sn, t);
	list_for_each_entry_safe(sec, sect, &cfg->sec_list, list)
		svr_security_unlink(sn, sec);
	WRITE_ONCE(sn->cfg, NULL);
	mutex_unlock(&sn->cfg_lock);

	WARN_ON_ONCE(cfg->n.fib_ents || cfg->n.prefixes || cfg->n.keys);
	svr_fib_net_exit(cfg);
	rhashtable_destroy(&cfg->peers);
	rhashtable_destroy(&cfg->services);
	rhashtable_destroy(&cfg->keys);
	rhashtable_destroy(&cfg->secs);
	rhashtable_destroy(&cfg->tenants);
	rhashtable_destroy(&cfg->ifaces);
	kfree_rcu(rcu_dereference_protected(cfg->router, true), rcu);
	kfree(cfg);
}

/* ---- module ------------------------------------------------------------ */

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "run the FIB and tenant self-tests at load");

int __init svr_config_init(void)
{
	int ret = -ENOMEM;

	svr_tenant_cache = KMEM_CACHE(svr_tenant, SLAB_ACCOUNT);
	if (!svr_tenant_cache)
		goto err;
	svr_service_cache = KMEM_CACHE(svr_service, SLAB_ACCOUNT);
	if (!svr_service_cache)
		goto err_tenant;
	svr_peer_cache = KMEM_CACHE(svr_peer, SLAB_ACCOUNT);
	if (!svr_peer_cache)
		goto err_service;
	ret = svr_fib_init();
	if (ret)
		goto err_peer;
	if (selftest) {
		ret = svr_config_selftest();
		if (ret)
			goto err_fib;
	}
	return 0;

err_fib:
	rcu_barrier();
	svr_fib_exit();
err_peer:
	kmem_cache_destroy(svr_peer_cache);
err_service:
	kmem_cache_destroy(svr_service_cache);
err_tenant:
	kmem_cache_destroy(svr_tenant_cache);
err:
	return ret;
}

/*
 * After the sessions' rcu_barrier(): their callbacks dropped the last
 * references to tenants, services and peers, which queued those objects'
 * own callbacks; wait for that second round before the caches go.
 */
void svr_config_exit(void)
{
	rcu_barrier();
	svr_fib_exit();
	kmem_cache_destroy(svr_peer_cache);
	kmem_cache_destroy(svr_service_cache);
	kmem_cache_destroy(svr_tenant_cache);
}

int __init svr_config_notifier_register(void)
{
	return register_netdevice_notifier(&svr_netdev_nb);
}

void svr_config_notifier_unregister(void)
{
	unregister_netdevice_notifier(&svr_netdev_nb);
}
