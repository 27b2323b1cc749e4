// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the receive path of a packet from a peer with a
 * security policy, with fixed test keys (Documentation/security.md): HMAC
 * trailer framing and verification, the metadata header, the key id, the
 * sealed section's length, decryption, PKCS#7 padding, the decrypted TLVs,
 * then TLV 11 and the encrypted user payload (key id, IV, blocks, padding).
 *
 * The order and every check on the bytes are svr.ko's (kernel/vector.c:
 * hmac_check, md_peek, payload_open); the byte-level parts are the shared
 * code of kernel/metadata.c itself. Only the primitives differ: AES-CBC and
 * HMAC come from OpenSSL's libcrypto here and from the kernel crypto API in
 * svr.ko (the in-VM tests check that both agree on the wire).
 *
 * Input: a selector byte, a flags byte, then the L4 payload. The selector
 * chooses the policy (cipher, hmac, mode) and how much the harness does for
 * the fuzzer: nothing (raw bytes, the HMAC almost never verifies), sign
 * (the harness appends a valid trailer), or seal (the input is taken as
 * clear metadata + user payload; the harness adds TLV 16, encrypts the
 * metadata payload section and, for a TLV 11 session, the user payload,
 * then signs). Sealed with valid padding, what the receive path opens must
 * be exactly what went in: a known-answer round trip on every input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <svr/metadata.h>

enum {
	TEST_KEY_ID	= 7,
	TEST_SLOT	= 0x12345678,
	MAX_IN		= 8192,
	BUF		= MAX_IN * 2 + 256,
};

static const u8 cipher_key[32] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
static const u8 hmac_key[32] = {
	[0 ... 31] = 0x4b,
};

struct pol {
	unsigned int	key_len;	/* 0: cipher none, 16, 32 */
	unsigned int	hmac;		/* 0 none, 1 sha1, 2 sha256, 3 sha256-128 */
	bool		time_based;
	bool		payload;	/* the session's service encrypts */
};

static unsigned int tag_len(const struct pol *p)
{
	static const unsigned int len[] = { 0, 20, 32, 16 };

	return len[p->hmac];
}

static void mac(const struct pol *p, const u8 *data, size_t len, u8 *out)
{
	static u8 in[BUF + 8];
	u8 full[EVP_MAX_MD_SIZE];
	unsigned int flen = 0, i;
	size_t n = 0;

	if (p->time_based) {
		for (i = 0; i < 8; i++)
			in[n++] = (u8)((u64)TEST_SLOT >> (56 - 8 * i));
	}
	memcpy(in + n, data, len);
	n += len;
	if (!HMAC(p->hmac == 1 ? EVP_sha1() : EVP_sha256(), hmac_key,
		  sizeof(hmac_key), in, n, full, &flen))
		abort();
	memcpy(out, full, tag_len(p));
}

/* AES-CBC without padding on whole blocks, in place. */
static void cbc(const struct pol *p, bool enc, const u8 *iv, u8 *buf,
		size_t len)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, m = 0;

	if (!c || !EVP_CipherInit_ex(c, p->key_len == 16 ? EVP_aes_128_cbc() :
				     EVP_aes_256_cbc(), NULL, cipher_key, iv,
				     enc) ||
	    !EVP_CIPHER_CTX_set_padding(c, 0) ||
	    !EVP_CipherUpdate(c, buf, &n, buf, (int)len) ||
	    !EVP_CipherFinal_ex(c, buf + n, &m) || (size_t)(n + m) != len)
		abort();
	EVP_CIPHER_CTX_free(c);
}

/* What the receive path gives back. */
struct opened {
	bool		md;		/* metadata accepted */
	const u8	*md_plain;	/* decrypted payload TLVs */
	size_t		md_plain_len;
	const u8	*user;		/* the user payload, opened */
	size_t		user_len;
};

/*
 * The receive path on @pkt (modified in place). Returns 0 when the packet
 * is accepted, else the stage that refused it.
 */
static int open_packet(const struct pol *p, u8 *pkt, size_t len,
		       struct opened *o)
{
	unsigned int tlen = tag_len(p);
	size_t off = 0, ctlen;
	struct svr_md md;
	bool enc = p->payload;
	int pad;
	u32 id;
	u8 tag[32];

