/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the metadata unit tests, the fuzz targets and the seed
 * writer: a small reader for the test vectors (classic pcap, Ethernet,
 * IPv4, UDP, written independently of userspace/decode.c) and comparison
 * of decoded metadata.
 */
#ifndef _SVR_UNIT_COMMON_H
#define _SVR_UNIT_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include <svr/metadata.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

enum { VEC_MAX_FRAMES = 64 };

struct vec_frame {
	const u8	*udp;		/* UDP payload */
	size_t		udp_len;
	unsigned int	sport;
	unsigned int	dport;
};

struct vec_file {
	u8			*data;
	size_t			len;
	unsigned int		n;
	struct vec_frame	f[VEC_MAX_FRAMES];
};

/* Directory of the vectors: $SVR_TESTDATA or the build-time default. */
const char *vec_dir(void);
/* Load svr-vectors.pcap; 0 or -1 with a message in err. */
int vec_load(struct vec_file *v, char *err, size_t errlen);
void vec_free(struct vec_file *v);

/* Every bit the parser can set (TLV types it knows + the key pseudo bit). */
u64 md_known_bits(void);
/* Fill every field with distinctive values; fwd/rev of the given family. */
void md_sample(struct svr_md *md, bool v6);
/*
 * Compare the fields of the bits in mask (and that both have exactly those
 * bits of mask); on a difference write which field into why.
 */
bool md_same(const struct svr_md *a, const struct svr_md *b, u64 mask,
	     char *why, size_t whylen);

#endif /* _SVR_UNIT_COMMON_H */
