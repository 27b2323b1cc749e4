// SPDX-License-Identifier: GPL-2.0
/*
 * Object descriptors and option tables, requests (build, send, snapshot,
 * undo) and the show/save printers of every configuration object.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/svr.h>

#include "svrctl.h"
#include "obj.h"

bool print_oneline;
bool print_stats;
const char *obj_print_key;

/* ---- option tables --------------------------------------------------- */

const struct svr_opt router_opts[] = {
	{ .kw = "name", .json = "name", .meta = "NAME", .type = OPT_STR,
	  .attr = SVR_A_ROUTER_NAME },
	{ .kw = "session-limit", .json = "session_limit", .meta = "NUM",
	  .type = OPT_U32, .attr = SVR_A_ROUTER_SESSION_LIMIT,
	  .max = UINT32_MAX },
	{ .kw = "tcp-timeout", .json = "timeout_tcp_established",
	  .meta = "SECONDS", .type = OPT_U32,
	  .attr = SVR_A_ROUTER_TIMEOUT_TCP_EST, .max = UINT32_MAX },
	{ .kw = "tcp-close-timeout", .json = "timeout_tcp_closing",
	  .meta = "SECONDS", .type = OPT_U32,
	  .attr = SVR_A_ROUTER_TIMEOUT_TCP_CLOSE, .max = UINT32_MAX },
	{ .kw = "udp-timeout", .json = "timeout_udp", .meta = "SECONDS",
	  .type = OPT_U32, .attr = SVR_A_ROUTER_TIMEOUT_UDP,
	  .max = UINT32_MAX },
	{ .kw = "icmp-timeout", .json = "timeout_icmp", .meta = "SECONDS",
	  .type = OPT_U32, .attr = SVR_A_ROUTER_TIMEOUT_ICMP,
	  .max = UINT32_MAX },
	{ .kw = "wayport-range", .json = "wayport_lo", .json_hi = "wayport_hi",
	  .meta = "LO-HI", .type = OPT_RANGE16,
	  .attr = SVR_A_ROUTER_WAYPORT_LO, .attr_hi = SVR_A_ROUTER_WAYPORT_HI,
	  .max = 65535 },
	{ .kw = "icmp-rate", .json = "icmp_rate", .meta = "PER-SECOND",
	  .type = OPT_U32, .attr = SVR_A_ROUTER_ICMP_RATE,
	  .max = UINT32_MAX },
	{ .kw = "keepalive", .json = "keepalive", .meta = "SECONDS",
	  .type = OPT_U32, .attr = SVR_A_ROUTER_KEEPALIVE,
	  .max = 86400 },
	{ .kw = "direct-xmit", .json = "direct_xmit", .type = OPT_FLAG8,
	  .attr = SVR_A_ROUTER_DIRECT_XMIT },
	{ .kw = "session-buckets", .json = "session_buckets", .type = OPT_U32,
	  .attr = SVR_A_ROUTER_SESSION_BUCKETS,
	  .flags = OPT_F_RO | OPT_F_HIDE0 },
	{ }
};

const struct svr_opt iface_opts[] = {
	{ .kw = "tenant", .json = "tenant", .meta = "TENANT", .type = OPT_REF,
	  .attr = SVR_A_IFACE_TENANT },
	{ .kw = "source-nat", .json = "source_nat", .type = OPT_FLAG8,
	  .attr = SVR_A_IFACE_SNAT },
	{ }
};

const struct svr_opt security_opts[] = {
	{ .kw = "cipher", .json = "cipher", .type = OPT_ENUM8,
	  .attr = SVR_A_SECURITY_CIPHER, .enums = svr_ciphers },
	{ .kw = "hmac", .json = "hmac", .type = OPT_ENUM8,
	  .attr = SVR_A_SECURITY_HMAC, .enums = svr_hmacs },
	{ .kw = "hmac-mode", .json = "hmac_mode", .type = OPT_ENUM8,
	  .attr = SVR_A_SECURITY_HMAC_MODE, .enums = svr_hmac_modes },
	{ }
};

const struct svr_opt service_opts[] = {
	{ .kw = "security", .json = "security", .meta = "POLICY",
	  .type = OPT_REF, .attr = SVR_A_SERVICE_SECURITY },
	{ .kw = "timeout", .json = "timeout", .meta = "SECONDS",
	  .type = OPT_U32, .attr = SVR_A_SERVICE_TIMEOUT, .max = UINT32_MAX,
	  .flags = OPT_F_HIDE0 },
	{ }
};

const struct svr_opt peer_opts[] = {
	{ .kw = "security", .json = "security", .meta = "POLICY",
	  .type = OPT_REF, .attr = SVR_A_PEER_SECURITY },
	{ }
};

const struct svr_opt path_opts[] = {
	{ .kw = "cost", .json = "cost", .meta = "NUM", .type = OPT_U32,
	  .attr = SVR_A_PATH_COST, .max = UINT32_MAX },
	{ .kw = "name", .json = "name", .meta = "NAME", .type = OPT_REF,
	  .attr = SVR_A_PATH_NAME },
	{ .kw = "port-range", .json = "port_lo", .json_hi = "port_hi",
	  .meta = "LO-HI", .type = OPT_RANGE16, .attr = SVR_A_PATH_PORT_LO,
	  .attr_hi = SVR_A_PATH_PORT_HI, .max = 65535, .flags = OPT_F_HIDE0 },
	{ .kw = "up | down", .json = "admin", .type = OPT_BARE8,
	  .attr = SVR_A_PATH_ADMIN, .enums = svr_admins },
	{ .kw = "bfd-interval", .json = "bfd_interval", .meta = "MS",
	  .type = OPT_U32, .attr = SVR_A_PATH_BFD_INTERVAL,
	  .max = SVR_BFD_INTERVAL_MAX, .flags = OPT_F_HIDE0 },
	{ .kw = "bfd-multiplier", .json = "bfd_multiplier", .meta = "N",
	  .type = OPT_U32, .attr = SVR_A_PATH_BFD_MULTIPLIER,
	  .max = SVR_BFD_MULTIPLIER_MAX, .flags = OPT_F_HIDE0 },
	{ }
};

const struct svr_opt route_opts[] = {
	{ .kw = "cost", .json = "cost", .meta = "NUM", .type = OPT_U32,
	  .attr = SVR_A_ROUTE_COST, .max = UINT32_MAX },
	{ }
};

/* ---- part keys ------------------------------------------------------- */

static void key_prefix(const struct nlattr **tb, char *buf, size_t len)
{
	struct svr_addr a;
	char s[ADDR_STRLEN];

	get_addr(tb[SVR_A_PREFIX_ADDR4], tb[SVR_A_PREFIX_ADDR6], &a);
	a.plen = tb[SVR_A_PREFIX_PLEN] ? mnl_attr_get_u8(tb[SVR_A_PREFIX_PLEN]) :
		 a.plen;
	snprintf(buf, len, "%s@%s", fmt_addr(&a, true, s, sizeof(s)),
		 tb[SVR_A_PREFIX_DEV] ? mnl_attr_get_str(tb[SVR_A_PREFIX_DEV]) : "");
}

static void key_transport(const struct nlattr **tb, char *buf, size_t len)
{
	unsigned int lo = tb[SVR_A_TRANSPORT_PORT_LO] ?
			  mnl_attr_get_u16(tb[SVR_A_TRANSPORT_PORT_LO]) : 0;
	unsigned int hi = tb[SVR_A_TRANSPORT_PORT_HI] ?
			  mnl_attr_get_u16(tb[SVR_A_TRANSPORT_PORT_HI]) : lo;

	snprintf(buf, len, "%u:%u-%u", tb[SVR_A_TRANSPORT_PROTO] ?
		 mnl_attr_get_u8(tb[SVR_A_TRANSPORT_PROTO]) : 0, lo, hi);
}

static void key_access(const struct nlattr **tb, char *buf, size_t len)
{
	snprintf(buf, len, "%s", tb[SVR_A_ACCESS_TENANT] ?
		 mnl_attr_get_str(tb[SVR_A_ACCESS_TENANT]) : "");
}

