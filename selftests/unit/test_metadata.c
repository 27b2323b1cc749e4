// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the SVR metadata codec (kernel/metadata.c) and of the
 * pcap decoder behind "svrctl decode" (userspace/decode.c): the test
 * vectors, build->parse round trips, every rejection path, and malformed
 * inputs. Every input is handed to the parser in an exact-size heap buffer
 * so that AddressSanitizer catches any read past its end. Output is KTAP.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"

#include <svr/metadata.h>

#include "common.h"
#include "decode.h"

static struct vec_file vec;
static bool vec_ok;
static char vec_err[512];
static bool failed;
static unsigned int hits[SVR_MD_ERR_MAX];

#define CHECK(c) do {							\
	if (!(c)) {							\
		failed = true;						\
		ksft_print_msg("%s:%d: check failed: %s\n", __func__,	\
			       __LINE__, #c);				\
	}								\
} while (0)

#define CHECK_ERR(got, want) do {					\
	enum svr_md_err _g = (got), _w = (want);			\
	if (_g != _w) {							\
		failed = true;						\
		ksft_print_msg("%s:%d: got %s, want %s\n", __func__,	\
			       __LINE__, svr_md_err_name(_g),		\
			       svr_md_err_name(_w));			\
	}								\
} while (0)

/* ---- exact-size buffers, freed after each test ---- */

enum { MAX_SCRATCH = 4096 };
static void *scratch_list[MAX_SCRATCH];
static unsigned int n_scratch;

static u8 *scratch(const void *p, size_t n)
{
	u8 *b = malloc(n ? n : 1);

	if (!b || n_scratch == MAX_SCRATCH)
		ksft_exit_fail_msg("out of memory\n");
	if (n)
		memcpy(b, p, n);
	scratch_list[n_scratch++] = b;
	return b;
}

static void scratch_free(void)
{
	while (n_scratch)
		free(scratch_list[--n_scratch]);
}

static enum svr_md_err seen(enum svr_md_err e)
{
	if ((unsigned int)e < SVR_MD_ERR_MAX)
		hits[e]++;
	return e;
}

/* svr_md_parse() on an exact-size copy; md points into the copy. */
static enum svr_md_err parse(const void *p, size_t n, struct svr_md *md)
{
	return seen(svr_md_parse(scratch(p, n), n, md));
}

/* Parse and free at once: for the many-input loops. */
static enum svr_md_err parse_tmp(const void *p, size_t n)
{
	struct svr_md md;
	enum svr_md_err e;
	u8 *b = malloc(n ? n : 1);

	if (!b)
		ksft_exit_fail_msg("out of memory\n");
	memcpy(b, p, n);
	e = seen(svr_md_parse(b, n, &md));
	free(b);
	return e;
}

static bool bytes_is(const struct svr_md_bytes *b, const char *s)
{
	return b->len == strlen(s) && !memcmp(b->ptr, s, b->len);
}

static const struct vec_frame *frame(unsigned int n)
{
	static const struct vec_frame none;

	if (!vec_ok || n < 1 || n > vec.n) {
		failed = true;
		ksft_print_msg("vector frame %u not available: %s\n", n,
			       vec_err);
		return &none;
	}
	return &vec.f[n - 1];
}

static bool ctx_is(const struct svr_md_ctx *c, const char *s, const char *d,
		   unsigned int sport, unsigned int dport, unsigned int proto)
{
	u8 sa[16] = { 0 }, da[16] = { 0 };
	bool v6 = c->family == SVR_MD_AF_INET6;

	if (!inet_pton(v6 ? AF_INET6 : AF_INET, s, sa) ||
	    !inet_pton(v6 ? AF_INET6 : AF_INET, d, da))
		return false;
	return !memcmp(c->saddr, sa, v6 ? 16 : 4) &&
	       !memcmp(c->daddr, da, v6 ? 16 : 4) && c->sport == sport &&
	       c->dport == dport && c->proto == proto;
}

/* Build with the given set function into buf; returns the length. */
static int build(int (*set)(struct svr_md_builder *, const struct svr_md *),
		 const struct svr_md *md, u8 *buf, size_t cap)
{
	struct svr_md_builder b;

	svr_md_build_init(&b, buf, cap);
	set(&b, md);
	return svr_md_build_finish(&b);
}

/* ---- (1) the vectors ---- */

static void t_vec_load(void)
{
	CHECK(vec_ok);
	if (!vec_ok)
		ksft_print_msg("%s\n", vec_err);
	CHECK(vec.n == 9);
}

static const u8 vec1_uuid[16] = {
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
	0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
};

static void t_vec1(void)
{
	const struct vec_frame *f = frame(1), *f2 = frame(2);
	struct svr_md md;
	u8 out[256];
	int n;

	CHECK_ERR(parse(f->udp, f->udp_len, &md), SVR_MD_ERR_OK);
	CHECK(md.hdr.version == 1 && md.hdr.hl == 20 && md.hdr.pl == 88);
	CHECK(md.present == (BIT_ULL(16) | BIT_ULL(2) | BIT_ULL(7) |
			     BIT_ULL(10) | BIT_ULL(6) | BIT_ULL(35) |
			     BIT_ULL(14) | BIT_ULL(19)));
	CHECK(md.security_id == 1);
	CHECK(md.fwd.family == SVR_MD_AF_INET);
	CHECK(ctx_is(&md.fwd, "192.168.1.10", "8.8.8.8", 40000, 53, 17));
	CHECK(bytes_is(&md.tenant, "blue"));
	CHECK(bytes_is(&md.service, "dns-svc"));
	CHECK(!memcmp(md.uuid, vec1_uuid, 16));
	CHECK(bytes_is(&md.app, "DNS"));
	CHECK(bytes_is(&md.router, "branch-router"));
	CHECK(bytes_is(&md.path, "wan0"));
	CHECK(md.n_unknown == 0);
	CHECK(svr_md_payload_mode(&md, false) == SVR_MD_PAYLOAD_CLEAR);
	/* 108 bytes of metadata, then the 33-byte DNS query of frame 2 */
	CHECK(f->udp_len == 108 + 33);
	CHECK(f2->udp_len == 33 && f->udp_len >= 108 &&
	      !memcmp(f->udp + 108, f2->udp, 33));
	/* the builder reproduces the frame byte for byte */
	n = build(svr_md_build_forward, &md, out, sizeof(out));
	CHECK(n == 108 && !memcmp(out, f->udp, 108));
}

