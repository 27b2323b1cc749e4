// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel crypto API for security policies: transforms per key,
 * allocated and keyed at configuration time, used lock-free on the packet
 * path (svr-protocol.md §16, Documentation/security.md).
 *
 * Each key owns a `cbc(aes)` sync skcipher (when its policy has a cipher)
 * and `hmac(sha1)` plus `hmac(sha256)` shashes (when it has an HMAC key):
 * both HMACs are keyed up front, so changing a policy's hmac algorithm
 * needs no allocation and no transform is ever replaced under a reader.
 * setkey runs once, before the key is published; afterwards the tfms are
 * only read, so any number of CPUs use them at once with a request or a
 * descriptor on their own stack.
 */
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <crypto/algapi.h>
#include <linux/scatterlist.h>
#include <linux/module.h>
#include <linux/timekeeping.h>

#include "svr.h"
#include "config.h"
#include "crypto.h"

unsigned int svr_hmac_len(u8 hmac)
{
	switch (hmac) {
	case SVR_HMAC_SHA1:
		return 20;
	case SVR_HMAC_SHA256:
		return 32;
	case SVR_HMAC_SHA256_128:
		return 16;
	}
	return 0;
}

u64 svr_hmac_slot_now(void)
{
	return (u64)ktime_get_real_seconds() / SVR_HMAC_SLOT_SECS;
}

