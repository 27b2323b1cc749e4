// SPDX-License-Identifier: GPL-2.0
/*
 * svrctl session (show, flush, del), svrctl monitor (config and session
 * events, one line or one JSON object each) and svrctl save (the whole
 * configuration as svrctl commands).
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

static const char *attr_s(const struct nlattr *a)
{
	if (!a || !mnl_attr_get_payload_len(a) ||
	    ((const char *)mnl_attr_get_payload(a))[mnl_attr_get_payload_len(a) - 1])
		return "";
	return mnl_attr_get_str(a);
}

static uint64_t attr_u(const struct nlattr *a)
{
	if (!a)
		return 0;
	switch (mnl_attr_get_payload_len(a)) {
	case 1: return mnl_attr_get_u8(a);
	case 2: return mnl_attr_get_u16(a);
	case 4: return mnl_attr_get_u32(a);
	case 8: return mnl_attr_get_u64(a);
	}
	return 0;
}

static void sep(void)
{
	print_text(print_oneline ? " " : "\n\t");
}

static void print_tuple(const char *key, const char *label,
			const struct nlattr *nest)
{
	const struct nlattr *tb[SVR_A_TUPLE_MAX + 1];
	struct svr_addr s, d;
	char ss[ADDR_STRLEN], ds[ADDR_STRLEN], dev[IF_NAMESIZE] = "";
	unsigned int proto, ifindex;
	bool v6;

	if (!nest || svr_nl_parse_nested(nest, tb, SVR_A_TUPLE_MAX))
		return;
	get_addr(tb[SVR_A_TUPLE_SRC4], tb[SVR_A_TUPLE_SRC6], &s);
	get_addr(tb[SVR_A_TUPLE_DST4], tb[SVR_A_TUPLE_DST6], &d);
	fmt_addr(&s, false, ss, sizeof(ss));
	fmt_addr(&d, false, ds, sizeof(ds));
	v6 = s.family == AF_INET6;
	proto = attr_u(tb[SVR_A_TUPLE_PROTO]);
	ifindex = attr_u(tb[SVR_A_TUPLE_IFINDEX]);
	if (ifindex && !if_indextoname(ifindex, dev))
		dev[0] = 0;
	sep();
	open_json_object(key);
	print_text("%s ", label);
	print_string(PRINT_ANY, "proto", "%s", enum_name(svr_protos, proto));
	print_string(PRINT_ANY, "src", v6 ? " [%s]" : " %s", ss);
	print_uint(PRINT_ANY, "sport", ":%llu", attr_u(tb[SVR_A_TUPLE_SPORT]));
	print_string(PRINT_ANY, "dst", v6 ? " -> [%s]" : " -> %s", ds);
	print_uint(PRINT_ANY, "dport", ":%llu", attr_u(tb[SVR_A_TUPLE_DPORT]));
	print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
	if (*dev)
		print_string(PRINT_ANY, "dev", " dev %s", dev);
	else
		print_null(PRINT_JSON, "dev", NULL);
	print_uint(PRINT_JSON, "vlan", NULL, attr_u(tb[SVR_A_TUPLE_VLAN]));
	if (attr_u(tb[SVR_A_TUPLE_VLAN]))
		print_text(" vlan %llu",
			   (unsigned long long)attr_u(tb[SVR_A_TUPLE_VLAN]));
	close_json_object();
}

static void print_session(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[SVR_A_SESSION_MAX + 1];
	char uuid[40] = "";

	if (svr_nl_parse(nlh, tb, SVR_A_SESSION_MAX))
		return;
	if (tb[SVR_A_SESSION_UUID] &&
	    mnl_attr_get_payload_len(tb[SVR_A_SESSION_UUID]) == SVR_UUID_LEN)
		fmt_uuid(mnl_attr_get_payload(tb[SVR_A_SESSION_UUID]), uuid);
	open_json_object(obj_print_key);
	print_string(PRINT_ANY, "uuid", "session %s", uuid);
	print_string(PRINT_ANY, "tenant", " tenant %s",
		     attr_s(tb[SVR_A_SESSION_TENANT]));
	print_string(PRINT_ANY, "service", " service %s",
		     attr_s(tb[SVR_A_SESSION_SERVICE]));
	print_string(PRINT_ANY, "role", " role %s",
		     enum_name(svr_roles, attr_u(tb[SVR_A_SESSION_ROLE])));
	print_string(PRINT_ANY, "state", " state %s",
		     enum_name(svr_states, attr_u(tb[SVR_A_SESSION_STATE])));
	if (*attr_s(tb[SVR_A_SESSION_PEER]))
		print_string(PRINT_ANY, "peer", " peer %s",
			     attr_s(tb[SVR_A_SESSION_PEER]));
	else
		print_null(PRINT_JSON, "peer", NULL);
	print_tuple("forward", "forward", tb[SVR_A_SESSION_FORWARD]);
	print_tuple("reverse", "reverse", tb[SVR_A_SESSION_REVERSE]);
	print_tuple("rewrite", "rewrite", tb[SVR_A_SESSION_REWRITE]);
	if (tb[SVR_A_SESSION_NEXTHOP] || tb[SVR_A_SESSION_PATH]) {
		sep();
		print_text("nexthop");
		if (tb[SVR_A_SESSION_NEXTHOP])
			print_nexthop(tb[SVR_A_SESSION_NEXTHOP]);
		if (tb[SVR_A_SESSION_PATH])
			print_path_nest(tb[SVR_A_SESSION_PATH]);
	}
	/* A stable schema: absent is null. */
	if (!tb[SVR_A_SESSION_NEXTHOP])
		print_null(PRINT_JSON, "nexthop", NULL);
	if (!tb[SVR_A_SESSION_PATH])
		print_null(PRINT_JSON, "path", NULL);
	sep();
	print_uint(PRINT_ANY, "packets_fwd", "packets %llu",
		   attr_u(tb[SVR_A_SESSION_PACKETS_FWD]));
	print_uint(PRINT_ANY, "packets_rev", "/%llu",
		   attr_u(tb[SVR_A_SESSION_PACKETS_REV]));
	print_uint(PRINT_ANY, "bytes_fwd", " bytes %llu",
		   attr_u(tb[SVR_A_SESSION_BYTES_FWD]));
	print_uint(PRINT_ANY, "bytes_rev", "/%llu",
		   attr_u(tb[SVR_A_SESSION_BYTES_REV]));
	print_uint(PRINT_ANY, "age", " age %llu",
		   attr_u(tb[SVR_A_SESSION_AGE]));
	print_uint(PRINT_ANY, "idle", " idle %llu",
		   attr_u(tb[SVR_A_SESSION_IDLE]));
	print_uint(PRINT_ANY, "timeout", " timeout %llu",
		   attr_u(tb[SVR_A_SESSION_TIMEOUT]));
	print_nl();
	close_json_object();
}

