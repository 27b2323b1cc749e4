// SPDX-License-Identifier: GPL-2.0
/*
 * svrctl decode: read a classic pcap file (Ethernet, Linux cooked SLL and
 * SLL2, raw IP), find SVR metadata right after the UDP or TCP header and
 * print it, one block per packet, as text or JSON. Uses the same parser as
 * the kernel (kernel/metadata.c). The file is untrusted input: every length
 * is checked before it is used.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <svr/metadata.h>

#include "decode.h"

enum {
	PCAP_HDR_LEN	= 24,
	PCAP_REC_LEN	= 16,
	PCAP_MAX_CAP	= 262144,
	LT_NULL		= 0,
	LT_EN10MB	= 1,
	LT_RAW_BSD	= 12,
	LT_RAW_BSD2	= 14,
	LT_RAW		= 101,
	LT_LINUX_SLL	= 113,
	LT_IPV4		= 228,
	LT_IPV6		= 229,
	LT_LINUX_SLL2	= 276,
	ETH_P_IPV4	= 0x0800,
	ETH_P_IPV6_	= 0x86dd,
	ETH_P_VLAN	= 0x8100,
	ETH_P_QINQ	= 0x88a8,
	IPPROTO_TCP_	= 6,
	IPPROTO_UDP_	= 17,
};

/* Output: text lines or the members of one JSON object. */
struct emit {
	FILE	*out;
	bool	json;
	bool	first;
};

static void e_key(struct emit *e, const char *key)
{
	if (e->json) {
		fprintf(e->out, "%s\"%s\":", e->first ? "" : ",", key);
		e->first = false;
	} else {
		fprintf(e->out, "    %s", key);
	}
}

/* A string value: JSON-escaped, or text with non-printables as \xNN. */
static void e_bytes(struct emit *e, const char *key, const void *s,
		    size_t len)
{
	const unsigned char *c = s;
	size_t i;

	e_key(e, key);
	fputs(e->json ? "\"" : " ", e->out);
	for (i = 0; i < len; i++) {
		if (e->json && (c[i] == '"' || c[i] == '\\'))
			fprintf(e->out, "\\%c", c[i]);
		else if (c[i] < 0x20 || c[i] >= 0x7f)
			fprintf(e->out, e->json ? "\\u%04x" : "\\x%02x", c[i]);
		else
			fputc(c[i], e->out);
	}
	fputs(e->json ? "\"" : "\n", e->out);
}

static void e_str(struct emit *e, const char *key, const char *s)
{
	e_bytes(e, key, s, strlen(s));
}

__attribute__((format(printf, 3, 4)))
static void e_fmt(struct emit *e, const char *key, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	e_str(e, key, buf);
}

static void e_num(struct emit *e, const char *key, unsigned long long v)
{
	e_key(e, key);
	fprintf(e->out, e->json ? "%llu" : " %llu\n", v);
}

static void e_flag(struct emit *e, const char *key)
{
	e_key(e, key);
	fputs(e->json ? "true" : "\n", e->out);
}

static const char *proto_name(unsigned int p, char *buf, size_t len)
{
	switch (p) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 58:
		return "icmpv6";
	}
	snprintf(buf, len, "proto %u", p);
	return buf;
}

static void addr_str(char *buf, size_t len, bool v6, const void *a)
{
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, a, buf, len))
		snprintf(buf, len, "?");
}

/* "a:p" or "[a6]:p" */
static void ep_str(char *buf, size_t len, bool v6, const void *a,
		   unsigned int port)
{
	char s[INET6_ADDRSTRLEN];

	addr_str(s, sizeof(s), v6, a);
	snprintf(buf, len, v6 ? "[%s]:%u" : "%s:%u", s, port);
}

static void e_ctx(struct emit *e, const char *key, const struct svr_md_ctx *c)
{
	bool v6 = c->family == SVR_MD_AF_INET6;
	char s[64], d[64], p[16];

	ep_str(s, sizeof(s), v6, c->saddr, c->sport);
	ep_str(d, sizeof(d), v6, c->daddr, c->dport);
	e_fmt(e, key, "%s -> %s %s", s, d, proto_name(c->proto, p, sizeof(p)));
}

