/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svrctl's argument parsers (names, numbers, addresses, prefixes, port
 * ranges, keys, UUIDs) and the value tables shared by parsing, printing,
 * help and save. Parsers print one "Error: ..." line and return EXIT_USAGE.
 */
#ifndef _SVRCTL_ARGS_H
#define _SVRCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

/* Names of enum values: { "aes-cbc-128", SVR_CIPHER_AES_CBC_128 }, ..., { } */
struct svr_enum {
	const char	*name;
	unsigned int	val;
};

extern const struct svr_enum svr_ciphers[];
extern const struct svr_enum svr_hmacs[];
extern const struct svr_enum svr_hmac_modes[];
extern const struct svr_enum svr_protos[];
extern const struct svr_enum svr_actions[];
extern const struct svr_enum svr_admins[];
extern const struct svr_enum svr_bfd_states[];
extern const struct svr_enum svr_nh_types[];
extern const struct svr_enum svr_states[];
extern const struct svr_enum svr_roles[];

/* The name of @val, or its number as text (static buffer). */
const char *enum_name(const struct svr_enum *e, unsigned int val);
/* "none | aes-cbc-128 | aes-cbc-256" (static buffer). */
const char *enum_list(const struct svr_enum *e);
int parse_enum(const struct svr_enum *e, const char *what, const char *arg,
	       unsigned int *val);

/* An address or prefix of either family. */
struct svr_addr {
	int	family;		/* AF_INET or AF_INET6 */
	uint8_t	plen;
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
		uint8_t		b[16];
	};
};

static inline size_t addr_len(const struct svr_addr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

int parse_addr(const char *arg, struct svr_addr *a);
/* ADDR[/LEN]; host bits set is an error. */
int parse_prefix(const char *arg, struct svr_addr *a);
/* "198.18.1.0/24" or "2001:db8::1" into @buf. */
const char *fmt_addr(const struct svr_addr *a, bool with_plen, char *buf,
		     size_t len);
#define ADDR_STRLEN	(INET6_ADDRSTRLEN + 5)

/* Put @a as @attr4 or @attr6 (by family). */
void put_addr(struct nlmsghdr *nlh, uint16_t attr4, uint16_t attr6,
	      const struct svr_addr *a);
/* Read an address from whichever of @a4/@a6 is present; false if none. */
bool get_addr(const struct nlattr *a4, const struct nlattr *a6,
	      struct svr_addr *a);

int parse_u32(const char *what, const char *arg, uint32_t min, uint32_t max,
	      uint32_t *val);
/* LO-HI or N (LO = HI), each within [min, max], LO <= HI. */
int parse_range(const char *what, const char *arg, uint32_t min,
		uint32_t max, uint16_t *lo, uint16_t *hi);

struct port_range {
	uint16_t lo, hi;
};
/* "80,443,8000-8080" into @r (at most @max), count in *n. */
int parse_ports(const char *arg, struct port_range *r, size_t max,
		size_t *n);

/* Object names: 1-63 of [A-Za-z0-9._-]. */
bool name_ok(const char *s);
int parse_name(const char *what, const char *arg);
/* Device names, the kernel's rules (1-15 bytes, no '/', ':' or space). */
int parse_dev(const char *arg);

/*
 * A key: "hex:<hex digits>" or "file PATH" (the file holds hex digits,
 * optionally after "hex:", or the raw bytes). Consumes one or two words of
 * argv (*used says how many); the length must be one of @lens (0-ended).
 */
int parse_key(const char *what, int argc, char **argv, uint8_t *key,
	      size_t *len, const size_t *lens, int *used);

int parse_uuid(const char *arg, uint8_t uuid[16]);
/* 0 if @arg is a UUID, -1 otherwise; prints nothing. */
int parse_uuid_quiet(const char *arg);
void fmt_uuid(const uint8_t *uuid, char *buf);	/* 37 bytes */
void fmt_hex(const uint8_t *b, size_t len, char *buf);	/* 2*len+1 bytes */

/* Common argv errors (iproute2 wording); all return EXIT_USAGE. */
int err_incomplete(const char *after);
int err_arg(const char *arg, const char *why);
int err_unknown(const char *arg, const char *where);
int err_dup(const char *kw);

#define NEXT_ARG() do {						\
	argv++; argc--;						\
	if (argc <= 0)						\
		return err_incomplete(argv[-1]);		\
} while (0)
#define NEXT_ARG_OK()	(argc - 1 > 0)
#define PREV_ARG()	do { argv--; argc++; } while (0)

#endif /* _SVRCTL_ARGS_H */
