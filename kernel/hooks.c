// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks, registered per netns at PREROUTING and POSTROUTING for
 * IPv4 and IPv6.
 *
 * Priorities: PREROUTING runs after the raw table and before conntrack
 * (NF_IP_PRI_CONNTRACK is -200), so svr can mark its sessions untracked
 * before conntrack ever sees half a translation. POSTROUTING runs after
 * nf_nat's source NAT (100) and before conntrack confirmation.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "svr.h"

enum {
	SVR_PRI_PREROUTING	= NF_IP_PRI_CONNTRACK - 50,
	SVR_PRI_POSTROUTING	= NF_IP_PRI_NAT_SRC + 10,
};

static unsigned int svr_prerouting(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	svr_stat_inc(svr_pernet(state->net), SVR_STAT_PKT_PRE);
	return NF_ACCEPT;
}

static unsigned int svr_postrouting(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	svr_stat_inc(svr_pernet(state->net), SVR_STAT_PKT_POST);
	return NF_ACCEPT;
}

static const struct nf_hook_ops svr_hook_ops[] = {
	{
		.hook		= svr_prerouting,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= SVR_PRI_PREROUTING,
	},
	{
		.hook		= svr_prerouting,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= SVR_PRI_PREROUTING,
	},
	{
		.hook		= svr_postrouting,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_POST_ROUTING,
		.priority	= SVR_PRI_POSTROUTING,
	},
	{
		.hook		= svr_postrouting,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_POST_ROUTING,
		.priority	= SVR_PRI_POSTROUTING,
	},
};

int svr_hooks_net_init(struct svr_net *sn)
{
	int ret;

	ret = nf_register_net_hooks(sn->net, svr_hook_ops,
				    ARRAY_SIZE(svr_hook_ops));
	if (ret)
		return ret;
	sn->hooks_on = true;
	return 0;
}

void svr_hooks_net_exit(struct svr_net *sn)
{
	if (!sn->hooks_on)
		return;
	nf_unregister_net_hooks(sn->net, svr_hook_ops,
				ARRAY_SIZE(svr_hook_ops));
	sn->hooks_on = false;
}
