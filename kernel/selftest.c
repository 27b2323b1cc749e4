// SPDX-License-Identifier: GPL-2.0
/*
 * In-module self-tests of the configuration lookups (WireGuard style): run
 * at load with selftest=1, on a private svr_net that no netns sees.
 * Success prints "svr: fib self-tests: pass"; a failure fails the load.
 */
#include <linux/inet.h>
#include <linux/slab.h>

#include "svr.h"
#include "config.h"
#include "fib.h"

struct svr_st {
	struct svr_net	*sn;
	int		failed;
	int		n;
};

#define ST_CHECK(st, cond) do {						\
	(st)->n++;							\
	if (!(cond)) {							\
		pr_err("fib self-test %d failed: %s (line %d)\n",	\
		       (st)->n, #cond, __LINE__);			\
		(st)->failed++;						\
	}								\
} while (0)

static u8 st_addr(const char *s, union svr_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (in4_pton(s, -1, (u8 *)&a->ip, -1, NULL))
		return AF_INET;
	if (in6_pton(s, -1, a->ip6.s6_addr, -1, NULL))
		return AF_INET6;
	return 0;
}

static int st_add_prefix(struct list_head *list, const char *addr, u8 plen,
			 const char *dev)
{
	struct svr_prefix *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->family = st_addr(addr, &p->addr);
	p->plen = plen;
	svr_addr_mask(p->family, &p->addr, plen);
	if (dev)
		strscpy(p->dev, dev, sizeof(p->dev));
	list_add_tail(&p->list, list);
	return 0;
}

static struct svr_tenant *st_tenant(struct svr_st *st, const char *name,
				    const char *addr, u8 plen,
				    const char *dev)
{
	struct svr_tenant *t = svr_tenant_find(st->sn, name, strlen(name));

	if (!t) {
		t = svr_tenant_alloc(name);
		if (!t || svr_tenant_link(st->sn, t))
			return NULL;
	}
	if (addr && (st_add_prefix(&t->prefixes, addr, plen, dev) ||
		     svr_tenant_fib_update(st->sn, t)))
		return NULL;
	return t;
}

/* A service with one prefix, one transport (proto < 0: none) and access. */
static struct svr_service *st_service(struct svr_st *st, const char *name,
				      const char *addr, u8 plen, int proto,
				      u16 lo, u16 hi)
{
	struct svr_service *svc = svr_service_alloc(name);
	struct svr_transport *tr;

	if (!svc || svr_service_link(st->sn, svc))
		return NULL;
	if (st_add_prefix(&svc->prefixes, addr, plen, NULL))
		return NULL;
	if (proto >= 0) {
		tr = kzalloc(sizeof(*tr), GFP_KERNEL);
		if (!tr)
			return NULL;
		tr->proto = proto;
		tr->port_lo = lo;
		tr->port_hi = hi;
		list_add_tail(&tr->list, &svc->transports);
	}
	if (svr_service_fib_update(st->sn, svc))
		return NULL;
	return svc;
}

static int st_access(struct svr_service *svc, struct svr_tenant *t, u8 act)
{
	struct svr_access_ent *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return -ENOMEM;
	a->tenant = t;
	a->action = act;
	list_add_tail_rcu(&a->list, &svc->access);
	return 0;
}

static struct svr_service *st_lookup(struct svr_st *st, struct svr_tenant *t,
				     const char *daddr, u8 proto, u16 dport)
{
	struct svr_service *svc;
	union svr_addr a;
	u8 family = st_addr(daddr, &a);

	rcu_read_lock();
	svc = svr_fib_lookup(st->sn, t, family, &a, proto, dport);
	rcu_read_unlock();
	return svc;
}

static struct svr_tenant *st_classify(struct svr_st *st,
				      struct svr_iface *in, const char *saddr)
{
	struct svr_tenant *t;
	union svr_addr a;
	u8 family = st_addr(saddr, &a);

	rcu_read_lock();
	t = svr_tenant_classify(st->sn, in, family, &a);
	rcu_read_unlock();
	return t;
}

