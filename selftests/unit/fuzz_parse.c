// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the parser (header, payload, marker, TLV walk) and the
 * decoder's printing on arbitrary L4 payloads. Whatever parses must obey
 * the invariants below, and must parse again to the same values after
 * being rebuilt with the builder.
 */
#include <stdio.h>
#include <stdlib.h>

#include <svr/metadata.h>

#include "common.h"
#include "decode.h"

static u8 rebuilt[70000];

static bool in(const u8 *data, size_t size, const struct svr_md_bytes *b)
{
	return !b->len || (b->ptr >= data && b->ptr + b->len <= data + size);
}

static void check_ok(const u8 *data, size_t size, const struct svr_md *md)
{
	const struct svr_md_bytes *names[] = {
		&md->tenant, &md->service, &md->router, &md->sec_policy,
		&md->dest_router, &md->path, &md->app,
	};
	unsigned int i;

	if (md->hdr.version != 1 || md->hdr.hl < 12 ||
	    md->hdr.hl + md->hdr.pl > size || md->payload != data + md->hdr.hl)
		abort();
	if (svr_md_is_marker(data, size) !=
	    (md->hdr.hl == 12 && md->hdr.pl == 0))
		abort();
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!in(data, size, names[i]) || names[i]->len > 64)
			abort();
	if (!in(data, size, &md->security_key) ||
	    !in(data, size, &md->mcast_ctx) ||
	    !in(data, size, &md->mcast_egress) ||
	    !in(data, size, &md->modify_raw))
		abort();
}

/* Parse -> build -> parse gives the same values. */
static void reencode(const struct svr_md *md)
{
	struct svr_md_builder b;
	struct svr_md again;
	unsigned int bit;
	char why[128];
	u64 mask = 0;
	int n;

	svr_md_build_init(&b, rebuilt, sizeof(rebuilt));
	for (bit = 0; bit < 64; bit++) {
		if (!svr_md_has(md, bit))
			continue;
		/* both context families: only the first one was kept */
		if ((bit == 2 || bit == 3) &&
		    md->fwd.family != (bit == 2 ? SVR_MD_AF_INET :
						  SVR_MD_AF_INET6))
			continue;
		if ((bit == 4 || bit == 5) &&
		    md->rev.family != (bit == 4 ? SVR_MD_AF_INET :
						  SVR_MD_AF_INET6))
			continue;
		if (svr_md_put(&b, md, bit) == -EINVAL)
			abort();
		mask |= BIT_ULL(bit);
	}
	n = svr_md_build_finish(&b);
	if (n == -EMSGSIZE)
		return;		/* big raw values: legitimately too big */
	if (n < 0)
		abort();
	if (svr_md_parse(rebuilt, n, &again) != SVR_MD_ERR_OK)
		abort();
	if (!md_same(md, &again, mask, why, sizeof(why)) ||
	    (again.present & ~mask))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct svr_md md;
	enum svr_md_err e;
	size_t off = 0;
	const u8 *v;
	u16 type, vlen;

	if (!null)
		null = fopen("/dev/null", "w");
	e = svr_md_parse(data, size, &md);
	if ((unsigned int)e >= SVR_MD_ERR_MAX)
		abort();
	if (e != SVR_MD_ERR_NO_COOKIE && !svr_md_has_cookie(data, size))
		abort();
	if (e == SVR_MD_ERR_OK) {
		check_ok(data, size, &md);
		reencode(&md);
	}
	if (svr_md_parse_header(data, size, &md) == SVR_MD_ERR_OK) {
		svr_md_payload_mode(&md, false);
		svr_md_parse_payload(md.payload, md.hdr.pl, &md);
	}
	while (svr_md_tlv_next(data, size, &off, &type, &v, &vlen) == 1)
		if (v < data || v + vlen > data + size)
			abort();
	svr_md_payload_walks(data, size);
	svr_md_check_cipher_len(size);
	if (null) {
		svr_decode_l4(null, data, size, 0);
		svr_decode_l4(null, data, size, SVR_DECODE_JSON);
	}
	return 0;
}