static void t_vec2(void)
{
	const struct vec_frame *f = frame(2);
	struct svr_md md;

	CHECK(!svr_md_has_cookie(scratch(f->udp, f->udp_len), f->udp_len));
	CHECK_ERR(parse(f->udp, f->udp_len, &md), SVR_MD_ERR_NO_COOKIE);
	CHECK(f->udp_len == 33);
}

static void t_vec3(void)
{
	const struct vec_frame *f = frame(3);
	struct svr_md md;
	u8 out[256];
	int n;

	CHECK_ERR(parse(f->udp, f->udp_len, &md), SVR_MD_ERR_OK);
	CHECK(md.hdr.hl == 20 && md.hdr.pl == 29);
	CHECK(md.present == (BIT_ULL(16) | BIT_ULL(4) | BIT_ULL(7) |
			     BIT_ULL(18)));
	CHECK(md.security_id == 1);
	CHECK(md.rev.family == SVR_MD_AF_INET && !md.fwd.family);
	CHECK(ctx_is(&md.rev, "8.8.8.8", "192.168.1.10", 53, 40000, 17));
	CHECK(bytes_is(&md.tenant, "blue"));
	CHECK(svr_md_has(&md, SVR_TLV_DISABLE_FWD_MD));
	CHECK(f->udp_len == 49 + 33);
	n = build(svr_md_build_reverse, &md, out, sizeof(out));
	CHECK(n == 49 && !memcmp(out, f->udp, 49));
}

static void t_vec4(void)
{
	static const unsigned int order[] = { 3, 10, 11, 12, 25 };
	const struct vec_frame *f = frame(4);
	struct svr_md_builder b;
	struct svr_md md;
	u8 out[256];
	unsigned int i;

	CHECK_ERR(parse(f->udp, f->udp_len, &md), SVR_MD_ERR_OK);
	CHECK(md.hdr.hl == 12 && md.hdr.pl == 67);
	CHECK(md.present == (BIT_ULL(3) | BIT_ULL(10) | BIT_ULL(11) |
			     BIT_ULL(12) | BIT_ULL(25)));
	CHECK(md.fwd.family == SVR_MD_AF_INET6);
	CHECK(ctx_is(&md.fwd, "2001:db8::1", "2001:db8::2", 1234, 443, 6));
	CHECK(bytes_is(&md.service, "v6-svc"));
	CHECK(svr_md_has(&md, SVR_TLV_SESSION_ENCRYPTED));
	CHECK(svr_md_has(&md, SVR_TLV_TCP_SYN));
	CHECK(!memcmp(md.nat_addr4, "\xcb\x00\x71\x09", 4));
	CHECK(f->udp_len == 79 + 2);
	svr_md_build_init(&b, out, sizeof(out));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		svr_md_put(&b, &md, order[i]);
	CHECK(svr_md_build_finish(&b) == 79 && !memcmp(out, f->udp, 79));
}

static void t_vec5(void)
{
	const struct vec_frame *f = frame(5);
	static const char text[] = "payload that happened";
	struct svr_md md;
	u8 out[12];

	CHECK(svr_md_is_marker(scratch(f->udp, f->udp_len), f->udp_len));
	CHECK_ERR(parse(f->udp, f->udp_len, &md), SVR_MD_ERR_OK);
	CHECK(md.hdr.hl == 12 && md.hdr.pl == 0 && md.present == 0);
	/* strip 12 bytes, deliver the rest, whatever it starts with */
	CHECK(f->udp_len > 12 + sizeof(text) - 1 &&
	      !memcmp(f->udp + 12, text, sizeof(text) - 1));
	CHECK(svr_md_build_marker(out, sizeof(out)) == 12 &&
	      !memcmp(out, f->udp, 12));
}

static void t_vec6(void)
{
	const struct vec_frame *f = frame(6);
	struct svr_md md;

	CHECK(f->udp_len == 22);
	CHECK_ERR(parse(f->udp, f->udp_len, &md),
		  SVR_MD_ERR_PAYLOAD_LEN_OVERRUN);
	CHECK(md.hdr.pl == 500);
	CHECK(!svr_md_is_marker(scratch(f->udp, f->udp_len), f->udp_len));
}

static void t_vec7(void)
{
	const struct vec_frame *f = frame(7);
	struct svr_md md;
	const u8 *p = scratch(f->udp, f->udp_len);

	CHECK_ERR(seen(svr_md_parse_header(p, f->udp_len, &md)),
		  SVR_MD_ERR_OK);
	CHECK(md.hdr.hl == 20 && md.hdr.pl == 24);
	CHECK(md.security_id == 2 && md.present == BIT_ULL(16));
	/* no key: opaque, not walked, not trusted */
	CHECK(svr_md_payload_mode(&md, false) == SVR_MD_PAYLOAD_OPAQUE);
	CHECK_ERR(parse(f->udp, f->udp_len, &md), SVR_MD_ERR_OPAQUE);
	/* with a key it would be decrypted, but 24 is not IV + blocks */
	CHECK_ERR(svr_md_parse_header(p, f->udp_len, &md), SVR_MD_ERR_OK);
	CHECK(svr_md_payload_mode(&md, true) == SVR_MD_PAYLOAD_DECRYPT);
	CHECK_ERR(seen(svr_md_check_cipher_len(md.hdr.pl)),
		  SVR_MD_ERR_CIPHER_LEN);
	CHECK(f->udp_len == 44 + 5 && !memcmp(f->udp + 44, "inner", 5));
}

static void t_vec8(void)
{
	const struct vec_frame *f = frame(8);
	struct svr_md md;
	u8 out[256];
	int n;

	CHECK_ERR(parse(f->udp, f->udp_len, &md), SVR_MD_ERR_OK);
	CHECK(md.hdr.hl == 44 && md.hdr.pl == 8);
	CHECK(md.present == (BIT_ULL(20) | BIT_ULL(24) | BIT_ULL(26) |
			     BIT_ULL(46) | BIT_ULL(42)));
	CHECK(!memcmp(md.icmp_loc4, "\xc6\x33\x64\x07", 4));
	CHECK(md.control == SVR_CTRL_KEEPALIVE);
	CHECK(md.metrics.tx >> 28 == 1 && (md.metrics.tx & 0x0fffffff) == 100);
	CHECK(md.metrics.rx >> 28 == 2 && (md.metrics.rx & 0x0fffffff) == 200);
	CHECK(md.metrics.drop_count == (SVR_METRICS_DROP | 10));
	CHECK(md.health_check == SVR_HC_REQUEST);
	CHECK(!svr_md_has(&md, SVR_MD_BIT_SECURITY_KEY));
	CHECK(md.remaining_time == 30);
	CHECK(f->udp_len == 52);	/* no user payload */
	n = build(svr_md_build_control, &md, out, sizeof(out));
	CHECK(n == 52 && !memcmp(out, f->udp, 52));
}