static void st_precedence(struct svr_st *st)
{
	struct svr_service *a, *b, *c, *d, *e, *f, *g;

	a = st_service(st, "a", "10.0.0.0", 8, IPPROTO_TCP, 80, 80);
	b = st_service(st, "b", "10.1.0.0", 16, IPPROTO_TCP, 0, 0);
	c = st_service(st, "c", "10.1.2.0", 24, -1, 0, 0);
	d = st_service(st, "d", "10.0.0.0", 8, IPPROTO_TCP, 1000, 2000);
	f = st_service(st, "f", "2001:db8::", 32, IPPROTO_UDP, 53, 53);
	g = st_service(st, "g", "::", 0, SVR_PROTO_ANY, 0, 0);
	ST_CHECK(st, a && b && c && d && f && g);
	if (!(a && b && c && d && f && g))
		return;
	st_access(a, NULL, SVR_ACCESS_ACTION_ALLOW);
	st_access(b, NULL, SVR_ACCESS_ACTION_ALLOW);
	st_access(c, NULL, SVR_ACCESS_ACTION_ALLOW);
	st_access(d, NULL, SVR_ACCESS_ACTION_ALLOW);

	/* A port entry beats longer protocol-only and protocol-less ones. */
	ST_CHECK(st, st_lookup(st, NULL, "10.1.2.3", IPPROTO_TCP, 80) == a);
	/* Protocol-only beats a longer protocol-less entry. */
	ST_CHECK(st, st_lookup(st, NULL, "10.1.2.3", IPPROTO_TCP, 81) == b);
	ST_CHECK(st, st_lookup(st, NULL, "10.1.2.3", IPPROTO_UDP, 81) == c);
	ST_CHECK(st, st_lookup(st, NULL, "10.1.2.3", IPPROTO_ICMP, 0) == c);
	/* Ranges, and their ends. */
	ST_CHECK(st, st_lookup(st, NULL, "10.9.9.9", IPPROTO_TCP, 1000) == d);
	ST_CHECK(st, st_lookup(st, NULL, "10.9.9.9", IPPROTO_TCP, 2000) == d);
	ST_CHECK(st, !st_lookup(st, NULL, "10.9.9.9", IPPROTO_TCP, 2001));
	ST_CHECK(st, !st_lookup(st, NULL, "10.9.9.9", IPPROTO_UDP, 1500));
	ST_CHECK(st, !st_lookup(st, NULL, "11.0.0.1", IPPROTO_TCP, 80));
	/* Within the port stage, the longest prefix wins. */
	e = st_service(st, "e", "10.1.0.0", 16, IPPROTO_TCP, 80, 80);
	ST_CHECK(st, e);
	if (!e)
		return;
	st_access(e, NULL, SVR_ACCESS_ACTION_ALLOW);
	ST_CHECK(st, st_lookup(st, NULL, "10.1.2.3", IPPROTO_TCP, 80) == e);
	ST_CHECK(st, st_lookup(st, NULL, "10.2.2.3", IPPROTO_TCP, 80) == a);
	/* IPv6, and ICMPv6 matching "any". */
	ST_CHECK(st, st_lookup(st, NULL, "2001:db8::1", IPPROTO_UDP, 53) == f);
	ST_CHECK(st, st_lookup(st, NULL, "2001:db8::1", IPPROTO_UDP, 54) == g);
	ST_CHECK(st, st_lookup(st, NULL, "2001:db9::1", IPPROTO_ICMPV6, 0) ==
		 g);
	/* Deleting a service uncovers the next best. */
	mutex_lock(&st->sn->cfg_lock);
	svr_service_unlink(st->sn, e);
	mutex_unlock(&st->sn->cfg_lock);
	ST_CHECK(st, st_lookup(st, NULL, "10.1.2.3", IPPROTO_TCP, 80) == a);
	ST_CHECK(st, svr_service_find(st->sn, "a", 1) == a);
	ST_CHECK(st, !svr_service_find(st->sn, "e", 1));
}

