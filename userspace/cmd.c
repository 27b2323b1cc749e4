// SPDX-License-Identifier: GPL-2.0
/*
 * svrctl router | interface | tenant | security | service | peer | route:
 * the command grammars. Each command line becomes one request (struct req)
 * before anything is sent, so -f can check a whole file first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/svr.h>

#include "svrctl.h"
#include "obj.h"

enum mode {
	M_NEW,		/* add: create the object with options and parts */
	M_SET,		/* set: change options, add parts */
	M_DEL,		/* del NAME PARTS...: remove parts */
	M_PSET,		/* path set: change the options of parts */
};

#define OD(x)	(&svr_objs[OBJ_##x])

static int err_cmd(const char *obj, const char *cmd)
{
	return svrctl_err(EXIT_USAGE,
			  "command \"%s\" is unknown for %s, try \"svrctl %s help\"",
			  cmd, obj, obj);
}

static int no_more(int argc, char **argv)
{
	return argc > 0 ? err_arg(argv[0], "is not expected here") : 0;
}

static bool is_help(const char *arg)
{
	return matches(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

static bool is_show(const char *arg)
{
	return matches(arg, "show") || matches(arg, "list");
}

static bool is_del(const char *arg)
{
	return matches(arg, "delete") || !strcmp(arg, "remove");
}

/* "OBJECT show [NAME]": one object or all. */
static int show_cmd(struct svrctl *c, const struct svr_objdesc *od, int argc,
		    char **argv, bool dev_name)
{
	const char *name = NULL;

	if (argc > 0) {
		name = argv[0];
		if (dev_name ? parse_dev(name) :
		    parse_name(od->id == OBJ_ROUTE ? "service" : od->name, name))
			return EXIT_USAGE;
		argc--, argv++;
	}
	if (no_more(argc, argv))
		return EXIT_USAGE;
	return obj_show(c, od, name);
}

static int need_name(const char *obj, int argc, char **argv, bool dev)
{
	if (argc <= 0)
		return svrctl_err(EXIT_USAGE, "argument %s is required, try \"svrctl %s help\"",
				  dev ? "DEV" : "NAME", obj);
	return dev ? parse_dev(argv[0]) : parse_name(obj, argv[0]);
}

/* ---- router ---------------------------------------------------------- */

int do_router(struct svrctl *c, int argc, char **argv)
{
	struct req *r;
	uint64_t seen = 0;
	int ret;

	if (argc <= 0 || is_show(argv[0])) {
		if (argc > 0 && no_more(argc - 1, argv + 1))
			return EXIT_USAGE;
		return obj_show(c, OD(ROUTER), NULL);
	}
	if (is_help(argv[0])) {
		help_object(stdout, "router");
		return EXIT_OK;
	}
	if (!matches(argv[0], "set"))
		return err_cmd("router", argv[0]);
	argc--, argv++;
	if (argc <= 0)
		return svrctl_err(EXIT_USAGE, "router set needs at least one option, try \"svrctl router help\"");
	r = req_new(OD(ROUTER), SVR_CMD_ROUTER_SET, NULL);
	for (; argc > 0; argc--, argv++) {
		ret = opt_parse(router_opts, true, &argc, &argv, r->nlh, &seen);
		if (ret == 1)
			ret = err_unknown(argv[0], "router set");
		if (ret)
			goto err;
	}
	return req_submit(c, r);
err:
	req_free(r);
	return ret;
}

/* ---- interface ------------------------------------------------------- */

int do_iface(struct svrctl *c, int argc, char **argv)
{
	const struct svr_objdesc *od = OD(IFACE);
	struct req *r;
	uint64_t seen = 0;
	uint8_t cmd;
	int ret;

	if (argc <= 0 || is_show(argv[0]))
		return show_cmd(c, od, argc - 1, argv + 1, true);
	if (is_help(argv[0])) {
		help_object(stdout, "interface");
		return EXIT_OK;
	}
	if (matches(argv[0], "add"))
		cmd = SVR_CMD_IFACE_NEW;
	else if (matches(argv[0], "set"))
		cmd = SVR_CMD_IFACE_SET;
	else if (is_del(argv[0]))
		cmd = SVR_CMD_IFACE_DEL;
	else
		return err_cmd("interface", argv[0]);
	argc--, argv++;
	if (need_name("interface", argc, argv, true))
		return EXIT_USAGE;
	r = req_new(od, cmd, argv[0]);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		ret = cmd == SVR_CMD_IFACE_DEL ? 1 :
		      opt_parse(od->opts, cmd == SVR_CMD_IFACE_SET, &argc,
				&argv, r->nlh, &seen);
		if (ret == 1)
			ret = err_unknown(argv[0], "interface");
		if (ret)
			goto err;
	}
	if (cmd == SVR_CMD_IFACE_SET && !seen) {
		ret = svrctl_err(EXIT_USAGE, "interface set needs an option, try \"svrctl interface help\"");
		goto err;
	}
	return req_submit(c, r);
err:
	req_free(r);
	return ret;
}

/* ---- parts ----------------------------------------------------------- */

static bool tenant_ref_ok(const char *s)
{
	return name_ok(s);
}

/* "prefix P [dev D]" (dev only for tenants); argv[0] is "prefix". */
static int parse_prefix_part(int *pargc, char ***pargv, struct nlmsghdr *nlh,
			     uint16_t attr, bool with_dev)
{
	int argc = *pargc;
	char **argv = *pargv;
	struct svr_addr a;
	struct nlattr *n;

	NEXT_ARG();
	if (parse_prefix(argv[0], &a))
		return EXIT_USAGE;
	n = mnl_attr_nest_start(nlh, attr);
	put_addr(nlh, SVR_A_PREFIX_ADDR4, SVR_A_PREFIX_ADDR6, &a);
	mnl_attr_put_u8(nlh, SVR_A_PREFIX_PLEN, a.plen);
	if (with_dev && argc > 1 && !strcmp(argv[1], "dev")) {
		argc--, argv++;
		NEXT_ARG();
		if (parse_dev(argv[0]))
			return EXIT_USAGE;
		mnl_attr_put_strz(nlh, SVR_A_PREFIX_DEV, argv[0]);
	}
	mnl_attr_nest_end(nlh, n);
	*pargc = argc;
	*pargv = argv;
	return 0;
}

static bool too_big(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_len > SVR_MSG_SIZE_MAX - 1024;
}

static int err_too_big(void)
{
	return svrctl_err(EXIT_USAGE,
			  "the command is too long for one request, split it");
}

/*
 * Finish parsing an object command line: decide the netlink command and
 * operation from the mode and what was found, and submit.
 */
static int finish(struct svrctl *c, struct req *r, enum mode mode,
		  bool parts, bool force, uint64_t seen)
{
	const struct svr_objdesc *od = r->od;
	struct genlmsghdr *g = mnl_nlmsg_get_payload(r->nlh);

	switch (mode) {
	case M_NEW:
		break;
	case M_SET:
		if (!parts && !seen) {
			req_free(r);
			return svrctl_err(EXIT_USAGE,
					  "%s set needs something to change, try \"svrctl %s help\"",
					  od->name, od->name);
		}
		if (parts)
			mnl_attr_put_u8(r->nlh, od->a_op, SVR_OP_ADD);
		break;
	case M_DEL:
		if (parts && force) {
			req_free(r);
			return svrctl_err(EXIT_USAGE,
					  "\"force\" deletes a whole %s, not parts of it",
					  od->name);
		}
		if (parts) {
			g->cmd = od->cmd_set;
			mnl_attr_put_u8(r->nlh, od->a_op, SVR_OP_DEL);
		} else {
			g->cmd = od->cmd_del;
			if (force)
				mnl_attr_put(r->nlh, od->a_force, 0, NULL);
		}
		break;
	case M_PSET:
		mnl_attr_put_u8(r->nlh, od->a_op, SVR_OP_SET);
		break;
	}
	return req_submit(c, r);
}

static int mode_of(const char *verb, enum mode *mode)
{
	if (matches(verb, "add"))
		*mode = M_NEW;
	else if (matches(verb, "set"))
		*mode = M_SET;
	else if (is_del(verb))
		*mode = M_DEL;
	else
		return -1;
	return 0;
}

static uint8_t mode_cmd(const struct svr_objdesc *od, enum mode mode)
{
	return mode == M_NEW ? od->cmd_new : mode == M_DEL ? od->cmd_del :
	       od->cmd_set;
}

/* ---- tenant ---------------------------------------------------------- */

static int tenant_parse(struct svrctl *c, enum mode mode, int argc,
			char **argv)
{
	const struct svr_objdesc *od = OD(TENANT);
	bool parts = false, force = false;
	struct req *r;
	int ret;

	if (need_name("tenant", argc, argv, false))
		return EXIT_USAGE;
	if (!strcmp(argv[0], SVR_GLOBAL_TENANT))
		return err_arg(argv[0], "is reserved for the global tenant");
	r = req_new(od, mode_cmd(od, mode), argv[0]);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (matches(argv[0], "prefix")) {
			ret = parse_prefix_part(&argc, &argv, r->nlh,
						SVR_A_TENANT_PREFIX, true);
			parts = true;
		} else if (mode == M_DEL && !strcmp(argv[0], "force")) {
			force = true;
			ret = 0;
		} else {
			ret = err_unknown(argv[0], "tenant");
		}
		if (!ret && too_big(r->nlh))
			ret = err_too_big();
		if (ret)
			goto err;
	}
	return finish(c, r, mode, parts, force, 0);
err:
	req_free(r);
	return ret;
}

