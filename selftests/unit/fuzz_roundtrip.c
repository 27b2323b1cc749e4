// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the input drives the builder (which set or which TLVs,
 * in which order, with which values, into how much room); the parse of
 * what was built must give back exactly what went in, and a build that
 * does not fit must fail cleanly without writing past the buffer.
 */
#include <stdlib.h>
#include <string.h>

#include <svr/metadata.h>

#include "common.h"

struct src {
	const u8	*p;
	size_t		n;
};

static u8 take8(struct src *s)
{
	u8 v = 0;

	if (s->n) {
		v = *s->p++;
		s->n--;
	}
	return v;
}

static u32 take32(struct src *s)
{
	u32 v = take8(s);

	v = v << 8 | take8(s);
	v = v << 8 | take8(s);
	return v << 8 | take8(s);
}

static void take(struct src *s, u8 *dst, size_t n)
{
	while (n--)
		*dst++ = take8(s);
}

/* Names: 1-64 bytes the parser accepts (no control characters). */
static void take_name(struct src *s, struct svr_md_bytes *b, u8 *store)
{
	unsigned int i, len = 1 + take8(s) % 64;

	for (i = 0; i < len; i++) {
		store[i] = take8(s);
		if (store[i] < 0x20 || store[i] == 0x7f)
			store[i] = 'a' + store[i] % 26;
	}
	b->ptr = store;
	b->len = len;
}

static void take_ctx(struct src *s, struct svr_md_ctx *c)
{
	c->family = take8(s) & 1 ? SVR_MD_AF_INET6 : SVR_MD_AF_INET;
	c->proto = take8(s);
	c->sport = take32(s) & 0xffff;
	c->dport = take32(s) & 0xffff;
	take(s, c->saddr, 16);
	take(s, c->daddr, 16);
}

static u8 names[7][64], key[300], mctx[35], megr[300];

static void take_md(struct src *s, struct svr_md *md)
{
	unsigned int len;

	memset(md, 0, sizeof(*md));
	md->security_id = take32(s);
	md->giid = take32(s);
	md->remaining_time = take32(s);
	md->n_sessions = (u64)take32(s) << 32 | take32(s);
	md->control = take8(s);
	md->health_check = take8(s);
	md->modify = take32(s) & 0xffff;
	md->frag.ext_id = take32(s);
	md->frag.ip_id = take32(s) & 0xffff;
	md->frag.flags_off = take32(s) & 0xffff;
	md->frag.largest = take32(s) & 0xffff;
	md->metrics.tx = take32(s);
	md->metrics.rx = take32(s);
	md->metrics.drop_count = take32(s) & 0xffff;
	take_ctx(s, &md->fwd);
	take_ctx(s, &md->rev);
	take(s, md->uuid, 16);
	take(s, md->icmp_loc4, 4);
	take(s, md->icmp_loc6, 16);
	take(s, md->nat_addr4, 4);
	take_name(s, &md->tenant, names[0]);
	take_name(s, &md->service, names[1]);
	take_name(s, &md->router, names[2]);
	take_name(s, &md->sec_policy, names[3]);
	take_name(s, &md->dest_router, names[4]);
	take_name(s, &md->path, names[5]);
	take_name(s, &md->app, names[6]);
	len = 2 + take8(s) % (sizeof(key) - 2);
	take(s, key, len);
	md->security_key.ptr = key;
	md->security_key.len = len;
	len = take8(s) & 1 ? 35 : 11;
	take(s, mctx, len);
	md->mcast_ctx.ptr = mctx;
	md->mcast_ctx.len = len;
	len = 2 + take8(s) % (sizeof(megr) - 2);
	take(s, megr, len);
	md->mcast_egress.ptr = megr;
	md->mcast_egress.len = len;
}

