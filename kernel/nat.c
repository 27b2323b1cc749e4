// SPDX-License-Identifier: GPL-2.0
/*
 * Header rewrite: addresses and ports (ICMP echo identifiers) with
 * incremental checksum updates, correct for CHECKSUM_PARTIAL and GSO
 * packets as well as complete ones (nf_nat does the same).
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "svr.h"
#include "datapath.h"
#include "nat.h"

struct l4ptr {
	__sum16	*check;		/* L4 checksum, NULL if none to update */
	__be16	*sport;
	__be16	*dport;
	bool	pseudo;		/* checksum covers the pseudo header */
	bool	udp;
};

static unsigned int l4_len(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return sizeof(struct tcphdr);
	case IPPROTO_UDP:
		return sizeof(struct udphdr);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return sizeof(struct icmphdr);
	default:
		return 0;
	}
}

static void l4_find(struct sk_buff *skb, const struct svr_pkt *p,
		    struct l4ptr *l4)
{
	void *h = skb->data + p->l4off;

	memset(l4, 0, sizeof(*l4));
	switch (p->key.proto) {
	case IPPROTO_TCP: {
		struct tcphdr *th = h;

		l4->check = &th->check;
		l4->sport = &th->source;
		l4->dport = &th->dest;
		l4->pseudo = true;
		break;
	}
	case IPPROTO_UDP: {
		struct udphdr *uh = h;

		/* IPv4 UDP without a checksum stays without one. */
		if (uh->check || skb->ip_summed == CHECKSUM_PARTIAL ||
		    p->key.family == AF_INET6)
			l4->check = &uh->check;
		l4->sport = &uh->source;
		l4->dport = &uh->dest;
		l4->pseudo = true;
		l4->udp = true;
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		struct icmphdr *ih = h;

		l4->check = &ih->checksum;
		l4->pseudo = p->key.proto == IPPROTO_ICMPV6;
		if (p->icmp_echo) {
			l4->sport = &ih->un.echo.id;
			l4->dport = &ih->un.echo.id;
		}
		break;
	}
	}
}

static void set_addr(struct sk_buff *skb, const struct svr_pkt *p,
		     struct l4ptr *l4, bool src, const union svr_addr *to)
{
	if (p->key.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);
		__be32 *a = src ? &iph->saddr : &iph->daddr;

		if (l4->check && l4->pseudo)
			inet_proto_csum_replace4(l4->check, skb, *a, to->ip, true);
		csum_replace4(&iph->check, *a, to->ip);
		*a = to->ip;
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);
		struct in6_addr *a = src ? &ip6h->saddr : &ip6h->daddr;

		if (l4->check && l4->pseudo)
			inet_proto_csum_replace16(l4->check, skb, a->s6_addr32,
						  to->ip6.s6_addr32, true);
		*a = to->ip6;
	}
}

static void set_port(struct sk_buff *skb, struct l4ptr *l4, __be16 *port,
		     __be16 to)
{
	if (!port || *port == to)
		return;
	if (l4->check)
		inet_proto_csum_replace2(l4->check, skb, *port, to, false);
	*port = to;
}

/*
 * svr_nat_apply - rewrite the parts of @rw selected by @mask
 *
 * @mask is SVR_RW_DADDR | SVR_RW_DPORT (before routing) or SVR_RW_SADDR |
 * SVR_RW_SPORT. ICMP echo has one identifier: either port flag sets it.
 * Returns 0 or -ENOMEM when the headers cannot be made writable.
 */
int svr_nat_apply(struct sk_buff *skb, const struct svr_pkt *p,
		  const struct svr_rewrite *rw, u8 mask)
{
	u8 todo = rw->flags & mask;
	struct l4ptr l4;

	if (!todo)
		return 0;
	if (skb_ensure_writable(skb, p->l4off + l4_len(p->key.proto)))
		return -ENOMEM;
	l4_find(skb, p, &l4);
	if (todo & SVR_RW_DADDR)
		set_addr(skb, p, &l4, false, &rw->daddr);
	if (todo & SVR_RW_SADDR)
		set_addr(skb, p, &l4, true, &rw->saddr);
	if (todo & SVR_RW_DPORT)
		set_port(skb, &l4, l4.dport, rw->dport);
	if (todo & SVR_RW_SPORT)
		set_port(skb, &l4, l4.sport, rw->sport);
	if (l4.udp && l4.check && !*l4.check)
		*l4.check = CSUM_MANGLED_0;
	return 0;
}