int do_tenant(struct svrctl *c, int argc, char **argv)
{
	enum mode mode;

	if (argc <= 0 || is_show(argv[0]))
		return show_cmd(c, OD(TENANT), argc - 1, argv + 1, false);
	if (is_help(argv[0])) {
		help_object(stdout, "tenant");
		return EXIT_OK;
	}
	if (matches(argv[0], "prefix")) {
		/* tenant prefix { add | del } NAME PREFIX [ dev DEV ] */
		if (argc < 2)
			return err_incomplete(argv[0]);
		if (matches(argv[1], "add"))
			mode = M_SET;
		else if (is_del(argv[1]))
			mode = M_DEL;
		else
			return err_cmd("tenant prefix", argv[1]);
		if (argc < 4)
			return err_incomplete(argv[argc - 1]);
		/* Rewrite as "NAME prefix PREFIX ..." in place. */
		argv[1] = argv[2];
		argv[2] = "prefix";
		return tenant_parse(c, mode, argc - 1, argv + 1);
	}
	if (mode_of(argv[0], &mode))
		return err_cmd("tenant", argv[0]);
	return tenant_parse(c, mode, argc - 1, argv + 1);
}

/* ---- security -------------------------------------------------------- */

static int key_parse(struct svrctl *c, bool add, int argc, char **argv)
{
	static const size_t cipher_lens[] = { 16, 32, 0 };
	static const size_t hmac_lens[] = { SVR_HMAC_KEY_LEN, 0 };
	const struct svr_objdesc *od = OD(SECURITY);
	bool have_c = false, have_h = false;
	uint8_t key[64];
	struct nlattr *n;
	struct req *r;
	uint32_t id;
	size_t len;
	int ret, used;

	if (need_name("security", argc, argv, false))
		return EXIT_USAGE;
	if (argc < 2)
		return svrctl_err(EXIT_USAGE, "argument ID is required after \"%s\"",
				  argv[0]);
	if (parse_u32("key id", argv[1], 1, UINT32_MAX, &id))
		return EXIT_USAGE;
	r = req_new(od, od->cmd_set, argv[0]);
	n = mnl_attr_nest_start(r->nlh, SVR_A_SECURITY_KEY);
	mnl_attr_put_u32(r->nlh, SVR_A_KEY_ID, id);
	for (argc -= 2, argv += 2; argc > 0; argc -= used, argv += used) {
		bool is_c = add && matches(argv[0], "cipher-key");
		bool is_h = add && matches(argv[0], "hmac-key");

		if (!is_c && !is_h) {
			ret = err_unknown(argv[0], add ? "security key add" :
					  "security key del");
			goto err;
		}
		if ((is_c && have_c) || (is_h && have_h)) {
			ret = err_dup(argv[0]);
			goto err;
		}
		ret = parse_key(is_c ? "cipher key" : "HMAC key", argc - 1,
				argv + 1, key, &len, is_c ? cipher_lens :
				hmac_lens, &used);
		if (ret) {
			if (argc < 2)
				ret = err_incomplete(argv[0]);
			goto err;
		}
		used++;
		mnl_attr_put(r->nlh, is_c ? SVR_A_KEY_CIPHER_KEY :
			     SVR_A_KEY_HMAC_KEY, len, key);
		explicit_bzero(key, sizeof(key));
		have_c |= is_c;
		have_h |= is_h;
	}
	mnl_attr_nest_end(r->nlh, n);
	mnl_attr_put_u8(r->nlh, SVR_A_SECURITY_OP, add ? SVR_OP_ADD : SVR_OP_DEL);
	return req_submit(c, r);
err:
	req_free(r);
	return ret;
}