static void e_addr(struct emit *e, const char *key, bool v6, const void *a)
{
	char s[INET6_ADDRSTRLEN];

	addr_str(s, sizeof(s), v6, a);
	e_str(e, key, s);
}

static void e_name(struct emit *e, const char *key,
		   const struct svr_md_bytes *b)
{
	e_bytes(e, key, b->ptr, b->len);
}

static const char *ctrl_name(unsigned int code)
{
	switch (code) {
	case SVR_CTRL_UNKNOWN:
		return "unknown";
	case SVR_CTRL_KEEPALIVE:
		return "keep-alive";
	case SVR_CTRL_ENABLE_MD:
		return "enable-metadata";
	case SVR_CTRL_DISABLE_MD:
		return "disable-metadata";
	case SVR_CTRL_DELETE_SESSION:
		return "delete-session";
	case SVR_CTRL_HEALTH_STATE_EXISTS:
		return "health-check-state-exists";
	}
	return "undocumented";
}

static const char *hc_name(unsigned int v)
{
	switch (v) {
	case SVR_HC_REQUEST:
		return "request";
	case SVR_HC_REQUEST_TIMEOUT:
		return "request-timeout";
	}
	return "undocumented";
}

static void e_frag(struct emit *e, const struct svr_md_frag *f)
{
	e_fmt(e, "fragment", "ext-id %u ip-id %u offset %u%s%s largest %u",
	      f->ext_id, f->ip_id, (f->flags_off & SVR_FRAG_OFFSET_MASK) * 8,
	      f->flags_off & SVR_FRAG_DF ? " df" : "",
	      f->flags_off & SVR_FRAG_MF ? " mf" : "", f->largest);
}

static void e_metrics(struct emit *e, const struct svr_md_metrics *m)
{
	e_fmt(e, "path-metrics",
	      "tx colour %u time %u rx colour %u time %u%s count %u",
	      m->tx >> SVR_METRICS_COLOUR_SHIFT, m->tx & SVR_METRICS_TIME_MASK,
	      m->rx >> SVR_METRICS_COLOUR_SHIFT, m->rx & SVR_METRICS_TIME_MASK,
	      m->drop_count & SVR_METRICS_DROP ? " drop" : "",
	      m->drop_count & SVR_METRICS_COUNT_MASK);
}

/* TLV 50: family, flags, source, group, protocol (§4.2), left raw by md. */
static void e_mcast_ctx(struct emit *e, const struct svr_md_bytes *b)
{
	bool v6 = b->len == 35;
	unsigned int alen = v6 ? 16 : 4;
	char s[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN], p[16];

	addr_str(s, sizeof(s), v6, b->ptr + 2);
	addr_str(g, sizeof(g), v6, b->ptr + 2 + alen);
	e_fmt(e, "mcast-ctx", "family %u flags 0x%02x %s -> %s %s",
	      b->ptr[0], b->ptr[1], s, g,
	      proto_name(b->ptr[2 + 2 * alen], p, sizeof(p)));
}

/* TLV 51: count u16, then per entry a length byte and a router name. */
static void e_mcast_egress(struct emit *e, const struct svr_md_bytes *b)
{
	unsigned int n = b->ptr[0] << 8 | b->ptr[1], i;
	size_t off = 2, used = 0;
	char buf[512];

	buf[0] = 0;
	for (i = 0; i < n; i++) {
		unsigned int l;

		if (off >= b->len || b->ptr[off] > b->len - off - 1)
			break;
		l = b->ptr[off];
		used += snprintf(buf + used, sizeof(buf) - used, "%s%.*s",
				 i ? " " : "", (int)l,
				 (const char *)b->ptr + off + 1);
		if (used >= sizeof(buf))
			break;
		off += 1 + l;
	}
	if (i < n)
		e_fmt(e, "mcast-egress", "%s (%u of %u entries readable)",
		      buf, i, n);
	else
		e_str(e, "mcast-egress", buf);
}

