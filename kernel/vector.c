// SPDX-License-Identifier: GPL-2.0
/*
 * Secure Vector Routing between routers: waypoints and wayports, the
 * metadata handshake, ICMP echo carried as UDP, the false-positive marker.
 *
 * Ingress (the first svr router of a session): forward packets leave with
 * the path's waypoints as addresses and a wayport pair as ports (even for
 * this router, odd for the peer, §6.2), and carry forward metadata until
 * reverse metadata arrives (§6.5). Egress (the last router): a packet to a
 * local waypoint that carries forward metadata creates the egress half of
 * the session; the original packet is restored and forwarded by the local
 * route; replies carry reverse metadata until a forward packet without
 * metadata arrives after reverse metadata was sent.
 *
 * Packets whose structure changes (metadata added or removed, ICMP turned
 * into UDP and back) get their lengths and checksums recomputed in full;
 * they are the first packets of a session (and ICMP echo). Everything else
 * takes the incremental rewrite of nat.c. Structure changes need real
 * segments: a GSO packet that needs metadata is dropped and counted (the
 * first packets of TCP sessions are never GSO).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/tcp.h>
#include <linux/netfilter.h>
#include <svr/metadata.h>

#include "svr.h"
#include "config.h"
#include "datapath.h"
#include "nat.h"
#include "crypto.h"
#include "session.h"
#include "svr_trace.h"

enum {
	SVR_MD_BUF		= 320,	/* the largest metadata svr builds */
	SVR_WAYPORT_TRIES	= 64,
	SVR_UDP_HLEN		= sizeof(struct udphdr),
};

/* ---- packet structure ------------------------------------------------- */

static unsigned int l4_hlen(const struct sk_buff *skb, const struct svr_pkt *p)
{
	if (p->key.proto == IPPROTO_TCP)
		return ((const struct tcphdr *)(skb->data + p->l4off))->doff * 4;
	return 8;	/* UDP, ICMP */
}

/* Open @len bytes at @off (from the network header): the headers move. */
static int skb_open(struct sk_buff *skb, unsigned int off, unsigned int len)
{
	if (!pskb_may_pull(skb, off) || skb_cow_head(skb, len))
		return -ENOMEM;
	skb_push(skb, len);
	memmove(skb->data, skb->data + len, off);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, off);
	return 0;
}

/* Remove @len bytes at @off. */
static int skb_close(struct sk_buff *skb, unsigned int off, unsigned int len)
{
	if (skb_ensure_writable(skb, off + len))
		return -ENOMEM;
	memmove(skb->data + len, skb->data, off);
	skb_pull(skb, len);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, off);
	return 0;
}

static void set_proto(struct sk_buff *skb, const struct svr_pkt *p, u8 proto)
{
	if (p->key.family == AF_INET)
		ip_hdr(skb)->protocol = proto;
	else
		ipv6_hdr(skb)->nexthdr = proto;	/* no extension headers */
}

