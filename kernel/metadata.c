// SPDX-License-Identifier: GPL-2.0
/*
 * SVR metadata encode/decode: pure functions on byte buffers. No skb, no
 * allocation, no global state; every read is checked against the end of
 * its buffer before it happens. The same file is compiled into svr.ko and,
 * unchanged, into svrctl, the unit tests and the fuzzers.
 */
#include <svr/metadata.h>

enum tlv_kind {
	K_UNKNOWN,
	K_FLAG,
	K_U8,
	K_U32,
	K_U64,
	K_ADDR4,
	K_ADDR6,
	K_CTX4,
	K_CTX6,
	K_UUID,
	K_NAME,
	K_FRAG,
	K_METRICS,
	K_MODIFY,
	K_HC_KEY,
	K_MCAST_CTX,
	K_MCAST_EGRESS,
};

enum tlv_secs {
	SEC_H	= 1 << SVR_MD_SEC_HEADER,
	SEC_P	= 1 << SVR_MD_SEC_PAYLOAD,
	SEC_HP	= SEC_H | SEC_P,
};

enum tlv_len {
	LEN_CTX4	= 13,
	LEN_CTX6	= 37,
	LEN_FRAG	= 10,
	LEN_METRICS	= 10,
	LEN_MCAST4	= 11,
	LEN_MCAST6	= 35,
};

/*
 * secs: sections a receiver accepts the TLV in; home: where svr sends it
 * (svr's choice for the types no source places); len: the fixed value
 * length, or the minimum for variable ones.
 */
struct tlv_desc {
	u8	kind;
	u8	secs;
	u8	home;
	u8	len;
};

#define H	SVR_MD_SEC_HEADER
#define P	SVR_MD_SEC_PAYLOAD
static const struct tlv_desc tlv_descs[SVR_TLV_MAX + 1] = {
	[SVR_TLV_FRAGMENT]		= { K_FRAG,	SEC_H,	H, LEN_FRAG },
	[SVR_TLV_FWD_CTX4]		= { K_CTX4,	SEC_P,	P, LEN_CTX4 },
	[SVR_TLV_FWD_CTX6]		= { K_CTX6,	SEC_P,	P, LEN_CTX6 },
	[SVR_TLV_REV_CTX4]		= { K_CTX4,	SEC_P,	P, LEN_CTX4 },
	[SVR_TLV_REV_CTX6]		= { K_CTX6,	SEC_P,	P, LEN_CTX6 },
	[SVR_TLV_UUID]			= { K_UUID,	SEC_P,	P, 16 },
	[SVR_TLV_TENANT]		= { K_NAME,	SEC_P,	P, 1 },
	[SVR_TLV_GIID]			= { K_U32,	SEC_HP,	H, 4 },
	[SVR_TLV_SERVICE]		= { K_NAME,	SEC_P,	P, 1 },
	[SVR_TLV_SESSION_ENCRYPTED]	= { K_FLAG,	SEC_P,	P, 0 },
	[SVR_TLV_TCP_SYN]		= { K_FLAG,	SEC_P,	P, 0 },
	[SVR_TLV_NUM_SESSIONS]		= { K_U64,	SEC_HP,	P, 8 },
	[SVR_TLV_ROUTER]		= { K_NAME,	SEC_P,	P, 1 },
	[SVR_TLV_SEC_POLICY]		= { K_NAME,	SEC_HP,	P, 1 },
	[SVR_TLV_SECURITY_ID]		= { K_U32,	SEC_H,	H, 4 },
	[SVR_TLV_DEST_ROUTER]		= { K_NAME,	SEC_HP,	P, 1 },
	[SVR_TLV_DISABLE_FWD_MD]	= { K_FLAG,	SEC_P,	P, 0 },
	[SVR_TLV_PATH]			= { K_NAME,	SEC_P,	P, 1 },
	[SVR_TLV_ICMP_LOC4]		= { K_ADDR4,	SEC_H,	H, 4 },
	[SVR_TLV_ICMP_LOC6]		= { K_ADDR6,	SEC_HP,	H, 16 },
	[SVR_TLV_CONTROL]		= { K_U8,	SEC_H,	H, 1 },
	[SVR_TLV_NAT_ADDR4]		= { K_ADDR4,	SEC_P,	P, 4 },
	[SVR_TLV_PATH_METRICS]		= { K_METRICS,	SEC_H,	H, LEN_METRICS },
	[SVR_TLV_MODIFY]		= { K_MODIFY,	SEC_HP,	H, 2 },
	[SVR_TLV_APP]			= { K_NAME,	SEC_P,	P, 1 },
	[SVR_TLV_REMAINING_TIME]	= { K_U32,	SEC_P,	P, 4 },
	[SVR_TLV_HEALTH_CHECK]		= { K_HC_KEY,	SEC_HP,	H, 1 },
	[SVR_TLV_MCAST_CTX]		= { K_MCAST_CTX, SEC_P,	P, LEN_MCAST4 },
	[SVR_TLV_MCAST_EGRESS]		= { K_MCAST_EGRESS, SEC_P, P, 2 },
};