static void e_header_tlvs(struct emit *e, const struct svr_md *md)
{
	if (svr_md_has(md, SVR_TLV_SECURITY_ID))
		e_num(e, "security-id", md->security_id);
	if (svr_md_has(md, SVR_TLV_FRAGMENT))
		e_frag(e, &md->frag);
	if (svr_md_has(md, SVR_TLV_GIID))
		e_num(e, "giid", md->giid);
	if (svr_md_has(md, SVR_TLV_ICMP_LOC4))
		e_addr(e, "icmp-error-loc", false, md->icmp_loc4);
	if (svr_md_has(md, SVR_TLV_ICMP_LOC6))
		e_addr(e, "icmp-error-loc6", true, md->icmp_loc6);
	if (svr_md_has(md, SVR_TLV_CONTROL))
		e_fmt(e, "control", "%s (%u)", ctrl_name(md->control),
		      md->control);
	if (svr_md_has(md, SVR_TLV_PATH_METRICS))
		e_metrics(e, &md->metrics);
	if (svr_md_has(md, SVR_TLV_MODIFY))
		e_fmt(e, "modify", "seq %u%s%s (%u bytes)",
		      md->modify & SVR_MODIFY_SEQ_MASK,
		      md->modify & SVR_MODIFY_F ? " F" : "",
		      md->modify & SVR_MODIFY_D ? " D" : "",
		      md->modify_raw.len);
	if (svr_md_has(md, SVR_TLV_HEALTH_CHECK))
		e_fmt(e, "health-check", "%s (%u)", hc_name(md->health_check),
		      md->health_check);
}

/* 8-4-4-4-12 */
static void e_uuid(struct emit *e, const u8 *u)
{
	char buf[40];
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < SVR_MD_UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[n++] = '-';
		n += snprintf(buf + n, sizeof(buf) - n, "%02x", u[i]);
	}
	e_str(e, "uuid", buf);
}

static void e_payload_names(struct emit *e, const struct svr_md *md)
{
	if (svr_md_has(md, SVR_TLV_TENANT))
		e_name(e, "tenant", &md->tenant);
	if (svr_md_has(md, SVR_TLV_SERVICE))
		e_name(e, "service", &md->service);
	if (svr_md_has(md, SVR_TLV_UUID))
		e_uuid(e, md->uuid);
	if (svr_md_has(md, SVR_TLV_APP))
		e_name(e, "app", &md->app);
	if (svr_md_has(md, SVR_TLV_ROUTER))
		e_name(e, "router", &md->router);
	if (svr_md_has(md, SVR_TLV_PATH))
		e_name(e, "path", &md->path);
	if (svr_md_has(md, SVR_TLV_SEC_POLICY))
		e_name(e, "security-policy", &md->sec_policy);
	if (svr_md_has(md, SVR_TLV_DEST_ROUTER))
		e_name(e, "dest-router", &md->dest_router);
}

static void e_payload_tlvs(struct emit *e, const struct svr_md *md)
{
	if (md->fwd.family)
		e_ctx(e, "fwd-ctx", &md->fwd);
	if (md->rev.family)
		e_ctx(e, "rev-ctx", &md->rev);
	e_payload_names(e, md);
	if (svr_md_has(md, SVR_TLV_SESSION_ENCRYPTED))
		e_flag(e, "session-encrypted");
	if (svr_md_has(md, SVR_TLV_TCP_SYN))
		e_flag(e, "tcp-syn");
	if (svr_md_has(md, SVR_TLV_DISABLE_FWD_MD))
		e_flag(e, "disable-fwd-metadata");
	if (svr_md_has(md, SVR_TLV_NAT_ADDR4))
		e_addr(e, "nat-addr", false, md->nat_addr4);
	if (svr_md_has(md, SVR_TLV_NUM_SESSIONS))
		e_num(e, "sessions", md->n_sessions);
	if (svr_md_has(md, SVR_TLV_REMAINING_TIME))
		e_num(e, "remaining-time", md->remaining_time);
	if (svr_md_has(md, SVR_MD_BIT_SECURITY_KEY))
		e_num(e, "security-key-bytes", md->security_key.len);
	if (svr_md_has(md, SVR_TLV_MCAST_CTX))
		e_mcast_ctx(e, &md->mcast_ctx);
	if (svr_md_has(md, SVR_TLV_MCAST_EGRESS))
		e_mcast_egress(e, &md->mcast_egress);
}

