// SPDX-License-Identifier: GPL-2.0
/*
 * The session datapath on one router.
 *
 * PREROUTING sees every unicast packet that arrives on a managed interface
 * and is not addressed to the router. A packet whose 7-tuple is in the
 * session table takes the fast lane: one RCU lookup, the session's
 * rewrite, counters. Anything else is a first packet: tenant, FIB of
 * services, access policy, a next hop, and a new session with both
 * directions' keys.
 *
 * Rewrites happen before routing, like nf_nat's DNAT, and the source is
 * rewritten after svr routed the packet itself (ip_route_input_noref),
 * so a source NAT to one of the router's own addresses is never taken for
 * a martian. `via gateway` sessions are routed to their gateway with a
 * known-next-hop output route and sent with ip_local_out (as nf_dup does):
 * they skip the FORWARD chain and traverse LOCAL_OUT and POSTROUTING.
 * Replies from the router's own stack to `via host` sessions are
 * translated at LOCAL_OUT.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <net/addrconf.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "svr.h"
#include "config.h"
#include "datapath.h"
#include "nat.h"
#include "session.h"
#include "svr_trace.h"

enum {
	SVR_NAT_PORT_LO		= 1024,
	SVR_NAT_TRIES		= 64,
};

unsigned int svr_drop(struct svr_net *sn, struct sk_buff *skb,
		      enum svr_drop_reason why)
{
	svr_stat_inc(sn, SVR_STAT_DROP_NONE + why);
	trace_svr_drop(skb, why);
	return NF_DROP;
}

/* Keep conntrack out of svr's sessions: it would track half a translation. */
void svr_untrack(struct sk_buff *skb)
{
	if (!skb_nfct(skb))
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

static u16 svr_dev_vlan(const struct net_device *dev)
{
	return is_vlan_dev(dev) ? vlan_dev_vlan_id(dev) : 0;
}

/* Per-netns token bucket for the ICMP errors svr sends. */
static bool svr_icmp_allow(struct svr_net *sn)
{
	u32 rate = svr_router_get_rcu(sn)->icmp_rate;
	unsigned long now = jiffies;
	bool ok;

	if (!rate)
		return false;
	spin_lock_bh(&sn->icmp_lock);
	sn->icmp_tokens += (u64)(now - sn->icmp_last) * rate;
	sn->icmp_last = now;
	if (sn->icmp_tokens > (u64)rate * HZ)
		sn->icmp_tokens = (u64)rate * HZ;
	ok = sn->icmp_tokens >= HZ;
	if (ok)
		sn->icmp_tokens -= HZ;
	spin_unlock_bh(&sn->icmp_lock);
	return ok;
}

enum svr_unreach {
	SVR_UNREACH_NET,
	SVR_UNREACH_ADMIN,
	SVR_UNREACH_HOST,
};

static void svr_send_unreach(struct svr_net *sn, struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     enum svr_unreach why)
{
	static const u8 code4[] = {
		[SVR_UNREACH_NET]	= ICMP_NET_UNREACH,
		[SVR_UNREACH_ADMIN]	= ICMP_PKT_FILTERED,
		[SVR_UNREACH_HOST]	= ICMP_HOST_UNREACH,
	};
	static const u8 code6[] = {
		[SVR_UNREACH_NET]	= ICMPV6_NOROUTE,
		[SVR_UNREACH_ADMIN]	= ICMPV6_ADM_PROHIBITED,
		[SVR_UNREACH_HOST]	= ICMPV6_ADDR_UNREACH,
	};

	if (!svr_icmp_allow(sn)) {
		svr_stat_inc(sn, SVR_STAT_ICMP_RATELIMITED);
		return;
	}
	if (state->pf == NFPROTO_IPV4)
		nf_send_unreach(skb, code4[why], state->hook);
	else
		nf_send_unreach6(state->net, skb, code6[why], state->hook);
	svr_stat_inc(sn, SVR_STAT_ICMP_SENT);
}

static bool svr_addr_is_local(struct net *net, const struct net_device *dev,
			      const struct svr_tuple *k)
{
	if (k->family == AF_INET)
		return inet_addr_type_dev_table(net, dev, k->daddr.ip) != RTN_UNICAST;
	return ipv6_addr_type(&k->daddr.ip6) &
	       (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL | IPV6_ADDR_LOOPBACK) ||
	       ipv6_chk_addr(net, &k->daddr.ip6, NULL, 0);
}

/* Route @skb ourselves (before its source changes): 0 or -errno. */
int svr_route_input(struct sk_buff *skb, const struct svr_pkt *p)
{
	if (skb_dst(skb))
		return 0;
	if (p->key.family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		return ip_route_input_noref(skb, iph->daddr, iph->saddr,
					    iph->tos, skb->dev);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		struct flowi6 fl6 = {
			.flowi6_iif	= skb->dev->ifindex,
			.daddr		= ip6h->daddr,
			.saddr		= ip6h->saddr,
			.flowlabel	= ip6_flowinfo(ip6h),
			.flowi6_mark	= skb->mark,
			.flowi6_proto	= p->key.proto,
		};
		struct dst_entry *dst;

		dst = ip6_route_input_lookup(dev_net(skb->dev), skb->dev, &fl6,
					     skb, RT6_LOOKUP_F_HAS_SADDR);
		if (dst->error) {
			int err = dst->error;

			dst_release(dst);
			return err;
		}
		skb_dst_set(skb, dst);
		return 0;
	}
}

/*
 * Can the route @f's packets took last time be used for this one? IPv4
 * only (an IPv6 route is checked against a cookie the flow has no room
 * for), and only without policy routing rules, which may choose by more
 * than the flow's tuple (mark, TOS, uid).
 */
static bool svr_flow_dst_ok(struct net *net, const struct svr_pkt *p)
{
	return p->key.family == AF_INET && !net->ipv4.fib_has_custom_rules;
}

/*
 * Give @skb the route flow @f's previous packets took, if the flow kept
 * one and dst_check() says it is still valid (any FIB or device change
 * ages every IPv4 route: a changed route is followed by the next packet).
 */
static bool svr_flow_route_kept(struct sk_buff *skb, const struct svr_pkt *p,
				struct svr_flow *f)
{
	struct svr_session *s = svr_flow_session(f);
	struct dst_entry *dst;

	if (skb_dst(skb) || !svr_flow_dst_ok(dev_net(skb->dev), p))
		return false;
	dst = rcu_dereference(s->dst[f->dir]);
	if (!dst || !dst_check(dst, 0))
		return false;
	skb_dst_set_noref(skb, dst);
	return true;
}

/*
 * Route a packet of flow @f's session whose kept route (above) would not
 * do: a lookup (svr_route_input()), its result kept for the next packet.
 * 0 or -errno, as svr_route_input().
 */
static int svr_flow_route(struct sk_buff *skb, const struct svr_pkt *p,
			  struct svr_flow *f)
{
	struct svr_session *s = svr_flow_session(f);
	struct dst_entry *dst, *old;
	bool cache;
	int ret;

	if (skb_dst(skb))
		return 0;
	cache = svr_flow_dst_ok(dev_net(skb->dev), p);
	ret = svr_route_input(skb, p);
	if (ret || !cache)
		return ret;
	dst = skb_dst(skb);
	if (dst->obsolete != DST_OBSOLETE_FORCE_CHK || !dst_hold_safe(dst))
		return 0;
	old = unrcu_pointer(xchg(&s->dst[f->dir], RCU_INITIALIZER(dst)));
	/* Freed after a grace period: a packet that set it noref is safe. */
	dst_release(old);
	return 0;
}

/**
 * svr_rewrite_route - rewrite and route a packet of flow @f
 * @skb: the packet
 * @p: its parse
 * @f: its flow
 * @rw: what the flow's packets become
 *
 * The destination is rewritten first and the packet routed as rewritten;
 * the source after the lookup (one of the router's own addresses as the
 * source fails an input route's checks). With the flow's kept route still
 * valid there is no lookup, and both are rewritten in one pass.
 *
 * Return: SVR_DROP_NONE, SVR_DROP_NOMEM or SVR_DROP_NO_ROUTE.
 */
enum svr_drop_reason svr_rewrite_route(struct sk_buff *skb,
				       const struct svr_pkt *p,
				       struct svr_flow *f,
				       const struct svr_rewrite *rw)
{
	if (svr_flow_route_kept(skb, p, f))
		return svr_nat_apply(skb, p, rw, SVR_RW_ALL) ?
		       SVR_DROP_NOMEM : SVR_DROP_NONE;
	if (svr_nat_apply(skb, p, rw, SVR_RW_DADDR | SVR_RW_DPORT))
		return SVR_DROP_NOMEM;
	if (svr_flow_route(skb, p, f))
		return SVR_DROP_NO_ROUTE;
	if (svr_nat_apply(skb, p, rw, SVR_RW_SADDR | SVR_RW_SPORT))
		return SVR_DROP_NOMEM;
	return SVR_DROP_NONE;
}

/**
 * svr_route_output - an output route, IPv4 or IPv6
 * @net: the netns
 * @family: AF_INET or AF_INET6
 * @daddr: the destination
 * @saddr: the source, or NULL for the route's
 * @proto: the L4 protocol, or 0
 * @oif: the output device, 0 for any
 * @flags: FLOWI_FLAG_* (FLOWI_FLAG_KNOWN_NH: @daddr is the next hop)
 *
 * Return: a dst the caller holds a reference on, or an ERR_PTR().
 */
struct dst_entry *svr_route_output(struct net *net, u8 family,
				   const union svr_addr *daddr,
				   const union svr_addr *saddr, u8 proto,
				   int oif, u8 flags)
{
	struct flowi6 fl6 = {
		.flowi6_oif	= oif,
		.flowi6_proto	= proto,
		.flowi6_flags	= flags,
	};
	struct dst_entry *dst;
	int err;

	if (family == AF_INET) {
		struct flowi4 fl4 = {
			.daddr		= daddr->ip,
			.saddr		= saddr ? saddr->ip : 0,
			.flowi4_oif	= oif,
			.flowi4_proto	= proto,
			.flowi4_scope	= RT_SCOPE_UNIVERSE,
			.flowi4_flags	= flags,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		return IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
	}
	fl6.daddr = daddr->ip6;
	if (saddr)
		fl6.saddr = saddr->ip6;
	dst = ip6_route_output(net, NULL, &fl6);
	if (!dst->error)
		return dst;
	err = dst->error;
	dst_release(dst);
	return ERR_PTR(err);
}

/* A known-next-hop output route to gateway @gw (by device @oif if not 0). */
static struct dst_entry *svr_route_gateway(struct net *net, u8 family,
					   const union svr_addr *gw, int oif)
{
	return svr_route_output(net, family, gw, NULL, 0, oif,
				FLOWI_FLAG_KNOWN_NH);
}

/*
 * Is the packet's TTL (hop limit) used up, so that forwarding it would
 * expire it? Then the sender gets "time exceeded" from us, as ip_forward
 * would send it, but before svr rewrites the source (ip_forward's own
 * error would go to our waypoint or source NAT address). Rate limited by
 * the kernel's ICMP limits; the caller drops the packet.
 */
bool svr_ttl_expired(struct svr_net *sn, struct sk_buff *skb,
		     const struct svr_pkt *p)
{
	struct net *net = sn->net;
	struct dst_entry *dst;

	if (p->key.family == AF_INET ? ip_hdr(skb)->ttl > 1 :
				       ipv6_hdr(skb)->hop_limit > 1)
		return false;
	if (p->icmp_error || skb_dst(skb))
		return true;
	/* icmp_send() wants a route on the packet: the one back. */
	dst = svr_route_output(net, p->key.family, &p->key.saddr, NULL, 0, 0, 0);
	if (IS_ERR(dst))
		return true;
	skb_dst_set(skb, dst);
	if (p->key.family == AF_INET)
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
	else
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
	svr_stat_inc(sn, SVR_STAT_ICMP_SENT);
	return true;
}

/* Forward @skb to its session's gateway: NF_STOLEN, or a drop reason. */
unsigned int svr_xmit_gateway(struct svr_net *sn, struct sk_buff *skb,
			      const struct svr_pkt *p,
			      const struct svr_session *s)
{
	struct net *net = sn->net;
	struct dst_entry *dst;
	union svr_addr gw;

	if (p->key.family == AF_INET ? ip_hdr(skb)->ttl <= 1 :
				       ipv6_hdr(skb)->hop_limit <= 1)
		return svr_drop(sn, skb, SVR_DROP_TTL);
	svr_sa_get(s, SVR_SA_GW, &gw);
	dst = svr_route_gateway(net, p->key.family, &gw, s->nh.oif);
	if (IS_ERR(dst))
		return svr_drop(sn, skb, SVR_DROP_NO_ROUTE);
	if (skb_ensure_writable(skb, p->key.family == AF_INET ?
				sizeof(struct iphdr) : sizeof(struct ipv6hdr))) {
		dst_release(dst);
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	skb->dev = dst->dev;
	skb_forward_csum(skb);
	if (p->key.family == AF_INET) {
		ip_decrease_ttl(ip_hdr(skb));
		ip_local_out(net, NULL, skb);
	} else {
		ipv6_hdr(skb)->hop_limit--;
		ip6_local_out(net, NULL, skb);
	}
	return NF_STOLEN;
}

/* Would ip_forward() meet IPsec here: policies in the netns, a decrypted packet? */
static bool svr_xfrm_active(const struct net *net, const struct sk_buff *skb)
{
#ifdef CONFIG_XFRM
	return net->xfrm.policy_count[XFRM_POLICY_FWD] ||
	       net->xfrm.policy_count[XFRM_POLICY_OUT] || secpath_exists(skb);
#else
	return false;
#endif
}

/*
 * Can svr_xmit_direct() send @skb on route @rt? Only what ip_forward()
 * and ip_output() would send as it is: a unicast forwarding route without
 * a lightweight tunnel, no IP options, a TTL that does not expire here,
 * within the route's MTU (a GSO packet: its segments) and not reassembled
 * (the stack fragments again, or answers "fragmentation needed"), no
 * IPsec in the netns, no LRO packet (the stack refuses those).
 */
static bool svr_direct_ok(const struct net *net, const struct sk_buff *skb,
			  const struct rtable *rt)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int mtu;

	if (rt->rt_type != RTN_UNICAST || rt->dst.lwtstate ||
	    iph->ihl != 5 || iph->ttl <= 1 || skb->sk ||
	    IPCB(skb)->frag_max_size || svr_xfrm_active(net, skb))
		return false;
	if (skb_is_gso(skb) && !skb_shinfo(skb)->gso_type)
		return false;
	mtu = ip_dst_mtu_maybe_forward(&rt->dst, true);
	return skb->len <= mtu ||
	       (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu));
}

/*
 * Send a routed IPv4 packet from PREROUTING to its next hop's neighbour
 * entry, as an nftables flowtable sends an offloaded flow: what
 * ip_forward() and ip_output() do to the packet (checksum state, TTL,
 * priority, the IP MIB counters, headroom), without the FORWARD and
 * POSTROUTING hooks between them. NF_STOLEN, or NF_ACCEPT when the
 * stack must forward it (svr_direct_ok()).
 */
static unsigned int svr_xmit_direct(struct svr_net *sn, struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct net *net = sn->net;
	struct neighbour *neigh;
	bool is_v6gw = false;
	struct iphdr *iph;

	if (!svr_direct_ok(net, skb, rt))
		return NF_ACCEPT;
	skb_forward_csum(skb);
	if (skb_cow(skb, LL_RESERVED_SPACE(rt->dst.dev) + rt->dst.header_len))
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	iph = ip_hdr(skb);
	ip_decrease_ttl(iph);
	IPCB(skb)->flags |= IPSKB_FORWARDED;
	if (READ_ONCE(net->ipv4.sysctl_ip_fwd_update_priority))
		skb->priority = rt_tos2priority(iph->tos);
	__IP_INC_STATS(net, IPSTATS_MIB_OUTFORWDATAGRAMS);
	__IP_ADD_STATS(net, IPSTATS_MIB_OUTOCTETS, skb->len);
	IP_UPD_PO_STATS(net, IPSTATS_MIB_OUT, skb->len);
	skb_clear_tstamp(skb);
	skb->dev = rt->dst.dev;
	neigh = ip_neigh_for_gw(rt, skb, &is_v6gw);
	if (IS_ERR(neigh))
		return svr_drop(sn, skb, SVR_DROP_NO_ROUTE);
	svr_stat_inc(sn, SVR_STAT_DIRECT_XMIT);
	neigh_output(neigh, skb, is_v6gw);
	return NF_STOLEN;
}

/**
 * svr_pass - the verdict for a packet svr rewrote and routed
 * @sn: the router
 * @skb: the packet, with its route
 * @f: its flow
 *
 * NF_ACCEPT: the stack forwards it (ip_forward(), FORWARD, POSTROUTING).
 * With the router's direct-xmit on, an IPv4 packet of a session that has
 * seen a reply, other than its direction's first, is sent from here
 * (svr_xmit_direct()): each direction's first packet went through the
 * FORWARD rules, as a flowtable offloads a connection only after them.
 *
 * Return: NF_ACCEPT or NF_STOLEN.
 */
unsigned int svr_pass(struct svr_net *sn, struct sk_buff *skb,
		      struct svr_flow *f)
{
	u8 state = READ_ONCE(svr_flow_session(f)->state);

	if (skb->protocol != htons(ETH_P_IP) || !skb_dst(skb) ||
	    state == SVR_SS_NEW || state == SVR_SS_CLOSED ||
	    atomic64_read(&f->packets) < 2 ||
	    !svr_router_get_rcu(sn)->direct_xmit)
		return NF_ACCEPT;
	return svr_xmit_direct(sn, skb);
}

/*
 * Apply @f's rewrite and send the packet on: the destination before
 * routing, then svr's own route lookup when the source changes too.
 */
static unsigned int svr_forward(struct svr_net *sn, struct sk_buff *skb,
				const struct svr_pkt *p, struct svr_flow *f,
				struct svr_session *s)
{
	const struct svr_rewrite *rw;
	enum svr_drop_reason why;
	struct svr_rewrite buf;

	if (s->role != SVR_SESSION_ROLE_LOCAL)
		return svr_vec_forward(sn, skb, p, f, s);
	rw = svr_flow_rw(f, &buf);
	if (f->dir == SVR_DIR_FWD && s->nh.type == SVR_NH_GATEWAY) {
		if (svr_nat_apply(skb, p, rw, SVR_RW_ALL))
			return svr_drop(sn, skb, SVR_DROP_NOMEM);
		svr_untrack(skb);
		return svr_xmit_gateway(sn, skb, p, s);
	}
	if (rw->flags & (SVR_RW_SADDR | SVR_RW_SPORT))
		why = svr_rewrite_route(skb, p, f, rw);
	else if (svr_nat_apply(skb, p, rw, SVR_RW_DADDR | SVR_RW_DPORT))
		why = SVR_DROP_NOMEM;
	else
		why = SVR_DROP_NONE;
	if (why)
		return svr_drop(sn, skb, why);
	svr_untrack(skb);
	return svr_pass(sn, skb, f);
}

static const struct tcphdr *svr_tcph(const struct sk_buff *skb,
				     const struct svr_pkt *p)
{
	if (p->key.proto != IPPROTO_TCP)
		return NULL;
	return (const struct tcphdr *)(skb->data + p->l4off);
}

/* A SYN on a closed session's flow: a new connection (svr_session_reopen). */
static bool svr_tcp_reopens(const struct sk_buff *skb, const struct svr_pkt *p,
			    struct svr_flow *f)
{
	const struct tcphdr *th = svr_tcph(skb, p);

	return th && th->syn && !th->ack &&
	       svr_session_reopen(svr_flow_session(f));
}

static unsigned int svr_fast_lane(struct svr_net *sn, struct sk_buff *skb,
				  const struct svr_pkt *p, struct svr_flow *f)
{
	struct svr_session *s = svr_flow_session(f);

	if (unlikely(s->stale))
		return svr_drop(sn, skb, SVR_DROP_STALE);
	svr_stat_inc(sn, SVR_STAT_FAST_LANE);
	svr_session_seen(s, f->dir, skb->len, svr_tcph(skb, p));
	return svr_forward(sn, skb, p, f, s);
}

/* The reply's 7-tuple as it will arrive, given the forward rewrite. */
static void svr_reverse_key(struct svr_session *s, const struct net_device *out,
			    struct svr_tuple *rk)
{
	struct svr_rewrite rw;
	struct svr_tuple k;

	svr_flow_key(&s->flow[SVR_DIR_FWD], &k);
	svr_session_rw(s, &rw);
	memset(rk, 0, sizeof(*rk));
	rk->family = k.family;
	rk->proto = k.proto;
	rk->saddr = rw.flags & SVR_RW_DADDR ? rw.daddr : k.daddr;
	rk->daddr = rw.flags & SVR_RW_SADDR ? rw.saddr : k.saddr;
	rk->sport = rw.flags & SVR_RW_DPORT ? rw.dport : k.dport;
	rk->dport = rw.flags & SVR_RW_SPORT ? rw.sport : k.sport;
	if (k.proto == IPPROTO_ICMP || k.proto == IPPROTO_ICMPV6)
		rk->sport = rk->dport;
	rk->ifindex = out ? out->ifindex : 0;
	rk->vlan = out ? svr_dev_vlan(out) : 0;
}

/*
 * The reverse flow undoes what the forward flow did: its rewrite is not
 * stored but derived from the forward key and rewrite (svr_flow_rw()).
 */
void svr_session_rev_rw(const struct svr_session *s, struct svr_rewrite *rr)
{
	u8 fl = READ_ONCE(s->rw.flags);
	struct svr_tuple k;

	svr_flow_key(&s->flow[SVR_DIR_FWD], &k);
	rr->flags = 0;
	if (fl & SVR_RW_SADDR) {
		rr->daddr = k.saddr;
		rr->flags |= SVR_RW_DADDR;
	}
	if (fl & SVR_RW_SPORT) {
		rr->dport = k.sport;
		rr->flags |= SVR_RW_DPORT;
	}
	if (fl & SVR_RW_DADDR) {
		rr->saddr = k.daddr;
		rr->flags |= SVR_RW_SADDR;
	}
	if (fl & SVR_RW_DPORT) {
		rr->sport = k.dport;
		rr->flags |= SVR_RW_SPORT;
	}
}

/* The reverse flow's key, from the forward flow. */
void svr_dp_reverse(struct svr_session *s, const struct net_device *out)
{
	struct svr_tuple rk;

	svr_reverse_key(s, out, &rk);
	if (s->role != SVR_SESSION_ROLE_LOCAL)
		svr_vec_fix_reverse(s, &rk);
	svr_flow_set_key(&s->flow[SVR_DIR_REV], &rk);
}

/* The router's address on @dev towards @dst, for source NAT and `host`. */
static int svr_local_addr(struct net *net, struct net_device *dev,
			  const struct svr_tuple *k, const union svr_addr *dst,
			  union svr_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (k->family == AF_INET) {
		out->ip = inet_select_addr(dev, dst->ip, RT_SCOPE_UNIVERSE);
		return out->ip ? 0 : -EADDRNOTAVAIL;
	}
	return ipv6_dev_get_saddr(net, dev, &dst->ip6, 0, &out->ip6);
}

/*
 * Insert @s, choosing a source NAT port when the forward flow has one
 * (-EEXIST on the reverse key means the port is taken: try another).
 */
int svr_insert_nat(struct svr_net *sn, struct svr_session *s,
		   const struct net_device *out, bool nat_port)
{
	u32 range = 65536 - SVR_NAT_PORT_LO, base;
	int i, ret;

	if (!nat_port || !(s->rw.flags & SVR_RW_SPORT)) {
		svr_dp_reverse(s, out);
		if (s->role == SVR_SESSION_ROLE_EGRESS)
			svr_vec_replace_moved(sn, s);
		return svr_session_insert(s);
	}
	base = get_random_u32_below(range);
	for (i = 0; i < SVR_NAT_TRIES; i++) {
		s->rw.sport = htons(SVR_NAT_PORT_LO + (base + i) % range);
		svr_dp_reverse(s, out);
		ret = svr_session_insert(s);
		if (ret != -EADDRINUSE)
			return ret;
		svr_stat_inc(sn, SVR_STAT_NAT_RETRY);
	}
	return -EADDRINUSE;
}

/*
 * The usable next hop of @svc with the lowest cost: `fib` and `host`
 * always are, a gateway when its device exists and is up and the family
 * matches, a peer when it has a path that is up (SVR, next issue).
 */
int svr_service_nexthop(struct svr_net *sn, struct svr_service *svc,
			u8 family, struct svr_sess_nh *out, union svr_addr *gw)
{
	struct svr_routes *rt = svr_service_routes(svc);
	u32 i;

	memset(out, 0, sizeof(*out));
	memset(gw, 0, sizeof(*gw));
	for (i = 0; rt && i < rt->n; i++) {
		const struct svr_nexthop *nh = &rt->nh[i];
		struct net_device *dev = NULL;

		switch (nh->type) {
		case SVR_NH_FIB:
		case SVR_NH_HOST:
			out->type = nh->type;
			return 0;
		case SVR_NH_GATEWAY:
			if (nh->family != family)
				continue;
			if (nh->dev[0]) {
				dev = dev_get_by_name_rcu(sn->net, nh->dev);
				if (!dev || !netif_running(dev))
					continue;
			}
			out->type = nh->type;
			*gw = nh->gw;
			out->oif = dev ? dev->ifindex : 0;
			return 0;
		case SVR_NH_PEER:
			if (!svr_vec_path_up(nh->peer, family))
				continue;
			out->type = nh->type;
			out->peer = nh->peer;	/* referenced by the session */
			return 0;
		default:
			continue;
		}
	}
	return -ENETUNREACH;
}

/*
 * Work out the egress device and the rewrite of a new session's forward
 * flow. Routes the packet (fib) or looks the gateway route up.
 */
int svr_first_egress(struct svr_net *sn, struct sk_buff *skb,
		     const struct svr_pkt *p, struct svr_first *fp,
		     struct svr_session *s, struct net_device **outp)
{
	struct net_device *out = NULL;
	const struct svr_iface *oif;
	struct dst_entry *dst;
	union svr_addr a;

	switch (fp->nh.type) {
	case SVR_NH_PEER:
		return svr_vec_ingress_setup(sn, p, s, fp->nh.peer, outp);
	case SVR_NH_HOST:
		/* To the router's own stack: the ingress address, same port. */
		if (svr_local_addr(sn->net, skb->dev, &p->key, &p->key.saddr,
				   &a))
			return -EADDRNOTAVAIL;
		svr_sa_set(s, SVR_SA_RW_DST, &a);
		s->rw.flags |= SVR_RW_DADDR;
		*outp = NULL;
		return 0;
	case SVR_NH_GATEWAY:
		dst = svr_route_gateway(sn->net, p->key.family, &fp->gw,
					fp->nh.oif);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		out = dst->dev;
		dst_release(dst);
		break;
	default:
		if (svr_route_input(skb, p))
			return -ENETUNREACH;
		out = skb_dst(skb)->dev;
		break;
	}
	oif = svr_iface_lookup(sn, out->ifindex);
	if (oif && oif->snat) {
		const union svr_addr *to = fp->nh.type == SVR_NH_GATEWAY ?
					   &fp->gw : &p->key.daddr;

		if (svr_local_addr(sn->net, out, &p->key, to, &a))
			return -EADDRNOTAVAIL;
		svr_sa_set(s, SVR_SA_RW_SRC, &a);
		s->rw.flags |= SVR_RW_SADDR;
		if (p->ports)
			s->rw.flags |= SVR_RW_SPORT;
	}
	*outp = out;
	return 0;
}

static unsigned int svr_create(struct svr_net *sn, struct sk_buff *skb,
			       const struct svr_pkt *p, struct svr_first *fp)
{
	struct net_device *out;
	struct svr_session *s;
	struct svr_flow *f;
	int ret;

	if (svr_session_table_full(sn))
		return svr_drop(sn, skb, SVR_DROP_TABLE_FULL);
	s = svr_session_alloc(sn, fp->nh.type == SVR_NH_PEER, p->key.family);
	if (!s)
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	svr_flow_set_key(&s->flow[SVR_DIR_FWD], &p->key);
	s->nh = fp->nh;
	svr_sa_set(s, SVR_SA_GW, &fp->gw);
	s->nh.peer = NULL;	/* svr_vec_ingress_setup takes the reference */
	ret = svr_first_egress(sn, skb, p, fp, s, &out);
	if (ret) {
		svr_session_free_unhashed(s);
		return svr_drop(sn, skb, SVR_DROP_NO_ROUTE);
	}
	/* A tenant or service deleted this very moment: no session. */
	if (fp->tenant && !svr_tenant_get(fp->tenant))
		goto gone;
	s->tenant = fp->tenant;
	if (!svr_service_get(fp->svc))
		goto gone;
	s->service = fp->svc;
	/* Payload encryption is decided once, flagged by TLV 11. */
	if (s->role == SVR_SESSION_ROLE_INGRESS &&
	    svr_vec_payload_policy(fp->svc))
		s->vec->flags |= SVR_VEC_PAYLOAD;
	if (s->role == SVR_SESSION_ROLE_INGRESS)
		ret = svr_vec_insert(sn, s, out);
	else
		ret = svr_insert_nat(sn, s, out, true);
	if (ret == -EEXIST) {
		/* Another CPU created it a moment ago: use that one. */
		svr_session_free_unhashed(s);
		f = svr_flow_lookup(sn, &p->key);
		if (!f)
			return svr_drop(sn, skb, SVR_DROP_NOMEM);
		return svr_fast_lane(sn, skb, p, f);
	}
	if (ret) {
		svr_session_free_unhashed(s);
		return svr_drop(sn, skb,
				ret == -ENOSPC ? SVR_DROP_TABLE_FULL :
				ret == -EADDRINUSE ? SVR_DROP_NAT_EXHAUSTED :
				SVR_DROP_NOMEM);
	}
	svr_stat_inc(sn, SVR_STAT_SESS_CREATED);
	trace_svr_session_new(s);
	svr_session_event(s, true, 0);
	return svr_fast_lane(sn, skb, p, &s->flow[SVR_DIR_FWD]);

gone:
	svr_session_free_unhashed(s);
	return svr_drop(sn, skb, SVR_DROP_NOT_ALLOWED);
}

static unsigned int svr_first_packet(struct svr_net *sn, struct sk_buff *skb,
				     const struct nf_hook_state *state,
				     const struct svr_pkt *p,
				     struct svr_iface *in)
{
	const struct svr_tuple *k = &p->key;
	struct svr_first fp = { .in = in };

	if ((k->proto == IPPROTO_ICMP || k->proto == IPPROTO_ICMPV6) &&
	    !p->icmp_echo)
		return svr_drop(sn, skb, SVR_DROP_ICMP_TYPE);
	/* Echo replies answer requests; they never open a session. */
	if (p->icmp_echo && (p->icmp_type == ICMP_ECHOREPLY ||
			     p->icmp_type == ICMPV6_ECHO_REPLY))
		return svr_drop(sn, skb, SVR_DROP_ICMP_TYPE);

	fp.tenant = svr_tenant_classify(sn, in, k->family, &k->saddr);
	svr_stat_inc(sn, SVR_STAT_FIB_LOOKUP);
	fp.svc = svr_fib_lookup(sn, fp.tenant, k->family, &k->daddr, k->proto,
				ntohs(k->dport));
	if (!fp.svc) {
		trace_svr_fib_miss(k->family, &k->daddr, k->proto,
				   ntohs(k->dport),
				   fp.tenant ? fp.tenant->name : "global");
		if (!p->ports)
			return svr_drop(sn, skb, SVR_DROP_PROTO);
		svr_send_unreach(sn, skb, state, SVR_UNREACH_NET);
		return svr_drop(sn, skb, SVR_DROP_FIB_MISS);
	}
	switch (svr_service_access(fp.svc, fp.tenant)) {
	case SVR_ACCESS_ALLOW:
		break;
	case SVR_ACCESS_DENY:
		return svr_drop(sn, skb, SVR_DROP_DENIED);
	default:
		svr_send_unreach(sn, skb, state, SVR_UNREACH_ADMIN);
		return svr_drop(sn, skb, SVR_DROP_NOT_ALLOWED);
	}
	if (svr_service_nexthop(sn, fp.svc, k->family, &fp.nh, &fp.gw)) {
		svr_send_unreach(sn, skb, state, SVR_UNREACH_HOST);
		return svr_drop(sn, skb, SVR_DROP_NO_ROUTE);
	}
	return svr_create(sn, skb, p, &fp);
}

/*
 * An ICMP error: delivered only when the packet it quotes belongs to a
 * session (translated to the client's tuple; one about a packet sent to a
 * peer is relayed by vector.c), or when it is for the router itself.
 */
static unsigned int svr_icmp_error(struct svr_net *sn, struct sk_buff *skb,
				   const struct nf_hook_state *state,
				   const struct svr_pkt *p)
{
	struct svr_pkt inner;
	unsigned int l3off;
	struct svr_tuple rk;
	struct svr_flow *f;

	if (svr_dp_parse_inner(skb, p, &inner, &l3off) == 0 && inner.ports) {
		/* The quoted packet left us; its reply is what we key on. */
		memset(&rk, 0, sizeof(rk));
		rk.family = inner.key.family;
		rk.proto = inner.key.proto;
		rk.saddr = inner.key.daddr;
		rk.daddr = inner.key.saddr;
		rk.sport = inner.key.dport;
		rk.dport = inner.key.sport;
		rk.ifindex = p->key.ifindex;
		rk.vlan = p->key.vlan;
		f = svr_flow_lookup(sn, &rk);
		if (f && svr_vec_flow_from_peer(f))
			return svr_vec_icmp_error(sn, skb, p, &inner, l3off, f);
		if (f && svr_vec_flow_to_peer(f))
			return svr_vec_icmp_to_peer(sn, skb, p, &inner, l3off,
						    f);
		if (f && f->dir == SVR_DIR_REV) {
			struct svr_rewrite rr;

			if (svr_nat_icmp_error(skb, p, &inner,
					       svr_flow_rw(f, &rr)))
				return svr_drop(sn, skb, SVR_DROP_NOMEM);
			svr_stat_inc(sn, SVR_STAT_ICMP_TRANSLATED);
			svr_untrack(skb);
			return NF_ACCEPT;
		}
	}
	if (svr_addr_is_local(state->net, state->in, &p->key))
		return NF_ACCEPT;
	return svr_drop(sn, skb, SVR_DROP_ICMP_UNRELATED);
}

unsigned int svr_dp_prerouting(struct svr_net *sn, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct svr_iface *in;
	struct svr_flow *f;
	struct svr_pkt p;
	int ret;

	if (skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;
	in = svr_iface_lookup(sn, state->in->ifindex);
	if (!in)
		return NF_ACCEPT;
	ret = svr_dp_parse(skb, state->pf, &p);
	if (ret)
		return svr_drop(sn, skb, ret == -EAGAIN ? SVR_DROP_FRAGMENT :
				SVR_DROP_MALFORMED);
	p.key.ifindex = state->in->ifindex;
	p.key.vlan = svr_dev_vlan(state->in);

	f = svr_flow_lookup(sn, &p.key);
	if (f && unlikely(svr_tcp_reopens(skb, &p, f)))
		f = NULL;
	if (f)
		return svr_fast_lane(sn, skb, &p, f);
	if (p.icmp_error)
		return svr_icmp_error(sn, skb, state, &p);
	if (svr_addr_is_local(state->net, state->in, &p.key)) {
		if (p.key.proto == IPPROTO_UDP &&
		    p.key.dport == htons(SVR_BFD_PORT))
			return svr_bfd_rcv(sn, skb, &p);
		return svr_vec_is_md(skb, &p) ?
		       svr_vec_egress_first(sn, skb, state, &p) : NF_ACCEPT;
	}
	return svr_first_packet(sn, skb, state, &p, in);
}

/* Replies of `via host` sessions, from the router's own stack. */
unsigned int svr_dp_local_out(struct svr_net *sn, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct svr_rewrite rr;
	struct svr_flow *f;
	struct svr_pkt p;

	if (!svr_session_count(sn))
		return NF_ACCEPT;
	if (svr_dp_parse(skb, state->pf, &p) || !p.ports)
		return NF_ACCEPT;
	f = svr_flow_lookup(sn, &p.key);
	if (!f || f->dir != SVR_DIR_REV)
		return NF_ACCEPT;
	svr_session_seen(svr_flow_session(f), SVR_DIR_REV, skb->len,
			 svr_tcph(skb, &p));
	if (svr_nat_apply(skb, &p, svr_flow_rw(f, &rr),
			  SVR_RW_SADDR | SVR_RW_SPORT))
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	svr_untrack(skb);
	return NF_ACCEPT;
}