#undef H
#undef P

/* In enum order: SVR_MD_ERRORS generates both. */
#define SVR_MD_ERR_NAME(e, s)	s,
static const char *const err_names[SVR_MD_ERR_MAX] = {
	SVR_MD_ERRORS(SVR_MD_ERR_NAME)
};

#undef SVR_MD_ERR_NAME

static const char *const err_descs[SVR_MD_ERR_MAX] = {
	[SVR_MD_ERR_OK]			= "ok",
	[SVR_MD_ERR_NO_COOKIE]		= "no metadata cookie",
	[SVR_MD_ERR_TOO_SHORT]		= "shorter than the 12-byte header",
	[SVR_MD_ERR_BAD_VERSION]	= "version is not 1",
	[SVR_MD_ERR_HDR_LEN_SHORT]	= "header length below 12",
	[SVR_MD_ERR_HDR_LEN_OVERRUN]	= "header length beyond packet",
	[SVR_MD_ERR_PAYLOAD_LEN_OVERRUN] = "payload length beyond packet",
	[SVR_MD_ERR_HDR_TLV_TRUNC]	= "header TLV runs past header length",
	[SVR_MD_ERR_HDR_TLV_FILL]	= "header TLVs do not fill header length",
	[SVR_MD_ERR_PAYLOAD_TLV_TRUNC]	= "payload TLV runs past payload length",
	[SVR_MD_ERR_PAYLOAD_TLV_FILL]	= "payload TLVs do not fill payload length",
	[SVR_MD_ERR_TLV_BAD_LEN]	= "TLV with a wrong length",
	[SVR_MD_ERR_TLV_WRONG_SECTION]	= "TLV in the wrong section",
	[SVR_MD_ERR_NAME_LEN]		= "name length not 1-64",
	[SVR_MD_ERR_NAME_CHARS]		= "name with control characters",
	[SVR_MD_ERR_CIPHER_LEN]		= "encrypted section not IV + whole AES blocks",
	[SVR_MD_ERR_OPAQUE]		= "opaque payload section, no key",
};

/**
 * svr_md_err_name() - drop counter name of a parse result
 * @err: a value of enum svr_md_err
 */
const char *svr_md_err_name(enum svr_md_err err)
{
	if ((unsigned int)err >= SVR_MD_ERR_MAX)
		return "md_unknown_error";
	return err_names[err];
}

/**
 * svr_md_strerror() - human-readable description of a parse result
 * @err: a value of enum svr_md_err
 */
const char *svr_md_strerror(enum svr_md_err err)
{
	if ((unsigned int)err >= SVR_MD_ERR_MAX)
		return "unknown error";
	return err_descs[err];
}

/* ---- parser ---- */

enum tlv_step {
	STEP_TLV,
	STEP_END,
	STEP_FILL,	/* 1-3 bytes left: no room for a TLV header */
	STEP_TRUNC,	/* the value runs past the end */
};

static enum tlv_step next_tlv(const u8 *p, size_t len, size_t *off,
			      u16 *type, const u8 **val, u16 *vlen)
{
	size_t left = len - *off;

	if (!left)
		return STEP_END;
	if (left < SVR_MD_TLV_HDR_LEN)
		return STEP_FILL;
	*type = get_unaligned_be16(p + *off);
	*vlen = get_unaligned_be16(p + *off + 2);
	if (*vlen > left - SVR_MD_TLV_HDR_LEN)
		return STEP_TRUNC;
	*val = p + *off + SVR_MD_TLV_HDR_LEN;
	*off += SVR_MD_TLV_HDR_LEN + *vlen;
	return STEP_TLV;
}

/**
 * svr_md_tlv_next() - step over one TLV of a section
 * @p: the section
 * @len: its length
 * @off: offset of the next TLV, 0 to start; advanced past the TLV
 * @type: set to the TLV type
 * @val: set to the value
 * @vlen: set to the value length
 *
 * Return: 1 for a TLV, 0 at the exact end, -EBADMSG if the section does
 * not walk as TLVs.
 */
int svr_md_tlv_next(const u8 *p, size_t len, size_t *off, u16 *type,
		    const u8 **val, u16 *vlen)
{
	if (*off > len)
		return -EBADMSG;
	switch (next_tlv(p, len, off, type, val, vlen)) {
	case STEP_TLV:
		return 1;
	case STEP_END:
		return 0;
	default:
		return -EBADMSG;
	}
}

/**
 * svr_md_tlv_known() - does the parser decode this TLV type
 * @type: TLV type
 *
 * Types it does not know are skipped by length.
 */
bool svr_md_tlv_known(unsigned int type)
{
	return type <= SVR_TLV_MAX && tlv_descs[type].kind != K_UNKNOWN;
}

/* A trailing NUL is accepted and not part of the name. */
static u16 name_len(const u8 *v, u16 len)
{
	if (len && !v[len - 1])
		len--;
	return len;
}