/* Unknown TLVs are skipped by the parser; list them here. */
static void e_unknown(struct emit *e, const u8 *p, size_t len)
{
	const u8 *v;
	size_t off = 0;
	u16 type, vlen;

	while (svr_md_tlv_next(p, len, &off, &type, &v, &vlen) == 1) {
		if (!svr_md_tlv_known(type))
			e_fmt(e, "unknown-tlv", "%u (%u bytes, skipped)", type,
			      vlen);
	}
}

static void e_result(struct emit *e, const char *result)
{
	if (e->json)
		e_str(e, "result", result);
	else
		fprintf(e->out, "  %s", result);
}

static void e_lens(struct emit *e, const struct svr_md *md)
{
	if (e->json) {
		e_num(e, "hl", md->hdr.hl);
		e_num(e, "pl", md->hdr.pl);
	} else {
		fprintf(e->out, " hl %u pl %u\n", md->hdr.hl, md->hdr.pl);
	}
}

static void e_malformed(struct emit *e, enum svr_md_err err)
{
	if (e->json) {
		e_str(e, "result", "malformed");
		e_str(e, "error", svr_md_err_name(err));
		e_str(e, "description", svr_md_strerror(err));
	} else {
		fprintf(e->out, "  malformed: %s (%s)\n", svr_md_strerror(err),
			svr_md_err_name(err));
	}
}

static void e_payload_len(struct emit *e, size_t n)
{
	e_num(e, "payload-bytes", n);
}

static void e_opaque(struct emit *e, const struct svr_md *md)
{
	if (e->json) {
		e_flag(e, "opaque");
		e_num(e, "opaque-bytes", md->hdr.pl);
		return;
	}
	fprintf(e->out, "    opaque payload section (security id %u, %u bytes), not trusted\n",
		md->security_id, md->hdr.pl);
}

static void decode_md(struct emit *e, const u8 *p, size_t len)
{
	enum svr_md_err err;
	struct svr_md md;
	size_t hl, rest;

	err = svr_md_parse(p, len, &md);
	if (err == SVR_MD_ERR_NO_COOKIE) {
		e_result(e, "no metadata");
		if (!e->json)
			fputc('\n', e->out);
		e_payload_len(e, len);
		return;
	}
	if (err && err != SVR_MD_ERR_OPAQUE) {
		e_malformed(e, err);
		return;
	}
	hl = md.hdr.hl;
	rest = len - hl - md.hdr.pl;
	if (svr_md_is_marker(p, len)) {
		e_result(e, "false-positive marker");
		if (!e->json)
			fputs(", 12 bytes stripped\n", e->out);
		e_payload_len(e, rest);
		return;
	}
	e_result(e, "metadata");
	e_lens(e, &md);
	e_header_tlvs(e, &md);
	if (err == SVR_MD_ERR_OPAQUE) {
		e_unknown(e, p + SVR_MD_HDR_LEN, hl - SVR_MD_HDR_LEN);
		e_opaque(e, &md);
	} else {
		e_payload_tlvs(e, &md);
		e_unknown(e, p + SVR_MD_HDR_LEN, hl - SVR_MD_HDR_LEN);
		e_unknown(e, md.payload, md.hdr.pl);
	}
	e_payload_len(e, rest);
}

void svr_decode_l4(FILE *out, const uint8_t *p, size_t len,
		   unsigned int flags)
{
	struct emit e = {
		.out = out,
		.json = flags & SVR_DECODE_JSON,
		.first = true,
	};

	if (e.json)
		fputc('{', out);
	decode_md(&e, p, len);
	if (e.json)
		fputc('}', out);
}

/* ---- packet layers ---- */

struct pkt {
	unsigned long	n;
	bool		v6;
	const u8	*saddr;
	const u8	*daddr;
	unsigned int	proto;
	unsigned int	sport;
	unsigned int	dport;
	const u8	*l4;	/* L4 payload */
	size_t		l4len;
	bool		truncated;
};