static void key_path(const struct nlattr **tb, char *buf, size_t len)
{
	struct svr_addr l, r;
	char sl[ADDR_STRLEN], sr[ADDR_STRLEN];

	get_addr(tb[SVR_A_PATH_LOCAL4], tb[SVR_A_PATH_LOCAL6], &l);
	get_addr(tb[SVR_A_PATH_REMOTE4], tb[SVR_A_PATH_REMOTE6], &r);
	snprintf(buf, len, "%s>%s", fmt_addr(&l, false, sl, sizeof(sl)),
		 fmt_addr(&r, false, sr, sizeof(sr)));
}

static void key_key(const struct nlattr **tb, char *buf, size_t len)
{
	snprintf(buf, len, "%u", tb[SVR_A_KEY_ID] ?
		 mnl_attr_get_u32(tb[SVR_A_KEY_ID]) : 0);
}

/* A route's key (no service: routes are compared within one service). */
static void key_route(const struct nlattr **tb, char *buf, size_t len)
{
	struct svr_addr g;
	char s[ADDR_STRLEN] = "";

	if (get_addr(tb[SVR_A_ROUTE_GATEWAY4], tb[SVR_A_ROUTE_GATEWAY6], &g))
		fmt_addr(&g, false, s, sizeof(s));
	snprintf(buf, len, "%s|%u|%s|%s|%s",
		 tb[SVR_A_ROUTE_SERVICE] ? mnl_attr_get_str(tb[SVR_A_ROUTE_SERVICE]) : "",
		 tb[SVR_A_ROUTE_TYPE] ? mnl_attr_get_u8(tb[SVR_A_ROUTE_TYPE]) : 0,
		 tb[SVR_A_ROUTE_PEER] ? mnl_attr_get_str(tb[SVR_A_ROUTE_PEER]) : "",
		 s, tb[SVR_A_ROUTE_DEV] ? mnl_attr_get_str(tb[SVR_A_ROUTE_DEV]) : "");
}

/* ---- descriptors ----------------------------------------------------- */

_Static_assert(SVR_A_PATH_MAX <= SVR_PART_ATTRS_MAX &&
	       SVR_A_KEY_MAX <= SVR_PART_ATTRS_MAX &&
	       SVR_A_PREFIX_MAX <= SVR_PART_ATTRS_MAX &&
	       SVR_A_TRANSPORT_MAX <= SVR_PART_ATTRS_MAX &&
	       SVR_A_ACCESS_MAX <= SVR_PART_ATTRS_MAX,
	       "a part's nest outgrew SVR_PART_ATTRS_MAX");

const struct svr_objdesc svr_objs[__OBJ_MAX] = {
	[OBJ_ROUTER] = {
		.name = "router", .id = OBJ_ROUTER,
		.cmd_set = SVR_CMD_ROUTER_SET, .cmd_get = SVR_CMD_ROUTER_GET,
		.max = SVR_A_ROUTER_MAX, .opts = router_opts,
	},
	[OBJ_IFACE] = {
		.name = "interface", .id = OBJ_IFACE,
		.cmd_new = SVR_CMD_IFACE_NEW, .cmd_set = SVR_CMD_IFACE_SET,
		.cmd_del = SVR_CMD_IFACE_DEL, .cmd_get = SVR_CMD_IFACE_GET,
		.a_name = SVR_A_IFACE_NAME, .a_ro = SVR_A_IFACE_IFINDEX,
		.max = SVR_A_IFACE_MAX, .opts = iface_opts,
	},
	[OBJ_TENANT] = {
		.name = "tenant", .id = OBJ_TENANT,
		.cmd_new = SVR_CMD_TENANT_NEW, .cmd_set = SVR_CMD_TENANT_SET,
		.cmd_del = SVR_CMD_TENANT_DEL, .cmd_get = SVR_CMD_TENANT_GET,
		.a_name = SVR_A_TENANT_NAME, .a_op = SVR_A_TENANT_OP,
		.a_force = SVR_A_TENANT_FORCE, .max = SVR_A_TENANT_MAX,
		.parts = {
			{ "prefix", SVR_A_TENANT_PREFIX, SVR_A_PREFIX_MAX, 0,
			  key_prefix },
		},
	},
	[OBJ_SECURITY] = {
		.name = "security", .id = OBJ_SECURITY,
		.cmd_new = SVR_CMD_SECURITY_NEW, .cmd_set = SVR_CMD_SECURITY_SET,
		.cmd_del = SVR_CMD_SECURITY_DEL, .cmd_get = SVR_CMD_SECURITY_GET,
		.a_name = SVR_A_SECURITY_NAME, .a_op = SVR_A_SECURITY_OP,
		.a_force = SVR_A_SECURITY_FORCE, .max = SVR_A_SECURITY_MAX,
		.opts = security_opts,
		.parts = {
			{ "key", SVR_A_SECURITY_KEY, SVR_A_KEY_MAX,
			  SVR_A_KEY_FINGERPRINT, key_key },
		},
	},
	[OBJ_SERVICE] = {
		.name = "service", .id = OBJ_SERVICE,
		.cmd_new = SVR_CMD_SERVICE_NEW, .cmd_set = SVR_CMD_SERVICE_SET,
		.cmd_del = SVR_CMD_SERVICE_DEL, .cmd_get = SVR_CMD_SERVICE_GET,
		.a_name = SVR_A_SERVICE_NAME, .a_op = SVR_A_SERVICE_OP,
		.a_force = SVR_A_SERVICE_FORCE, .max = SVR_A_SERVICE_MAX,
		.opts = service_opts,
		.parts = {
			{ "prefix", SVR_A_SERVICE_PREFIX, SVR_A_PREFIX_MAX, 0,
			  key_prefix },
			{ "transport", SVR_A_SERVICE_TRANSPORT,
			  SVR_A_TRANSPORT_MAX, 0, key_transport },
			{ "access", SVR_A_SERVICE_ACCESS, SVR_A_ACCESS_MAX, 0,
			  key_access },
		},
	},
	[OBJ_PEER] = {
		.name = "peer", .id = OBJ_PEER,
		.cmd_new = SVR_CMD_PEER_NEW, .cmd_set = SVR_CMD_PEER_SET,
		.cmd_del = SVR_CMD_PEER_DEL, .cmd_get = SVR_CMD_PEER_GET,
		.a_name = SVR_A_PEER_NAME, .a_op = SVR_A_PEER_OP,
		.a_force = SVR_A_PEER_FORCE, .max = SVR_A_PEER_MAX,
		.opts = peer_opts,
		.parts = {
			{ "path", SVR_A_PEER_PATH, SVR_A_PATH_MAX,
			  SVR_A_PATH_SESSIONS, key_path,
			  SVR_A_PATH_BFD_INTERVAL, SVR_A_PATH_BFD_STATE },
		},
	},
	[OBJ_ROUTE] = {
		.name = "route", .id = OBJ_ROUTE,
		.cmd_new = SVR_CMD_ROUTE_NEW, .cmd_del = SVR_CMD_ROUTE_DEL,
		.cmd_get = SVR_CMD_ROUTE_GET, .max = SVR_A_ROUTE_MAX,
		.opts = route_opts,
	},
	[OBJ_SESSION] = {
		.name = "session", .id = OBJ_SESSION,
		.cmd_del = SVR_CMD_SESSION_DEL, .cmd_get = SVR_CMD_SESSION_GET,
		.max = SVR_A_SESSION_MAX,
	},
};

const struct svr_objdesc *obj_by_cmd(uint8_t cmd)
{
	unsigned int i;

	if (!cmd)
		return NULL;
	for (i = 0; i < __OBJ_MAX; i++) {
		const struct svr_objdesc *od = &svr_objs[i];

		if (cmd == od->cmd_get || cmd == od->cmd_new ||
		    cmd == od->cmd_set || cmd == od->cmd_del)
			return od;
	}
	if (cmd == SVR_CMD_SESSION_FLUSH)
		return &svr_objs[OBJ_SESSION];
	return NULL;
}

