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

static void show_tuple(struct seq_file *seq, const char *what,
		       const struct svr_flow *f)
{
	struct svr_tuple k;

	svr_flow_key(f, &k);
	if (k.family == AF_INET)
		seq_printf(seq, " %s %pI4:%u>%pI4:%u", what, &k.saddr.ip,
			   ntohs(k.sport), &k.daddr.ip, ntohs(k.dport));
	else
		seq_printf(seq, " %s [%pI6c]:%u>[%pI6c]:%u", what,
			   &k.saddr.ip6, ntohs(k.sport), &k.daddr.ip6,
			   ntohs(k.dport));
}

/* One line per session: uuid, tenant, service, tuples, state, counters. */
static int svr_proc_sessions_show(struct seq_file *seq, void *v)
{
	struct svr_net *sn = svr_pernet(seq_file_single_net(seq));
	struct svr_sess_iter iter;
	struct svr_session *s;

	svr_session_walk_init(&iter, sn);
	rcu_read_lock();
	while ((s = svr_session_walk_next(&iter))) {
		const struct svr_flow *fw = &s->flow[SVR_DIR_FWD];
		const struct svr_flow *rv = &s->flow[SVR_DIR_REV];

		if (s->stale)
			continue;

		seq_printf(seq, "%pUb tenant=%s service=%s proto=%u", s->uuid,
			   s->tenant ? s->tenant->name : "global",
			   s->service ? s->service->name : "-", fw->key.proto);
		show_tuple(seq, "fwd", fw);
		show_tuple(seq, "rev", rv);
		seq_printf(seq, " state=%s pkts=%llu/%llu bytes=%llu/%llu age=%lu idle=%lu timeout=%u\n",
			   svr_sess_state_names[READ_ONCE(s->state)],
			   atomic64_read(&fw->packets),
			   atomic64_read(&rv->packets),
			   atomic64_read(&fw->bytes), atomic64_read(&rv->bytes),
			   (unsigned long)(svr_now_sec() - s->created),
			   (unsigned long)svr_session_idle(s) / HZ,
			   READ_ONCE(s->timeout));
	}
	rcu_read_unlock();
	return 0;
}

int svr_proc_net_init(struct svr_net *sn)
{
	struct net *net = sn->net;

	sn->proc_dir = proc_net_mkdir(net, "svr", net->proc_net);
	if (!sn->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("stats", 0444, sn->proc_dir,
				    svr_proc_stats_show, NULL) ||
	    !proc_create_net_single("sessions", 0444, sn->proc_dir,
				    svr_proc_sessions_show, NULL))
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