static void t_vec9(void)
{
	static const u8 mctx[] = { 4, 1, 0, 0, 0, 0, 239, 1, 1, 1, 17 };
	static const u8 megr[] = { 0, 2, 4, 'l', 'h', 'r', '1',
				   4, 'l', 'h', 'r', '2' };
	const struct vec_frame *f = frame(9);
	struct svr_md md;

	CHECK_ERR(parse(f->udp, f->udp_len, &md), SVR_MD_ERR_OK);
	CHECK(md.hdr.hl == 12 && md.hdr.pl == 41);
	CHECK(md.present == (BIT_ULL(50) | BIT_ULL(51)));
	CHECK(md.mcast_ctx.len == sizeof(mctx) &&
	      !memcmp(md.mcast_ctx.ptr, mctx, sizeof(mctx)));
	CHECK(md.mcast_egress.len == sizeof(megr) &&
	      !memcmp(md.mcast_egress.ptr, megr, sizeof(megr)));
	CHECK(md.n_unknown == 1);
	CHECK(f->udp_len == 53);
}

/* ---- the decoder on the vectors ---- */

static char *decode_to_string(unsigned int flags, int *rc)
{
	char path[4096], *s = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&s, &n);

	snprintf(path, sizeof(path), "%s/svr-vectors.pcap", vec_dir());
	*rc = svr_decode_pcap(path, out, flags);
	fclose(out);
	return s;
}

static void expect_out(const char *out, const char *want)
{
	if (!out || !strstr(out, want)) {
		failed = true;
		ksft_print_msg("decoder output lacks: %s\n", want);
	}
}

static void t_decode_text(void)
{
	static const char *const want[] = {
		"#1 10.0.0.1:16400 -> 10.0.0.2:16401 udp  metadata hl 20 pl 88\n"
		"    security-id 1\n"
		"    fwd-ctx 192.168.1.10:40000 -> 8.8.8.8:53 udp\n"
		"    tenant blue\n"
		"    service dns-svc\n"
		"    uuid 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n"
		"    app DNS\n"
		"    router branch-router\n"
		"    path wan0\n"
		"    payload-bytes 33\n",
		"#2 10.0.0.1:16400 -> 10.0.0.2:16401 udp  no metadata\n",
		"    rev-ctx 8.8.8.8:53 -> 192.168.1.10:40000 udp\n",
		"    disable-fwd-metadata\n",
		"    fwd-ctx [2001:db8::1]:1234 -> [2001:db8::2]:443 tcp\n",
		"#5 10.0.0.1:16404 -> 10.0.0.2:16405 udp  false-positive marker, 12 bytes stripped\n"
		"    payload-bytes 46\n",
		"#6 10.0.0.1:16406 -> 10.0.0.2:16407 udp  malformed: payload length beyond packet (md_payload_len_overrun)\n",
		"#7 10.0.0.1:16408 -> 10.0.0.2:16409 udp  metadata hl 20 pl 24\n"
		"    security-id 2\n"
		"    opaque payload section (security id 2, 24 bytes), not trusted\n"
		"    payload-bytes 5\n",
		"    control keep-alive (1)\n",
		"    health-check request (1)\n",
		"    mcast-egress lhr1 lhr2\n",
		"    unknown-tlv 99 (6 bytes, skipped)\n",
	};
	unsigned int i;
	char *out;
	int rc;

	out = decode_to_string(0, &rc);
	CHECK(rc == SVR_DECODE_OK);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		expect_out(out, want[i]);
	free(out);
}

static void t_decode_json(void)
{
	char *out;
	int rc;

	out = decode_to_string(SVR_DECODE_JSON, &rc);
	CHECK(rc == SVR_DECODE_OK);
	expect_out(out, "\"frame\":1,\"src\":\"10.0.0.1:16400\"");
	expect_out(out, "\"tenant\":\"blue\"");
	expect_out(out, "\"result\":\"false-positive marker\",\"payload-bytes\":46");
	expect_out(out, "\"result\":\"malformed\",\"error\":\"md_payload_len_overrun\"");
	expect_out(out, "\"security-id\":2,\"opaque\":true,\"opaque-bytes\":24");
	CHECK(out && out[0] == '[' && strstr(out, "\n]\n"));
	free(out);
}

static void t_decode_exit(void)
{
	char readme[4096], *none[] = { "decode", NULL };
	char *bad[] = { "decode", "--bogus", "x", NULL };
	char *two[] = { "decode", "a", "b", NULL };
	FILE *null = fopen("/dev/null", "w");

	snprintf(readme, sizeof(readme), "%s/README.md", vec_dir());
	CHECK(svr_decode_main(1, none) == SVR_DECODE_USAGE);
	CHECK(svr_decode_main(3, bad) == SVR_DECODE_USAGE);
	CHECK(svr_decode_main(3, two) == SVR_DECODE_USAGE);
	CHECK(svr_decode_pcap("/nonexistent/x.pcap", null, 0) ==
	      SVR_DECODE_BAD_FILE);
	CHECK(svr_decode_pcap(readme, null, 0) == SVR_DECODE_BAD_FILE);
	fclose(null);
}

/* ---- (2) round trips ---- */

static bool roundtrip(const struct svr_md *in, const u8 *buf, int n, u64 want)
{
	struct svr_md out, exp = *in;
	char why[128];

	if (n < 0) {
		ksft_print_msg("build failed: %d\n", n);
		return false;
	}
	if (parse(buf, n, &out) != SVR_MD_ERR_OK) {
		ksft_print_msg("parse of built block failed\n");
		return false;
	}
	if (out.present != want) {
		ksft_print_msg("present 0x%llx, want 0x%llx\n",
			       (unsigned long long)out.present,
			       (unsigned long long)want);
		return false;
	}
	if (out.hdr.hl + out.hdr.pl != n) {
		ksft_print_msg("HL + PL != built length\n");
		return false;
	}
	exp.present = want;	/* what the set emits, not what in asked */
	if (!md_same(&exp, &out, want, why, sizeof(why))) {
		ksft_print_msg("%s\n", why);
		return false;
	}
	return true;
}