/* Lengths and checksums after a structure change, from scratch. */
static void finish_full(struct sk_buff *skb, const struct svr_pkt *q)
{
	unsigned int l4len = skb->len - q->l4off;
	void *l4 = skb->data + q->l4off;
	__sum16 *check;
	__wsum csum;

	if (q->key.proto == IPPROTO_UDP) {
		((struct udphdr *)l4)->len = htons(l4len);
		check = &((struct udphdr *)l4)->check;
	} else if (q->key.proto == IPPROTO_TCP) {
		check = &((struct tcphdr *)l4)->check;
	} else {
		check = &((struct icmphdr *)l4)->checksum;
	}
	*check = 0;
	csum = skb_checksum(skb, q->l4off, l4len, 0);
	if (q->key.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len);
		if (q->key.proto == IPPROTO_ICMP)
			*check = csum_fold(csum);
		else
			*check = csum_tcpudp_magic(iph->saddr, iph->daddr, l4len,
						   q->key.proto, csum);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
		*check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, l4len,
					 q->key.proto, csum);
	}
	if (q->key.proto == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

/* ICMP echo -> UDP: a UDP header in front of the ICMP header (§16). */
static int icmp_to_udp(struct sk_buff *skb, struct svr_pkt *q)
{
	struct udphdr *uh;

	if (q->key.family == AF_INET6 && q->l4off != sizeof(struct ipv6hdr))
		return -EINVAL;
	if (skb_open(skb, q->l4off, SVR_UDP_HLEN))
		return -ENOMEM;
	uh = (struct udphdr *)(skb->data + q->l4off);
	uh->source = q->key.sport;
	uh->dest = q->key.dport;
	uh->len = 0;
	uh->check = 0;
	set_proto(skb, q, IPPROTO_UDP);
	q->key.proto = IPPROTO_UDP;
	q->icmp_echo = false;
	return 0;
}

/* UDP -> ICMP echo: drop the UDP header again. */
static int udp_to_icmp(struct sk_buff *skb, struct svr_pkt *q, u8 proto)
{
	const struct icmphdr *ih;

	if (q->key.family == AF_INET6 && q->l4off != sizeof(struct ipv6hdr))
		return -EINVAL;
	if (!pskb_may_pull(skb, q->l4off + SVR_UDP_HLEN + sizeof(*ih)) ||
	    skb_close(skb, q->l4off, SVR_UDP_HLEN))
		return -EINVAL;
	set_proto(skb, q, proto);
	ih = (const struct icmphdr *)(skb->data + q->l4off);
	q->key.proto = proto;
	q->icmp_echo = true;
	q->key.sport = ih->un.echo.id;
	q->key.dport = ih->un.echo.id;
	return 0;
}

/*
 * A packet from the peer that svr changes (HMAC trailer or metadata
 * removed, UDP back to ICMP) leaves with checksums computed from scratch
 * (finish_full): check the ones it came with first, or corruption on the
 * WAN would leave with valid ones. An IPv4 UDP checksum of 0 (none) is
 * accepted, as the stack accepts it; the UDP length must be the packet's.
 */
static enum svr_drop_reason l4_check(struct sk_buff *skb,
				     const struct svr_pkt *q)
{
	if (q->key.proto == IPPROTO_UDP) {
		const struct udphdr *uh;

		uh = (const struct udphdr *)(skb->data + q->l4off);
		if (ntohs(uh->len) != skb->len - q->l4off)
			return SVR_DROP_MALFORMED;
		if (!uh->check && q->key.family == AF_INET)
			return SVR_DROP_NONE;
	} else if (q->key.proto != IPPROTO_TCP) {
		return SVR_DROP_NONE;
	}
	if (nf_checksum(skb, NF_INET_PRE_ROUTING, q->l4off, q->key.proto,
			q->key.family == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6))
		return SVR_DROP_L4_CHECKSUM;
	return SVR_DROP_NONE;
}

/* ---- metadata on the packet ---------------------------------------------- */

static unsigned int md_off(const struct sk_buff *skb, const struct svr_pkt *q)
{
	return q->l4off + l4_hlen(skb, q);
}

/*
 * Does the payload start with the metadata cookie? Asked of every packet
 * between routers: a copy of the header's bytes answers without pulling
 * a GRO packet's payload into its head; only a yes pulls it (the callers
 * then read the metadata header in place).
 */
static bool payload_has_cookie(struct sk_buff *skb, const struct svr_pkt *q)
{
	unsigned int off = md_off(skb, q);
	u8 buf[SVR_MD_HDR_LEN];
	const u8 *h;

	if (skb->len < off + SVR_MD_HDR_LEN)
		return false;
	h = skb_header_pointer(skb, off, SVR_MD_HDR_LEN, buf);
	return h && svr_md_has_cookie(h, SVR_MD_HDR_LEN) &&
	       pskb_may_pull(skb, off + SVR_MD_HDR_LEN);
}

static int md_insert(struct sk_buff *skb, const struct svr_pkt *q,
		     const u8 *md, unsigned int len)
{
	unsigned int off = md_off(skb, q);

	if (skb_open(skb, off, len))
		return -ENOMEM;
	memcpy(skb->data + off, md, len);
	return 0;
}

/*
 * Parse the metadata at the start of the payload into @md, decrypting its
 * payload section in place when the clear security ID (TLV 16) names a
 * key whose policy encrypts metadata (§16: IV + AES-CBC, PKCS#7). *@keyp
 * is that key, or NULL without TLV 16; the caller checks that it belongs
 * to the peer's policy. @md points into the packet: use it before
 * md_strip(). Any HMAC trailer has been verified and removed before.
 */
static enum svr_drop_reason md_peek(struct svr_net *sn, struct sk_buff *skb,
				    const struct svr_pkt *q, struct svr_md *md,
				    struct svr_key **keyp)
{
	unsigned int off = md_off(skb, q), len;
	enum svr_md_err err;
	struct svr_key *key = NULL;
	u8 *b;

	*keyp = NULL;
	if (!pskb_may_pull(skb, off + SVR_MD_HDR_LEN)) {
		err = SVR_MD_ERR_TOO_SHORT;
		goto bad;
	}
	b = skb->data + off;
	len = (get_unaligned_be16(b + 8) & 0x0fff) + get_unaligned_be16(b + 10);
	if (skb->len < off + len || !pskb_may_pull(skb, off + len)) {
		err = SVR_MD_ERR_PAYLOAD_LEN_OVERRUN;
		goto bad;
	}
	if (skb_ensure_writable(skb, off + len))
		return SVR_DROP_NOMEM;
	b = skb->data + off;
	err = svr_md_parse_header(b, skb->len - off, md);
	if (err)
		goto bad;
	if (svr_md_has(md, SVR_TLV_SECURITY_ID)) {
		key = svr_key_lookup(sn, md->security_id);
		if (!key)
			return SVR_DROP_SEC_UNKNOWN_KEY;
		*keyp = key;
	}
	if (key && key->crypto.aes &&
	    READ_ONCE(key->policy->cipher) != SVR_CIPHER_NONE) {
		u8 *iv = b + md->hdr.hl, *ct = iv + SVR_MD_IV_LEN;
		unsigned int ctlen;
		int pad;

		err = svr_md_check_cipher_len(md->hdr.pl);
		if (err)
			goto bad;
		ctlen = md->hdr.pl - SVR_MD_IV_LEN;
		if (svr_aes_cbc(key, false, iv, ct, ctlen))
			return SVR_DROP_CRYPTO;
		pad = svr_pkcs7_unpad(ct, ctlen);	/* no early exit */
		if (pad < 0)
			return SVR_DROP_MD_DECRYPT;
		svr_stat_inc(sn, SVR_STAT_MD_DECRYPTED);
		err = svr_md_parse_payload(ct, ctlen - pad, md);
	} else {
		err = svr_md_parse(b, skb->len - off, md);
	}
	if (err)
		goto bad;
	svr_stat_inc(sn, SVR_STAT_MD_ERR_BASE + err);
	return SVR_DROP_NONE;
bad:
	svr_stat_inc(sn, SVR_STAT_MD_ERR_BASE + err);
	return SVR_DROP_MD_INVALID;
}

static int md_strip(struct sk_buff *skb, const struct svr_pkt *q,
		    const struct svr_md *md)
{
	return skb_close(skb, md_off(skb, q), md->hdr.hl + md->hdr.pl);
}

static void ctx_put(struct svr_md_ctx *c, u8 family, u8 proto,
		    const union svr_addr *sa, const union svr_addr *da,
		    __be16 sport, __be16 dport)
{
	unsigned int alen = family == AF_INET ? 4 : 16;

	c->family = family == AF_INET ? SVR_MD_AF_INET : SVR_MD_AF_INET6;
	c->proto = proto;
	memcpy(c->saddr, sa, alen);
	memcpy(c->daddr, da, alen);
	c->sport = ntohs(sport);
	c->dport = ntohs(dport);
}

static void md_bytes(struct svr_md_bytes *b, const char *s)
{
	b->ptr = (const u8 *)s;
	b->len = strlen(s);
}

/*
 * Put what builder @b holds at the start of the payload: as it is, or
 * with @seal its payload TLVs replaced by IV + AES-CBC ciphertext under
 * @key (§16). @room: the size of b->buf, which leaves space for the IV
 * and the padding after SVR_MD_BUF.
 */
static int md_emit(struct svr_net *sn, struct sk_buff *skb,
		   const struct svr_pkt *q, struct svr_md_builder *b,
		   size_t room, const struct svr_key *key, bool seal)
{
	unsigned int off = md_off(skb, q), sealed, pad;
	size_t plen;
	u8 *plain, *dst;
	int len;

	if (!seal) {
		len = svr_md_build_finish(b);
		if (len < 0)
			return len;
		return md_insert(skb, q, b->buf, len);
	}
	plain = svr_md_build_payload(b, &plen);
	if (!plain)
		return b->err;
	sealed = svr_sealed_len(plen);
	b->cap = room;
	len = svr_md_build_finish_sealed(b, sealed);
	if (len < 0)
		return len;
	if (skb_open(skb, off, len))
		return -ENOMEM;
	/* Encrypt in the packet: the stack is no place for a scatterlist. */
	dst = skb->data + off;
	memcpy(dst, b->buf, b->hl);
	svr_random_fill(dst + b->hl, SVR_MD_IV_LEN);
	dst += b->hl + SVR_MD_IV_LEN;
	memcpy(dst, plain, plen);
	pad = sealed - SVR_MD_IV_LEN - plen;
	memset(dst + plen, pad, pad);
	svr_stat_inc(sn, SVR_STAT_MD_ENCRYPTED);
	return svr_aes_cbc(key, true, dst - SVR_MD_IV_LEN, dst,
			   sealed - SVR_MD_IV_LEN);
}

/*
 * TLV 19: the name of the path forward packets of @s leave on (the one
 * of s->nh.peer's paths between the addresses of its rewrite; failover
 * changes both), or its egress device's name when it has none. Looked up
 * when metadata is built (the first packets), not kept in every session.
 */
static const char *vec_path_name(struct svr_net *sn,
				 const struct svr_session *s)
{
	u8 family = s->flow[SVR_DIR_FWD].key.family;
	unsigned int alen = family == AF_INET ? 4 : 16;
	const struct svr_path *path;
	struct svr_rewrite rw;
	struct net_device *dev;

	if (!s->nh.peer)
		return "";
	svr_session_rw(s, &rw);
	list_for_each_entry_rcu(path, &s->nh.peer->paths, list) {
		if (path->family != family ||
		    memcmp(&path->local, &rw.saddr, alen) ||
		    memcmp(&path->remote, &rw.daddr, alen))
			continue;
		if (path->name[0])
			return path->name;
		dev = svr_vec_path_dev(sn->net, path);
		return dev ? dev->name : "";
	}
	return "";
}

/*
 * The forward (ingress) or reverse (egress) metadata of @s, at the start
 * of the payload. With @key: its id in TLV 16 (clear header) and, when
 * @seal, the payload TLVs replaced by IV + AES-CBC ciphertext (§16).
 */
static noinline int md_add(struct svr_net *sn, struct sk_buff *skb,
			   const struct svr_pkt *q, struct svr_session *s,
			   bool fwd, const struct svr_key *key, bool seal)
{
	const struct svr_vec *v = s->vec;
	u8 buf[SVR_MD_BUF + SVR_MD_IV_LEN + SVR_MD_AES_BLOCK];
	union svr_addr isrc, idst;
	struct svr_md_builder b;
	const struct svr_router *rc;
	struct svr_md md;

	memset(&md, 0, sizeof(md));
	svr_sa_get(s, SVR_SA_INNER_SRC, &isrc);
	svr_sa_get(s, SVR_SA_INNER_DST, &idst);
	if (fwd)
		ctx_put(&md.fwd, v->inner_family, v->inner_proto, &isrc, &idst,
			v->inner_sport, v->inner_dport);
	else
		ctx_put(&md.rev, v->inner_family, v->inner_proto, &idst, &isrc,
			v->inner_dport, v->inner_sport);
	if (s->tenant)
		md_bytes(&md.tenant, s->tenant->name);
	if (s->service)
		md_bytes(&md.service, s->service->name);
	memcpy(md.uuid, s->uuid, sizeof(md.uuid));
	rc = svr_router_get_rcu(sn);
	md_bytes(&md.router, rc->name);
	if (fwd)
		md_bytes(&md.path, vec_path_name(sn, s));
	if (key) {
		md.security_id = key->id;
		md.present |= BIT_ULL(SVR_TLV_SECURITY_ID);
	}
	if (fwd && (READ_ONCE(v->flags) &
		    (SVR_VEC_PAYLOAD | SVR_VEC_PAYLOAD_RELAY)))
		md.present |= BIT_ULL(SVR_TLV_SESSION_ENCRYPTED);
	svr_md_build_init(&b, buf, SVR_MD_BUF);
	if (fwd)
		svr_md_build_forward(&b, &md);
	else
		svr_md_build_reverse(&b, &md);
	return md_emit(sn, skb, q, &b, sizeof(buf), key, seal);
}

/* ---- security between the routers (§16, Documentation/security.md) ---- */

/*
 * Which sides of @s a packet of direction @dir has: it comes from a peer
 * (the egress half of a hop) and/or goes to one (the ingress half). An
 * ingress session sends forward packets to its peer, an egress session
 * receives them from its peer; a transit session does both, in both
 * directions.
 */
static bool vec_from_peer(const struct svr_session *s, enum svr_dir dir)
{
	if (s->role == SVR_SESSION_ROLE_TRANSIT)
		return true;
	return (s->role == SVR_SESSION_ROLE_EGRESS) == (dir == SVR_DIR_FWD);
}

static bool vec_to_peer(const struct svr_session *s, enum svr_dir dir)
{
	if (s->role == SVR_SESSION_ROLE_TRANSIT)
		return true;
	return (s->role == SVR_SESSION_ROLE_INGRESS) == (dir == SVR_DIR_FWD);
}

/*
 * The peer a packet of direction @dir comes from (@from) or goes to: the
 * session's peer, but for a transit session's previous hop (forward
 * packets come from it, reverse packets go to it).
 */
static struct svr_peer *vec_peer(const struct svr_session *s,
				 enum svr_dir dir, bool from)
{
	bool fwd = dir == SVR_DIR_FWD;

	if (s->role == SVR_SESSION_ROLE_TRANSIT && fwd == from)
		return s->vec->prev;
	return s->nh.peer;
}

/* That peer's security policy, or NULL. */
static struct svr_security *vec_sec(const struct svr_session *s,
				    enum svr_dir dir, bool from)
{
	struct svr_peer *peer = vec_peer(s, dir, from);

	return peer ? rcu_dereference(peer->security) : NULL;
}

/* Does @sec add an HMAC trailer to every packet? */
static bool vec_sec_hmac(const struct svr_security *sec)
{
	return sec && READ_ONCE(sec->hmac) != SVR_HMAC_NONE;
}

/* ---- per-path counters (svrctl peer show) ------------------------------ */

/**
 * svr_vec_ps_set - put a session on a path's counters
 * @v: the session's SVR half (s->lock held, or not hashed yet)
 * @i: which of its paths
 * @ps: the path's counters (the path holds a reference), or NULL
 */
void svr_vec_ps_set(struct svr_vec *v, enum svr_vec_ps i,
		    struct svr_path_stats *ps)
{
	struct svr_path_stats *old = v->ps[i];

	if (ps) {
		svr_path_stats_get(ps);
		atomic_inc(&ps->sessions);
	}
	WRITE_ONCE(v->ps[i], ps);
	if (old) {
		atomic_dec(&old->sessions);
		svr_path_stats_put(old);
	}
}

/* The path a packet of direction @dir goes to (@to) or comes from. */
static struct svr_path_stats *vec_ps(const struct svr_session *s,
				     enum svr_dir dir, bool to)
{
	return READ_ONCE(s->vec->ps[(dir == SVR_DIR_FWD) == to ?
				   SVR_PS_OUT : SVR_PS_IN]);
}

static void vec_ps_add(struct svr_path_stats *ps, bool tx,
		       const struct sk_buff *skb)
{
	unsigned int segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;

	if (!ps)
		return;
	atomic64_add(segs, tx ? &ps->tx_packets : &ps->rx_packets);
	atomic64_add(skb->len, tx ? &ps->tx_bytes : &ps->rx_bytes);
}

/* Packets and bytes of the paths a packet crosses, as svr receives it. */
static void vec_count(struct svr_session *s, enum svr_dir dir,
		      const struct sk_buff *skb)
{
	if (vec_from_peer(s, dir))
		vec_ps_add(vec_ps(s, dir, false), false, skb);
	if (vec_to_peer(s, dir))
		vec_ps_add(vec_ps(s, dir, true), true, skb);
}

static void vec_count_md(struct svr_session *s, enum svr_dir dir, bool sent)
{
	struct svr_path_stats *ps = vec_ps(s, dir, sent);

	if (ps)
		atomic64_inc(sent ? &ps->md_sent : &ps->md_rcvd);
}

/*
 * The path of @peer a packet with outer tuple @k came in on: our waypoint
 * and the peer's, or only ours (a NAT between the routers).
 */
static const struct svr_path *vec_path_in(struct svr_peer *peer,
					  const struct svr_tuple *k)
{
	unsigned int alen = k->family == AF_INET ? 4 : 16;
	const struct svr_path *path, *best = NULL;

	list_for_each_entry_rcu(path, &peer->paths, list) {
		if (path->family != k->family ||
		    memcmp(&path->local, &k->daddr, alen))
			continue;
		if (!memcmp(&path->remote, &k->saddr, alen))
			return path;
		if (!best)
			best = path;
	}
	return best;
}

/* The whole packet linear and private: the HMAC and the cipher need it. */
static int vec_linear(struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -ENOMEM;
	return skb_linearize_cow(skb);
}

/* The HMAC trailer at the very end of the L4 payload. */
static int hmac_append(struct sk_buff *skb, const struct svr_pkt *q,
		       const struct svr_key *key, u8 hmac, u8 mode)
{
	unsigned int tlen = svr_hmac_len(hmac), off = md_off(skb, q);
	int room = skb_tailroom(skb);
	u64 slot = svr_hmac_slot_now();
	u8 *tag;

	if (room < (int)tlen &&
	    pskb_expand_head(skb, 0, tlen - room, GFP_ATOMIC))
		return -ENOMEM;
	tag = skb_put(skb, tlen);
	return svr_hmac_compute(key, hmac,
				mode == SVR_HMAC_MODE_TIME_BASED ? &slot : NULL,
				skb->data + off, tag - (skb->data + off), tag);
}

static bool hmac_try(const struct svr_key *key, u8 hmac, u8 mode,
		     const u8 *data, unsigned int len, const u8 *tag)
{
	u64 slot;

	if (mode != SVR_HMAC_MODE_TIME_BASED)
		return svr_hmac_verify(key, hmac, NULL, data, len, tag);
	/* The current and the previous time slot are accepted. */
	slot = svr_hmac_slot_now();
	if (svr_hmac_verify(key, hmac, &slot, data, len, tag))
		return true;
	slot--;
	return svr_hmac_verify(key, hmac, &slot, data, len, tag);
}

/*
 * The key id in the clear header of metadata at the start of the payload
 * (the trailer is still on: only the header TLVs are looked at).
 */
static bool md_key_id(struct sk_buff *skb, const struct svr_pkt *q, u32 *id)
{
	unsigned int off = md_off(skb, q);
	struct svr_md md;

	if (skb->len < off ||
	    svr_md_parse_header(skb->data + off, skb->len - off, &md) ||
	    !svr_md_has(&md, SVR_TLV_SECURITY_ID))
		return false;
	*id = md.security_id;
	return true;
}

/*
 * Verify and remove the HMAC trailer of a packet from the peer with policy
 * @sec (when @sec is NULL: the key named by the metadata, if any). @md:
 * the payload starts with metadata (svr_vec_is_md(), asked by the caller).
 * The key: the one TLV 16 names; without metadata, the key we send with
 * first, then the policy's others. The packet is linear and private
 * afterwards.
 */
static enum svr_drop_reason hmac_check(struct svr_net *sn, struct sk_buff *skb,
				       const struct svr_pkt *q,
				       struct svr_security *sec, bool md)
{
	unsigned int tlen, off, len;
	struct svr_key *key = NULL, *k;
	u8 hmac, mode;
	const u8 *data;
	bool ok = false;
	u32 id;

	/* No HMAC and no metadata (the fast lane): nothing to check. */
	if (sec && !svr_hmac_len(READ_ONCE(sec->hmac)) && !md)
		return SVR_DROP_NONE;
	if (vec_linear(skb))
		return SVR_DROP_NOMEM;
	off = md_off(skb, q);
	if (md && md_key_id(skb, q, &id)) {
		key = svr_key_lookup(sn, id);
		if (!key)
			return SVR_DROP_SEC_UNKNOWN_KEY;
		if (sec && key->policy != sec)
			return SVR_DROP_SEC_WRONG_POLICY;
		sec = key->policy;
	}
	if (!sec)
		return SVR_DROP_NONE;
	hmac = READ_ONCE(sec->hmac);
	mode = READ_ONCE(sec->hmac_mode);
	tlen = svr_hmac_len(hmac);
	if (!tlen)
		return SVR_DROP_NONE;
	if (skb->len < off + tlen)
		return SVR_DROP_HMAC_SHORT;
	data = skb->data + off;
	len = skb->len - off - tlen;
	if (key) {
		ok = hmac_try(key, hmac, mode, data, len, data + len);
	} else {
		key = svr_sec_send_key(sec);
		if (key)
			ok = hmac_try(key, hmac, mode, data, len, data + len);
		list_for_each_entry_rcu(k, &sec->keys, list) {
			if (ok)
				break;
			if (k != key)
				ok = hmac_try(k, hmac, mode, data, len,
					      data + len);
		}
	}
	if (!ok)
		return SVR_DROP_HMAC_BAD;
	skb_trim(skb, skb->len - tlen);
	svr_stat_inc(sn, SVR_STAT_HMAC_VERIFIED);
	return SVR_DROP_NONE;
}

/* ---- payload encryption per service (TLV 11, Documentation/security.md) - */

/* @svc's payload policy: its security policy when that has a cipher. */
struct svr_security *svr_vec_payload_policy(struct svr_service *svc)
{
	struct svr_security *sec = svc ? svr_service_security(svc) : NULL;

	if (!sec || READ_ONCE(sec->cipher) == SVR_CIPHER_NONE)
		return NULL;
	return sec;
}

/*
 * Replace the L4 payload by key id, IV and AES-CBC ciphertext (PKCS#7
 * padded); an empty payload stays empty. The packet is linear and private.
 */
static enum svr_drop_reason payload_seal(struct svr_net *sn,
					 struct sk_buff *skb,
					 const struct svr_pkt *q,
					 const struct svr_key *key)
{
	unsigned int off = md_off(skb, q), plen, pad;
	int room = skb_tailroom(skb);
	u8 *p;

	if (skb->len <= off)
		return SVR_DROP_NONE;
	plen = skb->len - off;
	pad = SVR_MD_AES_BLOCK - plen % SVR_MD_AES_BLOCK;
	if (room < (int)pad &&
	    pskb_expand_head(skb, 0, pad - room, GFP_ATOMIC))
		return SVR_DROP_NOMEM;
	memset(skb_put(skb, pad), pad, pad);
	if (skb_open(skb, off, SVR_PAYLOAD_HDR_LEN))
		return SVR_DROP_NOMEM;
	p = skb->data + off;
	put_unaligned_be32(key->id, p);
	svr_random_fill(p + SVR_PAYLOAD_KEYID_LEN, SVR_MD_IV_LEN);
	if (svr_aes_cbc(key, true, p + SVR_PAYLOAD_KEYID_LEN,
			p + SVR_PAYLOAD_HDR_LEN, plen + pad))
		return SVR_DROP_CRYPTO;
	svr_stat_inc(sn, SVR_STAT_PAYLOAD_ENCRYPTED);
	return SVR_DROP_NONE;
}

/*
 * The reverse of payload_seal() for a session whose service has payload
 * policy @sec (NULL: none here any more), after the HMAC trailer and any
 * metadata are gone. The key is the one the clear key id names; it must
 * belong to @sec.
 */
static enum svr_drop_reason payload_open(struct svr_net *sn,
					 struct sk_buff *skb,
					 const struct svr_pkt *q,
					 struct svr_security *sec)
{
	unsigned int off, len;
	struct svr_key *key;
	int pad;
	u32 id;
	u8 *p;

	if (vec_linear(skb))
		return SVR_DROP_NOMEM;
	off = md_off(skb, q);
	if (skb->len <= off)
		return SVR_DROP_NONE;	/* nothing was encrypted */
	p = skb->data + off;
	len = skb->len - off;
	if (!svr_payload_split(p, len, &id))
		return SVR_DROP_PAYLOAD_MALFORMED;
	key = svr_key_lookup(sn, id);
	if (!key)
		return SVR_DROP_PAYLOAD_UNKNOWN_KEY;
	if (!sec || key->policy != sec || !key->crypto.aes)
		return SVR_DROP_PAYLOAD_WRONG_POLICY;
	if (svr_aes_cbc(key, false, p + SVR_PAYLOAD_KEYID_LEN,
			p + SVR_PAYLOAD_HDR_LEN, len - SVR_PAYLOAD_HDR_LEN))
		return SVR_DROP_CRYPTO;
	pad = svr_pkcs7_unpad(p + SVR_PAYLOAD_HDR_LEN,
			      len - SVR_PAYLOAD_HDR_LEN);
	if (pad < 0)
		return SVR_DROP_PAYLOAD_DECRYPT;
	skb_trim(skb, skb->len - pad);
	if (skb_close(skb, off, SVR_PAYLOAD_HDR_LEN))
		return SVR_DROP_NOMEM;
	svr_stat_inc(sn, SVR_STAT_PAYLOAD_DECRYPTED);
	return SVR_DROP_NONE;
}

/* Metadata from a peer with policy @sec was protected by @key (or none). */
static enum svr_drop_reason sec_match(struct svr_security *sec,
				      const struct svr_key *key)
{
	if (sec && !key)
		return SVR_DROP_SEC_MISSING;
	if (key && key->policy != sec)
		return SVR_DROP_SEC_WRONG_POLICY;
	return SVR_DROP_NONE;
}

/*
 * Full-size TCP segments must still fit the path once the trailer is on:
 * lower the MSS option of a SYN (and SYN-ACK) sent to the peer by @less.
 * The packet is linear; the checksum is recomputed by finish_full().
 */
static void vec_mss_clamp(struct svr_net *sn, struct sk_buff *skb,
			  const struct svr_pkt *q, unsigned int less)
{
	struct tcphdr *th = (struct tcphdr *)(skb->data + q->l4off);
	unsigned int i = 0, optlen;
	u8 *opt;

	if (q->key.proto != IPPROTO_TCP || !th->syn ||
	    skb_headlen(skb) < q->l4off + th->doff * 4)
		return;
	optlen = th->doff * 4 - sizeof(*th);
	opt = (u8 *)(th + 1);
	while (i < optlen) {
		if (opt[i] == TCPOPT_EOL)
			break;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen || opt[i + 1] < 2 || i + opt[i + 1] > optlen)
			break;
		if (opt[i] == TCPOPT_MSS && opt[i + 1] == TCPOLEN_MSS) {
			u16 mss = get_unaligned_be16(opt + i + 2);

			if (mss > less + 536) {
				put_unaligned_be16(mss - less, opt + i + 2);
				svr_stat_inc(sn, SVR_STAT_TCP_MSS_CLAMPED);
			}
			break;
		}
		i += opt[i + 1];
	}
}