const struct svr_part *obj_part(const struct svr_objdesc *od, uint16_t attr)
{
	unsigned int i;

	for (i = 0; i < 3 && od->parts[i].attr; i++)
		if (od->parts[i].attr == attr)
			return &od->parts[i];
	return NULL;
}

/* ---- options --------------------------------------------------------- */

static const struct svr_opt *opt_by_attr(const struct svr_opt *opts,
					 uint16_t attr)
{
	for (; opts && opts->kw; opts++)
		if (opts->attr == attr)
			return opts;
	return NULL;
}

static bool opt_is_string(const struct svr_opt *o)
{
	return o && (o->type == OPT_STR || o->type == OPT_REF);
}

int opt_parse(const struct svr_opt *opts, bool is_set, int *pargc,
	      char ***pargv, struct nlmsghdr *nlh, uint64_t *seen)
{
	int argc = *pargc;
	char **argv = *pargv;
	const char *arg = argv[0];
	const struct svr_opt *o, *hit = NULL;
	unsigned int val;
	bool neg = false;
	int pass, i;

	if (!opts)
		return 1;
	/* Exact keywords first, then abbreviations (in table order). */
	for (pass = 0; pass < 2 && !hit; pass++) {
		for (o = opts; o->kw && !hit; o++) {
			if (o->type == OPT_BARE8) {
				const struct svr_enum *e;

				for (e = o->enums; e->name; e++)
					if (pass ? matches(arg, e->name) :
					    !strcmp(arg, e->name))
						break;
				if (e->name) {
					hit = o;
					val = e->val;
				}
				continue;
			}
			if (pass ? matches(arg, o->kw) : !strcmp(arg, o->kw)) {
				hit = o;
			} else if ((o->type == OPT_REF || o->type == OPT_FLAG8) &&
				   !strncmp(arg, "no-", 3) &&
				   (pass ? matches(arg + 3, o->kw) :
				    !strcmp(arg + 3, o->kw))) {
				hit = o;
				neg = true;
			}
		}
	}
	if (!hit)
		return 1;
	o = hit;
	i = o - opts;
	if (*seen & (1ULL << i))
		return err_dup(arg);
	*seen |= 1ULL << i;
	if (is_set && (o->flags & OPT_F_NEW_ONLY))
		return err_arg(arg, "cannot be changed with set");
	if (o->flags & OPT_F_RO)
		return err_arg(arg, "is read-only");

	switch (o->type) {
	case OPT_BARE8:
		mnl_attr_put_u8(nlh, o->attr, val);
		break;
	case OPT_FLAG8:
		mnl_attr_put_u8(nlh, o->attr, !neg);
		break;
	case OPT_REF:
		if (neg) {
			mnl_attr_put_strz(nlh, o->attr, "");
			break;
		}
		/* fall through */
	case OPT_STR:
		NEXT_ARG();
		if (parse_name(o->kw, argv[0]))
			return EXIT_USAGE;
		mnl_attr_put_strz(nlh, o->attr, argv[0]);
		break;
	case OPT_U32: {
		uint32_t v;

		NEXT_ARG();
		if (parse_u32(o->kw, argv[0], o->min, o->max, &v))
			return EXIT_USAGE;
		mnl_attr_put_u32(nlh, o->attr, v);
		break;
	}
	case OPT_RANGE16: {
		uint16_t lo, hi;

		NEXT_ARG();
		if (parse_range(o->kw, argv[0], o->min, o->max, &lo, &hi))
			return EXIT_USAGE;
		mnl_attr_put_u16(nlh, o->attr, lo);
		mnl_attr_put_u16(nlh, o->attr_hi, hi);
		break;
	}
	case OPT_ENUM8:
		NEXT_ARG();
		if (parse_enum(o->enums, o->kw, argv[0], &val))
			return EXIT_USAGE;
		mnl_attr_put_u8(nlh, o->attr, val);
		break;
	}
	*pargc = argc;
	*pargv = argv;
	return 0;
}

static const char *attr_str(const struct nlattr *a)
{
	if (!a || !mnl_attr_get_payload_len(a))
		return "";
	if (((const char *)mnl_attr_get_payload(a))[mnl_attr_get_payload_len(a) - 1])
		return "";	/* not NUL-terminated: treat as absent */
	return mnl_attr_get_str(a);
}

static uint64_t attr_uint(const struct nlattr *a)
{
	if (!a)
		return 0;
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		return mnl_attr_get_u32(a);
	case 8:
		return mnl_attr_get_u64(a);
	}
	return 0;
}

void opt_print(const struct svr_opt *opts, const struct nlattr **tb)
{
	const struct svr_opt *o;

	for (o = opts; o && o->kw; o++) {
		const struct nlattr *a = tb[o->attr];
		char fmt[64];
		uint64_t v = attr_uint(a);

		switch (o->type) {
		case OPT_STR:
		case OPT_REF:
			if (!*attr_str(a)) {
				print_null(PRINT_JSON, o->json, NULL);
				break;
			}
			snprintf(fmt, sizeof(fmt), " %s %%s", o->kw);
			print_string(PRINT_ANY, o->json, fmt, attr_str(a));
			break;
		case OPT_U32:
			if (!a && (o->flags & OPT_F_HIDE0))
				v = 0;
			print_uint(PRINT_JSON, o->json, NULL, v);
			if (!(o->flags & OPT_F_HIDE0) || v)
				print_text(" %s %llu", o->kw,
					   (unsigned long long)v);
			break;
		case OPT_RANGE16: {
			uint64_t hi = attr_uint(tb[o->attr_hi]);

			print_uint(PRINT_JSON, o->json, NULL, v);
			print_uint(PRINT_JSON, o->json_hi, NULL, hi);
			if (!(o->flags & OPT_F_HIDE0) || v || hi)
				print_text(" %s %llu-%llu", o->kw,
					   (unsigned long long)v,
					   (unsigned long long)hi);
			break;
		}
		case OPT_ENUM8:
			snprintf(fmt, sizeof(fmt), " %s %%s", o->kw);
			print_string(PRINT_ANY, o->json, fmt,
				     enum_name(o->enums, v));
			break;
		case OPT_BARE8:
			print_string(PRINT_ANY, o->json, " %s",
				     enum_name(o->enums, v));
			break;
		case OPT_FLAG8:
			print_bool(PRINT_JSON, o->json, NULL, v);
			if (v)
				print_text(" %s", o->kw);
			break;
		}
	}
}

void opt_save(FILE *f, const struct svr_opt *opts, const struct nlattr **tb,
	      bool all)
{
	const struct svr_opt *o;

	for (o = opts; o && o->kw; o++) {
		const struct nlattr *a = tb[o->attr];
		uint64_t v = attr_uint(a);

		if (!a || (o->flags & OPT_F_RO))
			continue;
		switch (o->type) {
		case OPT_STR:
		case OPT_REF:
			if (*attr_str(a))
				fprintf(f, " %s %s", o->kw, attr_str(a));
			break;
		case OPT_U32:
			if (all || v)
				fprintf(f, " %s %llu", o->kw,
					(unsigned long long)v);
			break;
		case OPT_RANGE16: {
			uint64_t hi = attr_uint(tb[o->attr_hi]);

			if (all || v || hi)
				fprintf(f, " %s %llu-%llu", o->kw,
					(unsigned long long)v,
					(unsigned long long)hi);
			break;
		}
		case OPT_ENUM8:
			fprintf(f, " %s %s", o->kw, enum_name(o->enums, v));
			break;
		case OPT_BARE8:
			if (all || v)
				fprintf(f, " %s", enum_name(o->enums, v));
			break;
		case OPT_FLAG8:
			if (v)
				fprintf(f, " %s", o->kw);
			break;
		}
	}
}

