// SPDX-License-Identifier: GPL-2.0
/*
 * svrctl version, svrctl stats: the module's identity and its counters.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/svr.h>
#include <svr/version.h>

#include "svrctl.h"
#include "obj.h"

struct info {
	char		version[64];
	uint32_t	genl_version;
};

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SVR_A_INFO_MAX + 1];
	struct info *in = data;

	if (svr_nl_parse(nlh, tb, SVR_A_INFO_MAX))
		return MNL_CB_ERROR;
	if (tb[SVR_A_INFO_VERSION])
		snprintf(in->version, sizeof(in->version), "%s",
			 mnl_attr_get_str(tb[SVR_A_INFO_VERSION]));
	if (tb[SVR_A_INFO_GENL_VERSION])
		in->genl_version = mnl_attr_get_u32(tb[SVR_A_INFO_GENL_VERSION]);
	return MNL_CB_OK;
}

int do_version(struct svrctl *c, int argc, char **argv)
{
	struct info in = { 0 };
	struct svr_nl *nl;

	if (argc)
		return svrctl_err(EXIT_USAGE, "\"version\" takes no arguments");
	open_json_object(NULL);
	print_string(PRINT_ANY, "svrctl", "svrctl %s\n", SVR_VERSION);
	fflush(stdout);
	nl = svrctl_nl(c);
	if (!nl) {
		close_json_object();
		return EXIT_REFUSED;
	}
	if (svr_nl_talk(nl, svr_nl_req(nl, SVR_CMD_INFO_GET, 0), info_cb, &in))
		return svrctl_nl_err(c);
	print_string(PRINT_ANY, "module", "svr.ko %s", in.version);
	print_uint(PRINT_ANY, "genl_version", " (netlink version %u)\n",
		   in.genl_version);
	close_json_object();
	return EXIT_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SVR_A_STATS_MAX + 1];
	const struct nlattr *ctr;

	if (svr_nl_parse(nlh, tb, SVR_A_STATS_MAX))
		return MNL_CB_ERROR;
	mnl_attr_for_each(ctr, nlh, sizeof(struct genlmsghdr)) {
		const struct nlattr *ct[SVR_A_COUNTER_MAX + 1];

		if (mnl_attr_get_type(ctr) != SVR_A_STATS_COUNTER ||
		    svr_nl_parse_nested(ctr, ct, SVR_A_COUNTER_MAX) ||
		    !ct[SVR_A_COUNTER_NAME] || !ct[SVR_A_COUNTER_VALUE])
			continue;
		print_uint(PRINT_JSON, mnl_attr_get_str(ct[SVR_A_COUNTER_NAME]),
			   NULL, mnl_attr_get_u64(ct[SVR_A_COUNTER_VALUE]));
		print_text("%-32s %llu\n", mnl_attr_get_str(ct[SVR_A_COUNTER_NAME]),
			   (unsigned long long)mnl_attr_get_u64(ct[SVR_A_COUNTER_VALUE]));
	}
	return MNL_CB_OK;
}

int do_stats(struct svrctl *c, int argc, char **argv)
{
	struct svr_nl *nl;
	int ret;

	if (argc && matches(argv[0], "help")) {
		help_object(stdout, "stats");
		return EXIT_OK;
	}
	if (argc && !matches(argv[0], "show"))
		return svrctl_err(EXIT_USAGE, "unknown stats command \"%s\"", argv[0]);
	nl = svrctl_nl(c);
	if (!nl)
		return EXIT_REFUSED;
	open_json_object(NULL);
	ret = svr_nl_talk(nl, svr_nl_req(nl, SVR_CMD_STATS_GET, 0), stats_cb,
			  NULL);
	close_json_object();
	return ret ? svrctl_nl_err(c) : EXIT_OK;
}
