/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel crypto API for security policies (svr-protocol.md §16,
 * Documentation/security.md): per key, a `cbc(aes)` sync skcipher keyed
 * with the cipher key and `hmac(sha1)` and `hmac(sha256)` shashes keyed
 * with the HMAC key. They are allocated and keyed when the key is added
 * (process context, cfg_lock), never on the packet path, and only read
 * afterwards: the packet path uses them lock-free with requests and
 * descriptors on its stack. They are freed, wiped, with the key after an
 * RCU grace period.
 */
#ifndef _SVR_CRYPTO_H
#define _SVR_CRYPTO_H

#include <linux/types.h>

struct svr_key;
struct svr_security;

enum {
	SVR_HMAC_MAX_LEN	= 32,	/* the longest trailer: sha256 */
	SVR_HMAC_SLOT_SECS	= 2,	/* time-based: slot = seconds / 2 */
};

struct svr_key_crypto {
	struct crypto_sync_skcipher	*aes;		/* NULL: cipher none */
	struct crypto_shash		*sha1;		/* NULL: hmac none */
	struct crypto_shash		*sha256;
};

/* Allocate and key @key's transforms (may sleep). 0 or -errno. */
int svr_crypto_key_init(struct svr_key *key);
/* Free them (any context); the key bytes inside the tfms are wiped. */
void svr_crypto_key_free(struct svr_key *key);
/* Log once per policy which drivers the crypto API picked. */
void svr_crypto_log_drivers(struct svr_security *sec, struct svr_key *key);

/*
 * The key to send with under @sec (rotation, see crypto.c), or NULL when
 * the policy has none. Context: rcu_read_lock().
 */
struct svr_key *svr_sec_send_key(struct svr_security *sec);

/* Trailer length of an enum svr_hmac: 0, 20, 32 or 16. */
unsigned int svr_hmac_len(u8 hmac);

/* The time slot of time-based HMACs, now. */
u64 svr_hmac_slot_now(void);

/*
 * The HMAC trailer of @data (the bytes after the L4 header up to the
 * trailer) under @key with algorithm @hmac; time-based when @slot is not
 * NULL (then the input starts with *@slot, u64 big-endian). @out gets
 * svr_hmac_len(@hmac) bytes. 0 or -errno.
 */
int svr_hmac_compute(const struct svr_key *key, u8 hmac, const u64 *slot,
		     const u8 *data, unsigned int len, u8 *out);
/* Constant time: does @tag match @data under @key (and @slot)? */
bool svr_hmac_verify(const struct svr_key *key, u8 hmac, const u64 *slot,
		     const u8 *data, unsigned int len, const u8 *tag);

/*
 * AES-CBC in place on @len bytes (a multiple of 16) at @buf, which must
 * be addressable by a scatterlist (skb data, not the stack); @iv is 16
 * bytes and is not changed. 0 or -errno.
 */
int svr_aes_cbc(const struct svr_key *key, bool enc, const u8 *iv, u8 *buf,
		unsigned int len);

/* Bytes of a sealed section for @plain_len bytes: IV + PKCS#7-padded. */
static inline unsigned int svr_sealed_len(unsigned int plain_len)
{
	return 16 + (plain_len / 16 + 1) * 16;
}

#endif /* _SVR_CRYPTO_H */