	memset(o, 0, sizeof(*o));
	/* hmac_check: the trailer first, nothing believed before it. */
	if (len < tlen)
		return 1;
	len -= tlen;
	if (tlen) {
		mac(p, pkt, len, tag);
		if (CRYPTO_memcmp(tag, pkt + len, tlen))
			return 2;
	}
	/* md_peek */
	if (svr_md_has_cookie(pkt, len)) {
		if (svr_md_parse_header(pkt, len, &md) != SVR_MD_ERR_OK)
			return 3;
		if (svr_md_has(&md, SVR_TLV_SECURITY_ID) &&
		    md.security_id != TEST_KEY_ID)
			return 4;	/* drop_sec_unknown_key */
		if (svr_md_has(&md, SVR_TLV_SECURITY_ID) && p->key_len) {
			u8 *iv = pkt + md.hdr.hl, *ct = iv + SVR_MD_IV_LEN;

			if (svr_md_check_cipher_len(md.hdr.pl) != SVR_MD_ERR_OK)
				return 5;
			ctlen = md.hdr.pl - SVR_MD_IV_LEN;
			cbc(p, false, iv, ct, ctlen);
			pad = svr_pkcs7_unpad(ct, ctlen);
			if (pad < 0)
				return 6;	/* drop_md_decrypt */
			if (svr_md_parse_payload(ct, ctlen - pad, &md) !=
			    SVR_MD_ERR_OK)
				return 7;
			o->md_plain = ct;
			o->md_plain_len = ctlen - pad;
		} else if (svr_md_parse(pkt, len, &md) != SVR_MD_ERR_OK) {
			return 7;
		}
		/* sec_match: a peer with a policy always names its key. */
		if ((p->key_len || p->hmac) &&
		    !svr_md_has(&md, SVR_TLV_SECURITY_ID))
			return 8;	/* drop_sec_missing */
		off = md.hdr.hl + md.hdr.pl;
		o->md = md.hdr.hl + md.hdr.pl > SVR_MD_HDR_LEN;
		/* A first packet says whether the session is encrypted. */
		if (o->md && (md.fwd.family || md.rev.family) &&
		    !svr_md_has(&md, SVR_TLV_REV_CTX4) &&
		    !svr_md_has(&md, SVR_TLV_REV_CTX6) &&
		    svr_md_has(&md, SVR_TLV_SESSION_ENCRYPTED) != p->payload)
			return 9;	/* drop_payload_mismatch */
	}
	o->user = pkt + off;
	o->user_len = len - off;
	/* payload_open */
	if (!enc || !o->user_len)
		return 0;
	if (!svr_payload_split(pkt + off, len - off, &id))
		return 10;		/* drop_payload_malformed */
	if (id != TEST_KEY_ID + 1)
		return 11;		/* drop_payload_unknown_key */
	ctlen = len - off - SVR_PAYLOAD_HDR_LEN;
	cbc(p, false, pkt + off + SVR_PAYLOAD_KEYID_LEN,
	    pkt + off + SVR_PAYLOAD_HDR_LEN, ctlen);
	pad = svr_pkcs7_unpad(pkt + off + SVR_PAYLOAD_HDR_LEN, ctlen);
	if (pad < 0)
		return 12;		/* drop_payload_decrypt */
	o->user = pkt + off + SVR_PAYLOAD_HDR_LEN;
	o->user_len = ctlen - pad;
	return 0;
}

/* Pad @len bytes at @buf to whole blocks; PKCS#7 or, when !@valid, as is. */
static size_t pad_to_blocks(u8 *buf, size_t len, bool valid, u8 fill)
{
	size_t n = SVR_MD_AES_BLOCK - len % SVR_MD_AES_BLOCK;

	memset(buf + len, valid ? (u8)n : fill, n);
	return len + n;
}

struct built {
	size_t		len;
	bool		md_exact;	/* opening must give back md_plain */
	const u8	*md_plain;
	size_t		md_plain_len;
	bool		user_exact;	/* opening must give back user */
	const u8	*user;
	size_t		user_len;
};

/*
 * Seal: @in is clear metadata + user payload (or, without a cookie, only a
 * user payload). Writes the protected packet to @out.
 */