int do_security(struct svrctl *c, int argc, char **argv)
{
	const struct svr_objdesc *od = OD(SECURITY);
	bool force = false;
	uint64_t seen = 0;
	enum mode mode;
	struct req *r;
	int ret;

	if (argc <= 0 || is_show(argv[0]))
		return show_cmd(c, od, argc - 1, argv + 1, false);
	if (is_help(argv[0])) {
		help_object(stdout, "security");
		return EXIT_OK;
	}
	if (matches(argv[0], "key")) {
		if (argc < 2)
			return err_incomplete(argv[0]);
		if (matches(argv[1], "add"))
			return key_parse(c, true, argc - 2, argv + 2);
		if (is_del(argv[1]))
			return key_parse(c, false, argc - 2, argv + 2);
		return err_cmd("security key", argv[1]);
	}
	if (mode_of(argv[0], &mode))
		return err_cmd("security", argv[0]);
	argc--, argv++;
	if (need_name("security", argc, argv, false))
		return EXIT_USAGE;
	r = req_new(od, mode_cmd(od, mode), argv[0]);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (mode == M_DEL) {
			ret = strcmp(argv[0], "force") ?
			      err_unknown(argv[0], "security del") : 0;
			force = true;
		} else {
			ret = opt_parse(od->opts, mode == M_SET, &argc, &argv,
					r->nlh, &seen);
			if (ret == 1)
				ret = err_unknown(argv[0], "security");
		}
		if (ret)
			goto err;
	}
	return finish(c, r, mode, false, force, seen);
