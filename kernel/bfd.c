// SPDX-License-Identifier: GPL-2.0
/*
 * BFD liveness of peer paths: RFC 5880 control packets (asynchronous
 * mode, no authentication, no echo) in UDP to port 1280 of the peer's
 * waypoint, from port 1280 of ours (Documentation/datapath.md).
 *
 * A path with a BFD interval is usable only while its BFD session is Up.
 * Each end sends a control packet every interval (jittered to 75-100%,
 * RFC 5880 §6.8.7) and runs the three-way handshake of §6.8.6; when no
 * packet arrived for the detection time (the peer's multiplier times the
 * slower of our interval and its own), the session goes Down. A change to
 * or from Up bumps the configuration generation, so the sessions on the
 * path move as with `peer path set ... down` (failover.c).
 *
 * The state lives in the path's counters object (shared by the versions of
 * a path). One delayed work per netns sends, times out and keeps a table
 * of the paths with BFD (a snapshot of the configuration, rebuilt when the
 * generation changes) that the receive side searches under RCU. Through a
 * NAT, packets go back to the address and port the peer's came from.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "svr.h"
#include "config.h"
#include "datapath.h"

/* RFC 5880 §4.1, the mandatory section. */
struct svr_bfd_pkt {
	u8	vers_diag;	/* version 1 in the top 3 bits */
	u8	sta_flags;	/* state in the top 2 bits, then P F C A D M */
	u8	detect_mult;
	u8	length;
	__be32	my_disc;
	__be32	your_disc;
	__be32	min_tx;		/* desired min TX interval, us */
	__be32	min_rx;		/* required min RX interval, us */
	__be32	min_echo_rx;
} __packed;

#define BFD_VERSION		1
#define BFD_FLAG_POLL		0x20
#define BFD_FLAG_FINAL		0x10
#define BFD_FLAG_AUTH		0x04
#define BFD_FLAG_MULTIPOINT	0x01
#define BFD_DIAG_NONE		0
#define BFD_DIAG_EXPIRED	1	/* control detection time expired */
#define BFD_DIAG_NEIGHBOR_DOWN	3	/* neighbor signaled session down */
#define BFD_DIAG_ADMIN_DOWN	7

struct svr_bfd_ent {
	struct svr_path_stats	*ps;	/* a reference; ->bfd is the state */
	u8			family;
	union svr_addr		local;
	union svr_addr		remote;
	u32			interval;	/* ms */
	u8			mult;
	bool			admin_up;
};

/* The work runs this late or later: it was kept from running (100 ms). */
#define SVR_BFD_LATE	(HZ / 10)

struct svr_bfd_table {
	struct rcu_head		rcu;
	u32			gen;	/* of the configuration it copies */
	unsigned int		n;
	struct svr_bfd_ent	e[];
};

static unsigned int addr_len(u8 family)
{
	return family == AF_INET ? 4 : 16;
}

static void bfd_table_free_rcu(struct rcu_head *head)
{
	struct svr_bfd_table *t = container_of(head, struct svr_bfd_table, rcu);
	unsigned int i;

	for (i = 0; i < t->n; i++)
		svr_path_stats_put(t->e[i].ps);
	kfree(t);
}

/*
 * A path that was not in the table before (@prev: its generation) starts
 * its BFD session afresh: Down, a new discriminator (random, never 0),
 * nothing heard from the peer.
 */
static void bfd_init_state(struct svr_bfd *b, u32 prev, u32 gen)
{
	if (!b->my_disc || b->stamp != prev) {
		b->my_disc = get_random_u32() ?: 1;
		b->your_disc = 0;
		b->peer_port = 0;
		b->state = SVR_BFD_DOWN;
		b->diag = BFD_DIAG_NONE;
		b->send_now = true;
	}
	b->stamp = gen;
}

/* Sessions re-check their path (svr_vec_path_check). cfg_lock held. */
static void bfd_changed(struct svr_net *sn, struct svr_bfd_table *t)
{
	unsigned int i;

	svr_cfg_changed(sn);
	t->gen = sn->cfg->gen;
	for (i = 0; i < t->n; i++) {
		spin_lock_bh(&t->e[i].ps->bfd.lock);
		t->e[i].ps->bfd.stamp = t->gen;
		spin_unlock_bh(&t->e[i].ps->bfd.lock);
	}
}

/*
 * Copy the paths with BFD out of the configuration (@prev: the generation
 * of the table it replaces, 0 for none). cfg_lock held.
 */