static void t_rt_each(void)
{
	u64 known = md_known_bits();
	struct svr_md_builder b;
	struct svr_md md;
	unsigned int bit, n = 0;
	u8 buf[256];

	for (bit = 0; bit < 64; bit++) {
		if (!(known & BIT_ULL(bit)))
			continue;
		md_sample(&md, bit == SVR_TLV_FWD_CTX6 ||
			       bit == SVR_TLV_REV_CTX6);
		svr_md_build_init(&b, buf, sizeof(buf));
		svr_md_put(&b, &md, bit);
		if (!roundtrip(&md, buf, svr_md_build_finish(&b),
			       BIT_ULL(bit))) {
			ksft_print_msg("... for bit %u\n", bit);
			failed = true;
		}
		n++;
	}
	CHECK(n == 30);
}

static void rt_all(bool v6)
{
	struct svr_md_builder b;
	struct svr_md md;
	unsigned int bit;
	u8 buf[1024];

	md_sample(&md, v6);
	svr_md_build_init(&b, buf, sizeof(buf));
	/* descending, so header TLVs are inserted before payload ones */
	for (bit = 64; bit-- > 0;)
		if (svr_md_has(&md, bit))
			svr_md_put(&b, &md, bit);
	CHECK(roundtrip(&md, buf, svr_md_build_finish(&b), md.present));
}

static void t_rt_all(void)
{
	rt_all(false);
	rt_all(true);
}

static u64 fwd_bits(bool v6)
{
	return BIT_ULL(v6 ? 3 : 2) | BIT_ULL(7) | BIT_ULL(10) | BIT_ULL(6) |
	       BIT_ULL(14) | BIT_ULL(19);
}

static void rt_set(int (*set)(struct svr_md_builder *, const struct svr_md *),
		   const struct svr_md *md, u64 want)
{
	u8 buf[512];

	CHECK(roundtrip(md, buf, build(set, md, buf, sizeof(buf)), want));
}

static void t_rt_fwd4(void)
{
	struct svr_md md;

	md_sample(&md, false);
	md.present = BIT_ULL(SVR_TLV_SECURITY_ID);
	md.app.len = 0;
	rt_set(svr_md_build_forward, &md, fwd_bits(false) | BIT_ULL(16));
}

static void t_rt_fwd6(void)
{
	struct svr_md md;

	md_sample(&md, true);
	md.present = BIT_ULL(SVR_TLV_SECURITY_ID);
	md.app.len = 0;
	rt_set(svr_md_build_forward, &md, fwd_bits(true) | BIT_ULL(16));
}

static void t_rt_fwd_opt(void)
{
	struct svr_md md;

	/* global tenant (no 7), no security id, every optional TLV */
	md_sample(&md, false);
	md.present = BIT_ULL(11) | BIT_ULL(12) | BIT_ULL(25);
	md.tenant.len = 0;
	rt_set(svr_md_build_forward, &md,
	       (fwd_bits(false) & ~BIT_ULL(7)) | BIT_ULL(11) | BIT_ULL(12) |
	       BIT_ULL(25) | BIT_ULL(35));
}

static void t_rt_rev(void)
{
	struct svr_md md;

	md_sample(&md, false);
	md.present = BIT_ULL(16);
	rt_set(svr_md_build_reverse, &md, BIT_ULL(16) | BIT_ULL(4) |
	       BIT_ULL(7) | BIT_ULL(18));
	md_sample(&md, true);
	md.present = 0;
	md.tenant.len = 0;
	rt_set(svr_md_build_reverse, &md, BIT_ULL(5) | BIT_ULL(18));
}

static void t_rt_control(void)
{
	u64 all = BIT_ULL(16) | BIT_ULL(20) | BIT_ULL(21) | BIT_ULL(24) |
		  BIT_ULL(26) | BIT_ULL(46) | BIT_ULL(42);
	struct svr_md md;

	md_sample(&md, false);
	md.present = all;
	rt_set(svr_md_build_control, &md, all);
	md.present = 0;
	rt_set(svr_md_build_control, &md, BIT_ULL(24));
}

static void t_rt_marker(void)
{
	struct svr_md md;
	u8 buf[12];

	CHECK(svr_md_build_marker(buf, 11) == -ENOSPC);
	CHECK(svr_md_build_marker(buf, sizeof(buf)) == 12);
	CHECK(svr_md_is_marker(scratch(buf, 12), 12));
	CHECK_ERR(parse(buf, 12, &md), SVR_MD_ERR_OK);
	CHECK(md.present == 0 && md.hdr.hl == 12 && md.hdr.pl == 0);
}

/* ---- builder errors and the encryption seam ---- */

static void t_build_errors(void)
{
	static const char long_name[] =
		"0123456789012345678901234567890123456789012345678901234567890123x";
	static u8 big[70000], val[65536];
	struct svr_md_builder b;
	struct svr_md md;
	u8 buf[512], *small;
	int full, n;
	size_t cap;

	md_sample(&md, false);
	full = build(svr_md_build_forward, &md, buf, sizeof(buf));
	CHECK(full > 0);
	/* every capacity short of the need fails, never writing past cap */
	for (cap = 0; full > 0 && cap < (size_t)full; cap++) {
		small = malloc(cap ? cap : 1);
		n = build(svr_md_build_forward, &md, small, cap);
		free(small);
		if (n != -ENOSPC) {
			ksft_print_msg("cap %zu: got %d\n", cap, n);
			failed = true;
		}
	}
	/* header length is 12 bits, payload length 16 */
	svr_md_build_init(&b, big, sizeof(big));
	CHECK(svr_md_put_raw(&b, SVR_MD_SEC_HEADER, 200, val, 4080) ==
	      -EMSGSIZE);
	svr_md_build_init(&b, big, sizeof(big));
	CHECK(svr_md_put_raw(&b, SVR_MD_SEC_HEADER, 200, val, 4079) == 0);
	CHECK(svr_md_build_finish(&b) == SVR_MD_HL_MAX);
	svr_md_build_init(&b, big, sizeof(big));
	CHECK(svr_md_put_raw(&b, SVR_MD_SEC_PAYLOAD, 200, val, 65532) ==
	      -EMSGSIZE);
	svr_md_build_init(&b, big, sizeof(big));
	CHECK(svr_md_put_raw(&b, SVR_MD_SEC_PAYLOAD, 200, val, 65531) == 0);
	CHECK(svr_md_build_finish(&b) == 12 + SVR_MD_PL_MAX);
	/* values the parser would reject are refused */
	md.tenant.len = 0;
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_put(&b, &md, SVR_TLV_TENANT) == -EINVAL);
	CHECK(svr_md_build_finish(&b) == -EINVAL);	/* sticky */
	md.tenant.ptr = (const u8 *)long_name;
	md.tenant.len = 65;
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_put(&b, &md, SVR_TLV_TENANT) == -EINVAL);
	md.tenant.ptr = (const u8 *)"ab\0";
	md.tenant.len = 3;
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_put(&b, &md, SVR_TLV_TENANT) == -EINVAL);
	md.tenant.ptr = (const u8 *)"a\tb";
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_put(&b, &md, SVR_TLV_TENANT) == -EINVAL);
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_put(&b, &md, SVR_TLV_FWD_CTX6) == -EINVAL);
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_put(&b, &md, 99) == -EINVAL);
	md.security_key.len = 1;
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_put(&b, &md, SVR_MD_BIT_SECURITY_KEY) == -EINVAL);
	md.mcast_ctx.len = 12;
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_put(&b, &md, SVR_TLV_MCAST_CTX) == -EINVAL);
	md.fwd.family = SVR_MD_AF_NONE;
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_build_forward(&b, &md) == -EINVAL);
}