/* Up to 40 TLVs from the input, any order; returns the bits built. */
static u64 put_some(struct src *s, struct svr_md_builder *b,
		    const struct svr_md *md)
{
	u64 known = md_known_bits(), done = 0;
	unsigned int i, n = take8(s) % 40, bit;

	for (i = 0; i < n; i++) {
		bit = take8(s) % 64;
		if (!(known & BIT_ULL(bit)) || (done & BIT_ULL(bit)))
			continue;
		if (bit >= 2 && bit <= 5) {
			const struct svr_md_ctx *c = bit <= 3 ? &md->fwd :
								&md->rev;
			unsigned int t = bit <= 3 ? 2 : 4;

			if (done & (BIT_ULL(t) | BIT_ULL(t + 1)))
				continue;
			bit = t + (c->family == SVR_MD_AF_INET6);
		}
		if (svr_md_put(b, md, bit) == -EINVAL)
			abort();
		done |= BIT_ULL(bit);
	}
	return done;
}

static u64 set_bits(unsigned int mode, const struct svr_md *md)
{
	u64 p = md->present;

	switch (mode) {
	case 0:
		return (p & (BIT_ULL(16) | BIT_ULL(11) | BIT_ULL(12) |
			     BIT_ULL(25))) |
		       BIT_ULL(md->fwd.family == SVR_MD_AF_INET6 ? 3 : 2) |
		       BIT_ULL(7) | BIT_ULL(10) | BIT_ULL(6) | BIT_ULL(35) |
		       BIT_ULL(14) | BIT_ULL(19);
	case 1:
		return (p & BIT_ULL(16)) | BIT_ULL(7) | BIT_ULL(18) |
		       BIT_ULL(md->rev.family == SVR_MD_AF_INET6 ? 5 : 4);
	default:
		/* as svr_md_build_control() says: header 16 20 21 24 26
		 * 46, payload 6 14 42
		 */
		return (p & (BIT_ULL(16) | BIT_ULL(20) | BIT_ULL(21) |
			     BIT_ULL(26) | BIT_ULL(46) | BIT_ULL(6) |
			     BIT_ULL(14) | BIT_ULL(42))) |
		       BIT_ULL(24);
	}
}

static int build(struct src *s, const struct svr_md *md, unsigned int mode,
		 u8 *buf, size_t cap, u64 *bits)
{
	struct svr_md_builder b;

	svr_md_build_init(&b, buf, cap);
	switch (mode) {
	case 0:
		svr_md_build_forward(&b, md);
		break;
	case 1:
		svr_md_build_reverse(&b, md);
		break;
	case 2:
		svr_md_build_control(&b, md);
		break;
	default:
		*bits = put_some(s, &b, md);
		return svr_md_build_finish(&b);
	}
	*bits = set_bits(mode, md);
	return svr_md_build_finish(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src s = { data, size }, s2;
	struct svr_md md, out, exp;
	unsigned int mode;
	size_t cap, extra;
	u64 bits, bits2;
	char why[128];
	u8 *buf, *small;
	int n, n2;

	mode = take8(&s) % 4;
	cap = take32(&s) % 2048;
	extra = take8(&s) % 8;
	take_md(&s, &md);
	md.present = (u64)take32(&s) << 32 | take32(&s);
	s2 = s;
	buf = malloc(70000);
	if (!buf)
		return 0;
	n = build(&s, &md, mode, buf, 70000, &bits);
	if (n == -EMSGSIZE)
		goto out;
	if (n < SVR_MD_HDR_LEN)
		abort();
	memset(buf + n, 0xee, extra);	/* user payload after metadata */
	exp = md;
	exp.present = bits;
	if (svr_md_parse(buf, n + extra, &out) != SVR_MD_ERR_OK ||
	    out.hdr.hl + out.hdr.pl != n || out.present != bits ||
	    !md_same(&exp, &out, bits, why, sizeof(why)))
		abort();
	/* the same build into a too small buffer fails, within bounds */
	small = malloc(cap ? cap : 1);
	if (small) {
		n2 = build(&s2, &md, mode, small, cap, &bits2);
		if ((size_t)n <= cap ? n2 != n || memcmp(small, buf, n) :
				       n2 != -ENOSPC)
			abort();
		free(small);
	}
out:
	free(buf);
	return 0;
}
