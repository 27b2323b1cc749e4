// SPDX-License-Identifier: GPL-2.0
/*
 * Packet parsing for the datapath: IPv4/IPv6 headers, the L4 header, and
 * the 7-tuple key. Every header is pulled before it is read.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "svr.h"
#include "datapath.h"

static bool icmp4_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB ||
	       type == ICMP_REDIRECT;
}

static int parse_l4(struct sk_buff *skb, struct svr_pkt *p)
{
	struct svr_tuple *k = &p->key;
	unsigned int off = p->l4off;

	switch (k->proto) {
	case IPPROTO_TCP: {
		const struct tcphdr *th;

		if (!pskb_may_pull(skb, off + sizeof(*th)))
			return -EINVAL;
		th = (const struct tcphdr *)(skb->data + off);
		if (th->doff < 5 || !pskb_may_pull(skb, off + th->doff * 4))
			return -EINVAL;
		th = (const struct tcphdr *)(skb->data + off);
		k->sport = th->source;
		k->dport = th->dest;
		p->ports = true;
		return 0;
	}
	case IPPROTO_UDP: {
		const struct udphdr *uh;

		if (!pskb_may_pull(skb, off + sizeof(*uh)))
			return -EINVAL;
		uh = (const struct udphdr *)(skb->data + off);
		k->sport = uh->source;
		k->dport = uh->dest;
		p->ports = true;
		return 0;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		const struct icmphdr *ih;

		if (!pskb_may_pull(skb, off + sizeof(*ih)))
			return -EINVAL;
		ih = (const struct icmphdr *)(skb->data + off);
		p->icmp_type = ih->type;
		p->icmp_code = ih->code;
		if (k->proto == IPPROTO_ICMP) {
			p->icmp_echo = ih->type == ICMP_ECHO ||
				       ih->type == ICMP_ECHOREPLY;
			p->icmp_error = icmp4_is_error(ih->type);
		} else {
			p->icmp_echo = ih->type == ICMPV6_ECHO_REQUEST ||
				       ih->type == ICMPV6_ECHO_REPLY;
			p->icmp_error = ih->type < 128;
		}
		if (p->icmp_echo) {
			k->sport = ih->un.echo.id;
			k->dport = ih->un.echo.id;
			p->ports = true;
		}
		return 0;
	}
	default:
		return 0;
	}
}

static int parse_ipv4(struct sk_buff *skb, struct svr_pkt *p)
{
	const struct iphdr *iph;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return -EINVAL;
	iph = ip_hdr(skb);
	if (iph->ihl < 5 || iph->version != 4 ||
	    !pskb_may_pull(skb, iph->ihl * 4))
		return -EINVAL;
	iph = ip_hdr(skb);
	/* Fragments were reassembled by nf_defrag before this hook. */
	if (ip_is_fragment(iph))
		return -EAGAIN;
	p->key.family = AF_INET;
	p->key.proto = iph->protocol;
	p->key.saddr.ip = iph->saddr;
	p->key.daddr.ip = iph->daddr;
	p->l4off = iph->ihl * 4;
	return parse_l4(skb, p);
}

static int parse_ipv6(struct sk_buff *skb, struct svr_pkt *p)
{
	const struct ipv6hdr *ip6h;
	__be16 frag_off = 0;
	u8 nexthdr;
	int off;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return -EINVAL;
	ip6h = ipv6_hdr(skb);
	nexthdr = ip6h->nexthdr;
	off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
	if (off < 0)
		return -EINVAL;
	if (frag_off & htons(~0x7))
		return -EAGAIN;
	ip6h = ipv6_hdr(skb);
	p->key.family = AF_INET6;
	p->key.proto = nexthdr;
	p->key.saddr.ip6 = ip6h->saddr;
	p->key.daddr.ip6 = ip6h->daddr;
	p->l4off = off;
	return parse_l4(skb, p);
}

/*
 * svr_dp_parse - fill @p from @skb (network header at skb->data)
 *
 * Returns 0, -EINVAL for a malformed packet, -EAGAIN for a fragment that
 * was not reassembled. The ingress fields (ifindex, vlan) are the caller's.
 */
int svr_dp_parse(struct sk_buff *skb, u8 family, struct svr_pkt *p)
{
	memset(p, 0, sizeof(*p));
	return family == NFPROTO_IPV4 ? parse_ipv4(skb, p) : parse_ipv6(skb, p);
}

/*
 * svr_dp_parse_inner - parse the packet quoted by an ICMP error
 *
 * @outer is the parsed error; on success @inner holds the quoted packet's
 * tuple, its network header offset in inner->l4off's stead is returned in
 * @l3off, and inner->l4off is its L4 offset from skb->data.
 */
int svr_dp_parse_inner(struct sk_buff *skb, const struct svr_pkt *outer,
		       struct svr_pkt *inner, unsigned int *l3off)
{
	unsigned int off = outer->l4off + sizeof(struct icmphdr);
	struct svr_tuple *k = &inner->key;

	memset(inner, 0, sizeof(*inner));
	*l3off = off;
	if (outer->key.family == AF_INET) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, off + sizeof(*iph)))
			return -EINVAL;
		iph = (const struct iphdr *)(skb->data + off);
		if (iph->ihl < 5 || iph->version != 4)
			return -EINVAL;
		k->family = AF_INET;
		k->proto = iph->protocol;
		k->saddr.ip = iph->saddr;
		k->daddr.ip = iph->daddr;
		inner->l4off = off + iph->ihl * 4;
		if (ntohs(iph->frag_off) & IP_OFFSET)
			return -EINVAL;
	} else {
		const struct ipv6hdr *ip6h;
		__be16 frag_off = 0;
		u8 nexthdr;
		int l4;

		if (!pskb_may_pull(skb, off + sizeof(*ip6h)))
			return -EINVAL;
		ip6h = (const struct ipv6hdr *)(skb->data + off);
		nexthdr = ip6h->nexthdr;
		k->family = AF_INET6;
		k->saddr.ip6 = ip6h->saddr;
		k->daddr.ip6 = ip6h->daddr;
		l4 = ipv6_skip_exthdr(skb, off + sizeof(*ip6h), &nexthdr,
				      &frag_off);
		if (l4 < 0 || (frag_off & htons(~0x7)))
			return -EINVAL;
		k->proto = nexthdr;
		inner->l4off = l4;
	}
	/* Errors quote at least 8 bytes of L4: ports or the echo id. */
	if (!pskb_may_pull(skb, inner->l4off + 8))
		return -EINVAL;
	switch (k->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP: {
		const __be16 *ports = (const __be16 *)(skb->data + inner->l4off);

		k->sport = ports[0];
		k->dport = ports[1];
		inner->ports = true;
		return 0;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		const struct icmphdr *ih;

		ih = (const struct icmphdr *)(skb->data + inner->l4off);
		inner->icmp_type = ih->type;
		inner->icmp_echo = k->proto == IPPROTO_ICMP ?
			ih->type == ICMP_ECHO : ih->type == ICMPV6_ECHO_REQUEST;
		if (!inner->icmp_echo)
			return -EINVAL;
		k->sport = ih->un.echo.id;
		k->dport = ih->un.echo.id;
		inner->ports = true;
		return 0;
	}
	default:
		return 0;
	}
}