err:
	req_free(r);
	return ret;
}

/* ---- service --------------------------------------------------------- */

struct transports {
	int	proto;		/* pending "proto", -1: none */
	bool	has_ports;
};

static void transport_put(struct nlmsghdr *nlh, unsigned int proto,
			  unsigned int lo, unsigned int hi)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, SVR_A_SERVICE_TRANSPORT);

	mnl_attr_put_u8(nlh, SVR_A_TRANSPORT_PROTO, proto);
	if (lo) {
		mnl_attr_put_u16(nlh, SVR_A_TRANSPORT_PORT_LO, lo);
		mnl_attr_put_u16(nlh, SVR_A_TRANSPORT_PORT_HI, hi);
	}
	mnl_attr_nest_end(nlh, n);
}

static void transport_flush(struct transports *t, struct nlmsghdr *nlh)
{
	if (t->proto >= 0 && !t->has_ports)
		transport_put(nlh, t->proto, 0, 0);
	t->proto = -1;
	t->has_ports = false;
}

static int service_parse(struct svrctl *c, enum mode mode, int argc,
			 char **argv)
{
	const struct svr_objdesc *od = OD(SERVICE);
	struct transports t = { .proto = -1 };
	bool parts = false, force = false;
	uint64_t seen = 0;
	struct req *r;
	int ret;

	if (need_name("service", argc, argv, false))
		return EXIT_USAGE;
	r = req_new(od, mode_cmd(od, mode), argv[0]);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		ret = 0;
		if (matches(argv[0], "prefix")) {
			transport_flush(&t, r->nlh);
			ret = parse_prefix_part(&argc, &argv, r->nlh,
						SVR_A_SERVICE_PREFIX, false);
			parts = true;
		} else if (matches(argv[0], "proto")) {
			unsigned int p;

			transport_flush(&t, r->nlh);
			NEXT_ARG();
			ret = parse_enum(svr_protos, "protocol", argv[0], &p);
			t.proto = p;
			parts = true;
		} else if (matches(argv[0], "port") && strlen(argv[0]) >= 2) {
			struct port_range pr[SVR_MAX_OBJ_TRANSPORTS];
			size_t n, i;

			if (t.proto < 0) {
				ret = svrctl_err(EXIT_USAGE, "argument \"%s\" needs \"proto tcp\" or \"proto udp\" before it",
						 argv[0]);
			} else if (t.proto != SVR_PROTO_TCP &&
				   t.proto != SVR_PROTO_UDP) {
				ret = svrctl_err(EXIT_USAGE, "ports are only valid with proto tcp or udp, not %s",
						 enum_name(svr_protos, t.proto));
			} else {
				NEXT_ARG();
				ret = parse_ports(argv[0], pr, SVR_MAX_OBJ_TRANSPORTS,
						  &n);
				for (i = 0; !ret && i < n; i++)
					transport_put(r->nlh, t.proto, pr[i].lo,
						      pr[i].hi);
				t.has_ports = true;
			}
		} else if (matches(argv[0], "allow") || matches(argv[0], "deny")) {
			bool deny = argv[0][0] == 'd';
			struct nlattr *n;

			transport_flush(&t, r->nlh);
			NEXT_ARG();
			if (!tenant_ref_ok(argv[0])) {
				ret = parse_name("tenant", argv[0]);
			} else {
				n = mnl_attr_nest_start(r->nlh, SVR_A_SERVICE_ACCESS);
				mnl_attr_put_strz(r->nlh, SVR_A_ACCESS_TENANT, argv[0]);
				mnl_attr_put_u8(r->nlh, SVR_A_ACCESS_ACTION, deny ?
						SVR_ACCESS_ACTION_DENY :
						SVR_ACCESS_ACTION_ALLOW);
				mnl_attr_nest_end(r->nlh, n);
			}
			parts = true;
		} else if (mode == M_DEL && !strcmp(argv[0], "force")) {
			force = true;
		} else if (mode != M_DEL) {
			transport_flush(&t, r->nlh);
			ret = opt_parse(od->opts, mode == M_SET, &argc, &argv,
					r->nlh, &seen);
			if (ret == 1)
				ret = err_unknown(argv[0], "service");
		} else {
			ret = err_unknown(argv[0], "service del");
		}
		if (!ret && too_big(r->nlh))
			ret = err_too_big();
		if (ret)
			goto err;
	}
	transport_flush(&t, r->nlh);
	return finish(c, r, mode, parts, force, seen);