static void summary(struct emit *e, const struct pkt *k)
{
	char s[64], d[64], p[16];

	ep_str(s, sizeof(s), k->v6, k->saddr, k->sport);
	ep_str(d, sizeof(d), k->v6, k->daddr, k->dport);
	if (e->json) {
		e_num(e, "frame", k->n);
		e_str(e, "src", s);
		e_str(e, "dst", d);
		e_str(e, "proto", proto_name(k->proto, p, sizeof(p)));
		if (k->truncated)
			e_flag(e, "truncated");
		e_key(e, "svr");
		return;
	}
	fprintf(e->out, "#%lu %s -> %s %s%s", k->n, s, d,
		proto_name(k->proto, p, sizeof(p)),
		k->truncated ? " (truncated capture)" : "");
}

static void note(struct emit *e, unsigned long n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct emit *e, unsigned long n, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (e->json) {
		fputc('{', e->out);
		e->first = true;
		e_num(e, "frame", n);
		e_str(e, "skipped", buf);
		fputc('}', e->out);
	} else {
		fprintf(e->out, "#%lu %s\n", n, buf);
	}
}

static void decode_l4(struct emit *e, struct pkt *k, const u8 *p, size_t len)
{
	size_t hlen, ulen;

	if (k->proto == IPPROTO_UDP_) {
		if (len < 8) {
			note(e, k->n, "short udp header");
			return;
		}
		hlen = 8;
		ulen = p[4] << 8 | p[5];
		if (ulen >= 8 && ulen <= len)
			len = ulen;
	} else {
		if (len < 20 || (size_t)(p[12] >> 4) * 4 > len ||
		    (p[12] >> 4) < 5) {
			note(e, k->n, "short tcp header");
			return;
		}
		hlen = (p[12] >> 4) * 4;
	}
	k->sport = p[0] << 8 | p[1];
	k->dport = p[2] << 8 | p[3];
	if (e->json) {
		fputc('{', e->out);
		e->first = true;
	}
	summary(e, k);
	svr_decode_l4(e->out, p + hlen, len - hlen, e->json ? SVR_DECODE_JSON : 0);
	if (e->json)
		fputc('}', e->out);
}

static void decode_ipv4(struct emit *e, struct pkt *k, const u8 *p,
			size_t len)
{
	size_t ihl, tot;

	if (len < 20 || (p[0] >> 4) != 4 || (p[0] & 0xf) < 5 ||
	    (size_t)(p[0] & 0xf) * 4 > len) {
		note(e, k->n, "bad ipv4 header");
		return;
	}
	ihl = (p[0] & 0xf) * 4;
	tot = p[2] << 8 | p[3];
	if (tot >= ihl && tot <= len)
		len = tot;	/* drop link-layer padding */
	else if (tot > len)
		k->truncated = true;
	if ((p[6] & 0x1f) || p[7]) {
		note(e, k->n, "ipv4 fragment, not decoded");
		return;
	}
	k->v6 = false;
	k->saddr = p + 12;
	k->daddr = p + 16;
	k->proto = p[9];
	if (k->proto != IPPROTO_UDP_ && k->proto != IPPROTO_TCP_) {
		note(e, k->n, "ipv4 protocol %u, not decoded", k->proto);
		return;
	}
	decode_l4(e, k, p + ihl, len - ihl);
}

/* Skip IPv6 extension headers; returns the L4 offset or 0. */
static size_t ipv6_skip_ext(const u8 *p, size_t len, unsigned int *nh)
{
	size_t off = 40, l;

	for (;;) {
		switch (*nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
			if (len - off < 8)
				return 0;
			l = (p[off + 1] + 1) * 8;
			break;
		case 44:	/* fragment: only a first fragment is decoded */
			if (len - off < 8 ||
			    (p[off + 2] << 8 | p[off + 3]) & 0xfff8)
				return 0;
			l = 8;
			break;
		default:
			return off;
		}
		if (l > len - off)
			return 0;
		*nh = p[off];
		off += l;
	}
}