void opt_help(FILE *f, const struct svr_opt *opts, bool is_set,
	      const char *indent)
{
	const struct svr_opt *o;
	size_t col = strlen(indent);
	char cont[64];

	/* Continuation lines line up under the first option. */
	snprintf(cont, sizeof(cont), "\t%*s", (int)strlen(indent) - 1, "");
	fputs(indent, f);
	for (o = opts; o && o->kw; o++) {
		char buf[160];

		if ((is_set && (o->flags & OPT_F_NEW_ONLY)) ||
		    (o->flags & OPT_F_RO))
			continue;
		switch (o->type) {
		case OPT_ENUM8:
			snprintf(buf, sizeof(buf), "[ %s { %s } ]", o->kw,
				 enum_list(o->enums));
			break;
		case OPT_BARE8:
			snprintf(buf, sizeof(buf), "[ %s ]", enum_list(o->enums));
			break;
		case OPT_FLAG8:
			snprintf(buf, sizeof(buf), is_set ? "[ %s | no-%s ]" :
				 "[ %s ]", o->kw, o->kw);
			break;
		case OPT_REF:
			snprintf(buf, sizeof(buf), is_set ?
				 "[ %s %s | no-%s ]" : "[ %s %s ]", o->kw,
				 o->meta, o->kw);
			break;
		default:
			snprintf(buf, sizeof(buf), "[ %s %s ]", o->kw, o->meta);
			break;
		}
		if (col + strlen(buf) + 1 > 72 && col > strlen(indent)) {
			fprintf(f, "\n%s", cont);
			col = strlen(indent);
		}
		fprintf(f, "%s%s", col > strlen(indent) ? " " : "", buf);
		col += strlen(buf) + 1;
	}
	fputc('\n', f);
}

/* ---- requests -------------------------------------------------------- */

struct req *req_new(const struct svr_objdesc *od, uint8_t cmd,
		    const char *name)
{
	struct req *r = calloc(1, sizeof(*r));
	struct genlmsghdr *g;

	if (!r || !(r->nlh = malloc(SVR_MSG_SIZE_MAX))) {
		fprintf(stderr, "Error: out of memory\n");
		exit(EXIT_REFUSED);
	}
	r->od = od;
	mnl_nlmsg_put_header(r->nlh);
	r->nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = SVR_GENL_VERSION;
	if (name) {
		snprintf(r->name, sizeof(r->name), "%s", name);
		if (od->a_name)
			mnl_attr_put_strz(r->nlh, od->a_name, name);
	}
	return r;
}

void req_done(struct req *r)
{
	struct nlmsghdr *n = realloc(r->nlh, r->nlh->nlmsg_len);

	if (n)
		r->nlh = n;
}

uint8_t req_cmd(const struct req *r)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(r->nlh);

	return g->cmd;
}

void req_free(struct req *r)
{
	unsigned int i;

	if (!r)
		return;
	/* Requests may carry key bytes: wipe them. */
	explicit_bzero(r->nlh, r->nlh->nlmsg_len);
	free(r->nlh);
	for (i = 0; i < r->nsnap; i++) {
		explicit_bzero(r->snap[i], r->snap[i]->nlmsg_len);
		free(r->snap[i]);
	}
	free(r->snap);
	free(r);
}

static int send_msg(struct svrctl *c, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data)
{
	struct svr_nl *nl = svrctl_nl(c);

	if (!nl)
		return -ENOENT;
	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_seq = ++nl->seq;
	nlh->nlmsg_pid = 0;
	return svr_nl_talk(nl, nlh, cb, data);
}

int req_send(struct svrctl *c, struct req *r)
{
	return send_msg(c, r->nlh, NULL, NULL);
}

int req_submit(struct svrctl *c, struct req *r)
{
	int ret;

	req_done(r);
	if (r->nlh->nlmsg_len > SVR_MSG_SIZE_MAX - 256) {
		req_free(r);
		return svrctl_err(EXIT_USAGE,
				  "the command is too long for one request, split it");
	}
	if (c->check_only) {
		r->file = c->file;
		r->line = c->line;
		*c->queue_tail = r;
		c->queue_tail = &r->next;
		return EXIT_OK;
	}
	if (!svrctl_nl(c)) {
		req_free(r);
		return EXIT_REFUSED;
	}
	ret = req_send(c, r);
	req_free(r);
	return ret ? svrctl_nl_err(c) : EXIT_OK;
}

/* ---- snapshots and undo ---------------------------------------------- */

static void snap_push(struct req *r, const struct nlmsghdr *nlh)
{
	struct nlmsghdr **v = realloc(r->snap, (r->nsnap + 1) * sizeof(*v));
	struct nlmsghdr *m = malloc(nlh->nlmsg_len);

	if (!v || !m) {
		fprintf(stderr, "Error: out of memory\n");
		exit(EXIT_REFUSED);
	}
	memcpy(m, nlh, nlh->nlmsg_len);
	r->snap = v;
	r->snap[r->nsnap++] = m;
}

struct snap_ctx {
	struct req	*r;
	uint8_t		cmd;	/* keep only messages of this command */
	uint16_t	a_name;	/* ... and with this name (0: any) */
	/* ... or that refer to r->name in a_name or in nest/member */
	uint16_t	nest, member;
};

static bool refers(const struct nlmsghdr *nlh, uint16_t nest,
		   uint16_t member, const char *name)
{
	const struct nlattr *a, *m;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != nest)
			continue;
		mnl_attr_for_each_nested(m, a)
			if (mnl_attr_get_type(m) == member &&
			    !strcmp(attr_str(m), name))
				return true;
	}
	return false;
}

static int snap_cb(const struct nlmsghdr *nlh, void *data)
{
	struct snap_ctx *s = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64];

	if (s->cmd && g->cmd != s->cmd)
		return MNL_CB_OK;
	if (s->nest) {
		if (!refers(nlh, s->nest, s->member, s->r->name))
			return MNL_CB_OK;
	} else if (s->a_name) {
		if (s->a_name >= 64 || svr_nl_parse(nlh, tb, s->a_name) ||
		    !tb[s->a_name] ||
		    strcmp(attr_str(tb[s->a_name]), s->r->name))
			return MNL_CB_OK;
	}
	snap_push(s->r, nlh);
	return MNL_CB_OK;
}

static struct nlmsghdr *msg_new(uint8_t cmd, uint16_t flags, char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = SVR_GENL_VERSION;
	return nlh;
}

struct snap_ctx;
static int snap_dump(struct svrctl *c, struct req *r, uint8_t cmd,
		     uint16_t flags, uint16_t a_name, struct snap_ctx *s);

/* Dump (or get) @cmd into the snapshot of @r, keeping what @s selects. */
static int snap_talk(struct svrctl *c, struct req *r, uint8_t cmd,
		     uint16_t flags, uint16_t a_name, uint8_t keep,
		     uint16_t keep_name)
{
	struct snap_ctx s = { .r = r, .cmd = keep, .a_name = keep_name };

	return snap_dump(c, r, cmd, flags, a_name, &s);
}

static int snap_dump(struct svrctl *c, struct req *r, uint8_t cmd,
		     uint16_t flags, uint16_t a_name, struct snap_ctx *s)
{
	static char buf[1024];
	struct nlmsghdr *nlh = msg_new(cmd, flags, buf);
	unsigned int had = r->nsnap;
	int ret;

	if (a_name)
		mnl_attr_put_strz(nlh, a_name, r->name);
	do {
		ret = send_msg(c, nlh, snap_cb, s);
		if (ret == -EINTR) {	/* dump raced with a change: redo */
			while (r->nsnap > had)
				free(r->snap[--r->nsnap]);
		}
	} while (ret == -EINTR);
	return ret == -ENOENT ? 0 : ret;
}

/* The objects that refer to @r's object, which a forced delete changes. */
static int snap_refs(struct svrctl *c, struct req *r)
{
	struct snap_ctx s = { .r = r };
	int ret = 0;

	switch (r->od->id) {
	case OBJ_TENANT:
		s.cmd = SVR_CMD_IFACE_GET;
		s.a_name = SVR_A_IFACE_TENANT;
		ret = snap_dump(c, r, s.cmd, NLM_F_DUMP, 0, &s);
		s.cmd = SVR_CMD_SERVICE_GET;
		s.nest = SVR_A_SERVICE_ACCESS;
		s.member = SVR_A_ACCESS_TENANT;
		break;
	case OBJ_SECURITY:
		s.cmd = SVR_CMD_PEER_GET;
		s.a_name = SVR_A_PEER_SECURITY;
		ret = snap_dump(c, r, s.cmd, NLM_F_DUMP, 0, &s);
		s.cmd = SVR_CMD_SERVICE_GET;
		s.a_name = SVR_A_SERVICE_SECURITY;
		break;
	case OBJ_PEER:
		s.cmd = SVR_CMD_ROUTE_GET;
		s.a_name = SVR_A_ROUTE_PEER;
		break;
	default:
		return 0;
	}
	return ret ? ret : snap_dump(c, r, s.cmd, NLM_F_DUMP, 0, &s);
}