static int session_cb(const struct nlmsghdr *nlh, void *data)
{
	print_session(nlh);
	return MNL_CB_OK;
}

/* [ service S ] [ tenant T ] into @r. */
static int session_filter(int argc, char **argv, struct req *r)
{
	bool svc = false, ten = false;

	for (; argc > 0; argc--, argv++) {
		if (!svc && matches(argv[0], "service")) {
			NEXT_ARG();
			if (parse_name("service", argv[0]))
				return EXIT_USAGE;
			mnl_attr_put_strz(r->nlh, SVR_A_SESSION_SERVICE, argv[0]);
			svc = true;
		} else if (!ten && matches(argv[0], "tenant")) {
			NEXT_ARG();
			if (parse_name("tenant", argv[0]))
				return EXIT_USAGE;
			mnl_attr_put_strz(r->nlh, SVR_A_SESSION_TENANT, argv[0]);
			ten = true;
		} else {
			return err_unknown(argv[0], "session");
		}
	}
	return 0;
}

int do_session(struct svrctl *c, int argc, char **argv)
{
	const struct svr_objdesc *od = &svr_objs[OBJ_SESSION];
	uint8_t uuid[SVR_UUID_LEN];
	struct req *r;
	int ret;

	if (argc > 0 && matches(argv[0], "help")) {
		help_object(stdout, "session");
		return EXIT_OK;
	}
	if (argc <= 0 || matches(argv[0], "show") || matches(argv[0], "list")) {
		bool one = argc > 1 && !parse_uuid_quiet(argv[1]);

		r = req_new(od, SVR_CMD_SESSION_GET, NULL);
		if (one) {
			parse_uuid(argv[1], uuid);
			mnl_attr_put(r->nlh, SVR_A_SESSION_UUID, SVR_UUID_LEN, uuid);
			ret = argc > 2 ? err_arg(argv[2], "is not expected here") : 0;
		} else {
			r->nlh->nlmsg_flags |= NLM_F_DUMP;
			ret = argc > 0 ? session_filter(argc - 1, argv + 1, r) : 0;
		}
		if (ret || c->check_only) {
			req_free(r);
			return ret;
		}
		if (!svrctl_nl(c)) {
			req_free(r);
			return EXIT_REFUSED;
		}
		open_json_array(NULL);
		r->nlh->nlmsg_type = c->nl.family;
		r->nlh->nlmsg_seq = ++c->nl.seq;
		ret = svr_nl_talk(&c->nl, r->nlh, session_cb, NULL);
		close_json_array();
		req_free(r);
		return ret ? svrctl_nl_err(c) : EXIT_OK;
	}
	if (matches(argv[0], "flush")) {
		r = req_new(od, SVR_CMD_SESSION_FLUSH, NULL);
		ret = session_filter(argc - 1, argv + 1, r);
		if (ret) {
			req_free(r);
			return ret;
		}
		return req_submit(c, r);
	}
	if (matches(argv[0], "delete") || !strcmp(argv[0], "del")) {
		if (argc < 2)
			return svrctl_err(EXIT_USAGE, "argument UUID is required");
		if (parse_uuid(argv[1], uuid))
			return EXIT_USAGE;
		if (argc > 2)
			return err_arg(argv[2], "is not expected here");
		r = req_new(od, SVR_CMD_SESSION_DEL, NULL);
		mnl_attr_put(r->nlh, SVR_A_SESSION_UUID, SVR_UUID_LEN, uuid);
		return req_submit(c, r);
	}
	return svrctl_err(EXIT_USAGE,
			  "command \"%s\" is unknown for session, try \"svrctl session help\"",
			  argv[0]);
}