static void decode_ipv6(struct emit *e, struct pkt *k, const u8 *p,
			size_t len)
{
	unsigned int nh;
	size_t plen, off;

	if (len < 40 || (p[0] >> 4) != 6) {
		note(e, k->n, "bad ipv6 header");
		return;
	}
	plen = p[4] << 8 | p[5];
	if (40 + plen <= len)
		len = 40 + plen;
	else
		k->truncated = true;
	nh = p[6];
	off = ipv6_skip_ext(p, len, &nh);
	if (!off) {
		note(e, k->n, "ipv6 extension headers not decoded");
		return;
	}
	k->v6 = true;
	k->saddr = p + 8;
	k->daddr = p + 24;
	k->proto = nh;
	if (nh != IPPROTO_UDP_ && nh != IPPROTO_TCP_) {
		note(e, k->n, "ipv6 next header %u, not decoded", nh);
		return;
	}
	decode_l4(e, k, p + off, len - off);
}

static void decode_l3(struct emit *e, struct pkt *k, unsigned int ethertype,
		      const u8 *p, size_t len)
{
	if (ethertype == ETH_P_IPV4)
		decode_ipv4(e, k, p, len);
	else if (ethertype == ETH_P_IPV6_)
		decode_ipv6(e, k, p, len);
	else
		note(e, k->n, "not IP (ethertype 0x%04x)", ethertype);
}

static void decode_frame(struct emit *e, struct pkt *k, unsigned int lt,
			 const u8 *p, size_t len)
{
	unsigned int et;
	size_t off;

	switch (lt) {
	case LT_EN10MB:
		if (len < 14)
			goto short_frame;
		off = 12;
		et = p[12] << 8 | p[13];
		while ((et == ETH_P_VLAN || et == ETH_P_QINQ) &&
		       len - off >= 6) {
			off += 4;
			et = p[off] << 8 | p[off + 1];
		}
		off += 2;
		break;
	case LT_LINUX_SLL:
		if (len < 16)
			goto short_frame;
		et = p[14] << 8 | p[15];
		off = 16;
		break;
	case LT_LINUX_SLL2:
		if (len < 20)
			goto short_frame;
		et = p[0] << 8 | p[1];
		off = 20;
		break;
	case LT_NULL:
		if (len < 4)
			goto short_frame;
		/* host-order AF_ value: 2 is IPv4, 10/24/28/30 IPv6 */
		et = (p[0] == 2 || p[3] == 2) ? ETH_P_IPV4 : ETH_P_IPV6_;
		off = 4;
		break;
	case LT_IPV4:
		et = ETH_P_IPV4;
		off = 0;
		break;
	case LT_IPV6:
		et = ETH_P_IPV6_;
		off = 0;
		break;
	default:	/* raw IP: the version nibble says which */
		if (!len)
			goto short_frame;
		et = (p[0] >> 4) == 6 ? ETH_P_IPV6_ : ETH_P_IPV4;
		off = 0;
		break;
	}
	decode_l3(e, k, et, p + off, len - off);
	return;
short_frame:
	note(e, k->n, "short frame (%zu bytes)", len);
}

/* ---- pcap file ---- */

struct pcap {
	FILE		*f;
	const char	*name;
	bool		swap;
	bool		quiet;
	unsigned int	linktype;
};