static bool req_has_attr(const struct req *r, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, r->nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return true;
	return false;
}

int req_snapshot(struct svrctl *c, struct req *r)
{
	const struct svr_objdesc *od = r->od;
	uint8_t cmd = req_cmd(r);
	int ret;

	if (!od || od->id == OBJ_SESSION || (cmd == od->cmd_new &&
					     od->id != OBJ_ROUTE))
		return 0;
	switch (od->id) {
	case OBJ_ROUTER:
		return snap_talk(c, r, SVR_CMD_ROUTER_GET, 0, 0, 0, 0);
	case OBJ_ROUTE:
		if (cmd != SVR_CMD_ROUTE_DEL)
			return 0;
		return snap_talk(c, r, SVR_CMD_ROUTE_GET, NLM_F_DUMP,
				 SVR_A_ROUTE_SERVICE, 0, 0);
	case OBJ_SECURITY:
		/* Only CONFIG_SAVE returns key bytes, needed to restore. */
		ret = snap_talk(c, r, SVR_CMD_CONFIG_SAVE, NLM_F_DUMP, 0,
				SVR_CMD_SECURITY_GET, SVR_A_SECURITY_NAME);
		break;
	default:
		ret = snap_talk(c, r, od->cmd_get, 0, od->a_name, 0, 0);
		break;
	}
	if (ret || !r->nsnap || cmd != od->cmd_del)
		return ret;
	/* What goes with the object: a service's routes; with force, the
	 * references from other objects. */
	if (od->id == OBJ_SERVICE)
		return snap_talk(c, r, SVR_CMD_ROUTE_GET, NLM_F_DUMP,
				 SVR_A_ROUTE_SERVICE, 0, 0);
	if (od->a_force && req_has_attr(r, od->a_force))
		return snap_refs(c, r);
	return 0;
}

/* Is member @t of part @p (NULL: copy all) reply-only? */
static bool part_ro(const struct svr_part *p, uint16_t t)
{
	if (!p || !p->ro || t < p->ro)
		return false;
	return !p->rw || t < p->rw || (p->ro2 && t >= p->ro2);
}

/* Copy @nest into @nlh, leaving out the reply-only members of @p. */
static void copy_nest(struct nlmsghdr *nlh, const struct nlattr *nest,
		      const struct svr_part *p)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, mnl_attr_get_type(nest));
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		if (part_ro(p, mnl_attr_get_type(a)))
			continue;
		mnl_attr_put(nlh, mnl_attr_get_type(a),
			     mnl_attr_get_payload_len(a),
			     mnl_attr_get_payload(a));
	}
	mnl_attr_nest_end(nlh, n);
}

static void part_key_of(const struct svr_part *p, const struct nlattr *nest,
			char *buf, size_t len)
{
	const struct nlattr *tb[SVR_PART_ATTRS_MAX + 1];

	if (p->max > SVR_PART_ATTRS_MAX ||
	    svr_nl_parse_nested(nest, tb, p->max)) {
		buf[0] = 0;
		return;
	}
	p->key(tb, buf, len);
}

/* Does @r's message hold a part of type @p with the key of @nest? */
static bool req_has_part(const struct req *r, const struct svr_part *p,
			 const struct nlattr *nest)
{
	const struct nlattr *a;
	char want[160], have[160];

	part_key_of(p, nest, want, sizeof(want));
	mnl_attr_for_each(a, r->nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != p->attr)
			continue;
		part_key_of(p, a, have, sizeof(have));
		if (!strcmp(want, have))
			return true;
	}
	return false;
}

static int undo_send(struct svrctl *c, struct nlmsghdr *nlh)
{
	int ret = send_msg(c, nlh, NULL, NULL);

	explicit_bzero(nlh, nlh->nlmsg_len);
	return ret;
}

/* A NEW request from a GET/CONFIG_SAVE message of the same object. */
static struct nlmsghdr *new_from_reply(const struct svr_objdesc *od,
				       uint8_t cmd,
				       const struct nlmsghdr *reply, char *buf)
{
	struct nlmsghdr *nlh = msg_new(cmd, 0, buf);
	const struct nlattr *a;

	mnl_attr_for_each(a, reply, GENL_HDRLEN) {
		uint16_t t = mnl_attr_get_type(a);
		const struct svr_part *p = obj_part(od, t);

		if (od->a_ro && t == od->a_ro)
			continue;
		if (p)
			copy_nest(nlh, a, p);
		else
			mnl_attr_put(nlh, t, mnl_attr_get_payload_len(a),
				     mnl_attr_get_payload(a));
	}
	return nlh;
}

static int undo_parts(struct svrctl *c, struct req *r, uint8_t op,
		      char *buf)
{
	const struct svr_objdesc *od = r->od;
	struct nlmsghdr *nlh = msg_new(od->cmd_set, 0, buf);
	const struct nlattr *a;
	bool any = false;

	mnl_attr_put_strz(nlh, od->a_name, r->name);
	mnl_attr_put_u8(nlh, od->a_op, op);
	if (op == SVR_OP_DEL) {
		/* Undo an add: remove exactly what was added. */
		mnl_attr_for_each(a, r->nlh, GENL_HDRLEN) {
			const struct svr_part *p =
				obj_part(od, mnl_attr_get_type(a));

			if (p) {
				copy_nest(nlh, a, p);
				any = true;
			}
		}
	} else if (r->nsnap) {
		/* Undo a del or set: put back the parts as they were. */
		mnl_attr_for_each(a, r->snap[0], GENL_HDRLEN) {
			const struct svr_part *p =
				obj_part(od, mnl_attr_get_type(a));

			if (p && req_has_part(r, p, a)) {
				copy_nest(nlh, a, p);
				any = true;
			}
		}
	}
	return any ? undo_send(c, nlh) : 0;
}

/* Restore the scalar options @r changed to their snapshot values. */
static int undo_scalars(struct svrctl *c, struct req *r, char *buf)
{
	const struct svr_objdesc *od = r->od;
	struct nlmsghdr *nlh = msg_new(od->cmd_set, 0, buf);
	const struct nlattr *tb[64] = { 0 };
	const struct nlattr *a;
	bool any = false;

	if (r->nsnap && svr_nl_parse(r->snap[0], tb, od->max))
		return 0;
	if (od->a_name)
		mnl_attr_put_strz(nlh, od->a_name, r->name);
	mnl_attr_for_each(a, r->nlh, GENL_HDRLEN) {
		uint16_t t = mnl_attr_get_type(a);
		static const char zero[8];

		if (t == od->a_name || (od->a_op && t == od->a_op) ||
		    (od->a_force && t == od->a_force) || obj_part(od, t))
			continue;
		any = true;
		if (t <= od->max && tb[t])
			mnl_attr_put(nlh, t, mnl_attr_get_payload_len(tb[t]),
				     mnl_attr_get_payload(tb[t]));
		else if (opt_is_string(opt_by_attr(od->opts, t)))
			mnl_attr_put_strz(nlh, t, "");
		else
			mnl_attr_put(nlh, t, mnl_attr_get_payload_len(a) > 8 ?
				     8 : mnl_attr_get_payload_len(a), zero);
	}
	return any ? undo_send(c, nlh) : 0;
}

/*
 * Put back what a delete took along: a route (of a deleted service, or via
 * a force-deleted peer), an interface's tenant, a service's access entries
 * or security policy, a peer's security policy.
 */
