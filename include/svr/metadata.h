/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SVR metadata wire format: constants, the decoded structure, the parser
 * and the builder. One implementation (kernel/metadata.c) serves svr.ko,
 * svrctl and the unit tests and fuzzers; it works on plain byte buffers,
 * never allocates, and checks every read against the end of the buffer.
 * Documentation/wire-format.md describes the format and svr's choices.
 */
#ifndef _SVR_METADATA_H
#define _SVR_METADATA_H

#include <svr/compat.h>

/* The 8 cookie bytes, 4C 48 DB C6 DD F6 67 0C, read as a big-endian u64. */
#define SVR_MD_COOKIE	0x4C48DBC6DDF6670CULL

enum svr_md_const {
	SVR_MD_COOKIE_LEN	= 8,
	SVR_MD_VERSION		= 1,
	SVR_MD_HDR_LEN		= 12,	/* cookie + version/HL + PL */
	SVR_MD_HL_MAX		= 0xfff,	/* 12-bit header length */
	SVR_MD_PL_MAX		= 0xffff,
	SVR_MD_TLV_HDR_LEN	= 4,	/* type u16 + length u16 */
	SVR_MD_NAME_MAX		= 64,
	SVR_MD_UUID_LEN		= 16,
	SVR_MD_IV_LEN		= 16,	/* encrypted payload section, svr §16 */
	SVR_MD_AES_BLOCK	= 16,
};

/*
 * The encrypted user payload of a session flagged with TLV 11 (svr §16,
 * Documentation/wire-format.md §8): in place of the L4 payload, the clear
 * key id (u32 big-endian), a 16-byte IV and the AES-CBC ciphertext of the
 * payload with PKCS#7 padding. An empty payload stays empty.
 */
enum svr_payload_const {
	SVR_PAYLOAD_KEYID_LEN	= 4,
	SVR_PAYLOAD_HDR_LEN	= 20,	/* key id + IV */
	SVR_PAYLOAD_MIN_LEN	= 36,	/* key id + IV + one block */
	SVR_PAYLOAD_GROWTH_MAX	= 36,	/* key id + IV + a whole pad block */
};

/* TLV types (svr-protocol.md §4.2). */
enum svr_tlv_type {
	SVR_TLV_FRAGMENT		= 1,	/* H, 10 */
	SVR_TLV_FWD_CTX4		= 2,	/* P, 13 */
	SVR_TLV_FWD_CTX6		= 3,	/* P, 37 */
	SVR_TLV_REV_CTX4		= 4,	/* P, 13 */
	SVR_TLV_REV_CTX6		= 5,	/* P, 37 */
	SVR_TLV_UUID			= 6,	/* P, 16 */
	SVR_TLV_TENANT			= 7,	/* P, name */
	SVR_TLV_GIID			= 8,	/* H or P, 4 */
	SVR_TLV_SERVICE			= 10,	/* P, name */
	SVR_TLV_SESSION_ENCRYPTED	= 11,	/* P, flag */
	SVR_TLV_TCP_SYN			= 12,	/* P, flag */
	SVR_TLV_NUM_SESSIONS		= 13,	/* H or P, 8 */
	SVR_TLV_ROUTER			= 14,	/* P, name */
	SVR_TLV_SEC_POLICY		= 15,	/* H or P, name */
	SVR_TLV_SECURITY_ID		= 16,	/* H, 4 */
	SVR_TLV_DEST_ROUTER		= 17,	/* H or P, name */
	SVR_TLV_DISABLE_FWD_MD		= 18,	/* P, flag */
	SVR_TLV_PATH			= 19,	/* P, name */
	SVR_TLV_ICMP_LOC4		= 20,	/* H, 4 */
	SVR_TLV_ICMP_LOC6		= 21,	/* H or P, 16 */
	SVR_TLV_CONTROL			= 24,	/* H, 1 */
	SVR_TLV_NAT_ADDR4		= 25,	/* P, 4 */
	SVR_TLV_PATH_METRICS		= 26,	/* H, 10 */
	SVR_TLV_MODIFY			= 28,	/* H or P, >= 2 */
	SVR_TLV_APP			= 35,	/* P, name */
	SVR_TLV_REMAINING_TIME		= 42,	/* P, 4 */
	SVR_TLV_HEALTH_CHECK		= 46,	/* H or P, 1 */
	SVR_TLV_SECURITY_KEY		= 46,	/* H or P, >= 2 (never 1) */
	SVR_TLV_MCAST_CTX		= 50,	/* P, 11 or 35, kept raw */
	SVR_TLV_MCAST_EGRESS		= 51,	/* P, >= 2, kept raw */
	SVR_TLV_MAX			= 51,
};

/*
 * Bits of struct svr_md.present: bit N is TLV type N, except that type 46
 * sets SVR_TLV_HEALTH_CHECK when 1 byte long and SVR_MD_BIT_SECURITY_KEY
 * otherwise.
 */