static struct svr_bfd_table *bfd_table_build(struct svr_net *sn, u32 prev)
{
	struct svr_config *cfg = sn->cfg;
	struct svr_bfd_table *t;
	struct svr_peer *peer;
	struct svr_path *path;
	unsigned int n = 0;

	list_for_each_entry(peer, &cfg->peer_list, list)
		list_for_each_entry(path, &peer->paths, list)
			n += path->bfd_interval && path->stats;
	t = kzalloc(struct_size(t, e, n), GFP_KERNEL);
	if (!t)
		return NULL;
	t->gen = cfg->gen;
	list_for_each_entry(peer, &cfg->peer_list, list) {
		list_for_each_entry(path, &peer->paths, list) {
			struct svr_bfd_ent *e = &t->e[t->n];

			if (!path->bfd_interval || !path->stats)
				continue;
			e->ps = svr_path_stats_get(path->stats);
			e->family = path->family;
			e->local = path->local;
			e->remote = path->remote;
			e->interval = path->bfd_interval;
			e->mult = path->bfd_mult ?: SVR_DEF_BFD_MULTIPLIER;
			e->admin_up = path->admin == SVR_ADMIN_UP;
			spin_lock_bh(&e->ps->bfd.lock);
			bfd_init_state(&e->ps->bfd, prev, t->gen);
			spin_unlock_bh(&e->ps->bfd.lock);
			t->n++;
		}
	}
	return t;
}

static struct sk_buff *bfd_alloc(struct svr_net *sn, const struct svr_bfd_ent *e,
				 const union svr_addr *daddr, __be16 dport)
{
	unsigned int l3 = e->family == AF_INET ? sizeof(struct iphdr) :
			  sizeof(struct ipv6hdr);
	unsigned int len = l3 + sizeof(struct udphdr) +
			   sizeof(struct svr_bfd_pkt);
	struct dst_entry *dst;
	struct sk_buff *skb;
	struct udphdr *uh;

	dst = svr_route_output(sn->net, e->family, daddr, &e->local,
			       IPPROTO_UDP, 0, 0);
	if (IS_ERR(dst))
		return NULL;
	skb = alloc_skb(LL_MAX_HEADER + len, GFP_KERNEL);
	if (!skb) {
		dst_release(dst);
		return NULL;
	}
	skb_reserve(skb, LL_MAX_HEADER);
	skb_dst_set(skb, dst);
	skb_reset_network_header(skb);
	skb_put_zero(skb, len);
	skb_set_transport_header(skb, l3);
	uh = udp_hdr(skb);
	uh->source = htons(SVR_BFD_PORT);
	uh->dest = dport;
	uh->len = htons(len - l3);
	if (e->family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		skb->protocol = htons(ETH_P_IP);
		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 255;
		iph->protocol = IPPROTO_UDP;
		iph->frag_off = htons(IP_DF);
		iph->saddr = e->local.ip;
		iph->daddr = daddr->ip;
		iph->tot_len = htons(len);
		ip_select_ident(sn->net, skb, NULL);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		skb->protocol = htons(ETH_P_IPV6);
		ip6h->version = 6;
		ip6h->hop_limit = 255;
		ip6h->nexthdr = IPPROTO_UDP;
		ip6h->saddr = e->local.ip6;
		ip6h->daddr = daddr->ip6;
		ip6h->payload_len = htons(len - l3);
	}
	return skb;
}

static void bfd_csum(struct sk_buff *skb, u8 family)
{
	struct udphdr *uh = udp_hdr(skb);
	unsigned int l4len = ntohs(uh->len);
	__wsum csum = skb_checksum(skb, skb_transport_offset(skb), l4len, 0);

	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		uh->check = csum_tcpudp_magic(iph->saddr, iph->daddr, l4len,
					      IPPROTO_UDP, csum);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		uh->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, l4len,
					    IPPROTO_UDP, csum);
	}
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