static int undo_ref(struct svrctl *c, struct req *r,
		    const struct nlmsghdr *snap, char *buf)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(snap);
	const struct svr_objdesc *ro = obj_by_cmd(g->cmd);
	const struct nlattr *tb[64], *a;
	struct nlmsghdr *nlh;

	if (!ro || ro->max >= 64 || svr_nl_parse(snap, tb, ro->max))
		return 0;
	if (ro->id == OBJ_ROUTE)
		return undo_send(c, new_from_reply(ro, SVR_CMD_ROUTE_NEW, snap,
						   buf));
	nlh = msg_new(ro->cmd_set, 0, buf);
	mnl_attr_put_strz(nlh, ro->a_name, attr_str(tb[ro->a_name]));
	switch (ro->id) {
	case OBJ_IFACE:
		mnl_attr_put_strz(nlh, SVR_A_IFACE_TENANT, r->name);
		break;
	case OBJ_PEER:
		mnl_attr_put_strz(nlh, SVR_A_PEER_SECURITY, r->name);
		break;
	case OBJ_SERVICE:
		if (r->od->id == OBJ_SECURITY) {
			mnl_attr_put_strz(nlh, SVR_A_SERVICE_SECURITY, r->name);
			break;
		}
		mnl_attr_put_u8(nlh, SVR_A_SERVICE_OP, SVR_OP_ADD);
		mnl_attr_for_each(a, snap, GENL_HDRLEN) {
			const struct nlattr *m;
			bool match = false;

			if (mnl_attr_get_type(a) != SVR_A_SERVICE_ACCESS)
				continue;
			mnl_attr_for_each_nested(m, a)
				if (mnl_attr_get_type(m) == SVR_A_ACCESS_TENANT &&
				    !strcmp(attr_str(m), r->name))
					match = true;
			if (match)
				copy_nest(nlh, a, NULL);
		}
		break;
	default:
		return 0;
	}
	return undo_send(c, nlh);
}

int req_undo(struct svrctl *c, struct req *r)
{
	static char buf[SVR_MSG_SIZE_MAX];
	const struct svr_objdesc *od = r->od;
	uint8_t cmd = req_cmd(r);
	struct nlmsghdr *nlh;
	const struct nlattr *a, *op;
	unsigned int i;
	int ret;

	if (!od || od->id == OBJ_SESSION || !r->applied)
		return 0;

	if (od->id == OBJ_ROUTE) {
		const struct nlattr *tb[SVR_A_ROUTE_MAX + 1];
		char want[256], have[256];

		if (svr_nl_parse(r->nlh, tb, SVR_A_ROUTE_MAX))
			return -EINVAL;
		key_route(tb, want, sizeof(want));
		if (cmd == SVR_CMD_ROUTE_NEW) {
			nlh = msg_new(SVR_CMD_ROUTE_DEL, 0, buf);
			mnl_attr_for_each(a, r->nlh, GENL_HDRLEN)
				if (mnl_attr_get_type(a) != SVR_A_ROUTE_COST)
					mnl_attr_put(nlh, mnl_attr_get_type(a),
						     mnl_attr_get_payload_len(a),
						     mnl_attr_get_payload(a));
			return undo_send(c, nlh);
		}
		for (i = 0; i < r->nsnap; i++) {
			if (svr_nl_parse(r->snap[i], tb, SVR_A_ROUTE_MAX))
				continue;
			key_route(tb, have, sizeof(have));
			if (!strcmp(want, have))
				return undo_send(c, new_from_reply(od,
						SVR_CMD_ROUTE_NEW, r->snap[i], buf));
		}
		return 0;
	}

	if (cmd == od->cmd_new) {
		nlh = msg_new(od->cmd_del, 0, buf);
		mnl_attr_put_strz(nlh, od->a_name, r->name);
		return undo_send(c, nlh);
	}
	if (cmd == od->cmd_del) {
		if (!r->nsnap)
			return 0;
		ret = undo_send(c, new_from_reply(od, od->cmd_new, r->snap[0],
						  buf));
		for (i = 1; !ret && i < r->nsnap; i++)
			ret = undo_ref(c, r, r->snap[i], buf);
		return ret;
	}
	/* SET: parts by the inverse operation, then the scalars. */
	ret = 0;
	if (od->a_op) {
		uint8_t o = SVR_OP_ADD;

		op = NULL;
		mnl_attr_for_each(a, r->nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == od->a_op)
				op = a;
		if (op)
			o = mnl_attr_get_u8(op);
		ret = undo_parts(c, r, o == SVR_OP_ADD ? SVR_OP_DEL :
				 o == SVR_OP_DEL ? SVR_OP_ADD : SVR_OP_SET, buf);
	}
	if (!ret)
		ret = undo_scalars(c, r, buf);
	return ret;
}

/* ---- printing -------------------------------------------------------- */

int obj_parse(const struct svr_objdesc *od, const struct nlmsghdr *nlh,
	      const struct nlattr **tb)
{
	return svr_nl_parse(nlh, tb, od->max);
}

static void part_sep(void)
{
	print_text(print_oneline ? " " : "\n\t");
}

static void print_prefix_part(const struct nlattr *nest, bool is_tenant)
{
	const struct nlattr *tb[SVR_A_PREFIX_MAX + 1];
	struct svr_addr a;
	char s[ADDR_STRLEN];

	if (svr_nl_parse_nested(nest, tb, SVR_A_PREFIX_MAX))
		return;
	get_addr(tb[SVR_A_PREFIX_ADDR4], tb[SVR_A_PREFIX_ADDR6], &a);
	if (tb[SVR_A_PREFIX_PLEN])
		a.plen = mnl_attr_get_u8(tb[SVR_A_PREFIX_PLEN]);
	fmt_addr(&a, true, s, sizeof(s));
	part_sep();
	if (!is_tenant) {
		print_string(PRINT_ANY, NULL, "prefix %s", s);
		return;
	}
	open_json_object(NULL);
	print_string(PRINT_ANY, "prefix", "prefix %s", s);
	if (*attr_str(tb[SVR_A_PREFIX_DEV]))
		print_string(PRINT_ANY, "dev", " dev %s",
			     attr_str(tb[SVR_A_PREFIX_DEV]));
	else
		print_null(PRINT_JSON, "dev", NULL);
	close_json_object();
}

static void save_prefix_part(FILE *f, const struct nlattr *nest)
{
	const struct nlattr *tb[SVR_A_PREFIX_MAX + 1];
	struct svr_addr a;
	char s[ADDR_STRLEN];

	if (svr_nl_parse_nested(nest, tb, SVR_A_PREFIX_MAX))
		return;
	get_addr(tb[SVR_A_PREFIX_ADDR4], tb[SVR_A_PREFIX_ADDR6], &a);
	if (tb[SVR_A_PREFIX_PLEN])
		a.plen = mnl_attr_get_u8(tb[SVR_A_PREFIX_PLEN]);
	fprintf(f, " prefix %s", fmt_addr(&a, true, s, sizeof(s)));
	if (*attr_str(tb[SVR_A_PREFIX_DEV]))
		fprintf(f, " dev %s", attr_str(tb[SVR_A_PREFIX_DEV]));
}

/* Consecutive transports of one protocol print as "proto P port A,B-C". */
static void transports_out(FILE *f, const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	int cur = -1;
	bool cur_ports = false;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		const struct nlattr *tb[SVR_A_TRANSPORT_MAX + 1];
		unsigned int proto, lo, hi;

		if (mnl_attr_get_type(a) != SVR_A_SERVICE_TRANSPORT ||
		    svr_nl_parse_nested(a, tb, SVR_A_TRANSPORT_MAX))
			continue;
		proto = attr_uint(tb[SVR_A_TRANSPORT_PROTO]);
		lo = attr_uint(tb[SVR_A_TRANSPORT_PORT_LO]);
		hi = tb[SVR_A_TRANSPORT_PORT_HI] ?
		     attr_uint(tb[SVR_A_TRANSPORT_PORT_HI]) : lo;
		if (print_is_json() && !f) {
			open_json_object(NULL);
			print_string(PRINT_JSON, "proto", NULL,
				     enum_name(svr_protos, proto));
			print_uint(PRINT_JSON, "port_lo", NULL, lo);
			print_uint(PRINT_JSON, "port_hi", NULL, hi);
			close_json_object();
			continue;
		}
		if ((int)proto == cur && cur_ports && lo) {
			if (f)
				fprintf(f, ",");
			else
				print_text(",");
		} else {
			if (f)
				fprintf(f, " proto %s%s",
					enum_name(svr_protos, proto),
					lo ? " port " : "");
			else {
				part_sep();
				print_text("proto %s%s",
					   enum_name(svr_protos, proto),
					   lo ? " port " : "");
			}
		}
		cur = proto;
		cur_ports = lo != 0;
		if (!lo)
			continue;
		if (f)
			fprintf(f, hi != lo ? "%u-%u" : "%u", lo, hi);
		else if (hi != lo)
			print_text("%u-%u", lo, hi);
		else
			print_text("%u", lo);
	}
}

