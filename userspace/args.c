// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsers and value tables. Every parser checks the whole word
 * and prints one line naming the argument when it is wrong.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/svr.h>

#include "svrctl.h"
#include "args.h"

const struct svr_enum svr_ciphers[] = {
	{ "none",		SVR_CIPHER_NONE },
	{ "aes-cbc-128",	SVR_CIPHER_AES_CBC_128 },
	{ "aes-cbc-256",	SVR_CIPHER_AES_CBC_256 },
	{ NULL, 0 }
};

const struct svr_enum svr_hmacs[] = {
	{ "none",		SVR_HMAC_NONE },
	{ "sha1",		SVR_HMAC_SHA1 },
	{ "sha256",		SVR_HMAC_SHA256 },
	{ "sha256-128",		SVR_HMAC_SHA256_128 },
	{ NULL, 0 }
};

const struct svr_enum svr_hmac_modes[] = {
	{ "regular",		SVR_HMAC_MODE_REGULAR },
	{ "time-based",		SVR_HMAC_MODE_TIME_BASED },
	{ NULL, 0 }
};

const struct svr_enum svr_protos[] = {
	{ "tcp",		SVR_PROTO_TCP },
	{ "udp",		SVR_PROTO_UDP },
	{ "icmp",		SVR_PROTO_ICMP },
	{ "any",		SVR_PROTO_ANY },
	{ NULL, 0 }
};

const struct svr_enum svr_actions[] = {
	{ "allow",		SVR_ACCESS_ACTION_ALLOW },
	{ "deny",		SVR_ACCESS_ACTION_DENY },
	{ NULL, 0 }
};

const struct svr_enum svr_admins[] = {
	{ "up",			SVR_ADMIN_UP },
	{ "down",		SVR_ADMIN_DOWN },
	{ NULL, 0 }
};

const struct svr_enum svr_bfd_states[] = {
	{ "admin-down",		SVR_BFD_ADMIN_DOWN },
	{ "down",		SVR_BFD_DOWN },
	{ "init",		SVR_BFD_INIT },
	{ "up",			SVR_BFD_UP },
	{ NULL, 0 }
};

const struct svr_enum svr_nh_types[] = {
	{ "peer",		SVR_NH_PEER },
	{ "gateway",		SVR_NH_GATEWAY },
	{ "fib",		SVR_NH_FIB },
	{ "host",		SVR_NH_HOST },
	{ NULL, 0 }
};

const struct svr_enum svr_states[] = {
	{ "pending",		SVR_SESSION_STATE_PENDING },
	{ "established",	SVR_SESSION_STATE_ESTABLISHED },
	{ "closing",		SVR_SESSION_STATE_CLOSING },
	{ NULL, 0 }
};

const struct svr_enum svr_roles[] = {
	{ "ingress",		SVR_SESSION_ROLE_INGRESS },
	{ "egress",		SVR_SESSION_ROLE_EGRESS },
	{ "local",		SVR_SESSION_ROLE_LOCAL },
	{ "transit",		SVR_SESSION_ROLE_TRANSIT },
	{ NULL, 0 }
};

const char *enum_name(const struct svr_enum *e, unsigned int val)
{
	static char buf[16];

	for (; e->name; e++)
		if (e->val == val)
			return e->name;
	snprintf(buf, sizeof(buf), "%u", val);
	return buf;
}

const char *enum_list(const struct svr_enum *e)
{
	static char buf[256];
	size_t off = 0;

	buf[0] = 0;
	for (; e->name && off < sizeof(buf); e++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s",
				off ? " | " : "", e->name);
	return buf;
}

int parse_enum(const struct svr_enum *e, const char *what, const char *arg,
	       unsigned int *val)
{
	const struct svr_enum *p;

	/* Exact names first, so "sha256" is never taken for "sha256-128". */
	for (p = e; p->name; p++)
		if (!strcmp(arg, p->name)) {
			*val = p->val;
			return 0;
		}
	for (p = e; p->name; p++)
		if (matches(arg, p->name)) {
			*val = p->val;
			return 0;
		}
	return svrctl_err(EXIT_USAGE, "argument \"%s\" is not a valid %s (%s)",
			  arg, what, enum_list(e));
}

int err_incomplete(const char *after)
{
	return svrctl_err(EXIT_USAGE,
			  "command line is not complete after \"%s\", try \"help\"",
			  after);
}

int err_arg(const char *arg, const char *why)
{
	return svrctl_err(EXIT_USAGE, "argument \"%s\" %s", arg, why);
}

int err_unknown(const char *arg, const char *where)
{
	return svrctl_err(EXIT_USAGE,
			  "argument \"%s\" is unknown in %s, try \"help\"",
			  arg, where);
}

int err_dup(const char *kw)
{
	return svrctl_err(EXIT_USAGE, "argument \"%s\" is given twice", kw);
}

int parse_addr(const char *arg, struct svr_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, arg, &a->v4) == 1) {
		a->family = AF_INET;
		a->plen = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, arg, &a->v6) == 1) {
		a->family = AF_INET6;
		a->plen = 128;
		return 0;
	}
	return err_arg(arg, "is not a valid IPv4 or IPv6 address");
}