enum svr_md_bit {
	SVR_MD_BIT_SECURITY_KEY	= 63,
};

/* Control message codes (TLV 24, §4.6). */
enum svr_ctrl_code {
	SVR_CTRL_UNKNOWN		= 0,
	SVR_CTRL_KEEPALIVE		= 1,
	SVR_CTRL_ENABLE_MD		= 2,
	SVR_CTRL_DISABLE_MD		= 3,
	SVR_CTRL_DELETE_SESSION		= 6,
	SVR_CTRL_HEALTH_STATE_EXISTS	= 8,
};

/* Session health check values (TLV 46, 1 byte). */
enum svr_health_check {
	SVR_HC_REQUEST		= 1,
	SVR_HC_REQUEST_TIMEOUT	= 2,
};

/* Bits of the fragment flags/offset u16 (TLV 1, §4.3). */
enum svr_frag_bits {
	SVR_FRAG_DF		= 0x4000,
	SVR_FRAG_MF		= 0x2000,
	SVR_FRAG_OFFSET_MASK	= 0x1fff,
};

/* Fields of the path metrics words (TLV 26, §4.5). */
enum svr_metrics_bits {
	SVR_METRICS_COLOUR_SHIFT	= 28,
	SVR_METRICS_TIME_MASK		= 0x0fffffff,
	SVR_METRICS_DROP		= 0x8000,
	SVR_METRICS_COUNT_MASK		= 0x7fff,
};

/* Fields of the modify request u16 (TLV 28, §4.7). */
enum svr_modify_bits {
	SVR_MODIFY_F		= 0x8000,
	SVR_MODIFY_D		= 0x4000,
	SVR_MODIFY_SEQ_MASK	= 0x0fff,
};

/*
 * Every distinct rejection, FN(enum suffix, drop counter name). The kernel
 * turns each one into a drop counter; SVR_MD_ERR_OK is 0.
 */
#define SVR_MD_ERRORS(FN)						\
	FN(OK,			"ok")					\
	FN(NO_COOKIE,		"md_no_cookie")				\
	FN(TOO_SHORT,		"md_too_short")				\
	FN(BAD_VERSION,		"md_bad_version")			\
	FN(HDR_LEN_SHORT,	"md_hdr_len_short")			\
	FN(HDR_LEN_OVERRUN,	"md_hdr_len_overrun")			\
	FN(PAYLOAD_LEN_OVERRUN,	"md_payload_len_overrun")		\
	FN(HDR_TLV_TRUNC,	"md_hdr_tlv_truncated")			\
	FN(HDR_TLV_FILL,	"md_hdr_tlv_fill")			\
	FN(PAYLOAD_TLV_TRUNC,	"md_payload_tlv_truncated")		\
	FN(PAYLOAD_TLV_FILL,	"md_payload_tlv_fill")			\
	FN(TLV_BAD_LEN,		"md_tlv_bad_len")			\
	FN(TLV_WRONG_SECTION,	"md_tlv_wrong_section")			\
	FN(NAME_LEN,		"md_name_len")				\
	FN(NAME_CHARS,		"md_name_chars")			\
	FN(CIPHER_LEN,		"md_cipher_len")			\
	FN(OPAQUE,		"md_opaque")

#define SVR_MD_ERR_ENUM(e, s)	SVR_MD_ERR_##e,
enum svr_md_err {
	SVR_MD_ERRORS(SVR_MD_ERR_ENUM)
	SVR_MD_ERR_MAX
};

#undef SVR_MD_ERR_ENUM

enum svr_md_family {
	SVR_MD_AF_NONE	= 0,
	SVR_MD_AF_INET	= 4,
	SVR_MD_AF_INET6	= 6,
};

/* Where a TLV lives: the clear header or the (maybe encrypted) payload. */
enum svr_md_section {
	SVR_MD_SEC_HEADER,
	SVR_MD_SEC_PAYLOAD,
};

/* What the caller must do with a payload section, see svr_md_payload_mode(). */
enum svr_md_payload_mode {
	SVR_MD_PAYLOAD_CLEAR,	/* walk it with svr_md_parse_payload() */
	SVR_MD_PAYLOAD_DECRYPT,	/* decrypt with the key, then walk */
	SVR_MD_PAYLOAD_OPAQUE,	/* no key and not clear TLVs: untrusted */
};

/* Bytes inside the parsed buffer (or, when building, the caller's bytes). */
struct svr_md_bytes {
	const u8	*ptr;
	u16		len;
};

/* A forward or reverse 5-tuple (TLVs 2-5); IPv4 uses the first 4 bytes. */
struct svr_md_ctx {
	u8	family;		/* enum svr_md_family */
	u8	proto;
	u16	sport;
	u16	dport;
	u8	saddr[16];
	u8	daddr[16];
};

struct svr_md_frag {
	u32	ext_id;
	u16	ip_id;
	u16	flags_off;	/* enum svr_frag_bits */
	u16	largest;
};

