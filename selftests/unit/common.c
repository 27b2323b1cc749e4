// SPDX-License-Identifier: GPL-2.0
/*
 * Test helpers: the vectors reader and svr_md comparison (see common.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#ifndef SVR_TESTDATA_DEFAULT
#define SVR_TESTDATA_DEFAULT "../../../shared/testdata"
#endif

const char *vec_dir(void)
{
	const char *d = getenv("SVR_TESTDATA");

	return d && *d ? d : SVR_TESTDATA_DEFAULT;
}

static u32 rd32le(const u8 *p)
{
	return (u32)p[3] << 24 | (u32)p[2] << 16 | (u32)p[1] << 8 | p[0];
}

static int read_all(const char *path, struct vec_file *v)
{
	FILE *f = fopen(path, "rb");
	long sz;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END)) {
		fclose(f);
		return -1;
	}
	sz = ftell(f);
	if (sz < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	v->data = malloc(sz ? sz : 1);
	v->len = sz;
	if (!v->data || fread(v->data, 1, sz, f) != (size_t)sz) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Ethernet + IPv4 + UDP; returns 0 and fills fr, or -1. */
static int parse_frame(const u8 *p, size_t len, struct vec_frame *fr)
{
	size_t ihl, tot, ulen;

	if (len < 14 || p[12] != 0x08 || p[13] != 0x00)
		return -1;
	p += 14;
	len -= 14;
	if (len < 20 || (p[0] >> 4) != 4)
		return -1;
	ihl = (p[0] & 0xf) * 4;
	tot = p[2] << 8 | p[3];
	if (ihl < 20 || tot < ihl || tot > len || p[9] != 17)
		return -1;
	p += ihl;
	len = tot - ihl;
	if (len < 8)
		return -1;
	ulen = p[4] << 8 | p[5];
	if (ulen < 8 || ulen > len)
		return -1;
	fr->sport = p[0] << 8 | p[1];
	fr->dport = p[2] << 8 | p[3];
	fr->udp = p + 8;
	fr->udp_len = ulen - 8;
	return 0;
}

int vec_load(struct vec_file *v, char *err, size_t errlen)
{
	char path[4096];
	size_t off = 24;
	u32 caplen;

	memset(v, 0, sizeof(*v));
	snprintf(path, sizeof(path), "%s/svr-vectors.pcap", vec_dir());
	if (read_all(path, v)) {
		snprintf(err, errlen, "cannot read %s", path);
		return -1;
	}
	if (v->len < 24 || rd32le(v->data) != 0xa1b2c3d4 ||
	    rd32le(v->data + 20) != 1) {
		snprintf(err, errlen, "%s: not a little-endian Ethernet pcap",
			 path);
		return -1;
	}
	while (off < v->len) {
		if (v->len - off < 16 || v->n == VEC_MAX_FRAMES)
			goto bad;
		caplen = rd32le(v->data + off + 8);
		off += 16;
		if (caplen > v->len - off ||
		    parse_frame(v->data + off, caplen, &v->f[v->n]))
			goto bad;
		v->n++;
		off += caplen;
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: bad record %u", path, v->n + 1);
	return -1;
}

void vec_free(struct vec_file *v)
{
	free(v->data);
	v->data = NULL;
}

u64 md_known_bits(void)
{
	u64 bits = BIT_ULL(SVR_MD_BIT_SECURITY_KEY);
	unsigned int t;

	for (t = 0; t <= SVR_TLV_MAX; t++)
		if (svr_md_tlv_known(t))
			bits |= BIT_ULL(t);
	return bits;
}

static void set_name(struct svr_md_bytes *b, const char *s)
{
	b->ptr = (const u8 *)s;
	b->len = strlen(s);
}

static void sample_ctx(struct svr_md_ctx *c, bool v6, u8 seed)
{
	unsigned int i;

	c->family = v6 ? SVR_MD_AF_INET6 : SVR_MD_AF_INET;
	c->proto = v6 ? 6 : 17;
	c->sport = 40000 + seed;
	c->dport = 53 + seed;
	for (i = 0; i < 16; i++) {
		c->saddr[i] = v6 || i < 4 ? seed + i : 0;
		c->daddr[i] = v6 || i < 4 ? 0x80 + seed + i : 0;
	}
}

static const u8 sample_key[] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3 };
static const u8 sample_mcast_ctx[] = { 4, 1, 10, 0, 0, 1, 239, 1, 1, 1, 17 };
static const u8 sample_mcast_egress[] = { 0, 1, 4, 'l', 'h', 'r', '1' };

