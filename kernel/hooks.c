// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks, registered per netns for IPv4 and IPv6.
 *
 * Priorities: PREROUTING runs after defragmentation (-400) and the raw
 * table (-300) and before conntrack (-200), so svr marks its sessions
 * untracked before conntrack ever sees half a translation; it also runs
 * before nf_nat's DNAT (-100). LOCAL_OUT translates replies of `via host`
 * sessions, before conntrack too. Nothing at POSTROUTING: a hook there
 * would cost every forwarded packet a call for nothing (SVR's per-packet
 * bytes are added at PREROUTING, vector.c).
 *
 * The hooks and defragmentation are registered in a netns when svr gets
 * its first interface there (svr_hooks_enable(), from `interface add`),
 * not when the module loads: a netns svr does not manage (a container, a
 * client or server of the selftests) pays nothing per packet.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "svr.h"
#include "datapath.h"

enum {
	SVR_PRI_PREROUTING	= NF_IP_PRI_CONNTRACK - 50,
	SVR_PRI_LOCAL_OUT	= NF_IP_PRI_CONNTRACK - 50,
};

static unsigned int svr_prerouting(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct svr_net *sn = svr_pernet(state->net);

	svr_stat_inc(sn, SVR_STAT_PKT_PRE);
	return svr_dp_prerouting(sn, skb, state);
}

static unsigned int svr_local_out(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return svr_dp_local_out(svr_pernet(state->net), skb, state);
}

#define SVR_HOOK(fn, family, num, pri)	{		\
	.hook		= fn,				\
	.pf		= family,			\
	.hooknum	= num,				\
	.priority	= pri,				\
}

static const struct nf_hook_ops svr_hook_ops[] = {
	SVR_HOOK(svr_prerouting, NFPROTO_IPV4, NF_INET_PRE_ROUTING,
		 SVR_PRI_PREROUTING),
	SVR_HOOK(svr_prerouting, NFPROTO_IPV6, NF_INET_PRE_ROUTING,
		 SVR_PRI_PREROUTING),
	SVR_HOOK(svr_local_out, NFPROTO_IPV4, NF_INET_LOCAL_OUT,
		 SVR_PRI_LOCAL_OUT),
	SVR_HOOK(svr_local_out, NFPROTO_IPV6, NF_INET_LOCAL_OUT,
		 SVR_PRI_LOCAL_OUT),
};

/* cfg_lock held (process context). */
int svr_hooks_enable(struct svr_net *sn)
{
	int ret;

	if (sn->hooks_on)
		return 0;

	ret = svr_session_table_init(sn);
	if (ret)
		return ret;

	/* Sessions are keyed by ports: reassemble fragments first. */
	ret = nf_defrag_ipv4_enable(sn->net);
	if (ret)
		return ret;
	ret = nf_defrag_ipv6_enable(sn->net);
	if (ret)
		goto err_defrag4;
	ret = nf_register_net_hooks(sn->net, svr_hook_ops,
				    ARRAY_SIZE(svr_hook_ops));
	if (ret)
		goto err_defrag6;
	sn->hooks_on = true;
	return 0;

err_defrag6:
	nf_defrag_ipv6_disable(sn->net);
err_defrag4:
	nf_defrag_ipv4_disable(sn->net);
	return ret;
}

void svr_hooks_net_exit(struct svr_net *sn)
{
	if (!sn->hooks_on)
		return;
	nf_unregister_net_hooks(sn->net, svr_hook_ops,
				ARRAY_SIZE(svr_hook_ops));
	nf_defrag_ipv6_disable(sn->net);
	nf_defrag_ipv4_disable(sn->net);
	sn->hooks_on = false;
}