/* A stand-in for the crypto layer: "encrypt" = IV + XOR, PKCS#7 padded. */
static size_t fake_seal(u8 *at, size_t room, const u8 *plain, size_t len)
{
	size_t pad = SVR_MD_AES_BLOCK - len % SVR_MD_AES_BLOCK, i;
	size_t sealed = SVR_MD_IV_LEN + len + pad;

	if (sealed > room)
		return 0;
	memmove(at + SVR_MD_IV_LEN, plain, len);
	memset(at + SVR_MD_IV_LEN + len, pad, pad);
	for (i = 0; i < SVR_MD_IV_LEN; i++)
		at[i] = 0xa5;
	for (i = SVR_MD_IV_LEN; i < sealed; i++)
		at[i] ^= 0x5a;
	return sealed;
}

static size_t fake_open(u8 *plain, const u8 *sec, size_t len)
{
	size_t i, n = len - SVR_MD_IV_LEN;

	for (i = 0; i < n; i++)
		plain[i] = sec[SVR_MD_IV_LEN + i] ^ 0x5a;
	return n - plain[n - 1];
}

static void t_seal(void)
{
	struct svr_md_builder b;
	struct svr_md md, out;
	u8 buf[512], plain[512], *p;
	size_t plen, sealed, olen;
	char why[128];
	int n;

	md_sample(&md, false);
	md.present = BIT_ULL(SVR_TLV_SECURITY_ID);
	svr_md_build_init(&b, buf, sizeof(buf));
	CHECK(svr_md_build_forward(&b, &md) == 0);
	p = svr_md_build_payload(&b, &plen);
	CHECK(p == buf + b.hl && plen > 0);
	sealed = fake_seal(p, b.cap - b.hl, p, plen);
	n = svr_md_build_finish_sealed(&b, sealed);
	CHECK(n == (int)(b.hl + sealed));
	CHECK(svr_md_build_finish_sealed(&b, SVR_MD_PL_MAX + 1) == -EMSGSIZE);
	/* the receiver: header in the clear, key picked by security id */
	p = scratch(buf, n);
	CHECK_ERR(svr_md_parse_header(p, n, &out), SVR_MD_ERR_OK);
	CHECK(out.security_id == md.security_id && out.hdr.pl == sealed);
	CHECK(svr_md_payload_mode(&out, true) == SVR_MD_PAYLOAD_DECRYPT);
	CHECK_ERR(svr_md_check_cipher_len(out.hdr.pl), SVR_MD_ERR_OK);
	olen = fake_open(plain, out.payload, out.hdr.pl);
	CHECK(olen == plen);
	CHECK_ERR(svr_md_parse_payload(scratch(plain, olen), olen, &out),
		  SVR_MD_ERR_OK);
	md.present = fwd_bits(false) | BIT_ULL(16) | BIT_ULL(35);
	CHECK(out.present == md.present);
	CHECK(md_same(&md, &out, md.present, why, sizeof(why)));
	CHECK_ERR(svr_md_check_cipher_len(32), SVR_MD_ERR_OK);
	CHECK_ERR(svr_md_check_cipher_len(16), SVR_MD_ERR_CIPHER_LEN);
	CHECK_ERR(svr_md_check_cipher_len(33), SVR_MD_ERR_CIPHER_LEN);
}

/* ---- parsing rules ---- */

static size_t raw_block(u8 *buf, size_t cap,
			void (*fill)(struct svr_md_builder *))
{
	struct svr_md_builder b;
	int n;

	svr_md_build_init(&b, buf, cap);
	fill(&b);
	n = svr_md_build_finish(&b);
	return n < 0 ? 0 : n;
}

static void fill_rules(struct svr_md_builder *b)
{
	svr_md_put_raw(b, SVR_MD_SEC_HEADER, 200, "hdr", 3);
	svr_md_put_raw(b, SVR_MD_SEC_HEADER, SVR_TLV_HEALTH_CHECK, "\x01", 1);
	svr_md_put_raw(b, SVR_MD_SEC_PAYLOAD, SVR_TLV_TENANT, "abc\0", 4);
	svr_md_put_raw(b, SVR_MD_SEC_PAYLOAD, SVR_TLV_TENANT, "second", 6);
	svr_md_put_raw(b, SVR_MD_SEC_PAYLOAD, 0, NULL, 0);
	svr_md_put_raw(b, SVR_MD_SEC_PAYLOAD, 0xffff, "zz", 2);
	svr_md_put_raw(b, SVR_MD_SEC_PAYLOAD, SVR_TLV_SECURITY_KEY, "key", 3);
	svr_md_put_raw(b, SVR_MD_SEC_PAYLOAD, SVR_TLV_FWD_CTX4,
		       "\x0a\0\0\1\x0a\0\0\2\0\1\0\2\x11", 13);
	svr_md_put_raw(b, SVR_MD_SEC_PAYLOAD, SVR_TLV_FWD_CTX6,
		       "0123456789abcdef0123456789abcdef01234", 37);
	svr_md_put_raw(b, SVR_MD_SEC_PAYLOAD, SVR_TLV_SERVICE,
		       "x234567890123456789012345678901234567890123456789012345678901234\0",
		       65);
}