static void print_access_part(const struct nlattr *nest, FILE *f)
{
	const struct nlattr *tb[SVR_A_ACCESS_MAX + 1];
	const char *act;

	if (svr_nl_parse_nested(nest, tb, SVR_A_ACCESS_MAX))
		return;
	act = enum_name(svr_actions, attr_uint(tb[SVR_A_ACCESS_ACTION]));
	if (f) {
		fprintf(f, " %s %s", act, attr_str(tb[SVR_A_ACCESS_TENANT]));
		return;
	}
	part_sep();
	open_json_object(NULL);
	print_string(PRINT_ANY, "action", "%s", act);
	print_string(PRINT_ANY, "tenant", " %s",
		     attr_str(tb[SVR_A_ACCESS_TENANT]));
	close_json_object();
}

/* A path's BFD state (peer show): text only when BFD is on. */
static void path_bfd_out(const struct nlattr **tb)
{
	const char *st = enum_name(svr_bfd_states,
				   attr_uint(tb[SVR_A_PATH_BFD_STATE]));

	if (print_is_json()) {
		print_string(PRINT_JSON, "bfd_state", NULL, st);
		print_uint(PRINT_JSON, "bfd_diag", NULL,
			   attr_uint(tb[SVR_A_PATH_BFD_DIAG]));
	} else if (attr_uint(tb[SVR_A_PATH_BFD_INTERVAL])) {
		print_text(" bfd %s", st);
	}
}

/* A path's counters (peer show): sessions, tx/rx packets/bytes, metadata. */
static void path_stats_out(const struct nlattr **tb)
{
	static const struct {
		int attr;
		const char *json, *fmt;
	} c[] = {
		{ SVR_A_PATH_SESSIONS, "sessions", " sessions %llu" },
		{ SVR_A_PATH_TX_PACKETS, "tx_packets", " tx %llu" },
		{ SVR_A_PATH_TX_BYTES, "tx_bytes", "/%llu" },
		{ SVR_A_PATH_RX_PACKETS, "rx_packets", " rx %llu" },
		{ SVR_A_PATH_RX_BYTES, "rx_bytes", "/%llu" },
		{ SVR_A_PATH_MD_SENT, "md_sent", " md %llu" },
		{ SVR_A_PATH_MD_RCVD, "md_received", "/%llu" },
	};
	unsigned int i;

	if (!tb[SVR_A_PATH_SESSIONS])
		return;
	path_bfd_out(tb);
	if (!print_stats && !print_is_json())
		return;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		print_uint(PRINT_ANY, c[i].json, c[i].fmt,
			   attr_uint(tb[c[i].attr]));
	if (attr_uint(tb[SVR_A_PATH_BFD_INTERVAL]) || print_is_json()) {
		print_uint(PRINT_ANY, "bfd_tx", " bfd %llu",
			   attr_uint(tb[SVR_A_PATH_BFD_TX]));
		print_uint(PRINT_ANY, "bfd_rx", "/%llu",
			   attr_uint(tb[SVR_A_PATH_BFD_RX]));
		print_uint(PRINT_ANY, "bfd_downs", " downs %llu",
			   attr_uint(tb[SVR_A_PATH_BFD_DOWNS]));
	}
}

static void path_out(const struct nlattr *nest, FILE *f)
{
	const struct nlattr *tb[SVR_A_PATH_MAX + 1];
	struct svr_addr l, r;
	char sl[ADDR_STRLEN], sr[ADDR_STRLEN];

	if (svr_nl_parse_nested(nest, tb, SVR_A_PATH_MAX))
		return;
	get_addr(tb[SVR_A_PATH_LOCAL4], tb[SVR_A_PATH_LOCAL6], &l);
	get_addr(tb[SVR_A_PATH_REMOTE4], tb[SVR_A_PATH_REMOTE6], &r);
	fmt_addr(&l, false, sl, sizeof(sl));
	fmt_addr(&r, false, sr, sizeof(sr));
	if (f) {
		fprintf(f, " path %s %s", sl, sr);
		opt_save(f, path_opts, tb, false);
		return;
	}
	part_sep();
	open_json_object(NULL);
	print_string(PRINT_ANY, "local", "path %s", sl);
	print_string(PRINT_ANY, "remote", " %s", sr);
	opt_print(path_opts, tb);
	path_stats_out(tb);
	close_json_object();
}

static void key_out(const struct nlattr *nest, FILE *f, const char *policy,
		    const struct nlattr **ptb)
{
	const struct nlattr *tb[SVR_A_KEY_MAX + 1];
	char fp[2 * SVR_FINGERPRINT_LEN + 1] = "";
	char hex[2 * 32 + 1];
	uint32_t id;

	if (svr_nl_parse_nested(nest, tb, SVR_A_KEY_MAX))
		return;
	id = attr_uint(tb[SVR_A_KEY_ID]);
	if (tb[SVR_A_KEY_FINGERPRINT] &&
	    mnl_attr_get_payload_len(tb[SVR_A_KEY_FINGERPRINT]) ==
	    SVR_FINGERPRINT_LEN)
		fmt_hex(mnl_attr_get_payload(tb[SVR_A_KEY_FINGERPRINT]),
			SVR_FINGERPRINT_LEN, fp);
	if (!f) {
		/* show: the fingerprint, never the bytes. */
		part_sep();
		open_json_object(NULL);
		print_uint(PRINT_ANY, "id", "key %llu", id);
		if (*fp)
			print_string(PRINT_ANY, "fingerprint", " fingerprint %s",
				     fp);
		else
			print_null(PRINT_JSON, "fingerprint", NULL);
		close_json_object();
		return;
	}
	{
		bool need_c = attr_uint(ptb[SVR_A_SECURITY_CIPHER]) != SVR_CIPHER_NONE;
		bool need_h = attr_uint(ptb[SVR_A_SECURITY_HMAC]) != SVR_HMAC_NONE;
		const struct nlattr *ck = tb[SVR_A_KEY_CIPHER_KEY];
		const struct nlattr *hk = tb[SVR_A_KEY_HMAC_KEY];

		if ((need_c && !ck) || (need_h && !hk)) {
			fprintf(f, "# security key add %s %u: key bytes not shown%s%s (need CAP_NET_ADMIN)\n",
				policy, id, *fp ? ", fingerprint " : "", fp);
			return;
		}
		fprintf(f, "security key add %s %u", policy, id);
		if (ck && mnl_attr_get_payload_len(ck) <= 32) {
			fmt_hex(mnl_attr_get_payload(ck),
				mnl_attr_get_payload_len(ck), hex);
			fprintf(f, " cipher-key hex:%s", hex);
		}
		if (hk && mnl_attr_get_payload_len(hk) <= 32) {
			fmt_hex(mnl_attr_get_payload(hk),
				mnl_attr_get_payload_len(hk), hex);
			fprintf(f, " hmac-key hex:%s", hex);
		}
		explicit_bzero(hex, sizeof(hex));
		fputc('\n', f);
	}
}