/* ---- control messages (§4.6, Documentation/datapath.md) ------------------ */

/*
 * A control segment of a TCP session: the numbers of the last segment
 * that went this way (or, none yet, the other way's mirrored), ACK set.
 * The peer router consumes it; no end host ever sees it.
 */
static void ctl_tcp_hdr(struct tcphdr *th, const struct svr_session *s,
			enum svr_dir out)
{
	enum svr_dir back = out == SVR_DIR_FWD ? SVR_DIR_REV : SVR_DIR_FWD;
	const struct svr_vec *v = s->vec;

	th->doff = sizeof(*th) / 4;
	th->ack = 1;
	th->seq = READ_ONCE(v->tcp_seq[out]);
	th->ack_seq = READ_ONCE(v->tcp_ack[out]);
	th->window = READ_ONCE(v->tcp_win[out]);
	if (!th->seq && !th->ack_seq) {
		th->seq = READ_ONCE(v->tcp_ack[back]);
		th->ack_seq = READ_ONCE(v->tcp_seq[back]);
		th->window = READ_ONCE(v->tcp_win[back]);
	}
}

/*
 * The IP and L4 headers of a packet from us to the peer that packets of
 * flow @d come from: @d's key swapped (through a NAT between the routers
 * that is the address and port the NAT gave the peer), routed.
 */