static void seal(const struct pol *p, u8 flags, const u8 *in, size_t len,
		 u8 *out, struct built *b)
{
	static u8 plain[BUF], user[BUF];
	size_t hl = 0, pl = 0, n = 0, ulen, plen, sl;
	u8 iv[16];
	bool valid_md = flags & 1, valid_user = flags & 2;

	memset(iv, flags, sizeof(iv));
	memset(b, 0, sizeof(*b));
	if (len >= SVR_MD_HDR_LEN && svr_md_has_cookie(in, len)) {
		hl = ((size_t)in[8] << 8 | in[9]) & SVR_MD_HL_MAX;
		pl = (size_t)in[10] << 8 | in[11];
		if (hl < SVR_MD_HDR_LEN || hl > len || pl > len - hl)
			hl = pl = 0;	/* not metadata the harness can seal */
	}
	if (hl) {
		/* Header with TLV 16 first, then the given header TLVs. */
		memcpy(out, in, SVR_MD_HDR_LEN);
		n = SVR_MD_HDR_LEN;
		if (flags & 4) {
			const u8 t16[8] = { 0, 16, 0, 4, 0, 0, 0, TEST_KEY_ID };

			memcpy(out + n, t16, sizeof(t16));
			n += sizeof(t16);
		}
		memcpy(out + n, in + SVR_MD_HDR_LEN, hl - SVR_MD_HDR_LEN);
		n += hl - SVR_MD_HDR_LEN;
		/* The payload TLVs, with TLV 11 for an encrypted session. */
		memcpy(plain, in + hl, pl);
		plen = pl;
		if (p->payload && (flags & 8)) {
			const u8 t11[4] = { 0, 11, 0, 0 };

			memcpy(plain + plen, t11, sizeof(t11));
			plen += sizeof(t11);
		}
		if (p->key_len && (flags & 4)) {
			memcpy(out + n, iv, sizeof(iv));
			memcpy(out + n + 16, plain, plen);
			sl = pad_to_blocks(out + n + 16, plen, valid_md,
					   flags);
			b->md_plain = plain;
			b->md_plain_len = plen;
			b->md_exact = valid_md;
			cbc(p, true, iv, out + n + 16, sl);
			sl += 16;
		} else {
			memcpy(out + n, plain, plen);
			sl = plen;
		}
		if (sl > SVR_MD_PL_MAX || n > SVR_MD_HL_MAX) {
			b->len = 0;
			return;
		}
		out[8] = (u8)(SVR_MD_VERSION << 4 | n >> 8);
		out[9] = (u8)n;
		out[10] = (u8)(sl >> 8);
		out[11] = (u8)sl;
		n += sl;
	}
	/* The user payload. */
	ulen = len - hl - pl;
	memcpy(user, in + hl + pl, ulen);
	if (p->payload && ulen) {
		out[n] = 0;
		out[n + 1] = 0;
		out[n + 2] = 0;
		out[n + 3] = TEST_KEY_ID + 1;
		memcpy(out + n + SVR_PAYLOAD_KEYID_LEN, iv, sizeof(iv));
		memcpy(out + n + SVR_PAYLOAD_HDR_LEN, user, ulen);
		sl = pad_to_blocks(out + n + SVR_PAYLOAD_HDR_LEN, ulen,
				   valid_user, flags);
		if (valid_user &&
		    SVR_PAYLOAD_HDR_LEN + sl != svr_payload_sealed_len(ulen))
			abort();
		cbc(p, true, iv, out + n + SVR_PAYLOAD_HDR_LEN, sl);
		n += SVR_PAYLOAD_HDR_LEN + sl;
		b->user_exact = valid_user;
	} else {
		memcpy(out + n, user, ulen);
		n += ulen;
		b->user_exact = true;
	}
	b->user = user;
	b->user_len = ulen;
	b->len = n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 pkt[BUF];
	struct opened o;
	struct built b;
	struct pol p;
	u8 sel, flags;
	size_t len;
	int rc;

	if (size < 2 || size - 2 > MAX_IN)
		return 0;
	sel = data[0];
	flags = data[1];
	data += 2;
	size -= 2;
	p.hmac = sel >> 2 & 3;
	p.time_based = sel & 0x10;
	p.key_len = (sel >> 5 & 3) == 0 ? 0 : (sel >> 5 & 3) == 1 ? 16 : 32;
	p.payload = sel & 0x80;

	memset(&b, 0, sizeof(b));
	switch (sel & 3) {
	case 0:		/* raw */
		memcpy(pkt, data, size);
		len = size;
		break;
	case 1:		/* signed */
		memcpy(pkt, data, size);
		len = size;
		break;
	default:	/* sealed and signed */
		seal(&p, flags, data, size, pkt, &b);
		len = b.len;
		if (!len)
			return 0;
		break;
	}
	if ((sel & 3) && tag_len(&p)) {
		mac(&p, pkt, len, pkt + len);
		len += tag_len(&p);
	}
	rc = open_packet(&p, pkt, len, &o);
	/* A trailer the harness computed always verifies. */
	if ((sel & 3) && (rc == 1 || rc == 2))
		abort();
	if ((sel & 3) < 2 || rc)
		return 0;
	/* Sealed with valid padding: what comes out is what went in. */
	if (b.md_exact && (o.md_plain_len != b.md_plain_len ||
			   memcmp(o.md_plain, b.md_plain, b.md_plain_len)))
		abort();
	if (b.user_exact && (o.user_len != b.user_len ||
			     memcmp(o.user, b.user, b.user_len)))
		abort();
	return 0;
}