int parse_prefix(const char *arg, struct svr_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long plen;
	unsigned int i, max;

	if (strlen(arg) >= sizeof(buf))
		return err_arg(arg, "is not a valid prefix");
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, &a->v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &a->v6) == 1)
		a->family = AF_INET6;
	else
		return err_arg(arg, "is not a valid prefix");
	max = a->family == AF_INET ? 32 : 128;
	plen = max;
	if (slash) {
		errno = 0;
		if (!isdigit((unsigned char)slash[1]))
			return err_arg(arg, "is not a valid prefix");
		plen = strtoul(slash + 1, &end, 10);
		if (*end || errno || plen > max)
			return err_arg(arg, "is not a valid prefix");
	}
	a->plen = plen;
	for (i = plen; i < max; i++)
		if (a->b[i / 8] & (0x80 >> (i % 8))) {
			char net[ADDR_STRLEN];
			struct svr_addr n = *a;
			unsigned int j;
			char why[128];

			for (j = plen; j < max; j++)
				n.b[j / 8] &= ~(0x80 >> (j % 8));
			snprintf(why, sizeof(why),
				 "is not a valid prefix: host bits set (%s?)",
				 fmt_addr(&n, true, net, sizeof(net)));
			return err_arg(arg, why);
		}
	return 0;
}

const char *fmt_addr(const struct svr_addr *a, bool with_plen, char *buf,
		     size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->b, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	if (with_plen)
		snprintf(buf, len, "%s/%u", tmp, a->plen);
	else
		snprintf(buf, len, "%s", tmp);
	return buf;
}

void put_addr(struct nlmsghdr *nlh, uint16_t attr4, uint16_t attr6,
	      const struct svr_addr *a)
{
	if (a->family == AF_INET)
		mnl_attr_put(nlh, attr4, 4, a->b);
	else
		mnl_attr_put(nlh, attr6, 16, a->b);
}

bool get_addr(const struct nlattr *a4, const struct nlattr *a6,
	      struct svr_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (a4 && mnl_attr_get_payload_len(a4) == 4) {
		a->family = AF_INET;
		a->plen = 32;
		memcpy(a->b, mnl_attr_get_payload(a4), 4);
		return true;
	}
	if (a6 && mnl_attr_get_payload_len(a6) == 16) {
		a->family = AF_INET6;
		a->plen = 128;
		memcpy(a->b, mnl_attr_get_payload(a6), 16);
		return true;
	}
	return false;
}

static int parse_ulong(const char *s, unsigned long *v, const char **end)
{
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &e, 10);
	if (errno)
		return -1;
	*end = e;
	return 0;
}

int parse_u32(const char *what, const char *arg, uint32_t min, uint32_t max,
	      uint32_t *val)
{
	unsigned long v;
	const char *end;
	char why[96];

	if (parse_ulong(arg, &v, &end) || *end || v < min || v > max) {
		snprintf(why, sizeof(why), "is not a valid %s (%u-%u)", what,
			 min, max);
		return err_arg(arg, why);
	}
	*val = v;
	return 0;
}

int parse_range(const char *what, const char *arg, uint32_t min,
		uint32_t max, uint16_t *lo, uint16_t *hi)
{
	unsigned long l, h;
	const char *end;
	char why[96];

	if (parse_ulong(arg, &l, &end))
		goto bad;
	h = l;
	if (*end == '-' && parse_ulong(end + 1, &h, &end))
		goto bad;
	if (*end || l < min || h > max || l > h)
		goto bad;
	*lo = l;
	*hi = h;
	return 0;
bad:
	snprintf(why, sizeof(why), "is not a valid %s (LO-HI within %u-%u)",
		 what, min, max);
	return err_arg(arg, why);
}

int parse_ports(const char *arg, struct port_range *r, size_t max, size_t *n)
{
	const char *p = arg;

	*n = 0;
	for (;;) {
		unsigned long lo, hi;
		const char *end;

		if (parse_ulong(p, &lo, &end))
			goto bad;
		hi = lo;
		if (*end == '-' && parse_ulong(end + 1, &hi, &end))
			goto bad;
		if (lo < 1 || hi > 65535 || lo > hi || (*end && *end != ','))
			goto bad;
		if (*n == max)
			return err_arg(arg, "has too many port ranges");
		r[*n].lo = lo;
		r[*n].hi = hi;
		(*n)++;
		if (!*end)
			return 0;
		p = end + 1;
	}
bad:
	return err_arg(arg,
		       "is not a valid port list (PORT or LO-HI, 1-65535, separated by commas)");
}