static struct sk_buff *ctl_alloc(struct svr_net *sn, struct svr_session *s,
				 enum svr_dir d, struct svr_pkt *q)
{
	struct svr_tuple key, *k = &key;
	struct dst_entry *dst;
	unsigned int l3, l4;
	struct sk_buff *skb;
	bool v4;

	svr_flow_key(&s->flow[d], k);
	v4 = k->family == AF_INET;
	l3 = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	l4 = k->proto == IPPROTO_TCP ? sizeof(struct tcphdr) : SVR_UDP_HLEN;
	if (k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP)
		return NULL;
	dst = svr_route_output(sn->net, k->family, &k->saddr, &k->daddr,
			       k->proto, 0, 0);
	if (IS_ERR(dst))
		return NULL;
	skb = alloc_skb(LL_MAX_HEADER + SVR_MD_BUF + 2 * SVR_MD_IV_LEN +
			l3 + l4 + SVR_HMAC_MAX_LEN, GFP_ATOMIC);
	if (!skb) {
		dst_release(dst);
		return NULL;
	}
	skb_reserve(skb, LL_MAX_HEADER + SVR_MD_BUF + 2 * SVR_MD_IV_LEN);
	skb_dst_set(skb, dst);
	skb_reset_network_header(skb);
	skb_put_zero(skb, l3 + l4);
	skb_set_transport_header(skb, l3);
	memset(q, 0, sizeof(*q));
	q->key.family = k->family;
	q->key.proto = k->proto;
	q->key.saddr = k->daddr;
	q->key.daddr = k->saddr;
	q->key.sport = k->dport;
	q->key.dport = k->sport;
	q->l4off = l3;
	q->ports = true;
	if (v4) {
		struct iphdr *iph = ip_hdr(skb);

		skb->protocol = htons(ETH_P_IP);
		iph->version = 4;
		iph->ihl = l3 / 4;
		iph->ttl = ip4_dst_hoplimit(dst);
		iph->protocol = k->proto;
		iph->frag_off = htons(IP_DF);
		iph->saddr = k->daddr.ip;
		iph->daddr = k->saddr.ip;
		iph->tot_len = htons(skb->len);
		ip_select_ident(sn->net, skb, NULL);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		skb->protocol = htons(ETH_P_IPV6);
		ip6h->version = 6;
		ip6h->hop_limit = ip6_dst_hoplimit(dst);
		ip6h->nexthdr = k->proto;
		ip6h->saddr = k->daddr.ip6;
		ip6h->daddr = k->saddr.ip6;
	}
	if (k->proto == IPPROTO_TCP)
		ctl_tcp_hdr(tcp_hdr(skb), s, d == SVR_DIR_FWD ? SVR_DIR_REV :
			    SVR_DIR_FWD);
	tcp_hdr(skb)->source = k->dport;	/* the same place in UDP */
	tcp_hdr(skb)->dest = k->sport;
	return skb;
}

/*
 * Control message @code to the peer that packets of flow @d come from, on
 * the session's waypoint flow: header TLVs 16 (with a security policy), 24
 * and payload TLVs 6 (UUID), 14 (our name), 42 (seconds the session has
 * left here), sealed and signed as that peer's policy says, no user
 * payload. Any context; under RCU.
 */
static int vec_ctl_send(struct svr_net *sn, struct svr_session *s,
			enum svr_dir d, u8 code)
{
	u8 buf[SVR_MD_BUF + SVR_MD_IV_LEN + SVR_MD_AES_BLOCK];
	struct svr_security *sec = vec_sec(s, d, true);
	u8 hmac = SVR_HMAC_NONE, mode = 0;
	unsigned long idle, left = 0;
	struct svr_md_builder b;
	struct svr_key *key = NULL;
	struct svr_md md;
	struct sk_buff *skb;
	struct svr_pkt q;
	bool seal = false;

	memset(&md, 0, sizeof(md));
	if (sec) {
		key = svr_sec_send_key(sec);
		if (!key)
			return -ENOKEY;
		hmac = READ_ONCE(sec->hmac);
		mode = READ_ONCE(sec->hmac_mode);
		seal = key->crypto.aes &&
		       READ_ONCE(sec->cipher) != SVR_CIPHER_NONE;
		md.security_id = key->id;
		md.present |= BIT_ULL(SVR_TLV_SECURITY_ID);
	}
	md.control = code;
	memcpy(md.uuid, s->uuid, sizeof(md.uuid));
	md_bytes(&md.router, svr_router_get_rcu(sn)->name);
	if (code != SVR_CTRL_DELETE_SESSION) {
		idle = svr_session_idle(s) / HZ;
		left = READ_ONCE(s->timeout);
		left = left > idle ? left - idle : 0;
	}
	md.remaining_time = left;
	md.present |= BIT_ULL(SVR_TLV_CONTROL) | BIT_ULL(SVR_TLV_UUID) |
		      BIT_ULL(SVR_TLV_ROUTER) | BIT_ULL(SVR_TLV_REMAINING_TIME);
	skb = ctl_alloc(sn, s, d, &q);
	if (!skb)
		return -ENOMEM;
	svr_md_build_init(&b, buf, SVR_MD_BUF);
	svr_md_build_control(&b, &md);
	if (md_emit(sn, skb, &q, &b, sizeof(buf), key, seal))
		goto err;
	if (hmac != SVR_HMAC_NONE) {
		if (hmac_append(skb, &q, key, hmac, mode))
			goto err;
		svr_stat_inc(sn, SVR_STAT_HMAC_ADDED);
	}
	finish_full(skb, &q);
	svr_untrack(skb);
	if (q.key.family == AF_INET)
		return ip_local_out(sn->net, NULL, skb);
	return ip6_local_out(sn->net, NULL, skb);
err:
	kfree_skb(skb);
	return -ENOMEM;
}

/* Send @code to every peer of @s, but those that told us (ctl_skip). */
static void vec_ctl_peers(struct svr_session *s, u8 code, enum svr_stat stat)
{
	struct svr_net *sn = s->sn;
	int d;

	rcu_read_lock();
	for (d = 0; d < SVR_DIR_MAX; d++) {
		if (!vec_from_peer(s, d) || !vec_peer(s, d, true) ||
		    (READ_ONCE(s->vec->ctl_skip) & BIT(d)))
			continue;
		if (code == SVR_CTRL_KEEPALIVE && d == SVR_DIR_FWD)
			continue;	/* towards the next hop only */
		if (vec_ctl_send(sn, s, d, code) < 0)
			svr_stat_inc(sn, SVR_STAT_CTL_SEND_FAILED);
		else
			svr_stat_inc(sn, stat);
	}
	rcu_read_unlock();
}

/**
 * svr_vec_ctl_delete - tell the peers of a session that ended here
 * @s: the session, unhashed (svr_session_delete())
 */
void svr_vec_ctl_delete(struct svr_session *s)
{
	vec_ctl_peers(s, SVR_CTRL_DELETE_SESSION, SVR_STAT_CTL_SENT_DELETE);
}

/**
 * svr_vec_ctl_keepalive - a keepalive on an idle session's waypoint flow
 * @s: an ingress or transit UDP session (towards its next hop)
 */
void svr_vec_ctl_keepalive(struct svr_session *s)
{
	vec_ctl_peers(s, SVR_CTRL_KEEPALIVE, SVR_STAT_CTL_SENT_KEEPALIVE);
}

/*
 * A control message from the peer on flow @f of @s, checked like any
 * metadata (HMAC, key of the peer's policy, format): it must name @s's
 * UUID. Keepalive: the packet already refreshed the idle timer. Delete:
 * the session goes (and the other peer of a transit session is told).
 * The packet is consumed either way.
 */
static unsigned int vec_ctl_rcv(struct svr_net *sn, struct sk_buff *skb,
				struct svr_flow *f, struct svr_session *s,
				const struct svr_md *md)
{
	if (!svr_md_has(md, SVR_TLV_UUID) ||
	    memcmp(md->uuid, s->uuid, sizeof(s->uuid)))
		return svr_drop(sn, skb, SVR_DROP_CTL_MISMATCH);
	switch (md->control) {
	case SVR_CTRL_KEEPALIVE:
		svr_stat_inc(sn, SVR_STAT_CTL_RCVD_KEEPALIVE);
		break;
	case SVR_CTRL_DELETE_SESSION:
		svr_stat_inc(sn, SVR_STAT_CTL_RCVD_DELETE);
		spin_lock(&s->lock);
		s->vec->ctl_skip |= BIT(f->dir);
		spin_unlock(&s->lock);
		svr_session_delete(s, SVR_DEL_PEER);
		break;
	default:
		svr_stat_inc(sn, SVR_STAT_CTL_RCVD_OTHER);
		break;
	}
	return svr_drop(sn, skb, SVR_DROP_MD_CONSUMED);
}

/* ---- the per-packet work --------------------------------------------------- */

/*
 * The packet of an SVR session, either direction: security and structure
 * first, then the rewrite (destination, our own route lookup, source) and
 * the checksums. Towards the peer: ICMP as UDP, metadata (TLV 16 and the
 * sealed payload section with a security policy), the HMAC trailer last.
 * From the peer: the HMAC trailer is verified and removed before anything
 * else, then the metadata is decrypted, checked and removed. A transit
 * session does both to every packet: from one peer, then to the other
 * (@from_done: the first packet, whose metadata is already off).
 */