static enum svr_md_err check_name(const u8 *v, u16 len)
{
	u16 i;

	if (!len || len > SVR_MD_NAME_MAX)
		return SVR_MD_ERR_NAME_LEN;
	for (i = 0; i < len; i++)
		if (v[i] < 0x20 || v[i] == 0x7f)
			return SVR_MD_ERR_NAME_CHARS;
	return SVR_MD_ERR_OK;
}

static enum svr_md_err check_len(const struct tlv_desc *d, const u8 *v,
				 u16 len)
{
	switch (d->kind) {
	case K_NAME:
		return check_name(v, name_len(v, len));
	case K_MODIFY:
	case K_MCAST_EGRESS:
		return len >= d->len ? SVR_MD_ERR_OK : SVR_MD_ERR_TLV_BAD_LEN;
	case K_HC_KEY:
		return len ? SVR_MD_ERR_OK : SVR_MD_ERR_TLV_BAD_LEN;
	case K_MCAST_CTX:
		if (len == LEN_MCAST4 || len == LEN_MCAST6)
			return SVR_MD_ERR_OK;
		return SVR_MD_ERR_TLV_BAD_LEN;
	default:
		return len == d->len ? SVR_MD_ERR_OK : SVR_MD_ERR_TLV_BAD_LEN;
	}
}

static void store_ctx(struct svr_md_ctx *c, const u8 *v, bool v6)
{
	unsigned int alen = v6 ? 16 : 4;

	if (c->family != SVR_MD_AF_NONE)
		return;	/* the other family came first */
	c->family = v6 ? SVR_MD_AF_INET6 : SVR_MD_AF_INET;
	memcpy(c->saddr, v, alen);
	memcpy(c->daddr, v + alen, alen);
	c->sport = get_unaligned_be16(v + 2 * alen);
	c->dport = get_unaligned_be16(v + 2 * alen + 2);
	c->proto = v[2 * alen + 4];
}

/* Offset of the svr_md_bytes field a TLV fills, 0 if none. */
static size_t bytes_off(unsigned int bit)
{
	switch (bit) {
	case SVR_TLV_TENANT:
		return offsetof(struct svr_md, tenant);
	case SVR_TLV_SERVICE:
		return offsetof(struct svr_md, service);
	case SVR_TLV_ROUTER:
		return offsetof(struct svr_md, router);
	case SVR_TLV_SEC_POLICY:
		return offsetof(struct svr_md, sec_policy);
	case SVR_TLV_DEST_ROUTER:
		return offsetof(struct svr_md, dest_router);
	case SVR_TLV_PATH:
		return offsetof(struct svr_md, path);
	case SVR_TLV_APP:
		return offsetof(struct svr_md, app);
	case SVR_TLV_MODIFY:
		return offsetof(struct svr_md, modify_raw);
	case SVR_MD_BIT_SECURITY_KEY:
		return offsetof(struct svr_md, security_key);
	case SVR_TLV_MCAST_CTX:
		return offsetof(struct svr_md, mcast_ctx);
	case SVR_TLV_MCAST_EGRESS:
		return offsetof(struct svr_md, mcast_egress);
	default:
		return 0;
	}
}

static void store_fixed(struct svr_md *md, unsigned int type, const u8 *v)
{
	switch (type) {
	case SVR_TLV_FRAGMENT:
		md->frag.ext_id = get_unaligned_be32(v);
		md->frag.ip_id = get_unaligned_be16(v + 4);
		md->frag.flags_off = get_unaligned_be16(v + 6);
		md->frag.largest = get_unaligned_be16(v + 8);
		break;
	case SVR_TLV_PATH_METRICS:
		md->metrics.tx = get_unaligned_be32(v);
		md->metrics.rx = get_unaligned_be32(v + 4);
		md->metrics.drop_count = get_unaligned_be16(v + 8);
		break;
	case SVR_TLV_UUID:
		memcpy(md->uuid, v, SVR_MD_UUID_LEN);
		break;
	case SVR_TLV_GIID:
		md->giid = get_unaligned_be32(v);
		break;
	case SVR_TLV_NUM_SESSIONS:
		md->n_sessions = get_unaligned_be64(v);
		break;
	case SVR_TLV_SECURITY_ID:
		md->security_id = get_unaligned_be32(v);
		break;
	case SVR_TLV_REMAINING_TIME:
		md->remaining_time = get_unaligned_be32(v);
		break;
	case SVR_TLV_ICMP_LOC4:
		memcpy(md->icmp_loc4, v, 4);
		break;
	case SVR_TLV_ICMP_LOC6:
		memcpy(md->icmp_loc6, v, 16);
		break;
	case SVR_TLV_NAT_ADDR4:
		memcpy(md->nat_addr4, v, 4);
		break;
	case SVR_TLV_CONTROL:
		md->control = v[0];
		break;
	case SVR_TLV_HEALTH_CHECK:
		md->health_check = v[0];
		break;
	}
}