static void t_rules(void)
{
	struct svr_md md;
	u8 buf[512];
	size_t n = raw_block(buf, sizeof(buf), fill_rules);

	CHECK_ERR(parse(buf, n, &md), SVR_MD_ERR_OK);
	CHECK(md.n_unknown == 3);			/* 200, 0, 0xffff */
	CHECK(bytes_is(&md.tenant, "abc"));		/* NUL stripped, first wins */
	CHECK(md.health_check == 1 && svr_md_has(&md, 46));
	CHECK(svr_md_has(&md, SVR_MD_BIT_SECURITY_KEY) &&
	      bytes_is(&md.security_key, "key"));
	CHECK(md.fwd.family == SVR_MD_AF_INET);	/* IPv4 came first */
	CHECK(svr_md_has(&md, 2) && svr_md_has(&md, 3));
	CHECK(md.service.len == 64);			/* 64 + NUL is fine */
	CHECK(svr_md_tlv_known(7) && !svr_md_tlv_known(9) &&
	      !svr_md_tlv_known(0) && !svr_md_tlv_known(52));
	CHECK(!strcmp(svr_md_err_name(SVR_MD_ERR_PAYLOAD_LEN_OVERRUN),
		      "md_payload_len_overrun"));
	CHECK(!strcmp(svr_md_err_name(SVR_MD_ERR_MAX), "md_unknown_error"));
	CHECK(strlen(svr_md_strerror(SVR_MD_ERR_OPAQUE)) > 0);
}

/* ---- (3) one input per rejection ---- */

static size_t put_hdr(u8 *b, unsigned int vhl, unsigned int pl)
{
	static const u8 cookie[8] = { 0x4c, 0x48, 0xdb, 0xc6,
				      0xdd, 0xf6, 0x67, 0x0c };

	memcpy(b, cookie, 8);
	b[8] = vhl >> 8;
	b[9] = vhl & 0xff;
	b[10] = pl >> 8;
	b[11] = pl & 0xff;
	return 12;
}

static size_t put_tlv(u8 *b, size_t off, unsigned int type, unsigned int len,
		      const void *v, size_t vlen)
{
	b[off] = type >> 8;
	b[off + 1] = type & 0xff;
	b[off + 2] = len >> 8;
	b[off + 3] = len & 0xff;
	memcpy(b + off + 4, v, vlen);
	return off + 4 + vlen;
}

/* Payload-only block: header HL 12, PL = the TLVs written by the caller. */
static size_t pl_block(u8 *b, unsigned int type, unsigned int len,
		       const void *v, size_t vlen)
{
	size_t n = put_tlv(b, 12, type, len, v, vlen);

	put_hdr(b, 0x100c, n - 12);
	return n;
}

static size_t mk_reject(enum svr_md_err e, u8 *b)
{
	static const char n65[] =
		"01234567890123456789012345678901234567890123456789012345678901234";
	size_t n;

	switch (e) {
	case SVR_MD_ERR_NO_COOKIE:
		memcpy(b, "GET / HTTP/1.1\r\n", 16);
		return 16;
	case SVR_MD_ERR_TOO_SHORT:
		put_hdr(b, 0x100c, 0);
		return 10;
	case SVR_MD_ERR_BAD_VERSION:
		return put_hdr(b, 0x200c, 0);
	case SVR_MD_ERR_HDR_LEN_SHORT:
		return put_hdr(b, 0x100b, 0);
	case SVR_MD_ERR_HDR_LEN_OVERRUN:
		put_hdr(b, 0x1014, 0);
		return put_tlv(b, 12, 16, 4, "\0\0", 2);	/* 18 < 20 */
	case SVR_MD_ERR_PAYLOAD_LEN_OVERRUN:
		put_hdr(b, 0x100c, 5);
		return put_tlv(b, 12, 11, 0, "", 0);		/* 16 < 17 */
	case SVR_MD_ERR_HDR_TLV_TRUNC:
		put_hdr(b, 0x1014, 0);
		return put_tlv(b, 12, 16, 5, "\0\0\0\1", 4);
	case SVR_MD_ERR_HDR_TLV_FILL:
		put_hdr(b, 0x1017, 0);
		return put_tlv(b, 12, 16, 4, "\0\0\0\1\0\0\0", 7);
	case SVR_MD_ERR_PAYLOAD_TLV_TRUNC:
		return pl_block(b, 7, 5, "blue", 4);
	case SVR_MD_ERR_PAYLOAD_TLV_FILL:
		return pl_block(b, 7, 2, "bl\0\0", 4);
	case SVR_MD_ERR_TLV_BAD_LEN:
		return pl_block(b, 6, 15, "0123456789abcde", 15);
	case SVR_MD_ERR_TLV_WRONG_SECTION:
		n = put_tlv(b, 12, 7, 4, "blue", 4);
		put_hdr(b, 0x1000 | n, 0);
		return n;
	case SVR_MD_ERR_NAME_LEN:
		return pl_block(b, 10, 65, n65, 65);
	case SVR_MD_ERR_NAME_CHARS:
		return pl_block(b, 14, 3, "a\nb", 3);
	case SVR_MD_ERR_OPAQUE:
		put_hdr(b, 0x1014, 3);
		n = put_tlv(b, 12, 16, 4, "\0\0\0\7", 4);
		memcpy(b + n, "\x80\x81\x82", 3);
		return n + 3;
	default:
		return 0;
	}
}