/* One control packet of @e's session, to where the peer's come from. */
static void bfd_send(struct svr_net *sn, const struct svr_bfd_ent *e)
{
	struct svr_bfd *b = &e->ps->bfd;
	struct svr_bfd_pkt *pkt;
	union svr_addr daddr;
	struct sk_buff *skb;
	__be16 dport;
	int ret;

	spin_lock_bh(&b->lock);
	daddr = b->peer_port ? b->peer_addr : e->remote;
	dport = b->peer_port ?: htons(SVR_BFD_PORT);
	spin_unlock_bh(&b->lock);
	skb = bfd_alloc(sn, e, &daddr, dport);
	if (!skb) {
		svr_stat_inc(sn, SVR_STAT_BFD_SEND_FAILED);
		return;
	}
	pkt = (struct svr_bfd_pkt *)(udp_hdr(skb) + 1);
	spin_lock_bh(&b->lock);
	pkt->vers_diag = BFD_VERSION << 5 | (b->diag & 0x1f);
	pkt->sta_flags = (e->admin_up ? b->state : SVR_BFD_ADMIN_DOWN) << 6;
	pkt->detect_mult = e->mult;
	pkt->length = sizeof(*pkt);
	pkt->my_disc = htonl(b->my_disc);
	pkt->your_disc = htonl(b->your_disc);
	spin_unlock_bh(&b->lock);
	pkt->min_tx = htonl(e->interval * USEC_PER_MSEC);
	pkt->min_rx = htonl(e->interval * USEC_PER_MSEC);
	bfd_csum(skb, e->family);
	svr_untrack(skb);
	local_bh_disable();
	if (e->family == AF_INET)
		ret = ip_local_out(sn->net, NULL, skb);
	else
		ret = ip6_local_out(sn->net, NULL, skb);
	local_bh_enable();
	if (ret < 0 || ret == NET_XMIT_DROP) {
		svr_stat_inc(sn, SVR_STAT_BFD_SEND_FAILED);
		return;
	}
	atomic64_inc(&b->tx);
	svr_stat_inc(sn, SVR_STAT_BFD_SENT);
}

/* The detection time: the peer's multiplier of the slower interval. */
static unsigned long bfd_detect(const struct svr_bfd_ent *e,
				const struct svr_bfd *b)
{
	u32 ms = clamp_t(u32, b->remote_min_tx / USEC_PER_MSEC, e->interval,
			 SVR_BFD_INTERVAL_MAX);

	return msecs_to_jiffies(ms * (b->remote_mult ?: e->mult));
}

/* Counted here, acted on by the work: it bumps the generation. */
static void bfd_set_state(struct svr_net *sn, struct svr_bfd *b, u8 state,
			  u8 diag)
{
	if (b->state == SVR_BFD_UP && state != SVR_BFD_UP) {
		atomic64_inc(&b->downs);
		svr_stat_inc(sn, SVR_STAT_BFD_PATH_DOWN);
		b->flipped = true;
	} else if (b->state != SVR_BFD_UP && state == SVR_BFD_UP) {
		svr_stat_inc(sn, SVR_STAT_BFD_PATH_UP);
		b->flipped = true;
	}
	if (b->state != state)
		b->send_now = true;	/* tell the peer at once */
	WRITE_ONCE(b->state, state);
	b->diag = diag;
}

static void bfd_log(const struct svr_bfd_ent *e, const struct svr_bfd *b)
{
	static const char *const diag[] = {
		"", " (detection time expired)", "", " (peer said down)",
		"", "", "", " (administratively down)",
	};
	const char *d = b->state == SVR_BFD_UP ? "up" : "down";
	const char *why = diag[b->diag & 7];

	if (e->family == AF_INET)
		pr_notice_ratelimited("path %pI4 -> %pI4: BFD %s%s\n",
				      &e->local.ip, &e->remote.ip, d, why);
	else
		pr_notice_ratelimited("path %pI6c -> %pI6c: BFD %s%s\n",
				      &e->local.ip6, &e->remote.ip6, d, why);
}

/*
 * One entry's timers. Returns the jiffies of its next event; *changed is
 * set when the path became usable or stopped being so.
 */
static unsigned long bfd_tick_one(struct svr_net *sn,
				  const struct svr_bfd_ent *e, bool judge,
				  bool *changed)
{
	struct svr_bfd *b = &e->ps->bfd;
	unsigned long now = jiffies, next, deadline = 0;
	bool send = false;

	spin_lock_bh(&b->lock);
	if (!e->admin_up) {
		if (b->state != SVR_BFD_ADMIN_DOWN)
			bfd_set_state(sn, b, SVR_BFD_ADMIN_DOWN,
				      BFD_DIAG_ADMIN_DOWN);
	} else if (b->state == SVR_BFD_ADMIN_DOWN) {
		bfd_set_state(sn, b, SVR_BFD_DOWN, BFD_DIAG_NONE);
	}
	if (judge && (b->state == SVR_BFD_INIT || b->state == SVR_BFD_UP) &&
	    time_after_eq(now, b->last_rx + bfd_detect(e, b))) {
		bfd_set_state(sn, b, SVR_BFD_DOWN, BFD_DIAG_EXPIRED);
		b->your_disc = 0;
		b->peer_port = 0;	/* back to the configured address */
	}
	if (b->state == SVR_BFD_INIT || b->state == SVR_BFD_UP)
		deadline = b->last_rx + bfd_detect(e, b);
	if (b->flipped) {
		b->flipped = false;
		*changed = true;
		bfd_log(e, b);
	}
	if (b->send_now || time_after_eq(now, b->next_tx)) {
		u32 ms = e->interval - get_random_u32_below(e->interval / 4 + 1);

		b->send_now = false;
		b->next_tx = now + max_t(unsigned long, msecs_to_jiffies(ms), 1);
		send = true;
	}
	next = b->next_tx;
	if (deadline && time_before(deadline, next))
		next = deadline;
	spin_unlock_bh(&b->lock);
	if (send)
		bfd_send(sn, e);
	return next;
}