static void store(struct svr_md *md, unsigned int type, unsigned int bit,
		  const u8 *v, u16 len)
{
	struct svr_md_bytes *b;
	size_t off;

	switch (tlv_descs[type].kind) {
	case K_CTX4:
	case K_CTX6:
		store_ctx(type <= SVR_TLV_FWD_CTX6 ? &md->fwd : &md->rev, v,
			  tlv_descs[type].kind == K_CTX6);
		return;
	case K_NAME:
		len = name_len(v, len);
		break;
	case K_MODIFY:
		md->modify = get_unaligned_be16(v);
		break;
	case K_FLAG:
		return;
	}
	off = bytes_off(bit);
	if (off) {
		b = (struct svr_md_bytes *)((u8 *)md + off);
		b->ptr = v;
		b->len = len;
		return;
	}
	store_fixed(md, type, v);
}

static enum svr_md_err decode_tlv(struct svr_md *md, enum svr_md_section sec,
				  u16 type, const u8 *v, u16 len)
{
	const struct tlv_desc *d;
	enum svr_md_err err;
	unsigned int bit;

	if (type > SVR_TLV_MAX || tlv_descs[type].kind == K_UNKNOWN) {
		if (md->n_unknown < 0xffff)
			md->n_unknown++;
		return SVR_MD_ERR_OK;
	}
	d = &tlv_descs[type];
	if (!(d->secs & (1 << sec)))
		return SVR_MD_ERR_TLV_WRONG_SECTION;
	err = check_len(d, v, len);
	if (err)
		return err;
	bit = type;
	if (d->kind == K_HC_KEY && len != 1)
		bit = SVR_MD_BIT_SECURITY_KEY;
	if (md->present & BIT_ULL(bit))
		return SVR_MD_ERR_OK;	/* the first one wins */
	md->present |= BIT_ULL(bit);
	store(md, type, bit, v, len);
	return SVR_MD_ERR_OK;
}

static enum svr_md_err walk(struct svr_md *md, enum svr_md_section sec,
			    const u8 *p, size_t len)
{
	enum svr_md_err err;
	enum tlv_step step;
	size_t off = 0;
	const u8 *v;
	u16 type, vlen;

	while ((step = next_tlv(p, len, &off, &type, &v, &vlen)) == STEP_TLV) {
		err = decode_tlv(md, sec, type, v, vlen);
		if (err)
			return err;
	}
	if (step == STEP_END)
		return SVR_MD_ERR_OK;
	if (sec == SVR_MD_SEC_HEADER)
		return step == STEP_FILL ? SVR_MD_ERR_HDR_TLV_FILL :
					   SVR_MD_ERR_HDR_TLV_TRUNC;
	return step == STEP_FILL ? SVR_MD_ERR_PAYLOAD_TLV_FILL :
				   SVR_MD_ERR_PAYLOAD_TLV_TRUNC;
}

/**
 * svr_md_has_cookie() - does the L4 payload start with the metadata cookie
 * @buf: the L4 payload
 * @len: its length
 */
bool svr_md_has_cookie(const u8 *buf, size_t len)
{
	return len >= SVR_MD_COOKIE_LEN &&
	       get_unaligned_be64(buf) == SVR_MD_COOKIE;
}

/**
 * svr_md_is_marker() - is this the bare false-positive marker (§3.1)
 * @buf: the L4 payload
 * @len: its length
 *
 * Return: true for a version 1 header with HL 12 and PL 0; the caller
 * strips those 12 bytes and delivers the rest.
 */
bool svr_md_is_marker(const u8 *buf, size_t len)
{
	return svr_md_has_cookie(buf, len) && len >= SVR_MD_HDR_LEN &&
	       get_unaligned_be16(buf + 8) == (SVR_MD_VERSION << 12 |
					       SVR_MD_HDR_LEN) &&
	       get_unaligned_be16(buf + 10) == 0;
}

/**
 * svr_md_parse_header() - check the header and decode the header TLVs
 * @buf: the L4 payload (minus any HMAC trailer)
 * @len: its length
 * @md: zeroed, then filled with the header and the header TLVs
 *
 * On success md->payload and md->hdr.pl describe the payload section, which
 * lies inside @buf. SVR_MD_ERR_NO_COOKIE means "not metadata", not an error
 * of the sender.
 */
enum svr_md_err svr_md_parse_header(const u8 *buf, size_t len,
				    struct svr_md *md)
{
	u16 vhl;