void md_sample(struct svr_md *md, bool v6)
{
	unsigned int i;

	memset(md, 0, sizeof(*md));
	md->present = md_known_bits() &
		      ~BIT_ULL(v6 ? SVR_TLV_FWD_CTX4 : SVR_TLV_FWD_CTX6) &
		      ~BIT_ULL(v6 ? SVR_TLV_REV_CTX4 : SVR_TLV_REV_CTX6);
	md->security_id = 0x01020304;
	md->giid = 0xa0b0c0d0;
	md->remaining_time = 3600;
	md->n_sessions = 0x0102030405060708ULL;
	md->control = SVR_CTRL_DELETE_SESSION;
	md->health_check = SVR_HC_REQUEST_TIMEOUT;
	md->modify = SVR_MODIFY_F | 0x123;
	md->frag.ext_id = 0x11223344;
	md->frag.ip_id = 0x5566;
	md->frag.flags_off = SVR_FRAG_MF | 185;
	md->frag.largest = 1480;
	md->metrics.tx = 1u << 28 | 100;
	md->metrics.rx = 2u << 28 | 200;
	md->metrics.drop_count = SVR_METRICS_DROP | 10;
	sample_ctx(&md->fwd, v6, 1);
	sample_ctx(&md->rev, v6, 2);
	for (i = 0; i < 16; i++) {
		md->uuid[i] = 0xf0 - i;
		md->icmp_loc6[i] = 0x20 + i;
	}
	memcpy(md->icmp_loc4, "\xc6\x33\x64\x07", 4);
	memcpy(md->nat_addr4, "\xcb\x00\x71\x09", 4);
	set_name(&md->tenant, "eng.acme");
	set_name(&md->service, "dns-svc");
	set_name(&md->router, "branch-router");
	set_name(&md->sec_policy, "aes-policy");
	set_name(&md->dest_router, "hub-router");
	set_name(&md->path, "wan0");
	set_name(&md->app, "DNS");
	md->security_key.ptr = sample_key;
	md->security_key.len = sizeof(sample_key);
	md->mcast_ctx.ptr = sample_mcast_ctx;
	md->mcast_ctx.len = sizeof(sample_mcast_ctx);
	md->mcast_egress.ptr = sample_mcast_egress;
	md->mcast_egress.len = sizeof(sample_mcast_egress);
}

static bool bytes_same(const struct svr_md_bytes *a,
		       const struct svr_md_bytes *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->ptr, b->ptr, a->len));
}

static bool ctx_same(const struct svr_md_ctx *a, const struct svr_md_ctx *b)
{
	unsigned int alen = a->family == SVR_MD_AF_INET6 ? 16 : 4;

	return a->family == b->family && a->proto == b->proto &&
	       a->sport == b->sport && a->dport == b->dport &&
	       !memcmp(a->saddr, b->saddr, alen) &&
	       !memcmp(a->daddr, b->daddr, alen);
}

static bool field_same(const struct svr_md *a, const struct svr_md *b,
		       unsigned int bit)
{
	switch (bit) {
	case SVR_TLV_FRAGMENT:
		return a->frag.ext_id == b->frag.ext_id &&
		       a->frag.ip_id == b->frag.ip_id &&
		       a->frag.flags_off == b->frag.flags_off &&
		       a->frag.largest == b->frag.largest;
	case SVR_TLV_FWD_CTX4:
	case SVR_TLV_FWD_CTX6:
		return ctx_same(&a->fwd, &b->fwd);
	case SVR_TLV_REV_CTX4:
	case SVR_TLV_REV_CTX6:
		return ctx_same(&a->rev, &b->rev);
	case SVR_TLV_UUID:
		return !memcmp(a->uuid, b->uuid, 16);
	case SVR_TLV_TENANT:
		return bytes_same(&a->tenant, &b->tenant);
	case SVR_TLV_GIID:
		return a->giid == b->giid;
	case SVR_TLV_SERVICE:
		return bytes_same(&a->service, &b->service);
	case SVR_TLV_NUM_SESSIONS:
		return a->n_sessions == b->n_sessions;
	case SVR_TLV_ROUTER:
		return bytes_same(&a->router, &b->router);
	case SVR_TLV_SEC_POLICY:
		return bytes_same(&a->sec_policy, &b->sec_policy);
	case SVR_TLV_SECURITY_ID:
		return a->security_id == b->security_id;
	case SVR_TLV_DEST_ROUTER:
		return bytes_same(&a->dest_router, &b->dest_router);
	case SVR_TLV_PATH:
		return bytes_same(&a->path, &b->path);
	case SVR_TLV_ICMP_LOC4:
		return !memcmp(a->icmp_loc4, b->icmp_loc4, 4);
	case SVR_TLV_ICMP_LOC6:
		return !memcmp(a->icmp_loc6, b->icmp_loc6, 16);
	case SVR_TLV_CONTROL:
		return a->control == b->control;
	case SVR_TLV_NAT_ADDR4:
		return !memcmp(a->nat_addr4, b->nat_addr4, 4);
	case SVR_TLV_PATH_METRICS:
		return a->metrics.tx == b->metrics.tx &&
		       a->metrics.rx == b->metrics.rx &&
		       a->metrics.drop_count == b->metrics.drop_count;
	case SVR_TLV_MODIFY:
		return a->modify == b->modify;
	case SVR_TLV_APP:
		return bytes_same(&a->app, &b->app);
	case SVR_TLV_REMAINING_TIME:
		return a->remaining_time == b->remaining_time;
	case SVR_TLV_HEALTH_CHECK:
		return a->health_check == b->health_check;
	case SVR_MD_BIT_SECURITY_KEY:
		return bytes_same(&a->security_key, &b->security_key);
	case SVR_TLV_MCAST_CTX:
		return bytes_same(&a->mcast_ctx, &b->mcast_ctx);
	case SVR_TLV_MCAST_EGRESS:
		return bytes_same(&a->mcast_egress, &b->mcast_egress);
	}
	return true;	/* flags carry no value */
}

bool md_same(const struct svr_md *a, const struct svr_md *b, u64 mask,
	     char *why, size_t whylen)
{
	unsigned int bit;

	if ((a->present & mask) != (b->present & mask)) {
		snprintf(why, whylen, "present 0x%llx != 0x%llx",
			 (unsigned long long)(a->present & mask),
			 (unsigned long long)(b->present & mask));
		return false;
	}
	for (bit = 0; bit < 64; bit++) {
		if (!(mask & a->present & BIT_ULL(bit)))
			continue;
		if (!field_same(a, b, bit)) {
			snprintf(why, whylen, "field of bit %u differs", bit);
			return false;
		}
	}
	return true;
}
