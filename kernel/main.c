// SPDX-License-Identifier: GPL-2.0
/*
 * svr.ko: module init/exit and the per-netns lifetime of struct svr_net.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <svr/version.h>
#include <uapi/linux/svr.h>

#include "svr.h"
#include "config.h"

unsigned int svr_net_id __read_mostly;

static int __net_init svr_net_init(struct net *net)
{
	struct svr_net *sn = svr_pernet(net);
	int ret;

	sn->net = net;
	mutex_init(&sn->cfg_lock);
	spin_lock_init(&sn->icmp_lock);
	sn->icmp_last = jiffies;
	svr_bfd_net_init(sn);
	sn->stats = svr_stats_alloc();
	if (!sn->stats)
		return -ENOMEM;

	ret = svr_config_net_init(sn);
	if (ret)
		goto err_stats;
	ret = svr_proc_net_init(sn);
	if (ret)
		goto err_config;
	ret = svr_session_net_init(sn);
	if (ret)
		goto err_proc;
	/* The hooks come with the first interface (svr_hooks_enable()). */
	return 0;

err_proc:
	svr_proc_net_exit(sn);
err_config:
	svr_bfd_net_exit(sn);
	svr_config_net_exit(sn);
err_stats:
	free_percpu(sn->stats);
	return ret;
}

/* No packet reaches svr in this netns once pre_exit has run. */
static void __net_exit svr_net_pre_exit(struct net *net)
{
	struct svr_net *sn = svr_pernet(net);

	svr_hooks_net_exit(sn);
	svr_bfd_net_exit(sn);
}

static void __net_exit svr_net_exit(struct net *net)
{
	struct svr_net *sn = svr_pernet(net);

	/* Sessions hold references to config objects: they go first. */
	svr_session_net_exit(sn);
	svr_proc_net_exit(sn);
	svr_config_net_exit(sn);
	free_percpu(sn->stats);
}

static struct pernet_operations svr_net_ops = {
	.init		= svr_net_init,
	.pre_exit	= svr_net_pre_exit,
	.exit		= svr_net_exit,
	.id		= &svr_net_id,
	.size		= sizeof(struct svr_net),
};

static int __init svr_init(void)
{
	int ret;

	ret = svr_config_init();
	if (ret)
		goto err_config;
	ret = svr_session_init();
	if (ret)
		goto err_session;
	ret = register_pernet_subsys(&svr_net_ops);
	if (ret)
		goto err_pernet;
	ret = svr_config_notifier_register();
	if (ret)
		goto err_notifier;

	/* ORDER: the family goes last, so no request sees a half-built svr. */
	ret = svr_genl_init();
	if (ret)
		goto err_genl;

	pr_info("Secure Vector Routing %s loaded\n", SVR_VERSION);
	return 0;

err_genl:
	svr_config_notifier_unregister();
err_notifier:
	unregister_pernet_subsys(&svr_net_ops);
err_pernet:
	rcu_barrier();
	svr_session_uninit();
err_session:
	svr_config_exit();
err_config:
	pr_err("init failed (%d)\n", ret);
	return ret;
}

static void __exit svr_exit(void)
{
	svr_genl_uninit();
	svr_config_notifier_unregister();
	unregister_pernet_subsys(&svr_net_ops);
	/* Sessions and config objects go by RCU: wait, then the caches. */
	rcu_barrier();
	svr_session_uninit();
	svr_config_exit();
	pr_info("unloaded\n");
}

module_init(svr_init);
module_exit(svr_exit);
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("Secure Vector Routing");
MODULE_AUTHOR("The svr developers");
MODULE_VERSION(SVR_VERSION);
MODULE_ALIAS_GENL_FAMILY(SVR_GENL_NAME);