static void route_out(const struct nlattr **tb, FILE *f)
{
	unsigned int type = attr_uint(tb[SVR_A_ROUTE_TYPE]);
	struct svr_addr g;
	char s[ADDR_STRLEN] = "";
	bool has_gw = get_addr(tb[SVR_A_ROUTE_GATEWAY4],
			       tb[SVR_A_ROUTE_GATEWAY6], &g);

	if (has_gw)
		fmt_addr(&g, false, s, sizeof(s));
	if (f) {
		fprintf(f, "route add %s via %s",
			attr_str(tb[SVR_A_ROUTE_SERVICE]),
			enum_name(svr_nh_types, type));
		if (type == SVR_NH_PEER)
			fprintf(f, " %s", attr_str(tb[SVR_A_ROUTE_PEER]));
		if (has_gw)
			fprintf(f, " %s", s);
		if (*attr_str(tb[SVR_A_ROUTE_DEV]))
			fprintf(f, " dev %s", attr_str(tb[SVR_A_ROUTE_DEV]));
		opt_save(f, route_opts, tb, false);
		fputc('\n', f);
		return;
	}
	print_string(PRINT_ANY, "via", " via %s", enum_name(svr_nh_types, type));
	if (*attr_str(tb[SVR_A_ROUTE_PEER]))
		print_string(PRINT_ANY, "peer", " %s",
			     attr_str(tb[SVR_A_ROUTE_PEER]));
	else
		print_null(PRINT_JSON, "peer", NULL);
	if (has_gw)
		print_string(PRINT_ANY, "gateway", " %s", s);
	else
		print_null(PRINT_JSON, "gateway", NULL);
	if (*attr_str(tb[SVR_A_ROUTE_DEV]))
		print_string(PRINT_ANY, "dev", " dev %s",
			     attr_str(tb[SVR_A_ROUTE_DEV]));
	else
		print_null(PRINT_JSON, "dev", NULL);
	opt_print(route_opts, tb);
}

/* The route part of a session (nexthop nest), also used by session.c. */
void print_nexthop(const struct nlattr *nest)
{
	const struct nlattr *tb[SVR_A_ROUTE_MAX + 1];

	if (svr_nl_parse_nested(nest, tb, SVR_A_ROUTE_MAX))
		return;
	open_json_object("nexthop");
	route_out(tb, NULL);
	close_json_object();
}

void print_path_nest(const struct nlattr *nest)
{
	const struct nlattr *tb[SVR_A_PATH_MAX + 1];
	struct svr_addr l, r;
	char sl[ADDR_STRLEN], sr[ADDR_STRLEN];

	if (svr_nl_parse_nested(nest, tb, SVR_A_PATH_MAX))
		return;
	get_addr(tb[SVR_A_PATH_LOCAL4], tb[SVR_A_PATH_LOCAL6], &l);
	get_addr(tb[SVR_A_PATH_REMOTE4], tb[SVR_A_PATH_REMOTE6], &r);
	open_json_object("path");
	print_string(PRINT_ANY, "local", " path %s",
		     fmt_addr(&l, false, sl, sizeof(sl)));
	print_string(PRINT_ANY, "remote", " %s",
		     fmt_addr(&r, false, sr, sizeof(sr)));
	close_json_object();
}

void obj_print(const struct svr_objdesc *od, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[64];
	const struct nlattr *a;
	char fmt[64];

	if (od->max >= 64 || obj_parse(od, nlh, tb))
		return;
	open_json_object(obj_print_key);
	if (od->a_name) {
		snprintf(fmt, sizeof(fmt), "%s %%s", od->name);
		print_string(PRINT_ANY, "name", fmt, attr_str(tb[od->a_name]));
	}
	switch (od->id) {
	case OBJ_ROUTER:
		print_text("router");
		opt_print(od->opts, tb);
		break;
	case OBJ_IFACE:
		print_uint(PRINT_JSON, "ifindex", NULL,
			   attr_uint(tb[SVR_A_IFACE_IFINDEX]));
		if (tb[SVR_A_IFACE_IFINDEX] && !attr_uint(tb[SVR_A_IFACE_IFINDEX]))
			print_text(" (no such device)");
		opt_print(od->opts, tb);
		break;
	case OBJ_TENANT:
		open_json_array("prefixes");
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_TENANT_PREFIX)
				print_prefix_part(a, true);
		close_json_array();
		break;
	case OBJ_SECURITY:
		opt_print(od->opts, tb);
		open_json_array("keys");
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_SECURITY_KEY)
				key_out(a, NULL, NULL, tb);
		close_json_array();
		break;
	case OBJ_SERVICE:
		opt_print(od->opts, tb);
		open_json_array("prefixes");
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_SERVICE_PREFIX)
				print_prefix_part(a, false);
		close_json_array();
		open_json_array("transports");
		transports_out(NULL, nlh);
		close_json_array();
		open_json_array("access");
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_SERVICE_ACCESS)
				print_access_part(a, NULL);
		close_json_array();
		break;
	case OBJ_PEER:
		opt_print(od->opts, tb);
		open_json_array("paths");
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_PEER_PATH)
				path_out(a, NULL);
		close_json_array();
		break;
	case OBJ_ROUTE:
		print_string(PRINT_ANY, "service", "route %s",
			     attr_str(tb[SVR_A_ROUTE_SERVICE]));
		route_out(tb, NULL);
		break;
	default:
		break;
	}
	print_nl();
	close_json_object();
}

void obj_save(FILE *f, const struct svr_objdesc *od,
	      const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[64];
	const struct nlattr *a;
	const char *name;

	if (od->max >= 64 || obj_parse(od, nlh, tb))
		return;
	name = od->a_name ? attr_str(tb[od->a_name]) : "";
	switch (od->id) {
	case OBJ_ROUTER:
		fprintf(f, "router set");
		opt_save(f, od->opts, tb, true);
		break;
	case OBJ_IFACE:
		fprintf(f, "interface add %s", name);
		opt_save(f, od->opts, tb, false);
		break;
	case OBJ_TENANT:
		fprintf(f, "tenant add %s", name);
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_TENANT_PREFIX)
				save_prefix_part(f, a);
		break;
	case OBJ_SECURITY:
		fprintf(f, "security add %s", name);
		opt_save(f, od->opts, tb, true);
		fputc('\n', f);
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_SECURITY_KEY)
				key_out(a, f, name, tb);
		return;
	case OBJ_SERVICE:
		fprintf(f, "service add %s", name);
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_SERVICE_PREFIX)
				save_prefix_part(f, a);
		transports_out(f, nlh);
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_SERVICE_ACCESS)
				print_access_part(a, f);
		opt_save(f, od->opts, tb, false);
		break;
	case OBJ_PEER:
		fprintf(f, "peer add %s", name);
		opt_save(f, od->opts, tb, false);
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == SVR_A_PEER_PATH)
				path_out(a, f);
		break;
	case OBJ_ROUTE:
		route_out(tb, f);
		return;
	default:
		return;
	}
	fputc('\n', f);
}

/* ---- show ------------------------------------------------------------ */

struct show_ctx {
	const struct svr_objdesc	*od;
	unsigned int			n;
};

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *s = data;

	obj_print(s->od, nlh);
	s->n++;
	return MNL_CB_OK;
}

int obj_show(struct svrctl *c, const struct svr_objdesc *od, const char *name)
{
	static char buf[1024];
	struct show_ctx s = { .od = od };
	struct nlmsghdr *nlh;
	bool dump = !name || od->id == OBJ_ROUTE;
	int ret, tries = 0;

	if (c->check_only)
		return EXIT_OK;
	if (!svrctl_nl(c))
		return EXIT_REFUSED;
	do {
		nlh = msg_new(od->cmd_get, dump && od->id != OBJ_ROUTER ?
			      NLM_F_DUMP : 0, buf);
		if (name)
			mnl_attr_put_strz(nlh, od->id == OBJ_ROUTE ?
					  SVR_A_ROUTE_SERVICE : od->a_name, name);
		/* Text of an interrupted dump is thrown away and redone. */
		open_json_array(NULL);
		ret = send_msg(c, nlh, show_cb, &s);
		close_json_array();
	} while (ret == -EINTR && ++tries < 5 && !s.n);
	return ret ? svrctl_nl_err(c) : EXIT_OK;
}