static void st_tenants(struct svr_st *st)
{
	struct svr_tenant *acme, *eng, *blue, *red, *x, *green, *xacme;
	struct svr_iface lan0 = { .name = "lan0" };
	struct svr_iface lan1 = { .name = "lan1" };
	struct svr_service *h, *i;

	acme = st_tenant(st, "acme", NULL, 0, NULL);
	eng = st_tenant(st, "eng.acme", "198.18.2.0", 24, NULL);
	blue = st_tenant(st, "blue", "198.18.1.0", 24, NULL);
	red = st_tenant(st, "red", "198.18.0.0", 16, NULL);
	x = st_tenant(st, "x.eng.acme", NULL, 0, NULL);
	green = st_tenant(st, "green", "10.0.0.0", 8, "lan1");
	xacme = st_tenant(st, "xacme", NULL, 0, NULL);
	ST_CHECK(st, acme && eng && blue && red && x && green && xacme);
	if (!(acme && eng && blue && red && x && green && xacme))
		return;

	/* Hierarchy by dots. */
	ST_CHECK(st, svr_tenant_within(eng, acme));
	ST_CHECK(st, svr_tenant_within(x, acme));
	ST_CHECK(st, !svr_tenant_within(acme, eng));
	ST_CHECK(st, !svr_tenant_within(xacme, acme));
	ST_CHECK(st, !svr_tenant_within(NULL, acme));
	ST_CHECK(st, svr_tenant_within(NULL, NULL));
	ST_CHECK(st, svr_tenant_find(st->sn, "eng.acme", 8) == eng);
	ST_CHECK(st, !svr_tenant_find(st->sn, "eng.acm", 7));

	/* Access lists: hierarchy, deny wins, global only for global. */
	h = st_service(st, "h", "192.168.0.0", 16, IPPROTO_TCP, 443, 443);
	i = st_service(st, "i", "192.168.1.0", 24, IPPROTO_TCP, 443, 443);
	ST_CHECK(st, h && i);
	if (!h || !i)
		return;
	st_access(h, acme, SVR_ACCESS_ACTION_ALLOW);
	st_access(h, x, SVR_ACCESS_ACTION_DENY);
	st_access(i, blue, SVR_ACCESS_ACTION_ALLOW);
	ST_CHECK(st, svr_service_access(h, acme) == SVR_ACCESS_ALLOW);
	ST_CHECK(st, svr_service_access(h, eng) == SVR_ACCESS_ALLOW);
	ST_CHECK(st, svr_service_access(h, x) == SVR_ACCESS_DENY);
	ST_CHECK(st, svr_service_access(h, xacme) == SVR_ACCESS_NOT_LISTED);
	ST_CHECK(st, svr_service_access(h, NULL) == SVR_ACCESS_NOT_LISTED);
	st_access(i, eng, SVR_ACCESS_ACTION_ALLOW);
	st_access(i, acme, SVR_ACCESS_ACTION_DENY);
	ST_CHECK(st, svr_service_access(i, eng) == SVR_ACCESS_DENY);
	st_access(i, NULL, SVR_ACCESS_ACTION_ALLOW);
	ST_CHECK(st, svr_service_access(i, NULL) == SVR_ACCESS_ALLOW);

	/* The FIB only offers a tenant its services ... */
	ST_CHECK(st, st_lookup(st, eng, "192.168.1.5", IPPROTO_TCP, 443) ==
		 h);
	ST_CHECK(st, st_lookup(st, blue, "192.168.1.5", IPPROTO_TCP, 443) ==
		 i);
	/* ... and falls back to the best match for a tenant it refuses. */
	ST_CHECK(st, st_lookup(st, red, "192.168.1.5", IPPROTO_TCP, 443) ==
		 i);
	ST_CHECK(st, st_lookup(st, x, "192.168.1.5", IPPROTO_TCP, 443) == i);

	/* Classification by source prefix, longest first. */
	ST_CHECK(st, st_classify(st, &lan0, "198.18.1.5") == blue);
	ST_CHECK(st, st_classify(st, &lan0, "198.18.9.9") == red);
	ST_CHECK(st, !st_classify(st, &lan0, "203.0.113.1"));
	ST_CHECK(st, st_classify(st, NULL, "198.18.2.1") == eng);
	/* A device-limited prefix only on its device. */
	ST_CHECK(st, !st_classify(st, &lan0, "10.1.1.1"));
	ST_CHECK(st, st_classify(st, &lan1, "10.1.1.1") == green);
	/* An interface tenant wins, but prefixes may pick its children. */
	RCU_INIT_POINTER(lan0.tenant, acme);
	ST_CHECK(st, st_classify(st, &lan0, "198.18.2.7") == eng);
	ST_CHECK(st, st_classify(st, &lan0, "198.18.1.5") == acme);
	ST_CHECK(st, st_classify(st, &lan0, "203.0.113.1") == acme);
	RCU_INIT_POINTER(lan0.tenant, blue);
	ST_CHECK(st, st_classify(st, &lan0, "198.18.2.7") == blue);
	/* Deleting a tenant removes its prefixes. */
	mutex_lock(&st->sn->cfg_lock);
	svr_tenant_unlink(st->sn, blue);
	mutex_unlock(&st->sn->cfg_lock);
	ST_CHECK(st, st_classify(st, &lan1, "198.18.1.5") == red);
}

/* Many services: lookups stay right, loading stays fast. */
static void st_many(struct svr_st *st)
{
	char name[SVR_NAME_MAX], addr[32];
	struct svr_service *svc, *mid = NULL;
	unsigned long start = jiffies;
	int k;

	for (k = 0; k < 10000; k++) {
		snprintf(name, sizeof(name), "m%d", k);
		snprintf(addr, sizeof(addr), "172.%d.%d.0", 16 + k / 256,
			 k % 256);
		svc = st_service(st, name, addr, 24, IPPROTO_TCP, 8000 + k % 7,
				 8000 + k % 7);
		if (!svc)
			break;
		st_access(svc, NULL, SVR_ACCESS_ACTION_ALLOW);
		if (k == 5000)
			mid = svc;
	}
	ST_CHECK(st, k == 10000);
	ST_CHECK(st, mid && st_lookup(st, NULL, "172.35.136.9", IPPROTO_TCP,
				      8000 + 5000 % 7) == mid);
	ST_CHECK(st, !st_lookup(st, NULL, "172.35.136.9", IPPROTO_TCP, 7999));
	pr_debug("10000 services in %u ms\n",
		 jiffies_to_msecs(jiffies - start));
}

int __init svr_config_selftest(void)
{
	struct svr_st st = { };
	int ret;

	st.sn = kzalloc(sizeof(*st.sn), GFP_KERNEL);
	if (!st.sn)
		return -ENOMEM;
	mutex_init(&st.sn->cfg_lock);
	ret = svr_config_net_init(st.sn);
	if (ret)
		goto out;
	st_precedence(&st);
	st_tenants(&st);
	st_many(&st);
	svr_config_net_exit(st.sn);
	if (st.failed) {
		pr_err("fib self-tests: %d of %d failed\n", st.failed, st.n);
		ret = -ENOTRECOVERABLE;
	} else {
		pr_info("fib self-tests: pass\n");
	}
out:
	kfree(st.sn);
	return ret;
}