/* ---- monitor --------------------------------------------------------- */

static const struct {
	uint8_t		cmd;
	const char	*event;
	enum svr_obj_id	obj;
} ntfs[] = {
	{ SVR_CMD_ROUTER_CHANGE_NTF,	"change",	OBJ_ROUTER },
	{ SVR_CMD_IFACE_ADD_NTF,	"add",		OBJ_IFACE },
	{ SVR_CMD_IFACE_CHANGE_NTF,	"change",	OBJ_IFACE },
	{ SVR_CMD_IFACE_DEL_NTF,	"del",		OBJ_IFACE },
	{ SVR_CMD_TENANT_ADD_NTF,	"add",		OBJ_TENANT },
	{ SVR_CMD_TENANT_CHANGE_NTF,	"change",	OBJ_TENANT },
	{ SVR_CMD_TENANT_DEL_NTF,	"del",		OBJ_TENANT },
	{ SVR_CMD_SECURITY_ADD_NTF,	"add",		OBJ_SECURITY },
	{ SVR_CMD_SECURITY_CHANGE_NTF,	"change",	OBJ_SECURITY },
	{ SVR_CMD_SECURITY_DEL_NTF,	"del",		OBJ_SECURITY },
	{ SVR_CMD_SERVICE_ADD_NTF,	"add",		OBJ_SERVICE },
	{ SVR_CMD_SERVICE_CHANGE_NTF,	"change",	OBJ_SERVICE },
	{ SVR_CMD_SERVICE_DEL_NTF,	"del",		OBJ_SERVICE },
	{ SVR_CMD_PEER_ADD_NTF,		"add",		OBJ_PEER },
	{ SVR_CMD_PEER_CHANGE_NTF,	"change",	OBJ_PEER },
	{ SVR_CMD_PEER_DEL_NTF,		"del",		OBJ_PEER },
	{ SVR_CMD_ROUTE_ADD_NTF,	"add",		OBJ_ROUTE },
	{ SVR_CMD_ROUTE_DEL_NTF,	"del",		OBJ_ROUTE },
	{ SVR_CMD_SESSION_ADD_NTF,	"add",		OBJ_SESSION },
	{ SVR_CMD_SESSION_DEL_NTF,	"del",		OBJ_SESSION },
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct svr_nl *nl = data;
	size_t i;

	if (nlh->nlmsg_type != nl->family)
		return MNL_CB_OK;
	for (i = 0; i < sizeof(ntfs) / sizeof(ntfs[0]); i++) {
		const struct svr_objdesc *od = &svr_objs[ntfs[i].obj];

		if (ntfs[i].cmd != g->cmd)
			continue;
		open_json_object(NULL);
		print_string(PRINT_ANY, "event", "[%s] ", ntfs[i].event);
		print_string(PRINT_JSON, "object", NULL, od->name);
		obj_print_key = od->name;
		if (od->id == OBJ_SESSION)
			print_session(nlh);
		else
			obj_print(od, nlh);
		obj_print_key = NULL;
		close_json_object();
		fflush(stdout);
		return MNL_CB_OK;
	}
	return MNL_CB_OK;
}