static void t_reject_table(void)
{
	static const u8 bad_names[][3] = { "", "\0", "\x7f" };
	enum svr_md_err e;
	struct svr_md md;
	unsigned int i;
	u8 b[256];
	size_t n;

	for (e = SVR_MD_ERR_NO_COOKIE; e < SVR_MD_ERR_MAX; e++) {
		if (e == SVR_MD_ERR_CIPHER_LEN) {
			CHECK_ERR(seen(svr_md_check_cipher_len(24)), e);
			continue;
		}
		n = mk_reject(e, b);
		CHECK(n > 0);
		CHECK_ERR(parse(b, n, &md), e);
	}
	/* name length 0, a lone NUL, a DEL */
	for (i = 0; i < 3; i++) {
		n = pl_block(b, 7, i ? 1 : 0, bad_names[i], i ? 1 : 0);
		CHECK_ERR(parse(b, n, &md), i == 2 ? SVR_MD_ERR_NAME_CHARS :
						     SVR_MD_ERR_NAME_LEN);
	}
	/* fixed-size TLVs one byte short, a flag with a value */
	n = pl_block(b, 2, 12, "0123456789ab", 12);
	CHECK_ERR(parse(b, n, &md), SVR_MD_ERR_TLV_BAD_LEN);
	n = pl_block(b, 18, 1, "x", 1);
	CHECK_ERR(parse(b, n, &md), SVR_MD_ERR_TLV_BAD_LEN);
	n = pl_block(b, 46, 0, "", 0);
	CHECK_ERR(parse(b, n, &md), SVR_MD_ERR_TLV_BAD_LEN);
	n = pl_block(b, 50, 12, "0123456789ab", 12);
	CHECK_ERR(parse(b, n, &md), SVR_MD_ERR_TLV_BAD_LEN);
	/* security id in the payload section */
	n = pl_block(b, 16, 4, "\0\0\0\1", 4);
	CHECK_ERR(parse(b, n, &md), SVR_MD_ERR_TLV_WRONG_SECTION);
	/* payload framing error without a security id is not "opaque" */
	put_hdr(b, 0x100c, 3);
	memcpy(b + 12, "\x80\x81\x82", 3);
	CHECK_ERR(parse(b, 15, &md), SVR_MD_ERR_PAYLOAD_TLV_FILL);
	/* short non-metadata is not metadata, short metadata is too short */
	CHECK_ERR(parse("L", 1, &md), SVR_MD_ERR_NO_COOKIE);
	put_hdr(b, 0x100c, 0);
	CHECK_ERR(parse(b, 8, &md), SVR_MD_ERR_TOO_SHORT);
}

/* ---- (4) malformed inputs derived from valid blocks ---- */

struct block {
	const char	*name;
	const u8	*p;
	size_t		len;	/* the L4 payload: metadata + user bytes */
	size_t		md_len;	/* HL + PL */
};

enum { MAX_BLOCKS = 16 };
static struct block blocks[MAX_BLOCKS];
static unsigned int n_blocks;
static u8 built[6][1024];

static void add_block(const char *name, const u8 *p, size_t len)
{
	struct svr_md md;

	if (n_blocks == MAX_BLOCKS || parse_tmp(p, len) != SVR_MD_ERR_OK) {
		ksft_print_msg("block %s not valid\n", name);
		failed = true;
		return;
	}
	svr_md_parse_header(p, len, &md);
	blocks[n_blocks++] = (struct block){ name, p, len,
					     md.hdr.hl + md.hdr.pl };
}

static void add_built(const char *name, unsigned int i,
		      int (*set)(struct svr_md_builder *,
				 const struct svr_md *), bool v6)
{
	struct svr_md md;
	int n;

	md_sample(&md, v6);
	n = build(set, &md, built[i], sizeof(built[i]));
	if (n > 0)
		add_block(name, built[i], n);
}

static void fill_all(struct svr_md_builder *b)
{
	struct svr_md md;
	unsigned int bit;

	md_sample(&md, false);
	for (bit = 64; bit-- > 0;)
		if (svr_md_has(&md, bit))
			svr_md_put(b, &md, bit);
}

static void collect_blocks(void)
{
	static const unsigned int frames[] = { 1, 3, 4, 5, 8, 9 };
	static const char *const names[] = { "vector 1", "vector 3",
		"vector 4", "vector 5", "vector 8", "vector 9" };
	size_t n;
	unsigned int i;

	if (n_blocks)
		return;
	for (i = 0; vec_ok && i < ARRAY_SIZE(frames); i++)
		if (frames[i] <= vec.n)
			add_block(names[i], vec.f[frames[i] - 1].udp,
				  vec.f[frames[i] - 1].udp_len);
	add_built("forward v4", 0, svr_md_build_forward, false);
	add_built("forward v6", 1, svr_md_build_forward, true);
	add_built("reverse v6", 2, svr_md_build_reverse, true);
	add_built("control", 3, svr_md_build_control, false);
	n = raw_block(built[4], sizeof(built[4]), fill_all);
	if (n)
		add_block("all TLVs", built[4], n);
}

static bool must_reject(const struct block *bl, const u8 *p, size_t len,
			const char *what, size_t at)
{
	if (parse_tmp(p, len) != SVR_MD_ERR_OK)
		return true;
	ksft_print_msg("%s: %s at offset %zu accepted\n", bl->name, what, at);
	failed = true;
	return false;
}

/* Add delta to the big-endian u16 at off (mask: 0x0fff for HL). */
static void bump16(u8 *p, size_t off, int delta, unsigned int mask)
{
	unsigned int v = p[off] << 8 | p[off + 1];

	v = (v & ~mask) | ((v + delta) & mask);
	p[off] = v >> 8;
	p[off + 1] = v & 0xff;
}

static void mutate(const struct block *bl, size_t off, unsigned int mask,
		   const char *what)
{
	u8 *p = malloc(bl->len);
	int d;

	if (!p)
		ksft_exit_fail_msg("out of memory\n");
	for (d = -1; d <= 1; d += 2) {
		memcpy(p, bl->p, bl->len);
		bump16(p, off, d, mask);
		must_reject(bl, p, bl->len, what, off);
	}
	free(p);
}

static void t_hl_off(void)
{
	unsigned int i;

	collect_blocks();
	CHECK(n_blocks >= 11);
	for (i = 0; i < n_blocks; i++)
		mutate(&blocks[i], 8, 0x0fff, "HL +-1");
}

static void t_pl_off(void)
{
	unsigned int i;

	collect_blocks();
	for (i = 0; i < n_blocks; i++)
		mutate(&blocks[i], 10, 0xffff, "PL +-1");
}

static void tlv_off_section(const struct block *bl, size_t start, size_t len,
			    unsigned int *count)
{
	size_t off = 0, at;
	const u8 *v;
	u16 type, vlen;

	for (;;) {
		at = off;
		if (svr_md_tlv_next(bl->p + start, len, &off, &type, &v,
				    &vlen) != 1)
			break;
		mutate(bl, start + at + 2, 0xffff, "TLV length +-1");
		(*count)++;
	}
}

static void t_tlv_off(void)
{
	unsigned int i, count = 0;
	struct svr_md md;

	collect_blocks();
	for (i = 0; i < n_blocks; i++) {
		const struct block *bl = &blocks[i];

		svr_md_parse_header(bl->p, bl->len, &md);
		tlv_off_section(bl, 12, md.hdr.hl - 12, &count);
		tlv_off_section(bl, md.hdr.hl, md.hdr.pl, &count);
	}
	ksft_print_msg("%u TLV length fields, each +1 and -1\n", count);
	CHECK(count > 60);
}