	memset(md, 0, sizeof(*md));
	if (!svr_md_has_cookie(buf, len))
		return SVR_MD_ERR_NO_COOKIE;
	if (len < SVR_MD_HDR_LEN)
		return SVR_MD_ERR_TOO_SHORT;
	vhl = get_unaligned_be16(buf + 8);
	md->hdr.version = vhl >> 12;
	md->hdr.hl = vhl & SVR_MD_HL_MAX;
	md->hdr.pl = get_unaligned_be16(buf + 10);
	if (md->hdr.version != SVR_MD_VERSION)
		return SVR_MD_ERR_BAD_VERSION;
	if (md->hdr.hl < SVR_MD_HDR_LEN)
		return SVR_MD_ERR_HDR_LEN_SHORT;
	if (md->hdr.hl > len)
		return SVR_MD_ERR_HDR_LEN_OVERRUN;
	if (md->hdr.pl > len - md->hdr.hl)
		return SVR_MD_ERR_PAYLOAD_LEN_OVERRUN;
	md->payload = buf + md->hdr.hl;
	return walk(md, SVR_MD_SEC_HEADER, buf + SVR_MD_HDR_LEN,
		    md->hdr.hl - SVR_MD_HDR_LEN);
}

/**
 * svr_md_parse_payload() - decode clear (or already decrypted) payload TLVs
 * @p: the payload TLVs
 * @plen: their length; they must fill it exactly
 * @md: filled in addition to what svr_md_parse_header() put there
 */
enum svr_md_err svr_md_parse_payload(const u8 *p, size_t plen,
				     struct svr_md *md)
{
	return walk(md, SVR_MD_SEC_PAYLOAD, p, plen);
}

/**
 * svr_md_parse() - parse metadata as a receiver without keys does
 * @buf: the L4 payload (minus any HMAC trailer)
 * @len: its length
 * @md: the result
 *
 * The payload section is walked in the clear. If it does not walk as TLVs
 * and the header carries a security id, the section is taken to be
 * encrypted under a key the caller does not have: SVR_MD_ERR_OPAQUE (the
 * header TLVs in @md are valid, nothing else is). Without a security id the
 * framing error itself is returned.
 */
enum svr_md_err svr_md_parse(const u8 *buf, size_t len, struct svr_md *md)
{
	enum svr_md_err err;

	err = svr_md_parse_header(buf, len, md);
	if (err)
		return err;
	if (svr_md_has(md, SVR_TLV_SECURITY_ID) &&
	    svr_md_payload_mode(md, false) == SVR_MD_PAYLOAD_OPAQUE)
		return SVR_MD_ERR_OPAQUE;
	return svr_md_parse_payload(md->payload, md->hdr.pl, md);
}

/**
 * svr_md_payload_walks() - does a section walk as TLVs, filling it exactly
 * @p: the section
 * @plen: its length
 *
 * Only the TLV framing is checked, not the values.
 */
bool svr_md_payload_walks(const u8 *p, size_t plen)
{
	enum tlv_step step;
	size_t off = 0;
	const u8 *v;
	u16 type, vlen;

	do {
		step = next_tlv(p, plen, &off, &type, &v, &vlen);
	} while (step == STEP_TLV);
	return step == STEP_END;
}

/**
 * svr_md_payload_mode() - how to treat the payload section of parsed metadata
 * @md: the result of a successful svr_md_parse_header()
 * @have_key: the caller holds a key for md->security_id and its policy
 *	encrypts metadata
 *
 * Return: SVR_MD_PAYLOAD_DECRYPT when the header has a security id and
 * @have_key; else SVR_MD_PAYLOAD_CLEAR if the section walks as TLVs, and
 * SVR_MD_PAYLOAD_OPAQUE if it does not (never guess: drop or show as
 * untrusted).
 */
enum svr_md_payload_mode svr_md_payload_mode(const struct svr_md *md,
					     bool have_key)
{
	if (have_key && svr_md_has(md, SVR_TLV_SECURITY_ID))
		return SVR_MD_PAYLOAD_DECRYPT;
	if (svr_md_payload_walks(md->payload, md->hdr.pl))
		return SVR_MD_PAYLOAD_CLEAR;
	return SVR_MD_PAYLOAD_OPAQUE;
}

/**
 * svr_md_check_cipher_len() - is PL a valid encrypted section length (§16)
 * @pl: the payload length field
 *
 * An encrypted section is a 16-byte IV and at least one whole AES block.
 */
enum svr_md_err svr_md_check_cipher_len(size_t pl)
{
	if (pl < SVR_MD_IV_LEN + SVR_MD_AES_BLOCK || pl % SVR_MD_AES_BLOCK)
		return SVR_MD_ERR_CIPHER_LEN;
	return SVR_MD_ERR_OK;
}

/**
 * svr_pkcs7_unpad() - check the PKCS#7 padding of a decrypted section
 * @buf: the plaintext, whole AES blocks
 * @len: its length, a non-zero multiple of 16
 *
 * Every padding byte is looked at, without an early exit that depends on
 * the data (the time taken does not tell where the padding went wrong).
 *
 * Return: the padding length (1-16), or -1 when the padding is not valid.
 */
int svr_pkcs7_unpad(const u8 *buf, size_t len)
{
	unsigned int pad, i, bad;

	if (!len || len % SVR_MD_AES_BLOCK)
		return -1;
	pad = buf[len - 1];
	bad = pad == 0 || pad > SVR_MD_AES_BLOCK;
	for (i = 1; i <= SVR_MD_AES_BLOCK; i++)
		bad |= (i <= pad) & (buf[len - i] != pad);
	return bad ? -1 : (int)pad;
}

