/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session datapath: what the netfilter hooks do with a packet.
 */
#ifndef _SVR_DATAPATH_H
#define _SVR_DATAPATH_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "session.h"
#include "stats.h"

/* A parsed packet: offsets into the skb and its 7-tuple. */
struct svr_pkt {
	struct svr_tuple	key;
	unsigned int	l4off;		/* from skb->data (network header) */
	u8		icmp_type;
	u8		icmp_code;
	bool		icmp_error;	/* ICMP/ICMPv6 error message */
	bool		icmp_echo;	/* echo request or reply */
	bool		ports;		/* TCP, UDP or ICMP echo */
};

unsigned int svr_dp_prerouting(struct svr_net *sn, struct sk_buff *skb,
			       const struct nf_hook_state *state);
unsigned int svr_dp_local_out(struct svr_net *sn, struct sk_buff *skb,
			      const struct nf_hook_state *state);

unsigned int svr_drop(struct svr_net *sn, struct sk_buff *skb,
		      enum svr_drop_reason why);

int svr_dp_parse(struct sk_buff *skb, u8 family, struct svr_pkt *p);
int svr_dp_parse_inner(struct sk_buff *skb, const struct svr_pkt *outer,
		       struct svr_pkt *inner, unsigned int *l3off);

#endif /* _SVR_DATAPATH_H */