static unsigned int svr_vec_forward_one(struct svr_net *sn,
					struct sk_buff *skb,
					const struct svr_pkt *p,
					struct svr_flow *f,
					struct svr_session *s,
					bool from_done)
{
	bool to_peer = vec_to_peer(s, f->dir);
	bool fwd = f->dir == SVR_DIR_FWD;
	struct svr_vec *v = s->vec;
	struct svr_rewrite rwbuf;
	const struct svr_rewrite *rw = svr_flow_rw(f, &rwbuf);
	bool full = from_done, add_md = false;
	enum svr_drop_reason why;
	struct svr_security *sec;
	struct svr_pkt q = *p;

	if (vec_from_peer(s, f->dir) && !from_done) {
		/* From the peer: HMAC off, metadata off, UDP back to ICMP. */
		bool is_md = svr_vec_is_md(skb, &q);

		sec = vec_sec(s, f->dir, true);
		if (vec_sec_hmac(sec) ||
		    (v->flags & (SVR_VEC_ICMP | SVR_VEC_PAYLOAD)) || is_md) {
			why = l4_check(skb, &q);
			if (why)
				return svr_drop(sn, skb, why);
		}
		if (sec || is_md) {
			why = hmac_check(sn, skb, &q, sec, is_md);
			if (why)
				return svr_drop(sn, skb, why);
			/* The trailer is off: ask again of what is left. */
			if (vec_sec_hmac(sec)) {
				full = true;
				is_md = svr_vec_is_md(skb, &q);
			}
		}
		if (is_md) {
			struct svr_key *key;
			struct svr_md md;

			if (skb->ip_summed == CHECKSUM_PARTIAL &&
			    skb_checksum_help(skb))
				return svr_drop(sn, skb, SVR_DROP_NOMEM);
			why = md_peek(sn, skb, &q, &md, &key);
			if (!why && md.hdr.hl + md.hdr.pl > SVR_MD_HDR_LEN)
				why = sec_match(sec, key);
			if (why)
				return svr_drop(sn, skb, why);
			if (svr_md_has(&md, SVR_TLV_CONTROL))
				return vec_ctl_rcv(sn, skb, f, s, &md);
			if (md_strip(skb, &q, &md))
				return svr_drop(sn, skb, SVR_DROP_NOMEM);
			full = true;
			if (md.hdr.hl + md.hdr.pl > SVR_MD_HDR_LEN) {
				vec_count_md(s, f->dir, false);
				svr_stat_inc(sn, SVR_STAT_MD_RCVD);
			}
			if (!fwd &&
			    (svr_md_has(&md, SVR_TLV_DISABLE_FWD_MD) ||
			     svr_md_has(&md, SVR_TLV_REV_CTX4) ||
			     svr_md_has(&md, SVR_TLV_REV_CTX6)))
				WRITE_ONCE(v->flags, v->flags & ~SVR_VEC_FWD_MD);
		} else if (fwd && (v->flags & SVR_VEC_REV_MD_SENT) &&
			   (v->flags & SVR_VEC_REV_MD)) {
			/* Its absence acknowledges our reverse metadata. */
			WRITE_ONCE(v->flags, v->flags & ~SVR_VEC_REV_MD);
		}
		if (v->flags & SVR_VEC_PAYLOAD) {
			why = payload_open(sn, skb, &q,
					   svr_vec_payload_policy(s->service));
			if (why)
				return svr_drop(sn, skb, why);
			full = true;
		}
		if (v->flags & SVR_VEC_ICMP) {
			if (skb->ip_summed == CHECKSUM_PARTIAL &&
			    skb_checksum_help(skb))
				return svr_drop(sn, skb, SVR_DROP_NOMEM);
			if (udp_to_icmp(skb, &q, v->inner_proto))
				return svr_drop(sn, skb, SVR_DROP_MALFORMED);
			full = true;
		}
	}
	if (to_peer) {
		/* Towards the peer: maybe metadata, maybe ICMP as UDP. */
		struct svr_key *key = NULL, *pkey = NULL;
		u8 hmac = SVR_HMAC_NONE, mode = 0;
		unsigned int grow = 0;
		bool seal = false;

		add_md = READ_ONCE(v->flags) &
			 (fwd ? SVR_VEC_FWD_MD : SVR_VEC_REV_MD);
		sec = vec_sec(s, f->dir, false);
		if (sec) {
			key = svr_sec_send_key(sec);
			if (!key)
				return svr_drop(sn, skb, SVR_DROP_SEC_NO_KEY);
			hmac = READ_ONCE(sec->hmac);
			mode = READ_ONCE(sec->hmac_mode);
			seal = key->crypto.aes &&
			       READ_ONCE(sec->cipher) != SVR_CIPHER_NONE;
			grow = svr_hmac_len(hmac);
		}
		if (v->flags & SVR_VEC_PAYLOAD) {
			struct svr_security *psec;

			psec = svr_vec_payload_policy(s->service);
			pkey = psec ? svr_sec_send_key(psec) : NULL;
			if (!pkey || !pkey->crypto.aes)
				return svr_drop(sn, skb, SVR_DROP_SEC_NO_KEY);
			grow += SVR_PAYLOAD_GROWTH_MAX;
		}
		/* Fast lane without an HMAC: nothing to compute. */
		if (((sec && (add_md || hmac != SVR_HMAC_NONE)) || pkey) &&
		    vec_linear(skb))
			return svr_drop(sn, skb, SVR_DROP_NOMEM);
		if ((add_md || (v->flags & SVR_VEC_ICMP)) && skb_is_gso(skb))
			return svr_drop(sn, skb, SVR_DROP_GSO_MD);
		if (skb->ip_summed == CHECKSUM_PARTIAL &&
		    (add_md || (v->flags & SVR_VEC_ICMP)) &&
		    skb_checksum_help(skb))
			return svr_drop(sn, skb, SVR_DROP_NOMEM);
		if (v->flags & SVR_VEC_ICMP) {
			if (icmp_to_udp(skb, &q))
				return svr_drop(sn, skb, SVR_DROP_MALFORMED);
			full = true;
		}
		if (pkey) {
			why = payload_seal(sn, skb, &q, pkey);
			if (why)
				return svr_drop(sn, skb, why);
			full = true;
			/* UDP that no longer fits the WAN: IPv4 fragments it. */
			if (q.key.family == AF_INET &&
			    q.key.proto == IPPROTO_UDP)
				ip_hdr(skb)->frag_off &= ~htons(IP_DF);
		}
		if (grow)
			vec_mss_clamp(sn, skb, &q, grow);
		if (add_md) {
			if (md_add(sn, skb, &q, s, fwd, key, seal))
				return svr_drop(sn, skb, SVR_DROP_NOMEM);
			full = true;
			/*
			 * A first packet that fitted the client's path may not
			 * fit with metadata: let IPv4 fragment it on the WAN;
			 * the egress reassembles before svr sees it.
			 */
			if (q.key.family == AF_INET)
				ip_hdr(skb)->frag_off &= ~htons(IP_DF);
			vec_count_md(s, f->dir, true);
			svr_stat_inc(sn, fwd ? SVR_STAT_MD_SENT_FWD :
				     SVR_STAT_MD_SENT_REV);
			if (!fwd)
				WRITE_ONCE(v->flags,
					   v->flags | SVR_VEC_REV_MD_SENT);
		} else if (payload_has_cookie(skb, &q)) {
			/* The payload looks like metadata: mark it (§3.1). */
			u8 buf[SVR_MD_HDR_LEN];

			svr_md_build_marker(buf, sizeof(buf));
			if (md_insert(skb, &q, buf, sizeof(buf)))
				return svr_drop(sn, skb, SVR_DROP_NOMEM);
			svr_stat_inc(sn, SVR_STAT_MD_MARKER_ADDED);
			full = true;
		}
		if (hmac != SVR_HMAC_NONE) {
			if (hmac_append(skb, &q, key, hmac, mode))
				return svr_drop(sn, skb, SVR_DROP_CRYPTO);
			svr_stat_inc(sn, SVR_STAT_HMAC_ADDED);
			full = true;
		}
	}

	if (f->dir == SVR_DIR_FWD && s->nh.type == SVR_NH_GATEWAY) {
		if (svr_nat_apply(skb, &q, rw, SVR_RW_ALL))
			return svr_drop(sn, skb, SVR_DROP_NOMEM);
		if (full)
			finish_full(skb, &q);
		svr_untrack(skb);
		return svr_xmit_gateway(sn, skb, &q, s);
	}
	why = svr_rewrite_route(skb, &q, f, rw);
	if (why)
		return svr_drop(sn, skb, why);
	if (full)
		finish_full(skb, &q);
	svr_untrack(skb);
	return svr_pass(sn, skb, f);
}

/*
 * Does this packet of @s need real segments: is anything added, removed
 * or computed per wire packet (metadata, ICMP as UDP, the HMAC trailer,
 * the payload cipher)? The metadata cipher seals metadata only: a peer
 * policy without an HMAC leaves the fast lane's GSO packets whole.
 */
static bool vec_per_packet(struct sk_buff *skb, const struct svr_pkt *p,
			   struct svr_session *s, enum svr_dir dir)
{
	u8 flags = READ_ONCE(s->vec->flags);
	bool to_peer = vec_to_peer(s, dir);

	if ((flags & (SVR_VEC_ICMP | SVR_VEC_PAYLOAD)) ||
	    (vec_from_peer(s, dir) && vec_sec_hmac(vec_sec(s, dir, true))) ||
	    (to_peer && vec_sec_hmac(vec_sec(s, dir, false))))
		return true;
	if (to_peer && (flags & (dir == SVR_DIR_FWD ?
				 SVR_VEC_FWD_MD : SVR_VEC_REV_MD)))
		return true;
	return payload_has_cookie(skb, p);
}

/*
 * A GSO packet (a GRO super-packet at PREROUTING) is cut into its wire
 * segments first; each one then goes through svr_vec_forward_one() and,
 * accepted, on to the route svr gave it (dst_input: ip_forward or
 * ip6_forward, as ip_rcv_finish would have done). The hooks after svr at
 * PREROUTING do not see the segments (conntrack is kept out of svr's
 * sessions anyway).
 */