/**
 * svr_payload_sealed_len() - bytes of an encrypted user payload
 * @plain_len: bytes of the clear L4 payload
 *
 * Return: key id + IV + PKCS#7-padded ciphertext, or 0 for an empty payload
 * (which is sent as it is).
 */
size_t svr_payload_sealed_len(size_t plain_len)
{
	if (!plain_len)
		return 0;
	return SVR_PAYLOAD_HDR_LEN +
	       (plain_len / SVR_MD_AES_BLOCK + 1) * SVR_MD_AES_BLOCK;
}

/**
 * svr_payload_split() - check the framing of an encrypted user payload
 * @buf: the L4 payload as received (metadata and HMAC trailer removed)
 * @len: its length, not 0
 * @key_id: set to the clear key id
 *
 * The ciphertext starts at @buf + SVR_PAYLOAD_HDR_LEN, the IV at @buf + 4.
 *
 * Return: true when @len is key id + IV + at least one whole AES block.
 */
bool svr_payload_split(const u8 *buf, size_t len, u32 *key_id)
{
	if (len < SVR_PAYLOAD_MIN_LEN ||
	    (len - SVR_PAYLOAD_HDR_LEN) % SVR_MD_AES_BLOCK)
		return false;
	*key_id = get_unaligned_be32(buf);
	return true;
}

/* ---- builder ---- */

/**
 * svr_md_build_init() - start building metadata into a buffer
 * @b: the builder
 * @buf: where the metadata goes (header first)
 * @cap: room in @buf
 */
void svr_md_build_init(struct svr_md_builder *b, u8 *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->hl = SVR_MD_HDR_LEN;
	b->pl = 0;
	b->err = cap < SVR_MD_HDR_LEN ? -ENOSPC : 0;
}

static int build_fail(struct svr_md_builder *b, int err)
{
	if (!b->err)
		b->err = err;
	return b->err;
}

/**
 * svr_md_put_raw() - append one TLV to a section, value unchecked
 * @b: the builder
 * @sec: header or payload section
 * @type: TLV type
 * @val: the value (may be NULL when @len is 0)
 * @len: value length
 *
 * Return: 0, -ENOSPC if the buffer is too small, -EMSGSIZE if the header
 * or payload length field would overflow, or an earlier error.
 */
int svr_md_put_raw(struct svr_md_builder *b, enum svr_md_section sec,
		   u16 type, const void *val, u16 len)
{
	size_t need = SVR_MD_TLV_HDR_LEN + (size_t)len;
	u8 *at;

	if (b->err)
		return b->err;
	if (sec == SVR_MD_SEC_HEADER && b->hl + need > SVR_MD_HL_MAX)
		return build_fail(b, -EMSGSIZE);
	if (sec == SVR_MD_SEC_PAYLOAD && b->pl + need > SVR_MD_PL_MAX)
		return build_fail(b, -EMSGSIZE);
	if (b->hl + b->pl + need > b->cap)
		return build_fail(b, -ENOSPC);
	if (sec == SVR_MD_SEC_HEADER) {
		at = b->buf + b->hl;
		memmove(at + need, at, b->pl);
		b->hl += need;
	} else {
		at = b->buf + b->hl + b->pl;
		b->pl += need;
	}
	put_unaligned_be16(type, at);
	put_unaligned_be16(len, at + 2);
	if (len)
		memcpy(at + SVR_MD_TLV_HDR_LEN, val, len);
	return 0;
}

static unsigned int put_ctx(u8 *v, const struct svr_md_ctx *c, bool v6)
{
	unsigned int alen = v6 ? 16 : 4;

	memcpy(v, c->saddr, alen);
	memcpy(v + alen, c->daddr, alen);
	put_unaligned_be16(c->sport, v + 2 * alen);
	put_unaligned_be16(c->dport, v + 2 * alen + 2);
	v[2 * alen + 4] = c->proto;
	return 2 * alen + 5;
}

