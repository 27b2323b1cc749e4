// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/svr/ per netns: stats (one "name value" line per counter).
 */
#include <linux/seq_file.h>
#include <svr/version.h>

#include "svr.h"

static int svr_proc_stats_show(struct seq_file *seq, void *v)
{
	struct svr_net *sn = svr_pernet(seq_file_single_net(seq));
	int i;

	for (i = 0; i < SVR_STAT_MAX; i++)
		seq_printf(seq, "%-32s %llu\n", svr_stat_names[i],
			   svr_stat_read(sn, i));
	return 0;
}

int svr_proc_net_init(struct svr_net *sn)
{
	struct net *net = sn->net;

	sn->proc_dir = proc_net_mkdir(net, "svr", net->proc_net);
	if (!sn->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("stats", 0444, sn->proc_dir,
				    svr_proc_stats_show, NULL))
		goto err;
	return 0;
err:
	remove_proc_subtree("svr", net->proc_net);
	sn->proc_dir = NULL;
	return -ENOMEM;
}

void svr_proc_net_exit(struct svr_net *sn)
{
	if (sn->proc_dir)
		remove_proc_subtree("svr", sn->net->proc_net);
	sn->proc_dir = NULL;
}