static void t_trunc(void)
{
	unsigned int i, count = 0;
	size_t k;

	collect_blocks();
	for (i = 0; i < n_blocks; i++) {
		const struct block *bl = &blocks[i];

		for (k = 0; k < bl->md_len; k++, count++)
			must_reject(bl, bl->p, k, "truncation", k);
		/* and the first byte past the metadata block is fine */
		CHECK(parse_tmp(bl->p, bl->md_len) == SVR_MD_ERR_OK);
	}
	ksft_print_msg("%u truncated inputs\n", count);
}

static void t_all_hit(void)
{
	enum svr_md_err e;

	for (e = SVR_MD_ERR_NO_COOKIE; e < SVR_MD_ERR_MAX; e++) {
		if (!hits[e]) {
			ksft_print_msg("never returned: %s\n",
				       svr_md_err_name(e));
			failed = true;
		}
	}
}

/* PKCS#7 and the encrypted user payload framing (security.md, TLV 11). */
static void t_payload_framing(void)
{
	u8 b[48], p[64];
	unsigned int n;
	u32 id = 0;

	for (n = 1; n <= 16; n++) {
		memset(b, 0xee, sizeof(b));
		memset(b + 32 - n, n, n);
		CHECK(svr_pkcs7_unpad(b, 32) == (int)n);
		b[32 - n] ^= 1;			/* the first pad byte wrong */
		CHECK(svr_pkcs7_unpad(b, 32) == -1);
	}
	memset(b, 0, sizeof(b));
	CHECK(svr_pkcs7_unpad(b, 16) == -1);	/* pad 0 */
	b[15] = 17;
	CHECK(svr_pkcs7_unpad(b, 16) == -1);	/* pad > block */
	memset(b, 16, 16);
	CHECK(svr_pkcs7_unpad(b, 16) == 16);	/* a whole pad block */
	CHECK(svr_pkcs7_unpad(b, 15) == -1);	/* not whole blocks */
	CHECK(svr_pkcs7_unpad(b, 0) == -1);

	CHECK(svr_payload_sealed_len(0) == 0);	/* empty stays empty */
	CHECK(svr_payload_sealed_len(1) == 36);
	CHECK(svr_payload_sealed_len(15) == 36);
	CHECK(svr_payload_sealed_len(16) == 52);
	CHECK(svr_payload_sealed_len(1400) == 20 + 1408);
	for (n = 1; n <= 1500; n++)
		CHECK(svr_payload_sealed_len(n) - n >= 21 &&
		      svr_payload_sealed_len(n) - n <= SVR_PAYLOAD_GROWTH_MAX);

	memset(p, 0, sizeof(p));
	p[0] = 0x12, p[1] = 0x34, p[2] = 0x56, p[3] = 0x78;
	CHECK(svr_payload_split(p, 36, &id) && id == 0x12345678);
	CHECK(svr_payload_split(p, 52, &id));
	CHECK(!svr_payload_split(p, 35, &id));	/* no whole block */
	CHECK(!svr_payload_split(p, 20, &id));	/* key id + IV only */
	CHECK(!svr_payload_split(p, 44, &id));	/* half a block more */
	CHECK(!svr_payload_split(p, 4, &id));
}

static const struct test {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "vectors: svr-vectors.pcap has 9 UDP frames", t_vec_load },
	{ "vector 1: forward metadata decoded, rebuilt byte for byte", t_vec1 },
	{ "vector 2: plain packet, no metadata", t_vec2 },
	{ "vector 3: reverse metadata, disable-fwd-metadata", t_vec3 },
	{ "vector 4: IPv6 context, flags 11 12, NAT address", t_vec4 },
	{ "vector 5: false-positive marker, 12 bytes stripped", t_vec5 },
	{ "vector 6: payload length beyond packet rejected", t_vec6 },
	{ "vector 7: opaque payload section, not walked, untrusted", t_vec7 },
	{ "vector 8: control message, rebuilt byte for byte", t_vec8 },
	{ "vector 9: multicast TLVs raw, unknown 99 skipped", t_vec9 },
	{ "decode: text output on the vectors", t_decode_text },
	{ "decode: JSON output on the vectors", t_decode_json },
	{ "decode: exit codes (usage, unreadable, not a pcap)", t_decode_exit },
	{ "roundtrip: every TLV type alone", t_rt_each },
	{ "roundtrip: every TLV in one block, IPv4 and IPv6", t_rt_all },
	{ "roundtrip: IPv4 forward set", t_rt_fwd4 },
	{ "roundtrip: IPv6 forward set", t_rt_fwd6 },
	{ "roundtrip: forward set, global tenant, optional TLVs", t_rt_fwd_opt },
	{ "roundtrip: reverse sets, IPv4 and IPv6", t_rt_rev },
	{ "roundtrip: control messages", t_rt_control },
	{ "roundtrip: false-positive marker", t_rt_marker },
	{ "builder: -ENOSPC, -EMSGSIZE, -EINVAL", t_build_errors },
	{ "builder: encryption seam, sealed payload section", t_seal },
	{ "payload: PKCS#7 check, sealed length, key id framing", t_payload_framing },
	{ "parser: unknown skipped, first wins, trailing NUL", t_rules },
	{ "reject: one input per error value", t_reject_table },
	{ "malformed: header length off by one", t_hl_off },
	{ "malformed: payload length off by one", t_pl_off },
	{ "malformed: every TLV length off by one", t_tlv_off },
	{ "malformed: truncation at every byte", t_trunc },
	{ "reject: every error value returned at least once", t_all_hit },
};

static void summary_line(void)
{
	printf("%d passed, %d failed", ksft_get_pass_cnt(),
	       ksft_get_fail_cnt());
	if (ksft_get_xskip_cnt())
		printf(", %d skipped", ksft_get_xskip_cnt());
	printf("\n");
}

int main(void)
{
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(tests));
	atexit(summary_line);	/* after ksft's "# Totals" line */
	vec_ok = !vec_load(&vec, vec_err, sizeof(vec_err));
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		failed = false;
		tests[i].fn();
		scratch_free();
		if (failed)
			ksft_test_result_fail("%s\n", tests[i].name);
		else
			ksft_test_result_pass("%s\n", tests[i].name);
	}
	vec_free(&vec);
	ksft_finished();
	return 0;
}