static struct crypto_shash *svr_hmac_alloc(const char *alg, const u8 *key,
					   unsigned int len)
{
	struct crypto_shash *tfm;
	int ret;

	tfm = crypto_alloc_shash(alg, 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	ret = crypto_shash_setkey(tfm, key, len);
	if (ret) {
		crypto_free_shash(tfm);
		return ERR_PTR(ret);
	}
	return tfm;
}

int svr_crypto_key_init(struct svr_key *key)
{
	struct svr_key_crypto *c = &key->crypto;
	int ret;

	memset(c, 0, sizeof(*c));
	if (key->cipher_key_len) {
		c->aes = crypto_alloc_sync_skcipher("cbc(aes)", 0, 0);
		if (IS_ERR(c->aes)) {
			ret = PTR_ERR(c->aes);
			c->aes = NULL;
			goto err;
		}
		ret = crypto_sync_skcipher_setkey(c->aes, key->cipher_key,
						  key->cipher_key_len);
		if (ret)
			goto err;
	}
	if (key->hmac_key_len) {
		c->sha1 = svr_hmac_alloc("hmac(sha1)", key->hmac_key,
					 key->hmac_key_len);
		if (IS_ERR(c->sha1)) {
			ret = PTR_ERR(c->sha1);
			c->sha1 = NULL;
			goto err;
		}
		c->sha256 = svr_hmac_alloc("hmac(sha256)", key->hmac_key,
					   key->hmac_key_len);
		if (IS_ERR(c->sha256)) {
			ret = PTR_ERR(c->sha256);
			c->sha256 = NULL;
			goto err;
		}
	}
	return 0;
err:
	svr_crypto_key_free(key);
	return ret;
}

/*
 * Any context (the key goes by call_rcu): freeing a tfm wipes its context
 * (the expanded AES key, the HMAC pads) with kfree_sensitive.
 */
void svr_crypto_key_free(struct svr_key *key)
{
	struct svr_key_crypto *c = &key->crypto;

	crypto_free_sync_skcipher(c->aes);	/* NULL is fine */
	crypto_free_shash(c->sha1);
	crypto_free_shash(c->sha256);
	memset(c, 0, sizeof(*c));
}

void svr_crypto_log_drivers(struct svr_security *sec, struct svr_key *key)
{
	struct svr_key_crypto *c = &key->crypto;
	const char *aes = "-";

	if (sec->drivers_logged || (!c->aes && !c->sha1))
		return;
	sec->drivers_logged = true;
	if (c->aes)
		aes = crypto_tfm_alg_driver_name(crypto_skcipher_tfm(&c->aes->base));
	pr_info("security policy %s: cbc(aes) by %s, hmac(sha1) by %s, hmac(sha256) by %s\n",
		sec->name, aes,
		c->sha1 ? crypto_shash_driver_name(c->sha1) : "-",
		c->sha256 ? crypto_shash_driver_name(c->sha256) : "-");
}

static struct crypto_shash *svr_hmac_tfm(const struct svr_key *key, u8 hmac)
{
	switch (hmac) {
	case SVR_HMAC_SHA1:
		return key->crypto.sha1;
	case SVR_HMAC_SHA256:
	case SVR_HMAC_SHA256_128:
		return key->crypto.sha256;
	}
	return NULL;
}

/* The full digest (20 or 32 bytes) into @out. */
static noinline int svr_hmac_digest(struct crypto_shash *tfm, const u64 *slot,
				    const u8 *data, unsigned int len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	__be64 ts;
	int ret;

	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	if (!ret && slot) {
		ts = cpu_to_be64(*slot);
		ret = crypto_shash_update(desc, (const u8 *)&ts, sizeof(ts));
	}
	if (!ret)
		ret = crypto_shash_finup(desc, data, len, out);
	shash_desc_zero(desc);
	return ret;
}

int svr_hmac_compute(const struct svr_key *key, u8 hmac, const u64 *slot,
		     const u8 *data, unsigned int len, u8 *out)
{
	struct crypto_shash *tfm = svr_hmac_tfm(key, hmac);
	u8 full[SVR_HMAC_MAX_LEN];
	int ret;

	if (!tfm)
		return -ENOKEY;
	ret = svr_hmac_digest(tfm, slot, data, len, full);
	if (!ret)
		memcpy(out, full, svr_hmac_len(hmac));
	memzero_explicit(full, sizeof(full));
	return ret;
}

bool svr_hmac_verify(const struct svr_key *key, u8 hmac, const u64 *slot,
		     const u8 *data, unsigned int len, const u8 *tag)
{
	u8 mine[SVR_HMAC_MAX_LEN];
	bool ok;

	if (svr_hmac_compute(key, hmac, slot, data, len, mine))
		return false;
	ok = !crypto_memneq(mine, tag, svr_hmac_len(hmac));
	memzero_explicit(mine, sizeof(mine));
	return ok;
}

noinline int svr_aes_cbc(const struct svr_key *key, bool enc, const u8 *iv,
			 u8 *buf, unsigned int len)
{
	struct crypto_sync_skcipher *tfm = key->crypto.aes;
	struct scatterlist sg;
	u8 ivc[16];
	int ret;

	if (!tfm)
		return -ENOKEY;
	if (!len || len % 16)
		return -EINVAL;
	{
		SYNC_SKCIPHER_REQUEST_ON_STACK(req, tfm);

		memcpy(ivc, iv, sizeof(ivc));
		sg_init_one(&sg, buf, len);
		skcipher_request_set_sync_tfm(req, tfm);
		skcipher_request_set_callback(req, 0, NULL, NULL);
		skcipher_request_set_crypt(req, &sg, &sg, len, ivc);
		ret = enc ? crypto_skcipher_encrypt(req) :
			    crypto_skcipher_decrypt(req);
		skcipher_request_zero(req);
	}
	return ret;
}

/*
 * Key rotation (Documentation/security.md): the key a router sends with is
 * the highest id among its policy's keys that were added at least
 * key_delay seconds ago, or, when none is that old (a new policy), the
 * highest id. Adding the new key on both routers within key_delay seconds
 * therefore switches both to it without a packet the peer cannot verify.
 */
static unsigned int key_delay = 30;
module_param(key_delay, uint, 0644);
MODULE_PARM_DESC(key_delay,
		 "seconds a newly added key waits before it is used to send (default 30)");

struct svr_key *svr_sec_send_key(struct svr_security *sec)
{
	unsigned long wait = min(READ_ONCE(key_delay), 86400U) * HZ;
	struct svr_key *key, *best = NULL, *any = NULL;

	list_for_each_entry_rcu(key, &sec->keys, list) {
		if (!any || key->id > any->id)
			any = key;
		if (time_before(jiffies, key->added + wait))
			continue;
		if (!best || key->id > best->id)
			best = key;
	}
	return best ?: any;
}
