// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions over generic netlink: SESSION_GET (do by UUID, dump with
 * service/tenant filters), SESSION_DEL, SESSION_FLUSH, and the
 * SESSION_ADD_NTF/SESSION_DEL_NTF events on the "sessions" group.
 */
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/svr.h>

#include "svr.h"
#include "session.h"
#include "session_nl.h"

static int fill_tuple(struct sk_buff *msg, int attr, u8 family,
		      const union svr_addr *src, const union svr_addr *dst,
		      __be16 sport, __be16 dport, u8 proto, int ifindex,
		      u16 vlan)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	bool v4 = family == AF_INET;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put(msg, v4 ? SVR_A_TUPLE_SRC4 : SVR_A_TUPLE_SRC6,
		    v4 ? 4 : 16, src) ||
	    nla_put(msg, v4 ? SVR_A_TUPLE_DST4 : SVR_A_TUPLE_DST6,
		    v4 ? 4 : 16, dst) ||
	    nla_put_u16(msg, SVR_A_TUPLE_SPORT, ntohs(sport)) ||
	    nla_put_u16(msg, SVR_A_TUPLE_DPORT, ntohs(dport)) ||
	    nla_put_u8(msg, SVR_A_TUPLE_PROTO, proto) ||
	    (ifindex && nla_put_u32(msg, SVR_A_TUPLE_IFINDEX, ifindex)) ||
	    nla_put_u16(msg, SVR_A_TUPLE_VLAN, vlan)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int fill_key(struct sk_buff *msg, int attr, const struct svr_flow *f)
{
	struct svr_tuple k;

	svr_flow_key(f, &k);
	return fill_tuple(msg, attr, k.family, &k.saddr, &k.daddr,
			  k.sport, k.dport, k.proto, k.ifindex, k.vlan);
}

/* The forward packet as it leaves: the key with the rewrite applied. */
static int fill_rewrite(struct sk_buff *msg, const struct svr_flow *f)
{
	struct svr_tuple key, *k = &key;
	struct svr_rewrite buf;
	const struct svr_rewrite *rw = svr_flow_rw(f, &buf);

	svr_flow_key(f, k);
	return fill_tuple(msg, SVR_A_SESSION_REWRITE, k->family,
			  rw->flags & SVR_RW_SADDR ? &rw->saddr : &k->saddr,
			  rw->flags & SVR_RW_DADDR ? &rw->daddr : &k->daddr,
			  rw->flags & SVR_RW_SPORT ? rw->sport : k->sport,
			  rw->flags & SVR_RW_DPORT ? rw->dport : k->dport,
			  k->proto, 0, 0);
}