static unsigned int svr_vec_segment(struct svr_net *sn, struct sk_buff *skb,
				    const struct svr_pkt *p, struct svr_flow *f,
				    struct svr_session *s)
{
	struct sk_buff *segs, *seg, *next;
	unsigned int verdict;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		return svr_drop(sn, skb, SVR_DROP_GSO_SEGMENT);
	consume_skb(skb);
	svr_stat_inc(sn, SVR_STAT_GSO_SEGMENTED);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		verdict = svr_vec_forward_one(sn, seg, p, f, s, false);
		if (verdict == NF_ACCEPT)
			skb_dst(seg)->input(seg);
		else if (verdict != NF_STOLEN)
			kfree_skb(seg);
	}
	return NF_STOLEN;
}

unsigned int svr_vec_forward(struct svr_net *sn, struct sk_buff *skb,
			     const struct svr_pkt *p, struct svr_flow *f,
			     struct svr_session *s)
{
	if (svr_ttl_expired(sn, skb, p))
		return svr_drop(sn, skb, SVR_DROP_TTL);
	if (f->dir == SVR_DIR_FWD && s->role != SVR_SESSION_ROLE_EGRESS)
		svr_vec_path_check(sn, s);
	vec_count(s, f->dir, skb);
	if (skb_is_gso(skb) && vec_per_packet(skb, p, s, f->dir))
		return svr_vec_segment(sn, skb, p, f, s);
	return svr_vec_forward_one(sn, skb, p, f, s, false);
}

/* Has @peer a path that is up for @family? */
bool svr_vec_path_up(struct svr_peer *peer, u8 family)
{
	return svr_vec_path_pick(peer, family);
}

/* ---- session setup ------------------------------------------------------------ */

/*
 * The path to @peer with the lowest cost that is up, for @family (IPv6
 * inner over IPv4 waypoints and back is not carried yet).
 */
const struct svr_path *svr_vec_path_pick(struct svr_peer *peer, u8 family)
{
	const struct svr_path *path, *best = NULL;

	list_for_each_entry_rcu(path, &peer->paths, list) {
		if (!svr_path_usable(path) || path->family != family)
			continue;
		if (!best || path->cost < best->cost)
			best = path;
	}
	return best;
}

struct net_device *svr_vec_path_dev(struct net *net,
				    const struct svr_path *path)
{
	struct net_device *dev;
	struct dst_entry *dst;

	dst = svr_route_output(net, path->family, &path->remote, &path->local,
			       0, 0, 0);
	if (IS_ERR(dst))
		return NULL;
	dev = dst->dev;
	dst_release(dst);
	return dev;
}

/*
 * The path to @peer of a session that starts a hop (ingress or transit):
 * the outer addresses, the egress device and a reference on @peer as the
 * session's next hop. The wayports are chosen when it is inserted.
 */
static int vec_hop_setup(struct svr_net *sn, u8 family, struct svr_session *s,
			 struct svr_peer *peer, struct net_device **outp)
{
	const struct svr_path *path = svr_vec_path_pick(peer, family);
	struct svr_vec *v = s->vec;
	struct net_device *out;

	if (!path)
		return -ENETUNREACH;
	out = svr_vec_path_dev(sn->net, path);
	if (!out)
		return -ENETUNREACH;
	if (!svr_peer_get(peer))
		return -ENOENT;
	s->nh.type = SVR_NH_PEER;
	s->nh.peer = peer;
	svr_vec_ps_set(v, SVR_PS_OUT, path->stats);
	v->port_lo = path->port_lo;
	v->port_hi = path->port_hi;
	svr_sa_set(s, SVR_SA_RW_SRC, &path->local);
	svr_sa_set(s, SVR_SA_RW_DST, &path->remote);
	s->rw.flags = SVR_RW_ALL;
	*outp = out;
	return 0;
}

/* Ingress: a new session to @peer, the client's packet as the inner one. */
int svr_vec_ingress_setup(struct svr_net *sn, const struct svr_pkt *p,
			  struct svr_session *s, struct svr_peer *peer,
			  struct net_device **outp)
{
	struct svr_vec *v = s->vec;
	int ret;

	ret = vec_hop_setup(sn, p->key.family, s, peer, outp);
	if (ret)
		return ret;
	s->role = SVR_SESSION_ROLE_INGRESS;
	v->flags = SVR_VEC_FWD_MD;
	if (p->icmp_echo)
		v->flags |= SVR_VEC_ICMP;
	v->inner_family = p->key.family;
	v->inner_proto = p->key.proto;
	svr_sa_set(s, SVR_SA_INNER_SRC, &p->key.saddr);
	svr_sa_set(s, SVR_SA_INNER_DST, &p->key.daddr);
	v->inner_sport = p->key.sport;
	v->inner_dport = p->key.dport;
	return 0;
}

/*
 * The outer protocol: ICMP echo travels as UDP. On the ingress the
 * reverse flow arrives on the outer tuple; on the egress it arrives from
 * the server as itself.
 */
void svr_vec_fix_reverse(const struct svr_session *s, struct svr_tuple *rk)
{
	if (s->role == SVR_SESSION_ROLE_TRANSIT)
		return;	/* outer tuples on both sides, as they are */
	if (s->role == SVR_SESSION_ROLE_INGRESS) {
		rk->proto = s->vec->flags & SVR_VEC_ICMP ? IPPROTO_UDP :
			    s->vec->inner_proto;
		rk->sport = s->rw.dport;
	} else {
		rk->proto = s->vec->inner_proto;
		if (s->vec->flags & SVR_VEC_ICMP) {
			rk->sport = s->vec->inner_sport;
			rk->dport = s->vec->inner_sport;
		}
	}
}

/*
 * Insert an ingress session, choosing its wayports: an even one for us and
 * an odd one for the peer, in the router's range or the path's (where the
 * even/odd rule is dropped, §6.2).
 */
int svr_vec_insert(struct svr_net *sn, struct svr_session *s,
		   const struct net_device *out)
{
	struct svr_vec *v = s->vec;
	bool parity = !v->port_lo;
	u32 lo = v->port_lo, hi = v->port_hi, range;
	int i, ret;

	if (parity) {
		const struct svr_router *rc = svr_router_get_rcu(sn);

		lo = rc->wayport_lo;
		hi = rc->wayport_hi;
	}
	range = hi - lo + 1;
	for (i = 0; i < SVR_WAYPORT_TRIES; i++) {
		u32 a = lo + get_random_u32_below(range);
		u32 b = lo + get_random_u32_below(range);

		if (parity) {
			a = (a & ~1U) < lo ? (a | 1U) + 1 : a & ~1U;
			b = (b | 1U) > hi ? (b | 1U) - 2 : b | 1U;
		}
		s->rw.sport = htons(a);
		s->rw.dport = htons(b);
		svr_dp_reverse(s, out);
		ret = svr_session_insert(s);
		if (ret != -EADDRINUSE)
			return ret;
		svr_stat_inc(sn, SVR_STAT_NAT_RETRY);
	}
	return -EADDRINUSE;
}

/* Checks of forward metadata that creates an egress session. */
static enum svr_drop_reason svr_vec_admit(struct svr_net *sn,
					  const struct svr_md *md,
					  struct svr_first *fp,
					  struct svr_peer **peerp)
{
	if (!(svr_md_has(md, SVR_TLV_FWD_CTX4) ||
	      svr_md_has(md, SVR_TLV_FWD_CTX6)) ||
	    !svr_md_has(md, SVR_TLV_SERVICE) || !svr_md_has(md, SVR_TLV_UUID) ||
	    !svr_md_has(md, SVR_TLV_ROUTER))
		return SVR_DROP_MD_NOT_FORWARD;
	*peerp = svr_peer_find(sn, (const char *)md->router.ptr,
			       md->router.len);
	if (!*peerp)
		return SVR_DROP_MD_UNKNOWN_PEER;
	fp->tenant = NULL;
	if (md->tenant.len) {
		fp->tenant = svr_tenant_find(sn, (const char *)md->tenant.ptr,
					     md->tenant.len);
		if (!fp->tenant)
			return SVR_DROP_MD_UNKNOWN_TENANT;
	}
	fp->svc = svr_service_find(sn, (const char *)md->service.ptr,
				   md->service.len);
	if (!fp->svc)
		return SVR_DROP_MD_NO_SERVICE;
	if (svr_service_access(fp->svc, fp->tenant) != SVR_ACCESS_ALLOW)
		return SVR_DROP_MD_NOT_ALLOWED;
	return SVR_DROP_NONE;
}

/*
 * The inner tuple from forward metadata. Its family must be the session's
 * (the outer one: checked before the session is used), and only that many
 * bytes of each address fit its slots.
 */
static void svr_vec_inner_from_md(struct svr_session *s,
				  const struct svr_md *md)
{
	const struct svr_md_ctx *c = &md->fwd;
	unsigned int alen = c->family == SVR_MD_AF_INET ? 4 : 16;
	struct svr_vec *v = s->vec;
	union svr_addr a;

	v->inner_family = c->family == SVR_MD_AF_INET ? AF_INET : AF_INET6;
	v->inner_proto = c->proto;
	memset(&a, 0, sizeof(a));
	memcpy(&a, c->saddr, alen);
	svr_sa_set(s, SVR_SA_INNER_SRC, &a);
	memcpy(&a, c->daddr, alen);
	svr_sa_set(s, SVR_SA_INNER_DST, &a);
	v->inner_sport = htons(c->sport);
	v->inner_dport = htons(c->dport);
}

/*
 * Transit: the first packet of @s arrived from the peer s->nh.peer with its
 * metadata (now stripped) and the service's route here is another peer. The
 * session becomes the egress half of that hop and the ingress half of the
 * next one: the previous peer moves to vec.prev, the next hop gets a path
 * and fresh wayports, and the packet leaves with forward metadata of its
 * own (the same UUID, tenant, service and original tuple, our router name
 * and path, sealed for the next peer's policy). The packet stays what it
 * is on the wire (ICMP echo remains UDP until the last router).
 */
static unsigned int svr_vec_transit_first(struct svr_net *sn,
					  struct sk_buff *skb,
					  const struct svr_pkt *q,
					  struct svr_session *s,
					  struct svr_first *fp)
{
	struct svr_vec *v = s->vec;
	enum svr_drop_reason why;
	struct net_device *out;
	int ret;