static void icmp_error_csum(struct sk_buff *skb, const struct svr_pkt *outer)
{
	struct icmphdr *ih = (struct icmphdr *)(skb->data + outer->l4off);
	unsigned int len = skb->len - outer->l4off;
	__wsum csum;

	ih->checksum = 0;
	csum = skb_checksum(skb, outer->l4off, len, 0);
	if (outer->key.family == AF_INET) {
		ih->checksum = csum_fold(csum);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ih->checksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
					       IPPROTO_ICMPV6, csum);
	}
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * Translate the quoted packet's source (the forward packet as it left)
 * back to the client's tuple, and the error's destination to the client.
 */
static void icmp_error_inner(struct sk_buff *skb, const struct svr_pkt *inner,
			     unsigned int l3off, const struct svr_rewrite *rw)
{
	void *l4 = skb->data + inner->l4off;
	bool have8 = skb->len >= inner->l4off + 8;
	__sum16 *check = NULL;
	__be16 *sport = NULL;

	if (inner->key.proto == IPPROTO_UDP && have8) {
		check = &((struct udphdr *)l4)->check;
		if (!*check && inner->key.family == AF_INET)
			check = NULL;
		sport = &((struct udphdr *)l4)->source;
	} else if (inner->key.proto == IPPROTO_TCP) {
		if (skb->len >= inner->l4off + offsetof(struct tcphdr, check) + 2)
			check = &((struct tcphdr *)l4)->check;
		sport = &((struct tcphdr *)l4)->source;
	} else if (inner->icmp_echo) {
		check = &((struct icmphdr *)l4)->checksum;
		sport = &((struct icmphdr *)l4)->un.echo.id;
	}

	if (rw->flags & SVR_RW_DADDR) {
		if (inner->key.family == AF_INET) {
			struct iphdr *iph = (struct iphdr *)(skb->data + l3off);

			if (check && inner->key.proto != IPPROTO_ICMP)
				csum_replace4(check, iph->saddr, rw->daddr.ip);
			csum_replace4(&iph->check, iph->saddr, rw->daddr.ip);
			iph->saddr = rw->daddr.ip;
		} else {
			struct ipv6hdr *ip6h = (struct ipv6hdr *)(skb->data + l3off);

			int i;

			for (i = 0; check && i < 4; i++)
				csum_replace4(check, ip6h->saddr.s6_addr32[i],
					      rw->daddr.ip6.s6_addr32[i]);
			ip6h->saddr = rw->daddr.ip6;
		}
	}
	if ((rw->flags & SVR_RW_DPORT) && sport) {
		if (check)
			csum_replace2(check, *sport, rw->dport);
		*sport = rw->dport;
	}
}

/*
 * svr_nat_icmp_error - translate an ICMP error that belongs to a session
 * @rw: the rewrite of the session's reverse flow (towards the client)
 */
int svr_nat_icmp_error(struct sk_buff *skb, const struct svr_pkt *outer,
		       const struct svr_pkt *inner, const struct svr_rewrite *rw)
{
	unsigned int l3off = outer->l4off + sizeof(struct icmphdr);
	struct svr_rewrite outer_rw = *rw;
	struct l4ptr none = { 0 };

	if (!(rw->flags & (SVR_RW_DADDR | SVR_RW_DPORT)))
		return 0;
	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	icmp_error_inner(skb, inner, l3off, rw);
	outer_rw.flags &= SVR_RW_DADDR;
	if (outer_rw.flags)
		set_addr(skb, outer, &none, false, &outer_rw.daddr);
	icmp_error_csum(skb, outer);
	return 0;
}