int do_monitor(struct svrctl *c, int argc, char **argv)
{
	bool cfg = true, ses = true;
	struct svr_nl *nl;
	int ret;

	if (argc > 0 && matches(argv[0], "help")) {
		help_object(stdout, "monitor");
		return EXIT_OK;
	}
	if (argc > 0) {
		if (matches(argv[0], "config"))
			ses = false;
		else if (matches(argv[0], "sessions"))
			cfg = false;
		else if (!matches(argv[0], "all"))
			return err_unknown(argv[0], "monitor");
		if (argc > 1)
			return err_arg(argv[1], "is not expected here");
	}
	if (c->check_only)
		return c->in_batch ?
		       svrctl_err(EXIT_USAGE, "monitor cannot run from a file") :
		       EXIT_OK;
	nl = svrctl_nl(c);
	if (!nl)
		return EXIT_REFUSED;
	if ((cfg && svr_nl_join(nl, SVR_MCGRP_CONFIG)) ||
	    (ses && svr_nl_join(nl, SVR_MCGRP_SESSIONS)))
		return svrctl_nl_err(c);
	print_oneline = true;
	ret = svr_nl_listen(nl, monitor_cb, nl);
	return ret ? svrctl_nl_err(c) : EXIT_OK;
}

/* ---- save ------------------------------------------------------------ */

struct save_ctx {
	FILE		*f;
	unsigned int	n;
};

static int save_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct svr_objdesc *od = obj_by_cmd(g->cmd);
	struct save_ctx *s = data;

	if (od && od->id != OBJ_SESSION)
		obj_save(s->f, od, nlh);
	s->n++;
	return MNL_CB_OK;
}

int do_save(struct svrctl *c, int argc, char **argv)
{
	char buf[256];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int ret, tries = 0;

	if (argc > 0 && matches(argv[0], "help")) {
		help_object(stdout, "save");
		return EXIT_OK;
	}
	if (argc > 0)
		return err_arg(argv[0], "is not expected here");
	if (c->check_only)
		return EXIT_OK;
	if (!svrctl_nl(c))
		return EXIT_REFUSED;
	do {
		struct save_ctx s = { 0 };
		char *out = NULL;
		size_t len = 0;

		s.f = open_memstream(&out, &len);
		if (!s.f)
			return svrctl_err(EXIT_REFUSED, "out of memory");
		fprintf(s.f, "# svrctl save format 1\n");
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = c->nl.family;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = ++c->nl.seq;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = SVR_CMD_CONFIG_SAVE;
		g->version = SVR_GENL_VERSION;
		ret = svr_nl_talk(&c->nl, nlh, save_cb, &s);
		fclose(s.f);
		if (!ret)
			fwrite(out, 1, len, stdout);
		/* The output may hold key bytes. */
		explicit_bzero(out, len);
		free(out);
	} while (ret == -EINTR && ++tries < 10);
	return ret ? svrctl_nl_err(c) : EXIT_OK;
}