/* Encode a fixed-size value; returns its length. */
static unsigned int put_fixed(u8 *v, const struct svr_md *md,
			      unsigned int type)
{
	switch (type) {
	case SVR_TLV_FRAGMENT:
		put_unaligned_be32(md->frag.ext_id, v);
		put_unaligned_be16(md->frag.ip_id, v + 4);
		put_unaligned_be16(md->frag.flags_off, v + 6);
		put_unaligned_be16(md->frag.largest, v + 8);
		return LEN_FRAG;
	case SVR_TLV_PATH_METRICS:
		put_unaligned_be32(md->metrics.tx, v);
		put_unaligned_be32(md->metrics.rx, v + 4);
		put_unaligned_be16(md->metrics.drop_count, v + 8);
		return LEN_METRICS;
	case SVR_TLV_UUID:
		memcpy(v, md->uuid, SVR_MD_UUID_LEN);
		return SVR_MD_UUID_LEN;
	case SVR_TLV_GIID:
		put_unaligned_be32(md->giid, v);
		return 4;
	case SVR_TLV_NUM_SESSIONS:
		put_unaligned_be64(md->n_sessions, v);
		return 8;
	case SVR_TLV_SECURITY_ID:
		put_unaligned_be32(md->security_id, v);
		return 4;
	case SVR_TLV_REMAINING_TIME:
		put_unaligned_be32(md->remaining_time, v);
		return 4;
	case SVR_TLV_ICMP_LOC4:
		memcpy(v, md->icmp_loc4, 4);
		return 4;
	case SVR_TLV_ICMP_LOC6:
		memcpy(v, md->icmp_loc6, 16);
		return 16;
	case SVR_TLV_NAT_ADDR4:
		memcpy(v, md->nat_addr4, 4);
		return 4;
	case SVR_TLV_CONTROL:
		v[0] = md->control;
		return 1;
	case SVR_TLV_HEALTH_CHECK:
		v[0] = md->health_check;
		return 1;
	case SVR_TLV_MODIFY:
		put_unaligned_be16(md->modify, v);
		return 2;
	}
	return 0;
}

/* Variable-length values must be what the parser accepts. */
static bool bytes_ok(const struct tlv_desc *d, const struct svr_md_bytes *x)
{
	if (!x->ptr)
		return false;
	switch (d->kind) {
	case K_NAME:
		/* No trailing NUL: the parser would strip it. */
		return check_name(x->ptr, x->len) == SVR_MD_ERR_OK;
	case K_HC_KEY:
		return x->len >= 2;
	default:
		return check_len(d, x->ptr, x->len) == SVR_MD_ERR_OK;
	}
}

/**
 * svr_md_put() - append one TLV taken from a decoded structure
 * @b: the builder
 * @md: the values
 * @bit: a TLV type, or SVR_MD_BIT_SECURITY_KEY for the type 46 key
 *
 * The TLV goes to the section svr sends it in. The value must be one the
 * parser accepts (names 1-64 bytes without control characters or NUL,
 * contexts of the family the type says, raw values of a valid length).
 *
 * Return: 0 or a negative errno (-EINVAL for a bad value or type).
 */
int svr_md_put(struct svr_md_builder *b, const struct svr_md *md,
	       unsigned int bit)
{
	unsigned int type = bit == SVR_MD_BIT_SECURITY_KEY ?
			    SVR_TLV_SECURITY_KEY : bit;
	const struct svr_md_ctx *c;
	const struct tlv_desc *d;
	const struct svr_md_bytes *x;
	u8 v[LEN_CTX6];
	unsigned int len;
	size_t off;

	if (type > SVR_TLV_MAX || tlv_descs[type].kind == K_UNKNOWN)
		return build_fail(b, -EINVAL);
	d = &tlv_descs[type];
	switch (d->kind) {
	case K_FLAG:
		return svr_md_put_raw(b, d->home, type, NULL, 0);
	case K_CTX4:
	case K_CTX6:
		c = type <= SVR_TLV_FWD_CTX6 ? &md->fwd : &md->rev;
		if (c->family != (d->kind == K_CTX6 ? SVR_MD_AF_INET6 :
						      SVR_MD_AF_INET))
			return build_fail(b, -EINVAL);
		len = put_ctx(v, c, d->kind == K_CTX6);
		return svr_md_put_raw(b, d->home, type, v, len);
	}
	off = bytes_off(bit);
	if (off && bit != SVR_TLV_MODIFY) {
		x = (const struct svr_md_bytes *)((const u8 *)md + off);
		if (!bytes_ok(d, x))
			return build_fail(b, -EINVAL);
		return svr_md_put_raw(b, bit == SVR_MD_BIT_SECURITY_KEY ?
				      SVR_MD_SEC_PAYLOAD : d->home,
				      type, x->ptr, x->len);
	}
	len = put_fixed(v, md, type);
	return svr_md_put_raw(b, d->home, type, v, len);
}

static void put_if(struct svr_md_builder *b, const struct svr_md *md,
		   unsigned int bit)
{
	if (svr_md_has(md, bit))
		svr_md_put(b, md, bit);
}

static void put_ctx_tlv(struct svr_md_builder *b, const struct svr_md *md,
			bool fwd)
{
	const struct svr_md_ctx *c = fwd ? &md->fwd : &md->rev;
	unsigned int type = fwd ? SVR_TLV_FWD_CTX4 : SVR_TLV_REV_CTX4;

	if (c->family == SVR_MD_AF_INET6)
		type++;	/* the IPv6 variant follows the IPv4 one */
	svr_md_put(b, md, type);
}

/**
 * svr_md_build_forward() - the forward metadata set of §11
 * @b: the builder
 * @md: values: fwd (IPv4 or IPv6), service, uuid, router, path; tenant
 *	(omitted when empty: the global tenant) and app (omitted when empty);
 *	security id, session-encrypted, TCP SYN and NAT address when their
 *	bits are set in md->present
 *
 * Header: 16. Payload: 2 or 3, 7, 10, 6, 35, 14, 19, 11, 12, 25.
 */