static void complain(const struct pcap *pc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void complain(const struct pcap *pc, const char *fmt, ...)
{
	va_list ap;

	if (pc->quiet)
		return;
	fprintf(stderr, "decode: %s: ", pc->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static u32 rd32(const u8 *p, bool swap)
{
	return swap ? (u32)p[3] << 24 | p[2] << 16 | p[1] << 8 | p[0] :
		      (u32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static int pcap_start(struct pcap *pc)
{
	u8 h[PCAP_HDR_LEN];
	u32 magic;

	if (fread(h, 1, sizeof(h), pc->f) != sizeof(h)) {
		complain(pc, "not a pcap file (too short)");
		return -1;
	}
	magic = rd32(h, false);
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
		pc->swap = false;
	} else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
		pc->swap = true;
	} else {
		complain(pc, "not a classic pcap file%s",
			 magic == 0x0a0d0d0a ?
			 " (pcapng: convert with 'editcap -F pcap')" : "");
		return -1;
	}
	pc->linktype = rd32(h + 20, pc->swap) & 0xffff;
	return 0;
}

/*
 * 1 record read into a new exact-size buffer (*buf, to free), 0 at a clean
 * end of file, -1 for a truncated or bad record.
 */
static int pcap_next(struct pcap *pc, u8 **buf, size_t *caplen,
		     size_t *origlen)
{
	u8 r[PCAP_REC_LEN];
	size_t n;

	*buf = NULL;
	n = fread(r, 1, sizeof(r), pc->f);
	if (!n)
		return 0;
	if (n != sizeof(r))
		return -1;
	*caplen = rd32(r + 8, pc->swap);
	*origlen = rd32(r + 12, pc->swap);
	if (*caplen > PCAP_MAX_CAP)
		return -1;
	*buf = malloc(*caplen ? *caplen : 1);
	if (!*buf)
		return -1;
	if (fread(*buf, 1, *caplen, pc->f) != *caplen) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 1;
}

static bool known_link(unsigned int lt)
{
	switch (lt) {
	case LT_NULL:
	case LT_EN10MB:
	case LT_RAW_BSD:
	case LT_RAW_BSD2:
	case LT_RAW:
	case LT_LINUX_SLL:
	case LT_IPV4:
	case LT_IPV6:
	case LT_LINUX_SLL2:
		return true;
	}
	return false;
}

static int decode_records(struct pcap *pc, struct emit *e)
{
	size_t caplen, origlen;
	unsigned long n = 0;
	struct pkt k;
	u8 *buf;
	int rc;

	if (e->json)
		fputs("[", e->out);
	while ((rc = pcap_next(pc, &buf, &caplen, &origlen)) == 1) {
		memset(&k, 0, sizeof(k));
		k.n = ++n;
		k.truncated = caplen < origlen;
		if (e->json)
			fputs(n > 1 ? ",\n" : "\n", e->out);
		decode_frame(e, &k, pc->linktype, buf, caplen);
		free(buf);
	}
	if (e->json)
		fputs("\n]\n", e->out);
	if (rc < 0) {
		complain(pc, "record %lu truncated or invalid", n + 1);
		return SVR_DECODE_BAD_FILE;
	}
	return SVR_DECODE_OK;
}

int svr_decode_file(FILE *in, const char *name, FILE *out,
		    unsigned int flags)
{
	struct pcap pc = {
		.f = in,
		.name = name,
		.quiet = flags & SVR_DECODE_QUIET,
	};
	struct emit e = {
		.out = out,
		.json = flags & SVR_DECODE_JSON,
	};
	int ret;

	if (pcap_start(&pc))
		return SVR_DECODE_BAD_FILE;
	if (!known_link(pc.linktype)) {
		complain(&pc, "link type %u not supported", pc.linktype);
		return SVR_DECODE_BAD_FILE;
	}
	ret = decode_records(&pc, &e);
	fflush(out);
	return ret;
}

int svr_decode_pcap(const char *path, FILE *out, unsigned int flags)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	int ret;

	if (!in) {
		if (!(flags & SVR_DECODE_QUIET))
			fprintf(stderr, "decode: %s: cannot open\n", path);
		return SVR_DECODE_BAD_FILE;
	}
	ret = svr_decode_file(in, path, out, flags);
	if (in != stdin)
		fclose(in);
	return ret;
}

static int usage(void)
{
	fprintf(stderr, "usage: svrctl decode [-j|--json] FILE.pcap\n");
	return SVR_DECODE_USAGE;
}

int svr_decode_main(int argc, char **argv)
{
	unsigned int flags = 0;
	const char *path = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			flags |= SVR_DECODE_JSON;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage();
		else if (argv[i][0] == '-' && argv[i][1])
			return usage();
		else if (!path)
			path = argv[i];
		else
			return usage();
	}
	if (!path)
		return usage();
	return svr_decode_pcap(path, stdout, flags);
}