static void bfd_work(struct work_struct *work)
{
	struct svr_net *sn = container_of(to_delayed_work(work),
					  struct svr_net, bfd.work);
	struct svr_bfd_table *t, *old;
	unsigned long now, next;
	bool changed = false, judge;
	unsigned int i;

	mutex_lock(&sn->cfg_lock);
	if (READ_ONCE(sn->bfd.stop))
		goto out;
	t = rcu_dereference_protected(sn->bfd.table,
				      lockdep_is_held(&sn->cfg_lock));
	if (!t || t->gen != sn->cfg->gen) {
		old = t;
		t = bfd_table_build(sn, old ? old->gen : 0);
		if (!t) {	/* try again in a second */
			WRITE_ONCE(sn->bfd.due, jiffies + HZ);
			queue_delayed_work(system_wq, &sn->bfd.work, HZ);
			goto out;
		}
		rcu_assign_pointer(sn->bfd.table, t);
		if (old)
			call_rcu(&old->rcu, bfd_table_free_rcu);
	}
	now = jiffies;
	/*
	 * Running late (a busy CPU, a paused VM), it cannot tell a silent
	 * peer from packets still waiting to be received: it sends, and
	 * judges the detection time 100 ms later, once in a row at most.
	 */
	judge = sn->bfd.deferred ||
		!time_after(now, READ_ONCE(sn->bfd.due) + SVR_BFD_LATE);
	sn->bfd.deferred = !judge;
	if (!judge)
		svr_stat_inc(sn, SVR_STAT_BFD_LATE);
	next = now + (judge ? HZ : SVR_BFD_LATE);
	for (i = 0; i < t->n; i++) {
		unsigned long n = bfd_tick_one(sn, &t->e[i], judge, &changed);

		if (time_before(n, next))
			next = n;
	}
	if (changed)
		bfd_changed(sn, t);
	/* Without BFD paths, only a configuration change wakes it. */
	if (t->n) {
		next = time_after(next, now) ? next - now : 1;
		WRITE_ONCE(sn->bfd.due, now + next);
		queue_delayed_work(system_wq, &sn->bfd.work, next);
	}
out:
	mutex_unlock(&sn->cfg_lock);
}

/**
 * svr_bfd_kick - look at the configuration and the BFD sessions now
 * @sn: the netns's svr state
 *
 * Any context. A no-op before svr_bfd_net_init() and after
 * svr_bfd_net_exit().
 */
void svr_bfd_kick(struct svr_net *sn)
{
	/* Not the private svr_net of the load-time selftest (selftest.c). */
	if (!READ_ONCE(sn->bfd.ready) || READ_ONCE(sn->bfd.stop))
		return;
	WRITE_ONCE(sn->bfd.due, jiffies);
	mod_delayed_work(system_wq, &sn->bfd.work, 0);
}

/* The entry for a packet from @saddr to @daddr with @your_disc. RCU. */
static const struct svr_bfd_ent *bfd_find(const struct svr_bfd_table *t,
					  u8 family, const union svr_addr *saddr,
					  const union svr_addr *daddr,
					  u32 your_disc)
{
	const struct svr_bfd_ent *e, *by_local = NULL;
	unsigned int i, n_local = 0, alen = addr_len(family);

	for (i = 0; i < t->n; i++) {
		e = &t->e[i];
		if (e->family != family || memcmp(&e->local, daddr, alen))
			continue;
		if (your_disc)
			if (READ_ONCE(e->ps->bfd.my_disc) == your_disc)
				return e;
		if (!your_disc && !memcmp(&e->remote, saddr, alen))
			return e;
		by_local = e;
		n_local++;
	}
	/* Through a NAT the source is not the peer's waypoint. */
	return !your_disc && n_local == 1 ? by_local : NULL;
}