err:
	req_free(r);
	return ret;
}

int do_service(struct svrctl *c, int argc, char **argv)
{
	enum mode mode;

	if (argc <= 0 || is_show(argv[0]))
		return show_cmd(c, OD(SERVICE), argc - 1, argv + 1, false);
	if (is_help(argv[0])) {
		help_object(stdout, "service");
		return EXIT_OK;
	}
	if (mode_of(argv[0], &mode))
		return err_cmd("service", argv[0]);
	return service_parse(c, mode, argc - 1, argv + 1);
}

/* ---- peer ------------------------------------------------------------ */

/* "path LOCAL REMOTE [options]"; argv[0] is the LOCAL address. */
static int parse_path(int *pargc, char ***pargv, struct nlmsghdr *nlh,
		      bool with_opts)
{
	int argc = *pargc;
	char **argv = *pargv;
	struct svr_addr l, r;
	uint64_t seen = 0;
	struct nlattr *n;
	int ret;

	if (parse_addr(argv[0], &l))
		return EXIT_USAGE;
	NEXT_ARG();
	if (parse_addr(argv[0], &r))
		return EXIT_USAGE;
	if (l.family != r.family)
		return err_arg(argv[0], "is not of the same address family as the local address");
	n = mnl_attr_nest_start(nlh, SVR_A_PEER_PATH);
	put_addr(nlh, SVR_A_PATH_LOCAL4, SVR_A_PATH_LOCAL6, &l);
	put_addr(nlh, SVR_A_PATH_REMOTE4, SVR_A_PATH_REMOTE6, &r);
	while (with_opts && argc > 1) {
		argc--, argv++;
		ret = opt_parse(path_opts, false, &argc, &argv, nlh, &seen);
		if (ret == 1) {
			PREV_ARG();
			break;
		}
		if (ret)
			return ret;
	}
	mnl_attr_nest_end(nlh, n);
	*pargc = argc;
	*pargv = argv;
	return 0;
}