struct svr_md_metrics {
	u32	tx;		/* colour << 28 | time (ms) */
	u32	rx;
	u16	drop_count;	/* enum svr_metrics_bits */
};

struct svr_md_hdr {
	u8	version;
	u16	hl;		/* from the first cookie byte to the payload TLVs */
	u16	pl;		/* payload section, maybe IV + ciphertext */
};

/*
 * The decoded metadata. Names and raw values point into the buffer that was
 * parsed (for the payload section: the decrypted copy) and are not
 * NUL-terminated. A field is meaningful only when its bit is set in present.
 */
struct svr_md {
	struct svr_md_hdr	hdr;
	const u8		*payload;	/* payload section in the packet */
	u64			present;	/* BIT_ULL(type), enum svr_md_bit */
	u16			n_unknown;	/* unknown TLVs skipped */
	u32			security_id;
	u32			giid;
	u32			remaining_time;
	u64			n_sessions;
	u8			control;	/* enum svr_ctrl_code */
	u8			health_check;	/* enum svr_health_check */
	u16			modify;		/* first u16, enum svr_modify_bits */
	struct svr_md_frag	frag;
	struct svr_md_metrics	metrics;
	struct svr_md_ctx	fwd;
	struct svr_md_ctx	rev;
	u8			uuid[SVR_MD_UUID_LEN];
	u8			icmp_loc4[4];
	u8			icmp_loc6[16];
	u8			nat_addr4[4];
	struct svr_md_bytes	tenant;
	struct svr_md_bytes	service;
	struct svr_md_bytes	router;
	struct svr_md_bytes	sec_policy;
	struct svr_md_bytes	dest_router;
	struct svr_md_bytes	path;
	struct svr_md_bytes	app;
	struct svr_md_bytes	modify_raw;	/* whole TLV 28 value */
	struct svr_md_bytes	security_key;	/* TLV 46, >= 2 bytes */
	struct svr_md_bytes	mcast_ctx;	/* TLV 50, raw */
	struct svr_md_bytes	mcast_egress;	/* TLV 51, raw */
};

static inline bool svr_md_has(const struct svr_md *md, unsigned int bit)
{
	return bit < 64 && (md->present & BIT_ULL(bit));
}

const char *svr_md_err_name(enum svr_md_err err);
const char *svr_md_strerror(enum svr_md_err err);

/* Parser. Each returns SVR_MD_ERR_OK or the reason for rejection. */
bool svr_md_has_cookie(const u8 *buf, size_t len);
bool svr_md_is_marker(const u8 *buf, size_t len);
enum svr_md_err svr_md_parse_header(const u8 *buf, size_t len,
				    struct svr_md *md);
enum svr_md_err svr_md_parse_payload(const u8 *p, size_t plen,
				     struct svr_md *md);
enum svr_md_err svr_md_parse(const u8 *buf, size_t len, struct svr_md *md);
bool svr_md_payload_walks(const u8 *p, size_t plen);
enum svr_md_payload_mode svr_md_payload_mode(const struct svr_md *md,
					     bool have_key);
enum svr_md_err svr_md_check_cipher_len(size_t pl);
int svr_pkcs7_unpad(const u8 *buf, size_t len);
size_t svr_payload_sealed_len(size_t plain_len);
bool svr_payload_split(const u8 *buf, size_t len, u32 *key_id);
bool svr_md_tlv_known(unsigned int type);
int svr_md_tlv_next(const u8 *p, size_t len, size_t *off, u16 *type,
		    const u8 **val, u16 *vlen);

/*
 * Builder. Header TLVs and payload TLVs may be added in any order; the
 * payload TLVs always follow the header TLVs in the buffer. Errors are
 * sticky: the first one is returned again by svr_md_build_finish().
 */
struct svr_md_builder {
	u8	*buf;
	size_t	cap;
	size_t	hl;	/* 12 + header TLVs */
	size_t	pl;	/* payload TLVs (plaintext) */
	int	err;	/* 0 or negative errno */
};

void svr_md_build_init(struct svr_md_builder *b, u8 *buf, size_t cap);
int svr_md_put_raw(struct svr_md_builder *b, enum svr_md_section sec,
		   u16 type, const void *val, u16 len);
int svr_md_put(struct svr_md_builder *b, const struct svr_md *md,
	       unsigned int bit);
int svr_md_build_forward(struct svr_md_builder *b, const struct svr_md *md);
int svr_md_build_reverse(struct svr_md_builder *b, const struct svr_md *md);
int svr_md_build_control(struct svr_md_builder *b, const struct svr_md *md);
int svr_md_build_finish(struct svr_md_builder *b);
int svr_md_build_marker(u8 *buf, size_t cap);

/* Encryption seam: the plaintext payload TLVs, then the sealed length. */
u8 *svr_md_build_payload(struct svr_md_builder *b, size_t *len);
int svr_md_build_finish_sealed(struct svr_md_builder *b, size_t sealed_len);

#endif /* _SVR_METADATA_H */