int svr_md_build_forward(struct svr_md_builder *b, const struct svr_md *md)
{
	put_if(b, md, SVR_TLV_SECURITY_ID);
	put_ctx_tlv(b, md, true);
	if (md->tenant.len)
		svr_md_put(b, md, SVR_TLV_TENANT);
	svr_md_put(b, md, SVR_TLV_SERVICE);
	svr_md_put(b, md, SVR_TLV_UUID);
	if (md->app.len)
		svr_md_put(b, md, SVR_TLV_APP);
	svr_md_put(b, md, SVR_TLV_ROUTER);
	svr_md_put(b, md, SVR_TLV_PATH);
	put_if(b, md, SVR_TLV_SESSION_ENCRYPTED);
	put_if(b, md, SVR_TLV_TCP_SYN);
	put_if(b, md, SVR_TLV_NAT_ADDR4);
	return b->err;
}

/**
 * svr_md_build_reverse() - the reverse metadata set of §11
 * @b: the builder
 * @md: values: rev (IPv4 or IPv6); tenant (omitted when empty); security id
 *	when its bit is set
 *
 * Header: 16. Payload: 4 or 5, 7, 18.
 */
int svr_md_build_reverse(struct svr_md_builder *b, const struct svr_md *md)
{
	put_if(b, md, SVR_TLV_SECURITY_ID);
	put_ctx_tlv(b, md, false);
	if (md->tenant.len)
		svr_md_put(b, md, SVR_TLV_TENANT);
	svr_md_put(b, md, SVR_TLV_DISABLE_FWD_MD);
	return b->err;
}

/**
 * svr_md_build_control() - a control message (§4.6)
 * @b: the builder
 * @md: values: control code; security id, ICMP error locations, path
 *	metrics, health check, session UUID, router name and remaining time
 *	when their bits are set
 *
 * Header: 16, 20, 21, 24, 26, 46. Payload: 6, 14, 42.
 */
int svr_md_build_control(struct svr_md_builder *b, const struct svr_md *md)
{
	put_if(b, md, SVR_TLV_SECURITY_ID);
	put_if(b, md, SVR_TLV_ICMP_LOC4);
	put_if(b, md, SVR_TLV_ICMP_LOC6);
	svr_md_put(b, md, SVR_TLV_CONTROL);
	put_if(b, md, SVR_TLV_PATH_METRICS);
	put_if(b, md, SVR_TLV_HEALTH_CHECK);
	put_if(b, md, SVR_TLV_UUID);
	put_if(b, md, SVR_TLV_ROUTER);
	put_if(b, md, SVR_TLV_REMAINING_TIME);
	return b->err;
}

/**
 * svr_md_build_payload() - the plaintext payload TLVs, for encryption
 * @b: the builder
 * @len: set to their length
 *
 * The crypto layer encrypts these bytes, writes IV + ciphertext at the same
 * place (room: b->cap - b->hl) and calls svr_md_build_finish_sealed().
 *
 * Return: the first byte of the payload section, or NULL after an error.
 */
u8 *svr_md_build_payload(struct svr_md_builder *b, size_t *len)
{
	*len = b->pl;
	return b->err ? NULL : b->buf + b->hl;
}

/**
 * svr_md_build_finish() - write the 12-byte header
 * @b: the builder
 *
 * Return: total metadata length (HL + PL) or the first error.
 */
int svr_md_build_finish(struct svr_md_builder *b)
{
	if (b->err)
		return b->err;
	put_unaligned_be64(SVR_MD_COOKIE, b->buf);
	put_unaligned_be16(SVR_MD_VERSION << 12 | b->hl, b->buf + 8);
	put_unaligned_be16(b->pl, b->buf + 10);
	return b->hl + b->pl;
}

/**
 * svr_md_build_finish_sealed() - write the header for an encrypted section
 * @b: the builder
 * @sealed_len: bytes of IV + ciphertext now at the payload section
 *
 * Return: total metadata length or a negative errno.
 */
int svr_md_build_finish_sealed(struct svr_md_builder *b, size_t sealed_len)
{
	if (b->err)
		return b->err;
	if (sealed_len > SVR_MD_PL_MAX)
		return build_fail(b, -EMSGSIZE);
	if (sealed_len > b->cap - b->hl)
		return build_fail(b, -ENOSPC);
	b->pl = sealed_len;
	return svr_md_build_finish(b);
}

/**
 * svr_md_build_marker() - the bare false-positive marker (§3.1)
 * @buf: where it goes
 * @cap: room in @buf
 *
 * Return: 12 or -ENOSPC.
 */
int svr_md_build_marker(u8 *buf, size_t cap)
{
	struct svr_md_builder b;

	svr_md_build_init(&b, buf, cap);
	return svr_md_build_finish(&b);
}