static int peer_parse(struct svrctl *c, enum mode mode, int argc, char **argv)
{
	const struct svr_objdesc *od = OD(PEER);
	bool parts = false, force = false;
	uint64_t seen = 0;
	struct req *r;
	int ret;

	if (need_name("peer", argc, argv, false))
		return EXIT_USAGE;
	r = req_new(od, mode_cmd(od, mode), argv[0]);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (matches(argv[0], "path")) {
			NEXT_ARG();
			ret = parse_path(&argc, &argv, r->nlh,
					 mode != M_DEL);
			parts = true;
		} else if (mode == M_DEL && !strcmp(argv[0], "force")) {
			force = true;
			ret = 0;
		} else if (mode != M_DEL) {
			ret = opt_parse(od->opts, mode == M_SET, &argc, &argv,
					r->nlh, &seen);
			if (ret == 1)
				ret = err_unknown(argv[0], "peer");
		} else {
			ret = err_unknown(argv[0], "peer del");
		}
		if (!ret && too_big(r->nlh))
			ret = err_too_big();
		if (ret)
			goto err;
	}
	return finish(c, r, mode, parts, force, seen);
err:
	req_free(r);
	return ret;
}

int do_peer(struct svrctl *c, int argc, char **argv)
{
	const struct svr_objdesc *od = OD(PEER);
	enum mode mode;

	if (argc <= 0 || is_show(argv[0]))
		return show_cmd(c, od, argc - 1, argv + 1, false);
	if (is_help(argv[0])) {
		help_object(stdout, "peer");
		return EXIT_OK;
	}
	if (matches(argv[0], "path")) {
		/* peer path { add | set | del } PEER LOCAL REMOTE [options] */
		struct req *r;
		int ret;

		if (argc < 2)
			return err_incomplete(argv[0]);
		if (matches(argv[1], "add"))
			mode = M_SET;
		else if (matches(argv[1], "set"))
			mode = M_PSET;
		else if (is_del(argv[1]))
			mode = M_DEL;
		else
			return err_cmd("peer path", argv[1]);
		argc -= 2, argv += 2;
		if (need_name("peer", argc, argv, false))
			return EXIT_USAGE;
		if (argc < 3)
			return svrctl_err(EXIT_USAGE, "arguments LOCAL and REMOTE are required, try \"svrctl peer help\"");
		r = req_new(od, od->cmd_set, argv[0]);
		argc--, argv++;
		ret = parse_path(&argc, &argv, r->nlh, mode != M_DEL);
		if (!ret && argc > 1)
			ret = err_unknown(argv[1], "peer path");
		if (ret) {
			req_free(r);
			return ret;
		}
		return finish(c, r, mode, true, false, 0);
	}
	if (mode_of(argv[0], &mode))
		return err_cmd("peer", argv[0]);
	return peer_parse(c, mode, argc - 1, argv + 1);
}

/* ---- route ----------------------------------------------------------- */

