/* SPDX-License-Identifier: GPL-2.0 */
/* Header rewrite with checksum fix-ups. */
#ifndef _SVR_NAT_H
#define _SVR_NAT_H

#include "datapath.h"

int svr_nat_apply(struct sk_buff *skb, const struct svr_pkt *p,
		  const struct svr_rewrite *rw, u8 mask);
int svr_nat_icmp_error(struct sk_buff *skb, const struct svr_pkt *outer,
		       const struct svr_pkt *inner, const struct svr_rewrite *rw);

#endif /* _SVR_NAT_H */