	v->prev = s->nh.peer;
	s->nh.peer = NULL;
	s->role = SVR_SESSION_ROLE_TRANSIT;
	v->flags = SVR_VEC_FWD_MD | SVR_VEC_REV_MD |
		   (v->flags & SVR_VEC_PAYLOAD_RELAY);
	why = SVR_DROP_MALFORMED;
	if (v->inner_family != q->key.family)
		goto drop;
	why = SVR_DROP_NO_ROUTE;
	if (fp->nh.peer == v->prev)	/* back where it came from: a loop */
		goto drop;
	if (vec_hop_setup(sn, v->inner_family, s, fp->nh.peer, &out))
		goto drop;
	why = SVR_DROP_MD_NOT_ALLOWED;
	if (fp->tenant && !svr_tenant_get(fp->tenant))
		goto drop;
	s->tenant = fp->tenant;
	if (!svr_service_get(fp->svc))
		goto drop;
	s->service = fp->svc;
	ret = svr_vec_insert(sn, s, out);
	if (ret) {
		why = ret == -ENOSPC || ret == -E2BIG ? SVR_DROP_TABLE_FULL :
		      ret == -EADDRINUSE ? SVR_DROP_NAT_EXHAUSTED :
		      SVR_DROP_NOMEM;
		goto drop;
	}
	svr_stat_inc(sn, SVR_STAT_SESS_CREATED);
	trace_svr_session_new(s);
	svr_session_event(s, true, 0);
	svr_session_seen(s, SVR_DIR_FWD, skb->len,
			 q->key.proto == IPPROTO_TCP ?
			 (const struct tcphdr *)(skb->data + q->l4off) : NULL);
	vec_ps_add(v->ps[SVR_PS_OUT], true, skb);
	return svr_vec_forward_one(sn, skb, q, &s->flow[SVR_DIR_FWD], s, true);

drop:
	svr_session_free_unhashed(s);
	return svr_drop(sn, skb, why);
}

/*
 * Egress: a packet to one of our waypoints that carries forward metadata
 * and matches no session. Validate, restore the original packet, create the
 * egress half of the session and forward it by the local route.
 */
unsigned int svr_vec_egress_first(struct svr_net *sn, struct sk_buff *skb,
				  const struct nf_hook_state *state,
				  const struct svr_pkt *p)
{
	const struct svr_path *path;
	struct svr_first fp = { 0 };
	enum svr_drop_reason why;
	struct net_device *out;
	struct svr_session *s;
	struct svr_peer *peer;
	struct svr_rewrite rw;
	struct svr_flow *fw;
	struct svr_pkt q = *p;
	struct svr_security *psec = NULL;
	struct svr_key *key;
	struct svr_md md;
	struct svr_vec *v;
	int ret;

	if (svr_ttl_expired(sn, skb, p))
		return svr_drop(sn, skb, SVR_DROP_TTL);
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	/*
	 * The key named in the clear header verifies the HMAC before the
	 * metadata is decrypted or believed; the peer the metadata then
	 * names must have that key's policy (and one without a policy, no
	 * key).
	 */
	why = l4_check(skb, &q);
	if (!why)
		why = hmac_check(sn, skb, &q, NULL, true);
	if (!why)
		why = md_peek(sn, skb, &q, &md, &key);
	/* A control message for a session we do not have: forged, or late. */
	if (!why && svr_md_has(&md, SVR_TLV_CONTROL))
		why = SVR_DROP_CTL_NO_SESSION;
	if (!why)
		why = svr_vec_admit(sn, &md, &fp, &peer);
	if (!why)
		why = sec_match(rcu_dereference(peer->security), key);
	if (why)
		return svr_drop(sn, skb, why);
	svr_stat_inc(sn, SVR_STAT_MD_RCVD);

	s = svr_session_alloc(sn, true, p->key.family);
	if (!s)
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	s->role = SVR_SESSION_ROLE_EGRESS;
	memcpy(s->uuid, md.uuid, sizeof(s->uuid));
	v = s->vec;
	v->flags = SVR_VEC_REV_MD;
	svr_vec_inner_from_md(s, &md);
	if ((v->inner_proto == IPPROTO_ICMP ||
	     v->inner_proto == IPPROTO_ICMPV6) && q.key.proto == IPPROTO_UDP)
		v->flags |= SVR_VEC_ICMP;
	fw = &s->flow[SVR_DIR_FWD];
	svr_flow_set_key(fw, &p->key);
	svr_sa_get(s, SVR_SA_INNER_SRC, &rw.saddr);
	svr_sa_get(s, SVR_SA_INNER_DST, &rw.daddr);
	rw.sport = v->inner_sport;
	rw.dport = v->inner_dport;
	rw.flags = SVR_RW_ALL;
	svr_session_set_rw(s, &rw);
	if (!svr_peer_get(peer))
		goto gone;
	s->nh.peer = peer;
	path = vec_path_in(peer, &p->key);
	if (path && path->stats) {
		svr_vec_ps_set(v, SVR_PS_IN, path->stats);
		vec_ps_add(path->stats, false, skb);
		atomic64_inc(&path->stats->md_rcvd);
	}
	if (md_strip(skb, &q, &md))	/* md points into the packet: done */
		goto nomem;
	if (svr_service_nexthop(sn, fp.svc, v->inner_family, &fp.nh, &fp.gw)) {
		why = SVR_DROP_NO_ROUTE;
		goto drop;
	}
	if (fp.nh.type == SVR_NH_PEER) {
		/* A transit relays an encrypted payload as it is (TLV 11). */
		if (svr_md_has(&md, SVR_TLV_SESSION_ENCRYPTED))
			v->flags |= SVR_VEC_PAYLOAD_RELAY;
		return svr_vec_transit_first(sn, skb, &q, s, &fp);
	}
	/* TLV 11 and our service's payload policy must agree. */
	psec = svr_vec_payload_policy(fp.svc);
	if (!psec != !svr_md_has(&md, SVR_TLV_SESSION_ENCRYPTED)) {
		why = SVR_DROP_PAYLOAD_MISMATCH;
		goto drop;
	}
	if (psec) {
		v->flags |= SVR_VEC_PAYLOAD;
		why = payload_open(sn, skb, &q, psec);
		if (why)
			goto drop;
	}

	/* The original packet, but for its source: route it, then that. */
	if (v->flags & SVR_VEC_ICMP) {
		if (udp_to_icmp(skb, &q, v->inner_proto))
			goto malformed;
	}
	if (v->inner_family != q.key.family || q.key.proto != v->inner_proto)
		goto malformed;
	if (svr_nat_apply(skb, &q, &rw, SVR_RW_DADDR | SVR_RW_DPORT))
		goto nomem;
	q.key.daddr = rw.daddr;
	q.key.dport = v->inner_dport;
	q.key.saddr = rw.saddr;
	q.key.sport = v->inner_sport;

	s->nh.type = fp.nh.type;
	svr_sa_set(s, SVR_SA_GW, &fp.gw);
	s->nh.oif = fp.nh.oif;
	ret = svr_first_egress(sn, skb, &q, &fp, s, &out);
	if (ret) {
		why = SVR_DROP_NO_ROUTE;
		goto drop;
	}
	if (fp.tenant && !svr_tenant_get(fp.tenant))
		goto gone;
	s->tenant = fp.tenant;
	if (!svr_service_get(fp.svc))
		goto gone;
	s->service = fp.svc;
	/* Source NAT on the way to the server gives the session a port. */
	ret = svr_insert_nat(sn, s, out,
			     memcmp(svr_sa_ptr(s, SVR_SA_RW_SRC),
				    svr_sa_ptr(s, SVR_SA_INNER_SRC),
				    svr_sa_len(s)));
	if (ret) {
		why = ret == -ENOSPC ? SVR_DROP_TABLE_FULL :
		      SVR_DROP_NAT_EXHAUSTED;
		goto drop;
	}
	svr_stat_inc(sn, SVR_STAT_SESS_CREATED);
	trace_svr_session_new(s);
	svr_session_event(s, true, 0);
	svr_session_seen(s, SVR_DIR_FWD, skb->len,
			 q.key.proto == IPPROTO_TCP ?
			 (const struct tcphdr *)(skb->data + q.l4off) : NULL);

	if (s->nh.type == SVR_NH_GATEWAY) {
		if (svr_nat_apply(skb, &q, svr_session_rw(s, &rw),
				  SVR_RW_SADDR | SVR_RW_SPORT))
			return svr_drop(sn, skb, SVR_DROP_NOMEM);
		finish_full(skb, &q);
		svr_untrack(skb);
		return svr_xmit_gateway(sn, skb, &q, s);
	}
	if (svr_route_input(skb, &q))
		return svr_drop(sn, skb, SVR_DROP_NO_ROUTE);
	if (svr_nat_apply(skb, &q, svr_session_rw(s, &rw),
			  SVR_RW_SADDR | SVR_RW_SPORT))
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	finish_full(skb, &q);
	svr_untrack(skb);
	return NF_ACCEPT;

malformed:
	why = SVR_DROP_MALFORMED;
	goto drop;
nomem:
	why = SVR_DROP_NOMEM;
	goto drop;
gone:
	why = SVR_DROP_MD_NOT_ALLOWED;
drop:
	svr_session_free_unhashed(s);
	return svr_drop(sn, skb, why);
}

/* ---- ICMP errors from the WAN -------------------------------------------- */

/* Is @f a flow whose packets come from a peer (its replies went to one)? */
bool svr_vec_flow_from_peer(struct svr_flow *f)
{
	struct svr_session *s = svr_flow_session(f);

	return s->role != SVR_SESSION_ROLE_LOCAL && !s->stale &&
	       vec_from_peer(s, f->dir);
}

/*
 * Bytes a packet of direction @dir of @s grows by on its way to the peer,
 * after the handshake: the UDP header of ICMP echo and the HMAC trailer.
 */
static unsigned int vec_overhead(const struct svr_session *s, enum svr_dir dir)
{
	struct svr_security *sec = vec_sec(s, dir, false);
	unsigned int n = s->vec->flags & SVR_VEC_ICMP ? SVR_UDP_HLEN : 0;

	if (sec)
		n += svr_hmac_len(READ_ONCE(sec->hmac));
	/* The sealed payload (the worst case: a whole pad block). */
	if (s->vec->flags & SVR_VEC_PAYLOAD)
		n += SVR_PAYLOAD_GROWTH_MAX;
	return n;
}

/* A smaller path MTU in the error, for the packet before we grew it. */
static void icmp_mtu_less(struct sk_buff *skb, const struct svr_pkt *p,
			  unsigned int less)
{
	if (!less)
		return;
	if (p->key.family == AF_INET) {
		struct icmphdr *ih = (struct icmphdr *)(skb->data + p->l4off);
		unsigned int mtu = ntohs(ih->un.frag.mtu);

		if (ih->type == ICMP_DEST_UNREACH &&
		    ih->code == ICMP_FRAG_NEEDED && mtu > less + 68)
			ih->un.frag.mtu = htons(mtu - less);
	} else {
		struct icmp6hdr *ih = (struct icmp6hdr *)(skb->data + p->l4off);
		u32 mtu = ntohl(ih->icmp6_mtu);

		if (ih->icmp6_type == ICMPV6_PKT_TOOBIG)
			ih->icmp6_mtu = htonl(max_t(u32, mtu - min(mtu, less),
						    IPV6_MIN_MTU));
	}
}