int do_route(struct svrctl *c, int argc, char **argv)
{
	const struct svr_objdesc *od = OD(ROUTE);
	uint64_t seen = 0;
	unsigned int type;
	struct req *r;
	bool add;
	int ret;

	if (argc <= 0 || is_show(argv[0]))
		return show_cmd(c, od, argc - 1, argv + 1, false);
	if (is_help(argv[0])) {
		help_object(stdout, "route");
		return EXIT_OK;
	}
	if (matches(argv[0], "add"))
		add = true;
	else if (is_del(argv[0]))
		add = false;
	else
		return err_cmd("route", argv[0]);
	argc--, argv++;
	if (need_name("service", argc, argv, false))
		return EXIT_USAGE;
	r = req_new(od, add ? SVR_CMD_ROUTE_NEW : SVR_CMD_ROUTE_DEL, argv[0]);
	mnl_attr_put_strz(r->nlh, SVR_A_ROUTE_SERVICE, argv[0]);
	argc--, argv++;
	if (argc > 0 && !strcmp(argv[0], "via"))
		argc--, argv++;
	if (argc <= 0) {
		ret = svrctl_err(EXIT_USAGE, "a next hop is required: via { peer NAME | gateway ADDR [ dev DEV ] | fib | host }");
		goto err;
	}
	ret = parse_enum(svr_nh_types, "next hop", argv[0], &type);
	if (ret)
		goto err;
	mnl_attr_put_u8(r->nlh, SVR_A_ROUTE_TYPE, type);
	if (type == SVR_NH_PEER) {
		ret = EXIT_USAGE;
		if (argc < 2) {
			ret = err_incomplete(argv[0]);
			goto err;
		}
		argc--, argv++;
		if (parse_name("peer", argv[0]))
			goto err;
		mnl_attr_put_strz(r->nlh, SVR_A_ROUTE_PEER, argv[0]);
	} else if (type == SVR_NH_GATEWAY) {
		struct svr_addr gw;

		ret = EXIT_USAGE;
		if (argc < 2) {
			ret = err_incomplete(argv[0]);
			goto err;
		}
		argc--, argv++;
		if (parse_addr(argv[0], &gw))
			goto err;
		put_addr(r->nlh, SVR_A_ROUTE_GATEWAY4, SVR_A_ROUTE_GATEWAY6, &gw);
		if (argc > 1 && !strcmp(argv[1], "dev")) {
			if (argc < 3) {
				ret = err_incomplete(argv[1]);
				goto err;
			}
			argc -= 2, argv += 2;
			if (parse_dev(argv[0]))
				goto err;
			mnl_attr_put_strz(r->nlh, SVR_A_ROUTE_DEV, argv[0]);
		}
	}
	for (argc--, argv++; argc > 0; argc--, argv++) {
		ret = opt_parse(od->opts, false, &argc, &argv, r->nlh, &seen);
		if (ret == 1)
			ret = err_unknown(argv[0], "route");
		if (ret)
			goto err;
	}
	if (!add && seen) {
		/* A route is matched by its next hop; the cost is not part
		 * of the key: leave it out of the request. */
		struct req *k = req_new(od, SVR_CMD_ROUTE_DEL, r->name);
		const struct nlattr *a;

		mnl_attr_for_each(a, r->nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) != SVR_A_ROUTE_COST)
				mnl_attr_put(k->nlh, mnl_attr_get_type(a),
					     mnl_attr_get_payload_len(a),
					     mnl_attr_get_payload(a));
		req_free(r);
		r = k;
	}
	return req_submit(c, r);
err:
	req_free(r);
	return ret;
}

/* ---- help ------------------------------------------------------------ */