/* RFC 5880 §6.8.6 for a valid packet @pkt of @b's session. */
static bool bfd_rx_state(struct svr_net *sn, struct svr_bfd *b,
			 const struct svr_bfd_pkt *pkt)
{
	u8 rs = pkt->sta_flags >> 6;

	b->remote_state = rs;
	b->your_disc = ntohl(pkt->my_disc);
	b->remote_min_tx = ntohl(pkt->min_tx);
	b->remote_mult = pkt->detect_mult;
	b->last_rx = jiffies;
	if (b->state == SVR_BFD_ADMIN_DOWN)
		return false;
	if (rs == SVR_BFD_ADMIN_DOWN) {
		if (b->state != SVR_BFD_DOWN)
			bfd_set_state(sn, b, SVR_BFD_DOWN,
				      BFD_DIAG_NEIGHBOR_DOWN);
	} else if (b->state == SVR_BFD_DOWN) {
		if (rs == SVR_BFD_DOWN)
			bfd_set_state(sn, b, SVR_BFD_INIT, BFD_DIAG_NONE);
		else if (rs == SVR_BFD_INIT)
			bfd_set_state(sn, b, SVR_BFD_UP, BFD_DIAG_NONE);
	} else if (b->state == SVR_BFD_INIT) {
		if (rs == SVR_BFD_INIT || rs == SVR_BFD_UP)
			bfd_set_state(sn, b, SVR_BFD_UP, BFD_DIAG_NONE);
	} else if (rs == SVR_BFD_DOWN) {
		bfd_set_state(sn, b, SVR_BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN);
	}
	return b->send_now;
}

/**
 * svr_bfd_rcv - a UDP packet to port 1280 of one of our addresses
 * @sn: the netns's svr state
 * @skb: the packet
 * @p: its parse
 *
 * Context: prerouting hook, RCU. The packet is consumed, unless no path
 * has BFD (then the port is left to the local stack).
 * Return: the netfilter verdict.
 */
unsigned int svr_bfd_rcv(struct svr_net *sn, struct sk_buff *skb,
			 const struct svr_pkt *p)
{
	unsigned int off = p->l4off + sizeof(struct udphdr);
	const struct svr_bfd_table *t;
	const struct svr_bfd_ent *e;
	struct svr_bfd_pkt *pkt;
	struct svr_bfd *b;
	u32 your_disc;
	u8 rs;

	t = rcu_dereference(sn->bfd.table);
	if (!t || !t->n)	/* no BFD here: the port is not ours */
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, off + sizeof(*pkt)))
		return svr_drop(sn, skb, SVR_DROP_BFD_MALFORMED);
	pkt = (struct svr_bfd_pkt *)(skb->data + off);
	rs = pkt->sta_flags >> 6;
	your_disc = ntohl(pkt->your_disc);
	/* RFC 5880 §6.8.6: the checks of a received control packet. */
	if (pkt->vers_diag >> 5 != BFD_VERSION ||
	    pkt->length < sizeof(*pkt) ||
	    pkt->length > skb->len - off || !pkt->detect_mult ||
	    (pkt->sta_flags & (BFD_FLAG_MULTIPOINT | BFD_FLAG_AUTH)) ||
	    !pkt->my_disc ||
	    (!your_disc && rs != SVR_BFD_DOWN && rs != SVR_BFD_ADMIN_DOWN))
		return svr_drop(sn, skb, SVR_DROP_BFD_MALFORMED);
	e = bfd_find(t, p->key.family, &p->key.saddr, &p->key.daddr,
		     your_disc);
	if (!e)
		return svr_drop(sn, skb, SVR_DROP_BFD_NO_PATH);
	b = &e->ps->bfd;
	spin_lock(&b->lock);
	b->peer_addr = p->key.saddr;
	b->peer_port = p->key.sport;
	if (bfd_rx_state(sn, b, pkt))
		svr_bfd_kick(sn);
	spin_unlock(&b->lock);
	atomic64_inc(&b->rx);
	svr_stat_inc(sn, SVR_STAT_BFD_RCVD);
	consume_skb(skb);
	return NF_STOLEN;
}

void svr_bfd_net_init(struct svr_net *sn)
{
	INIT_DELAYED_WORK(&sn->bfd.work, bfd_work);
	WRITE_ONCE(sn->bfd.ready, true);
}

/* Before the configuration goes: no work runs after this. */
void svr_bfd_net_exit(struct svr_net *sn)
{
	struct svr_bfd_table *t;

	WRITE_ONCE(sn->bfd.stop, true);
	cancel_delayed_work_sync(&sn->bfd.work);
	t = rcu_dereference_protected(sn->bfd.table, true);
	RCU_INIT_POINTER(sn->bfd.table, NULL);
	if (t)
		call_rcu(&t->rcu, bfd_table_free_rcu);
}