/*
 * Remove what svr added to the quoted packet at @l4off (metadata after the
 * L4 header; the UDP header of ICMP echo when @unudp): bytes removed.
 */
static int icmp_quote_strip(struct sk_buff *skb, const struct svr_pkt *inner,
			    bool unudp)
{
	unsigned int hl = 8, off, len;
	const u8 *b;

	if (inner->key.proto == IPPROTO_TCP &&
	    skb->len >= inner->l4off + sizeof(struct tcphdr))
		hl = ((const struct tcphdr *)(skb->data + inner->l4off))->doff * 4;
	off = inner->l4off + hl;
	len = 0;
	if (skb->len >= off + SVR_MD_HDR_LEN &&
	    svr_md_has_cookie(skb->data + off, SVR_MD_HDR_LEN)) {
		b = skb->data + off;
		len = (get_unaligned_be16(b + 8) & 0x0fff) +
		      get_unaligned_be16(b + 10);
		len = min(len, skb->len - off);
		if (skb_close(skb, off, len))
			return -ENOMEM;
	}
	if (unudp) {
		if (skb->len < inner->l4off + SVR_UDP_HLEN + 8 ||
		    skb_close(skb, inner->l4off, SVR_UDP_HLEN))
			return -EINVAL;
		len += SVR_UDP_HLEN;
	}
	return len;
}

/* The quoted packet becomes @ok, as it reached us; @cut bytes shorter. */
static void icmp_quote_rewrite(struct sk_buff *skb, const struct svr_pkt *inner,
			       unsigned int l3off, const struct svr_tuple *ok,
			       int cut)
{
	__be16 *ports = (__be16 *)(skb->data + inner->l4off);

	if (ok->family == AF_INET) {
		struct iphdr *iph = (struct iphdr *)(skb->data + l3off);

		iph->saddr = ok->saddr.ip;
		iph->daddr = ok->daddr.ip;
		iph->protocol = ok->proto;
		iph->tot_len = htons(ntohs(iph->tot_len) - cut);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)(skb->data + l3off);

		ip6h->saddr = ok->saddr.ip6;
		ip6h->daddr = ok->daddr.ip6;
		if (inner->l4off == l3off + sizeof(*ip6h))
			ip6h->nexthdr = ok->proto;
		ip6h->payload_len = htons(ntohs(ip6h->payload_len) - cut);
	}
	/*
	 * ICMP echo keeps its own identifier; TCP and UDP get the original
	 * ports. The quoted L4 checksum is left as it was: it covered bytes
	 * that are gone, the quote is usually cut short, and no receiver
	 * checks it.
	 */
	if (ok->proto == IPPROTO_TCP || ok->proto == IPPROTO_UDP) {
		ports[0] = ok->sport;
		ports[1] = ok->dport;
	}
}

/* The error's IPv4 header checksum and its ICMP checksum, from scratch. */
static void icmp_finish(struct sk_buff *skb, const struct svr_pkt *p)
{
	unsigned int len = skb->len - p->l4off;
	__wsum csum;

	if (p->key.family == AF_INET) {
		struct icmphdr *ih = (struct icmphdr *)(skb->data + p->l4off);

		ip_send_check(ip_hdr(skb));
		ih->checksum = 0;
		ih->checksum = csum_fold(skb_checksum(skb, p->l4off, len, 0));
	} else {
		struct icmp6hdr *ih = (struct icmp6hdr *)(skb->data + p->l4off);
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ih->icmp6_cksum = 0;
		csum = skb_checksum(skb, p->l4off, len, 0);
		ih->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						  len, IPPROTO_ICMPV6, csum);
	}
	skb->ip_summed = CHECKSUM_NONE;
}

/**
 * svr_vec_icmp_error - relay an ICMP error about a packet sent to a peer
 * @sn: the netns's svr state
 * @skb: the error, addressed to one of our waypoints
 * @p: the error, parsed
 * @inner: the quoted packet (left this router for the peer), parsed
 * @l3off: the quoted packet's network header offset
 * @f: the flow of @inner's replies (svr_vec_flow_from_peer() is true)
 *
 * A router on the WAN path answered an SVR packet (fragmentation needed,
 * packet too big, time exceeded, ...). The error is turned into one about
 * the packet as it reached us (the client's own packet on the ingress, the
 * server's on the egress, the previous hop's outer packet on a transit
 * router), sent to that packet's source: metadata and ICMP-as-UDP are
 * taken out of the quote, the addresses and ports restored, and a reported
 * MTU lowered by what svr adds to every packet (Documentation/datapath.md).
 * The kernel routes it on after PREROUTING.
 */
unsigned int svr_vec_icmp_error(struct svr_net *sn, struct sk_buff *skb,
				const struct svr_pkt *p,
				const struct svr_pkt *inner, unsigned int l3off,
				struct svr_flow *f)
{
	struct svr_session *s = svr_flow_session(f);
	enum svr_dir d = f->dir == SVR_DIR_FWD ? SVR_DIR_REV : SVR_DIR_FWD;
	unsigned int less = vec_overhead(s, d);
	struct svr_tuple okey, *ok = &okey;
	bool unudp;
	int cut;

	svr_flow_key(&s->flow[d], ok);
	unudp = inner->key.proto == IPPROTO_UDP && ok->proto != IPPROTO_UDP;
	if (ok->family != p->key.family ||
	    (unudp && (ok->proto != IPPROTO_ICMP && ok->proto != IPPROTO_ICMPV6)))
		return svr_drop(sn, skb, SVR_DROP_ICMP_UNRELATED);
	if (skb_linearize_cow(skb))
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	cut = icmp_quote_strip(skb, inner, unudp);
	if (cut < 0)
		return svr_drop(sn, skb, cut == -ENOMEM ? SVR_DROP_NOMEM :
				SVR_DROP_MALFORMED);
	skb_set_transport_header(skb, p->l4off);
	icmp_quote_rewrite(skb, inner, l3off, ok, cut);
	icmp_mtu_less(skb, p, less);
	if (p->key.family == AF_INET) {
		ip_hdr(skb)->daddr = ok->saddr.ip;
		ip_hdr(skb)->tot_len = htons(skb->len);
	} else {
		ipv6_hdr(skb)->daddr = ok->saddr.ip6;
		ipv6_hdr(skb)->payload_len = htons(skb->len -
						   sizeof(struct ipv6hdr));
	}
	icmp_finish(skb, p);
	svr_stat_inc(sn, SVR_STAT_ICMP_RELAYED);
	svr_untrack(skb);
	return NF_ACCEPT;
}

/* Is @f a flow whose packets go to a peer (its replies came from the LAN)? */
bool svr_vec_flow_to_peer(struct svr_flow *f)
{
	struct svr_session *s = svr_flow_session(f);

	return s->role != SVR_SESSION_ROLE_LOCAL && !s->stale &&
	       vec_to_peer(s, f->dir);
}

/**
 * svr_vec_icmp_to_peer - send an ICMP error from the LAN side to the peer
 * @sn: the netns's svr state
 * @skb: the error (about a packet this router sent to a server or client)
 * @p: the error, parsed
 * @inner: the quoted packet, parsed
 * @l3off: the quoted packet's network header offset
 * @f: the flow of @inner's replies (svr_vec_flow_to_peer() is true)
 *
 * The error becomes one about the packet as it arrived from the peer
 * (waypoints, wayports, ICMP echo as UDP again), from our waypoint to the
 * peer's: the WAN sees waypoint addresses only, and the peer relays it to
 * its end host with svr_vec_icmp_error().
 */
unsigned int svr_vec_icmp_to_peer(struct svr_net *sn, struct sk_buff *skb,
				  const struct svr_pkt *p,
				  const struct svr_pkt *inner,
				  unsigned int l3off, struct svr_flow *f)
{
	struct svr_session *s = svr_flow_session(f);
	enum svr_dir d = f->dir == SVR_DIR_FWD ? SVR_DIR_REV : SVR_DIR_FWD;
	struct svr_tuple okey, *ok = &okey;
	struct svr_pkt q = *p;
	int grow = 0;

	svr_flow_key(&s->flow[d], ok);
	if (ok->family != p->key.family)
		return svr_drop(sn, skb, SVR_DROP_ICMP_UNRELATED);
	if (skb_linearize_cow(skb))
		return svr_drop(sn, skb, SVR_DROP_NOMEM);
	if (ok->proto == IPPROTO_UDP && inner->key.proto != IPPROTO_UDP) {
		struct udphdr *uh;

		/* ICMP echo travelled as UDP: the UDP header goes back. */
		if (skb_open(skb, inner->l4off, SVR_UDP_HLEN))
			return svr_drop(sn, skb, SVR_DROP_NOMEM);
		uh = (struct udphdr *)(skb->data + inner->l4off);
		uh->len = htons(skb->len - inner->l4off);
		uh->check = 0;
		grow = SVR_UDP_HLEN;
	} else if (ok->proto != inner->key.proto) {
		return svr_drop(sn, skb, SVR_DROP_ICMP_UNRELATED);
	}
	skb_set_transport_header(skb, p->l4off);
	icmp_quote_rewrite(skb, inner, l3off, ok, -grow);
	/* Routed from the LAN address it came from, then our waypoint. */
	if (p->key.family == AF_INET) {
		ip_hdr(skb)->daddr = ok->saddr.ip;
		ip_hdr(skb)->tot_len = htons(skb->len);
	} else {
		ipv6_hdr(skb)->daddr = ok->saddr.ip6;
		ipv6_hdr(skb)->payload_len = htons(skb->len -
						   sizeof(struct ipv6hdr));
	}
	if (svr_route_input(skb, &q))
		return svr_drop(sn, skb, SVR_DROP_NO_ROUTE);
	if (p->key.family == AF_INET)
		ip_hdr(skb)->saddr = ok->daddr.ip;
	else
		ipv6_hdr(skb)->saddr = ok->daddr.ip6;
	icmp_finish(skb, p);
	svr_stat_inc(sn, SVR_STAT_ICMP_RELAYED);
	svr_untrack(skb);
	return NF_ACCEPT;
}

/* Does this packet to a local address look like SVR metadata? */
bool svr_vec_is_md(struct sk_buff *skb, const struct svr_pkt *p)
{
	if (p->key.proto != IPPROTO_UDP && p->key.proto != IPPROTO_TCP)
		return false;
	return payload_has_cookie(skb, p);
}