static int fill_nexthop(struct sk_buff *msg, const struct svr_session *s)
{
	struct nlattr *nest = nla_nest_start(msg, SVR_A_SESSION_NEXTHOP);
	bool v4 = s->flow[SVR_DIR_FWD].key.family == AF_INET;
	union svr_addr gw;

	if (!nest)
		return -EMSGSIZE;
	svr_sa_get(s, SVR_SA_GW, &gw);
	if (nla_put_u8(msg, SVR_A_ROUTE_TYPE, s->nh.type))
		goto err;
	if (s->nh.type == SVR_NH_GATEWAY &&
	    nla_put(msg, v4 ? SVR_A_ROUTE_GATEWAY4 : SVR_A_ROUTE_GATEWAY6,
		    v4 ? 4 : 16, &gw))
		goto err;
	if (s->nh.peer && nla_put_string(msg, SVR_A_ROUTE_PEER,
					 s->nh.peer->name))
		goto err;
	nla_nest_end(msg, nest);
	return 0;
err:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static u8 uapi_state(const struct svr_session *s)
{
	switch (READ_ONCE(s->state)) {
	case SVR_SS_ESTABLISHED:
		return SVR_SESSION_STATE_ESTABLISHED;
	case SVR_SS_CLOSING:
	case SVR_SS_CLOSED:
		return SVR_SESSION_STATE_CLOSING;
	default:
		return SVR_SESSION_STATE_PENDING;
	}
}

static int svr_nl_fill_session(struct sk_buff *msg, struct svr_session *s,
			       u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct svr_flow *fw = &s->flow[SVR_DIR_FWD];
	const struct svr_flow *rv = &s->flow[SVR_DIR_REV];
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &svr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put(msg, SVR_A_SESSION_UUID, sizeof(s->uuid), s->uuid) ||
	    nla_put_string(msg, SVR_A_SESSION_TENANT,
			   s->tenant ? s->tenant->name : "global") ||
	    (s->service && nla_put_string(msg, SVR_A_SESSION_SERVICE,
					  s->service->name)) ||
	    fill_key(msg, SVR_A_SESSION_FORWARD, fw) ||
	    fill_key(msg, SVR_A_SESSION_REVERSE, rv) ||
	    fill_rewrite(msg, fw) || fill_nexthop(msg, s) ||
	    nla_put_u8(msg, SVR_A_SESSION_STATE, uapi_state(s)) ||
	    nla_put_u8(msg, SVR_A_SESSION_ROLE, s->role) ||
	    nla_put_u64_64bit(msg, SVR_A_SESSION_PACKETS_FWD,
			      atomic64_read(&fw->packets), SVR_A_SESSION_PAD) ||
	    nla_put_u64_64bit(msg, SVR_A_SESSION_BYTES_FWD,
			      atomic64_read(&fw->bytes), SVR_A_SESSION_PAD) ||
	    nla_put_u64_64bit(msg, SVR_A_SESSION_PACKETS_REV,
			      atomic64_read(&rv->packets), SVR_A_SESSION_PAD) ||
	    nla_put_u64_64bit(msg, SVR_A_SESSION_BYTES_REV,
			      atomic64_read(&rv->bytes), SVR_A_SESSION_PAD) ||
	    nla_put_u32(msg, SVR_A_SESSION_AGE, svr_now_sec() - s->created) ||
	    nla_put_u32(msg, SVR_A_SESSION_IDLE, svr_session_idle(s) / HZ) ||
	    nla_put_u32(msg, SVR_A_SESSION_TIMEOUT, READ_ONCE(s->timeout))) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/* Called from the packet path (softirq) and from process context. */
void svr_session_event(struct svr_session *s, bool created,
		       enum svr_del_reason why)
{
	struct net *net = s->sn->net;
	struct sk_buff *msg;

	if (!genl_has_listeners(&svr_genl_family, net, SVR_MCGRP_IDX_SESSIONS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (svr_nl_fill_session(msg, s, 0, 0, 0, created ?
				SVR_CMD_SESSION_ADD_NTF :
				SVR_CMD_SESSION_DEL_NTF)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&svr_genl_family, net, msg, 0,
				SVR_MCGRP_IDX_SESSIONS, GFP_ATOMIC);
}

struct filter {
	const char	*service;
	const char	*tenant;
	const u8	*uuid;
};

static bool filter_match(struct svr_session *s, void *arg)
{
	const struct filter *f = arg;

	if (f->uuid && memcmp(f->uuid, s->uuid, sizeof(s->uuid)))
		return false;
	if (f->service && (!s->service || strcmp(f->service, s->service->name)))
		return false;
	if (f->tenant && strcmp(f->tenant, s->tenant ? s->tenant->name :
				"global"))
		return false;
	return true;
}

static void filter_parse(struct nlattr **attrs, struct filter *f)
{
	memset(f, 0, sizeof(*f));
	if (attrs[SVR_A_SESSION_SERVICE])
		f->service = nla_data(attrs[SVR_A_SESSION_SERVICE]);
	if (attrs[SVR_A_SESSION_TENANT])
		f->tenant = nla_data(attrs[SVR_A_SESSION_TENANT]);
	if (attrs[SVR_A_SESSION_UUID])
		f->uuid = nla_data(attrs[SVR_A_SESSION_UUID]);
}

int svr_session_nl_dump_start(struct netlink_callback *cb)
{
	struct svr_net *sn = svr_pernet(sock_net(cb->skb->sk));
	struct svr_sess_iter *iter;

	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	svr_session_walk_init(iter, sn);
	cb->args[0] = (long)iter;
	return 0;
}

int svr_session_nl_dump_done(struct netlink_callback *cb)
{
	struct svr_sess_iter *iter = (void *)cb->args[0];

	if (iter)
		svr_session_walk_end(iter);
	kfree(iter);
	if (cb->args[1])
		svr_session_put((void *)cb->args[1]);
	cb->args[1] = 0;
	return 0;
}

int svr_session_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct svr_sess_iter *iter = (void *)cb->args[0];
	struct svr_session *s = (void *)cb->args[1];
	struct filter f;
	int ret = 0;

	filter_parse(genl_dumpit_info(cb)->attrs, &f);
	rcu_read_lock();
	/* cb->args[1]: a session that did not fit in the last message. */
	if (!s)
		s = svr_session_walk_next(iter);
	for (; s; s = svr_session_walk_next(iter)) {
		if (READ_ONCE(s->dead) || s->stale || !filter_match(s, &f))
			continue;
		ret = svr_nl_fill_session(skb, s, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, NLM_F_MULTI,
					  SVR_CMD_SESSION_GET);
		if (ret)
			break;
	}
	/* Keep the one that did not fit; the walk holds no reference. */
	if (cb->args[1])
		svr_session_put((void *)cb->args[1]);
	cb->args[1] = 0;
	if (s && ret && svr_session_get(s))
		cb->args[1] = (long)s;
	svr_session_walk_pause(iter);
	rcu_read_unlock();
	return s && ret ? skb->len : 0;
}

static struct svr_session *find_uuid(struct svr_net *sn, const u8 *uuid)
{
	struct svr_session *s, *found = NULL;
	struct svr_sess_iter iter;

	svr_session_walk_init(&iter, sn);
	rcu_read_lock();
	while ((s = svr_session_walk_next(&iter))) {
		if (!memcmp(s->uuid, uuid, sizeof(s->uuid)) && !s->dead &&
		    !s->stale &&
		    svr_session_get(s)) {
			found = s;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

int svr_session_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_pernet(genl_info_net(info));
	struct svr_session *s;
	struct sk_buff *msg;
	int ret;

	s = find_uuid(sn, nla_data(info->attrs[SVR_A_SESSION_UUID]));
	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVR_A_SESSION_UUID],
				    "no such session");
		return -ENOENT;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	ret = msg ? svr_nl_fill_session(msg, s, info->snd_portid,
					info->snd_seq, 0, SVR_CMD_SESSION_GET) :
		    -ENOMEM;
	svr_session_put(s);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

int svr_session_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_pernet(genl_info_net(info));
	struct svr_session *s;

	s = find_uuid(sn, nla_data(info->attrs[SVR_A_SESSION_UUID]));
	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVR_A_SESSION_UUID],
				    "no such session");
		return -ENOENT;
	}
	svr_session_delete(s, SVR_DEL_ADMIN);
	svr_session_put(s);
	return 0;
}

int svr_session_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct svr_net *sn = svr_pernet(genl_info_net(info));
	struct filter f;

	filter_parse(info->attrs, &f);
	svr_session_flush(sn, SVR_DEL_FLUSH, filter_match, &f);
	return 0;
}
