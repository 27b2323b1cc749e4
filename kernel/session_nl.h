/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session table's netlink side, called by netlink.c. The policy
 * (svr_session_policy in netlink.c) has already validated the attributes:
 * SVR_A_SESSION_UUID (exactly 16 bytes), SVR_A_SESSION_TENANT and
 * SVR_A_SESSION_SERVICE (names) are the only ones a request may carry.
 * SESSION_GET (do) and SESSION_DEL have checked that the UUID is present.
 *
 * To send a message of the svr family (replies to dumps, session events):
 * svr_nl_put() and svr_nl_multicast_sessions() below.
 */
#ifndef _SVR_SESSION_NL_H
#define _SVR_SESSION_NL_H

#include <net/genetlink.h>

struct svr_net;

int svr_session_nl_dump_start(struct netlink_callback *cb);
int svr_session_nl_dump_done(struct netlink_callback *cb);
int svr_session_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int svr_session_nl_get(struct sk_buff *skb, struct genl_info *info);
int svr_session_nl_del(struct sk_buff *skb, struct genl_info *info);
int svr_session_nl_flush(struct sk_buff *skb, struct genl_info *info);

/* genlmsg_put() for the svr family. */
void *svr_nl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd);
/* Send @skb to the "sessions" group of @sn's netns (consumes it). */
int svr_nl_multicast_sessions(struct svr_net *sn, struct sk_buff *skb);

#endif /* _SVR_SESSION_NL_H */
