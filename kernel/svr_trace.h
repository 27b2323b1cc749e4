/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svr's tracepoints (events/svr/): session created and deleted, packet
 * dropped, FIB miss. Reasons print symbolically from the same X-macros
 * that name the counters.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM svr

#if !defined(_SVR_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SVR_TRACE_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tracepoint.h>

#include "stats.h"
#include "session.h"

#ifndef SVR_TRACE_ADDR_DEFINED
#define SVR_TRACE_ADDR_DEFINED
/* IPv4 as a mapped IPv6 address, so one %pI6c prints both. */
static inline void svr_trace_addr(u8 *dst, u8 family, const void *addr)
{
	if (family == AF_INET) {
		memset(dst, 0, 10);
		dst[10] = 0xff;
		dst[11] = 0xff;
		memcpy(dst + 12, addr, 4);
	} else {
		memcpy(dst, addr, 16);
	}
}
#endif

#define SVR_TRACE_DROP_ENUM(e, s)	TRACE_DEFINE_ENUM(SVR_DROP_##e);
SVR_DROP_REASONS(SVR_TRACE_DROP_ENUM)
#undef SVR_TRACE_DROP_ENUM
#define SVR_TRACE_DROP_SYM(e, s)	{ SVR_DROP_##e, s },

#define SVR_TRACE_DEL_ENUM(e, s)	TRACE_DEFINE_ENUM(SVR_DEL_##e);
SVR_DEL_REASONS(SVR_TRACE_DEL_ENUM)
#undef SVR_TRACE_DEL_ENUM
#define SVR_TRACE_DEL_SYM(e, s)		{ SVR_DEL_##e, s },

TRACE_EVENT(svr_session_new,
	TP_PROTO(const struct svr_session *s),
	TP_ARGS(s),
	TP_STRUCT__entry(
		__array(u8, uuid, 16)
		__field(u8, family)
		__field(u8, proto)
		__array(u8, saddr, 16)
		__array(u8, daddr, 16)
		__field(u16, sport)
		__field(u16, dport)
		__field(int, ifindex)
	),
	TP_fast_assign(
		struct svr_tuple k;

		svr_flow_key(&s->flow[SVR_DIR_FWD], &k);
		memcpy(__entry->uuid, s->uuid, 16);
		__entry->family = k.family;
		__entry->proto = k.proto;
		svr_trace_addr(__entry->saddr, k.family, &k.saddr);
		svr_trace_addr(__entry->daddr, k.family, &k.daddr);
		__entry->sport = ntohs(k.sport);
		__entry->dport = ntohs(k.dport);
		__entry->ifindex = k.ifindex;
	),
	TP_printk("uuid=%pUb proto=%u src=%pI6c dst=%pI6c sport=%u dport=%u ifindex=%d",
		  __entry->uuid, __entry->proto,
		  __entry->saddr, __entry->daddr,
		  __entry->sport, __entry->dport, __entry->ifindex)
);

TRACE_EVENT(svr_session_delete,
	TP_PROTO(const struct svr_session *s, enum svr_del_reason reason),
	TP_ARGS(s, reason),
	TP_STRUCT__entry(
		__array(u8, uuid, 16)
		__field(u64, packets_fwd)
		__field(u64, packets_rev)
		__field(int, reason)
	),
	TP_fast_assign(
		memcpy(__entry->uuid, s->uuid, 16);
		__entry->packets_fwd = atomic64_read(&s->flow[SVR_DIR_FWD].packets);
		__entry->packets_rev = atomic64_read(&s->flow[SVR_DIR_REV].packets);
		__entry->reason = reason;
	),
	TP_printk("uuid=%pUb packets_fwd=%llu packets_rev=%llu reason=%s",
		  __entry->uuid, __entry->packets_fwd, __entry->packets_rev,
		  __print_symbolic(__entry->reason,
				   SVR_DEL_REASONS(SVR_TRACE_DEL_SYM)
				   { SVR_DEL_MAX, NULL }))
);

TRACE_EVENT(svr_drop,
	TP_PROTO(const struct sk_buff *skb, enum svr_drop_reason reason),
	TP_ARGS(skb, reason),
	TP_STRUCT__entry(
		__string(dev, skb->dev ? skb->dev->name : "")
		__field(u16, protocol)
		__field(unsigned int, len)
		__field(int, reason)
	),
	TP_fast_assign(
		__assign_str(dev, skb->dev ? skb->dev->name : "");
		__entry->protocol = ntohs(skb->protocol);
		__entry->len = skb->len;
		__entry->reason = reason;
	),
	TP_printk("dev=%s protocol=0x%04x len=%u reason=%s",
		  __get_str(dev), __entry->protocol, __entry->len,
		  __print_symbolic(__entry->reason,
				   SVR_DROP_REASONS(SVR_TRACE_DROP_SYM)
				   { SVR_DROP_MAX, NULL }))
);

TRACE_EVENT(svr_fib_miss,
	TP_PROTO(u8 family, const void *daddr, u8 proto, u16 dport,
		 const char *tenant),
	TP_ARGS(family, daddr, proto, dport, tenant),
	TP_STRUCT__entry(
		__field(u8, family)
		__array(u8, daddr, 16)
		__field(u8, proto)
		__field(u16, dport)
		__string(tenant, tenant)
	),
	TP_fast_assign(
		__entry->family = family;
		svr_trace_addr(__entry->daddr, family, daddr);
		__entry->proto = proto;
		__entry->dport = dport;
		__assign_str(tenant, tenant);
	),
	TP_printk("tenant=%s dst=%pI6c proto=%u dport=%u",
		  __get_str(tenant), __entry->daddr, __entry->proto,
		  __entry->dport)
);

#endif /* _SVR_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE svr_trace
#include <trace/define_trace.h>