bool name_ok(const char *s)
{
	size_t len = strlen(s), i;

	if (!len || len >= SVR_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

int parse_name(const char *what, const char *arg)
{
	char why[128];

	if (name_ok(arg))
		return 0;
	snprintf(why, sizeof(why),
		 "is not a valid %s name (1-63 characters of A-Z a-z 0-9 . _ -)",
		 what);
	return err_arg(arg, why);
}

int parse_dev(const char *arg)
{
	size_t len = strlen(arg), i;

	if (!len || len >= 16 || !strcmp(arg, ".") || !strcmp(arg, ".."))
		goto bad;
	for (i = 0; i < len; i++)
		if (arg[i] == '/' || arg[i] == ':' ||
		    isspace((unsigned char)arg[i]))
			goto bad;
	return 0;
bad:
	return err_arg(arg, "is not a valid device name");
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex digits into @out; -1 unless all of @s is an even number of digits. */
static ssize_t unhex(const char *s, size_t slen, uint8_t *out, size_t max)
{
	size_t i;

	if (!slen || slen % 2 || slen / 2 > max)
		return -1;
	for (i = 0; i < slen; i += 2) {
		int h = hexval(s[i]), l = hexval(s[i + 1]);

		if (h < 0 || l < 0)
			return -1;
		out[i / 2] = h << 4 | l;
	}
	return slen / 2;
}

static bool len_ok(size_t len, const size_t *lens)
{
	for (; *lens; lens++)
		if (len == *lens)
			return true;
	return false;
}

static const char *lens_text(const size_t *lens)
{
	static char buf[64];
	size_t off = 0;

	for (; *lens && off < sizeof(buf); lens++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%zu",
				off ? " or " : "", *lens);
	return buf;
}

int parse_key(const char *what, int argc, char **argv, uint8_t *key,
	      size_t *len, const size_t *lens, int *used)
{
	uint8_t raw[256];
	char why[160];
	ssize_t n;

	if (argc < 1)
		return err_incomplete(what);
	if (!strncmp(argv[0], "hex:", 4)) {
		*used = 1;
		n = unhex(argv[0] + 4, strlen(argv[0] + 4), key,
			  SVR_CIPHER_KEY_MAX > SVR_HMAC_KEY_LEN ?
			  SVR_CIPHER_KEY_MAX : SVR_HMAC_KEY_LEN);
		if (n < 0) {
			/* Never echo key material: name the keyword only. */
			return svrctl_err(EXIT_USAGE, "the %s given as hex: is not valid (%s bytes as hex digits)",
					  what, lens_text(lens));
		}
	} else if (matches(argv[0], "file") && strlen(argv[0]) >= 2) {
		ssize_t got, s, e;
		int fd;

		if (argc < 2)
			return err_incomplete(argv[0]);
		*used = 2;
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(why, sizeof(why), "cannot be read: %s",
				 strerror(errno));
			return err_arg(argv[1], why);
		}
		got = read(fd, raw, sizeof(raw));
		close(fd);
		if (got < 0) {
			snprintf(why, sizeof(why), "cannot be read: %s",
				 strerror(errno));
			return err_arg(argv[1], why);
		}
		/* Hex text (trimmed, optional "hex:"), else raw bytes. */
		s = 0;
		e = got;
		while (s < e && isspace(raw[s]))
			s++;
		while (e > s && isspace(raw[e - 1]))
			e--;
		if (e - s > 4 && !memcmp(raw + s, "hex:", 4))
			s += 4;
		n = unhex((const char *)raw + s, e - s, key, 32);
		if (n < 0 || !len_ok(n, lens)) {
			n = got;
			if (len_ok(n, lens))
				memcpy(key, raw, n);
			else
				n = -1;
		}
		explicit_bzero(raw, sizeof(raw));
		if (n < 0) {
			snprintf(why, sizeof(why),
				 "does not hold a valid %s (%s bytes, raw or as hex digits)",
				 what, lens_text(lens));
			return err_arg(argv[1], why);
		}
	} else {
		snprintf(why, sizeof(why),
			 "is not a valid %s (hex:DIGITS or file PATH)", what);
		return err_arg(argv[0], why);
	}
	if (!len_ok(n, lens)) {
		explicit_bzero(key, n);
		return svrctl_err(EXIT_USAGE, "the %s is %zd bytes long, it must be %s",
				  what, n, lens_text(lens));
	}
	*len = n;
	return 0;
}

static int uuid_parse(const char *arg, uint8_t uuid[16])
{
	char hex[33];
	size_t i, n = 0;

	for (i = 0; arg[i]; i++) {
		if (arg[i] == '-' && (i == 8 || i == 13 || i == 18 || i == 23))
			continue;
		if (n == 32)
			return -1;
		hex[n++] = arg[i];
	}
	if (n != 32 || (i != 32 && i != 36) || unhex(hex, 32, uuid, 16) != 16)
		return -1;
	return 0;
}

int parse_uuid_quiet(const char *arg)
{
	uint8_t u[16];

	return uuid_parse(arg, u);
}

int parse_uuid(const char *arg, uint8_t uuid[16])
{
	if (!uuid_parse(arg, uuid))
		return 0;
	return err_arg(arg, "is not a valid session UUID");
}

void fmt_hex(const uint8_t *b, size_t len, char *buf)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(buf + 2 * i, "%02x", b[i]);
	buf[2 * len] = 0;
}

void fmt_uuid(const uint8_t *u, char *buf)
{
	char h[33];

	fmt_hex(u, 16, h);
	sprintf(buf, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
		h + 20);
}
