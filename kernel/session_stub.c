// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-ins for the session table until kernel/session.c lands: delete this
 * file then. netlink.c calls these for the SESSION_* commands, config
 * changes call svr_sessions_config_changed().
 */
#include <net/genetlink.h>

#include "svr.h"
#include "config.h"
#include "session_nl.h"

void svr_sessions_config_changed(struct svr_net *sn)
{
	lockdep_assert_held(&sn->cfg_lock);
}

int svr_session_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int svr_session_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVR_A_SESSION_UUID],
			    "no such session");
	return -ENOENT;
}

int svr_session_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVR_A_SESSION_UUID],
			    "no such session");
	return -ENOENT;
}

int svr_session_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	return 0;
}
