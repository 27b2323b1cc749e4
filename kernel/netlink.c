// SPDX-License-Identifier: GPL-2.0
/*
 * The "svr" generic netlink family: policies, handlers and notifications.
 * Numbering comes only from include/uapi/linux/svr.h.
 *
 * Locking: the family is parallel_ops; every handler that changes
 * configuration takes the netns's cfg_lock. Reads run under RCU or the lock.
 */
#include <net/genetlink.h>
#include <svr/version.h>
#include <uapi/linux/svr.h>

#include "svr.h"

static const struct nla_policy svr_info_policy[SVR_A_INFO_MAX + 1] = {
};

static const struct nla_policy svr_stats_policy[SVR_A_STATS_MAX + 1] = {
};



/* OK for unprivileged users. */
static int svr_nl_info_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &svr_genl_family, 0,
				SVR_CMD_INFO_GET);
	if (!hdr)
		goto nla_put_failure;
	if (nla_put_string(msg, SVR_A_INFO_VERSION, SVR_VERSION) ||
	    nla_put_u32(msg, SVR_A_INFO_GENL_VERSION, SVR_GENL_VERSION) ||
	    nla_put_u64_64bit(msg, SVR_A_INFO_NETNS_COOKIE,
			      genl_info_net(info)->net_cookie,
			      0))
		goto nla_put_failure;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int svr_nl_fill_counter(struct sk_buff *msg, const char *name, u64 v)
{
	struct nlattr *nest = nla_nest_start(msg, SVR_A_STATS_COUNTER);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, SVR_A_COUNTER_NAME, name) ||
	    nla_put_u64_64bit(msg, SVR_A_COUNTER_VALUE, v, SVR_A_COUNTER_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* OK for unprivileged users. */
static int svr_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &svr_genl_family, 0,
				SVR_CMD_STATS_GET);
	if (!hdr)
		goto nla_put_failure;
	for (i = 0; i < SVR_STAT_MAX; i++)
		if (svr_nl_fill_counter(msg, svr_stat_names[i],
					svr_stat_read(sn, i)))
			goto nla_put_failure;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops svr_genl_ops[] = {
	{
		.cmd		= SVR_CMD_INFO_GET,
		.doit		= svr_nl_info_get_doit,
		.policy		= svr_info_policy,
		.maxattr	= SVR_A_INFO_MAX,
	},
	{
		.cmd		= SVR_CMD_STATS_GET,
		.doit		= svr_nl_stats_get_doit,
		.policy		= svr_stats_policy,
		.maxattr	= SVR_A_STATS_MAX,
	},
};

static const struct genl_multicast_group svr_mcgrps[] = {
	{ .name = SVR_MCGRP_CONFIG },
	{ .name = SVR_MCGRP_SESSIONS },
};

struct genl_family svr_genl_family __ro_after_init = {
	.name		= SVR_GENL_NAME,
	.version	= SVR_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= svr_genl_ops,
	.n_ops		= ARRAY_SIZE(svr_genl_ops),
	.resv_start_op	= 0,
	.mcgrps		= svr_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(svr_mcgrps),
};

int __init svr_genl_init(void)
{
	return genl_register_family(&svr_genl_family);
}

void svr_genl_uninit(void)
{
	genl_unregister_family(&svr_genl_family);
}