void help_object(FILE *f, const char *o)
{
	if (!strcmp(o, "router")) {
		fprintf(f, "svrctl router show\n"
			   "svrctl router set OPTION...\n");
		opt_help(f, router_opts, true, "\tOPTION := ");
		fprintf(f, "\t(0 restores a default; keepalive 0 is off)\n");
	} else if (!strcmp(o, "interface")) {
		fprintf(f, "svrctl interface add DEV [ tenant TENANT ] [ source-nat ]\n"
			   "svrctl interface set DEV [ tenant TENANT | no-tenant ] [ source-nat | no-source-nat ]\n"
			   "svrctl interface del DEV\n"
			   "svrctl interface show [ DEV ]\n");
	} else if (!strcmp(o, "tenant")) {
		fprintf(f, "svrctl tenant add NAME [ prefix PREFIX [ dev DEV ] ]...\n"
			   "svrctl tenant set NAME [ prefix PREFIX [ dev DEV ] ]...\n"
			   "svrctl tenant del NAME [ force ]\n"
			   "svrctl tenant del NAME prefix PREFIX [ dev DEV ]...\n"
			   "svrctl tenant prefix { add | del } NAME PREFIX [ dev DEV ]\n"
			   "svrctl tenant show [ NAME ]\n");
	} else if (!strcmp(o, "security")) {
		fprintf(f, "svrctl security add NAME [ OPTION ]...\n"
			   "svrctl security set NAME OPTION...\n");
		opt_help(f, security_opts, true, "\tOPTION := ");
		fprintf(f, "svrctl security del NAME [ force ]\n"
			   "svrctl security key add NAME ID [ cipher-key KEY ] [ hmac-key KEY ]\n"
			   "svrctl security key del NAME ID\n"
			   "\tKEY := { hex:HEXDIGITS | file PATH }\n"
			   "svrctl security show [ NAME ]\n");
	} else if (!strcmp(o, "service")) {
		fprintf(f, "svrctl service add NAME [ PART | OPTION ]...\n"
			   "svrctl service set NAME [ PART | OPTION ]...\n"
			   "svrctl service del NAME [ PART ]...\n"
			   "svrctl service show [ NAME ]\n"
			   "\tPART := { prefix PREFIX | proto { tcp | udp | icmp | any } [ port PORTS ] |\n"
			   "\t          allow TENANT | deny TENANT }\n"
			   "\tPORTS := PORT[-PORT][,PORT[-PORT]]...\n");
		opt_help(f, service_opts, true, "\tOPTION := ");
	} else if (!strcmp(o, "peer")) {
		fprintf(f, "svrctl peer add NAME [ security POLICY ] [ path PATH ]...\n"
			   "svrctl peer set NAME [ security POLICY | no-security ] [ path PATH ]...\n"
			   "svrctl peer del NAME [ force ]\n"
			   "svrctl peer del NAME path LOCAL REMOTE...\n"
			   "svrctl peer path add NAME PATH\n"
			   "svrctl peer path set NAME PATH\n"
			   "svrctl peer path del NAME LOCAL REMOTE\n"
			   "svrctl peer show [ NAME ]\n"
			   "\tPATH := LOCAL REMOTE [ PATH-OPTION ]...\n");
		opt_help(f, path_opts, true, "\tPATH-OPTION := ");
	} else if (!strcmp(o, "route")) {
		fprintf(f, "svrctl route add SERVICE via NEXTHOP [ cost NUM ]\n"
			   "svrctl route del SERVICE via NEXTHOP\n"
			   "svrctl route show [ SERVICE ]\n"
			   "\tNEXTHOP := { peer NAME | gateway ADDR [ dev DEV ] | fib | host }\n");
	} else if (!strcmp(o, "session")) {
		fprintf(f, "svrctl session show [ service SERVICE ] [ tenant TENANT ]\n"
			   "svrctl session show UUID\n"
			   "svrctl session flush [ service SERVICE ] [ tenant TENANT ]\n"
			   "svrctl session del UUID\n");
	} else if (!strcmp(o, "monitor")) {
		fprintf(f, "svrctl monitor [ config | sessions | all ]\n");
	} else if (!strcmp(o, "save")) {
		fprintf(f, "svrctl save\n");
	} else if (!strcmp(o, "stats")) {
		fprintf(f, "svrctl stats [ show ] [ --prometheus ]\n");
	} else if (!strcmp(o, "decode")) {
		fprintf(f, "svrctl decode [ -j ] FILE.pcap\n");
	} else if (!strcmp(o, "version")) {
		fprintf(f, "svrctl version\n");
	}
}
