/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session table: one object per session with two flows (forward and
 * reverse), each hashed by its 7-tuple in one per-netns hash table, so a
 * packet of either direction finds its session with one RCU lookup.
 */
#ifndef _SVR_SESSION_H
#define _SVR_SESSION_H

#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <uapi/linux/svr.h>

#include "config.h"

struct tcphdr;

/*
 * The 7-tuple, as the packet arrives. IPv4 addresses use the first word of
 * the address; the rest stays zero (the key is hashed and compared as
 * bytes, so it has no padding either). A session stores its flows' keys
 * split: @rest in the flow, the addresses in the session's address slots
 * (svr_flow_key()), 4 bytes each for IPv4.
 */
struct svr_tuple {
	union svr_addr	saddr;
	union svr_addr	daddr;
	struct_group_tagged(svr_tuple_rest, rest,
		__be16		sport;		/* ICMP echo: the identifier */
		__be16		dport;		/* ICMP echo: the identifier */
		u8		proto;
		u8		family;		/* AF_INET or AF_INET6 */
		u16		vlan;		/* of the ingress device, 0 if none */
		int		ifindex;	/* ingress device */
	);
};

enum svr_dir {
	SVR_DIR_FWD,
	SVR_DIR_REV,
	SVR_DIR_MAX,
};

enum svr_rw_flags {
	SVR_RW_SADDR	= BIT(0),
	SVR_RW_DADDR	= BIT(1),
	SVR_RW_SPORT	= BIT(2),
	SVR_RW_DPORT	= BIT(3),
	SVR_RW_ALL	= SVR_RW_SADDR | SVR_RW_DADDR | SVR_RW_SPORT | SVR_RW_DPORT,
};

/* What a flow's packets become (a value: sessions store it split). */
struct svr_rewrite {
	union svr_addr	saddr;
	union svr_addr	daddr;
	__be16		sport;
	__be16		dport;
	u8		flags;		/* enum svr_rw_flags */
};

/*
 * The next hop a session took (a copy: config may change under it). The
 * gateway's address is in the session's SVR_SA_GW slot.
 */
struct svr_sess_nh {
	u8		type;		/* enum svr_nh_type (uapi) */
	int		oif;		/* gateway: forced device, 0: any */
	struct svr_peer	*peer;		/* SVR_NH_PEER: a reference */
};

/*
 * A session's addresses, each in a slot of the width of its family (all
 * of a session's addresses are of one family): 4 bytes for IPv4, 16 for
 * IPv6, after the object and its SVR half (svr_sa_ptr()).
 */
enum svr_sa {
	SVR_SA_FWD_SRC,		/* flow[dir]'s key: 2 * dir, 2 * dir + 1 */
	SVR_SA_FWD_DST,
	SVR_SA_REV_SRC,
	SVR_SA_REV_DST,
	SVR_SA_RW_SRC,		/* the forward flow's rewrite */
	SVR_SA_RW_DST,
	SVR_SA_GW,		/* nh: SVR_NH_GATEWAY's address */
	SVR_SA_LOCAL_MAX,	/* the slots of a session without @vec */
	SVR_SA_INNER_SRC = SVR_SA_LOCAL_MAX,	/* vec: the inner tuple's */
	SVR_SA_INNER_DST,
	SVR_SA_MAX,
};

/* 40 bytes: two in every session. */
struct svr_flow {
	struct svr_flow __rcu	*next;		/* in its bucket; ends in a nulls marker */
	struct svr_tuple_rest	key;		/* the addresses: svr_flow_key() */
	u8			dir;
	atomic64_t		packets;
	atomic64_t		bytes;
};

enum svr_sess_state {
	SVR_SS_NEW,		/* first packet seen, no reply yet */
	SVR_SS_REPLIED,		/* replies seen, TCP handshake not complete */
	SVR_SS_ESTABLISHED,
	SVR_SS_CLOSING,		/* TCP FIN seen */
	SVR_SS_CLOSED,		/* TCP RST seen, or both FINs */
	SVR_SS_MAX,
};

/* Why a session ended: reported by the tracepoint and in events. */
#define SVR_DEL_REASONS(FN)				\
	FN(EXPIRED,	"expired")			\
	FN(FLUSH,	"flush")			\
	FN(ADMIN,	"admin")			\
	FN(REVOKED,	"revoked")			\
	FN(TCP_CLOSED,	"tcp-closed")			\
	FN(NETNS_EXIT,	"netns-exit")			\
	FN(MOVED,	"moved")				\
	FN(PEER,	"peer")

#define SVR_DEL_ENUM(e, s)	SVR_DEL_##e,
enum svr_del_reason {
	SVR_DEL_REASONS(SVR_DEL_ENUM)
	SVR_DEL_MAX
};
#undef SVR_DEL_ENUM

enum svr_vec_flags {
	SVR_VEC_FWD_MD		= BIT(0),	/* ingress: add forward metadata */
	SVR_VEC_REV_MD		= BIT(1),	/* egress: add reverse metadata */
	SVR_VEC_REV_MD_SENT	= BIT(2),	/* egress: reverse metadata sent */
	SVR_VEC_ICMP		= BIT(3),	/* ICMP echo carried as UDP */
	SVR_VEC_PAYLOAD		= BIT(4),	/* payload encrypted (TLV 11) */
	SVR_VEC_PAYLOAD_RELAY	= BIT(5),	/* transit: TLV 11, not ours */
};

/* A session's paths, for their counters (struct svr_path_stats). */
enum svr_vec_ps {
	SVR_PS_OUT,	/* to nh.peer: the hop this router starts */
	SVR_PS_IN,	/* from the previous router: the hop that ends here */
	SVR_PS_MAX,
};

/*
 * A session's SVR half. The inner tuple is the original forward 7-tuple
 * (the client's packet as the ingress router received it), the outer one
 * the waypoint flow. Ingress: forward packets leave on the outer tuple;
 * egress: forward packets arrive on it. Transit: forward packets arrive
 * on one outer tuple (from vec.prev) and leave on another (to nh.peer).
 */
struct svr_vec {
	u8			flags;		/* enum svr_vec_flags */
	u8			inner_family;
	u8			inner_proto;
	/* Control messages (§4.6, vector.c). */
	u8			ctl_skip;	/* BIT(dir): peer told us */
	u16			port_lo;	/* the path's wayports, 0: */
	u16			port_hi;	/* the router's, even/odd */
	u32			cfg_gen;	/* config checked (failover) */
	__be16			inner_sport;	/* the addresses: SVR_SA_INNER_* */
	__be16			inner_dport;
	/* TCP: the last segment seen each way (a control segment's numbers). */
	__be32			tcp_seq[SVR_DIR_MAX];
	__be32			tcp_ack[SVR_DIR_MAX];
	__be16			tcp_win[SVR_DIR_MAX];
	u32			ka_sent;	/* jiffies (low 32 bits), */
						/* the last keepalive */
	struct svr_peer		*prev;		/* transit: the previous peer */
	/* References; under RCU on the packet path (failover moves OUT). */
	struct svr_path_stats	*ps[SVR_PS_MAX];
};

/*
 * A session. The SVR half (@vec) follows the object only for sessions
 * between routers (@has_vec); a session to a local next hop has none and
 * must never touch s->vec. The address slots follow (enum svr_sa). Each
 * of the four shapes (IPv4 or IPv6, with @vec or without) has its own
 * cache: an IPv4 session between routers is 304 bytes, 13 to a page. The
 * reverse flow's rewrite is not stored: it undoes @rw (svr_flow_rw()).
 */
struct svr_session {
	struct svr_flow		flow[SVR_DIR_MAX];
	struct svr_net		*sn;
	refcount_t		ref;
	spinlock_t		lock;		/* state transitions */
	u8			uuid[16];
	struct svr_tenant	*tenant;	/* NULL: the global tenant */
	struct svr_service	*service;
	struct svr_sess_nh	nh;
	u8			state;		/* enum svr_sess_state */
	u8			role;		/* enum svr_session_role (uapi) */
	bool			dead;		/* unhashed */
	/* One byte: @tcp_fin changes under s->lock, the others never once hashed. */
	u8			tcp_fin:2;	/* BIT(dir): FIN seen */
	u8			stale:1;	/* a moved session's old tuple */
	u8			has_vec:1;	/* @vec follows */
	u8			v6:1;		/* AF_INET6: 16-byte slots */
	/* The forward flow's rewrite; its addresses: SVR_SA_RW_*. */
	struct {
		__be16		sport;
		__be16		dport;
		u8		flags;		/* enum svr_rw_flags */
	} rw;
	u32			timeout;	/* seconds, current state */
	u32			created;	/* seconds: svr_now_sec() */
	u32			last_seen;	/* jiffies, low 32 bits */
	/*
	 * The input route each flow's packets took (IPv4): reused while
	 * dst_check() says it is valid (svr_flow_route()), released with
	 * the session.
	 */
	struct dst_entry __rcu	*dst[SVR_DIR_MAX];
	struct rcu_head		rcu;
	struct svr_vec		vec[];		/* SVR between routers */
};

/* The buckets (session.c). */
struct svr_sess_table;

/* The per-netns table, embedded in struct svr_net. */
struct svr_sessions {
	/* Set once, before the hooks (svr_session_table_init()). */
	struct svr_sess_table __rcu *table;
	atomic_t		count;
	/*
	 * jiffies: the GC walks the table once this has passed, the
	 * earliest deadline it saw (or was told of), at most
	 * SVR_GC_MAX_WAIT after its last walk.
	 */
	unsigned long		gc_next;
	struct delayed_work	gc;
	struct delayed_work	ka;	/* keepalives, while enabled */
};

extern const char *const svr_sess_state_names[SVR_SS_MAX];
extern const char *const svr_del_reason_names[SVR_DEL_MAX];

int svr_session_init(void);
void svr_session_uninit(void);
int svr_session_net_init(struct svr_net *sn);
void svr_session_net_exit(struct svr_net *sn);

/* Under rcu_read_lock(): the flow for @key, or NULL. */
struct svr_flow *svr_flow_lookup(struct svr_net *sn, const struct svr_tuple *key);

static inline struct svr_session *svr_flow_session(struct svr_flow *f)
{
	return container_of(f, struct svr_session, flow[f->dir]);
}

/* The width of @s's address slots. */
static inline unsigned int svr_sa_len(const struct svr_session *s)
{
	return s->v6 ? sizeof(struct in6_addr) : sizeof(__be32);
}

static inline void *svr_sa_ptr(const struct svr_session *s, enum svr_sa i)
{
	return (u8 *)s->vec + (s->has_vec ? sizeof(struct svr_vec) : 0) +
	       i * svr_sa_len(s);
}

/* Address slot @i as a whole union (an IPv4 one zero-filled). */
static inline void svr_sa_get(const struct svr_session *s, enum svr_sa i,
			      union svr_addr *a)
{
	const void *p = svr_sa_ptr(s, i);

	if (s->v6) {
		memcpy(&a->ip6, p, sizeof(a->ip6));
		return;
	}
	memset(a, 0, sizeof(*a));
	a->ip = *(const __be32 *)p;
}

static inline void svr_sa_set(struct svr_session *s, enum svr_sa i,
			      const union svr_addr *a)
{
	memcpy(svr_sa_ptr(s, i), a, svr_sa_len(s));
}

/* @f's key, whole: @rest from the flow, the addresses from its session. */
static inline void svr_flow_key(const struct svr_flow *f, struct svr_tuple *k)
{
	const struct svr_session *s =
		container_of(f, const struct svr_session, flow[f->dir]);

	svr_sa_get(s, 2 * f->dir, &k->saddr);
	svr_sa_get(s, 2 * f->dir + 1, &k->daddr);
	k->rest = f->key;
}

/* Store @k as @f's key (not hashed, or unhashed under s->lock). */
static inline void svr_flow_set_key(struct svr_flow *f,
				    const struct svr_tuple *k)
{
	struct svr_session *s = svr_flow_session(f);

	svr_sa_set(s, 2 * f->dir, &k->saddr);
	svr_sa_set(s, 2 * f->dir + 1, &k->daddr);
	f->key = k->rest;
}

/* The forward flow's rewrite, whole, in @rw. */
static inline const struct svr_rewrite *
svr_session_rw(const struct svr_session *s, struct svr_rewrite *rw)
{
	rw->flags = READ_ONCE(s->rw.flags);
	rw->sport = s->rw.sport;
	rw->dport = s->rw.dport;
	svr_sa_get(s, SVR_SA_RW_SRC, &rw->saddr);
	svr_sa_get(s, SVR_SA_RW_DST, &rw->daddr);
	return rw;
}

static inline void svr_session_set_rw(struct svr_session *s,
				      const struct svr_rewrite *rw)
{
	s->rw.sport = rw->sport;
	s->rw.dport = rw->dport;
	svr_sa_set(s, SVR_SA_RW_SRC, &rw->saddr);
	svr_sa_set(s, SVR_SA_RW_DST, &rw->daddr);
	WRITE_ONCE(s->rw.flags, rw->flags);
}

void svr_session_rev_rw(const struct svr_session *s, struct svr_rewrite *rr);

/* What @f's packets become, in @buf (the reverse flow's is derived). */
static inline const struct svr_rewrite *svr_flow_rw(const struct svr_flow *f,
						    struct svr_rewrite *buf)
{
	const struct svr_session *s =
		container_of(f, const struct svr_session, flow[f->dir]);

	if (f->dir == SVR_DIR_FWD)
		svr_session_rw(s, buf);
	else
		svr_session_rev_rw(s, buf);
	return buf;
}

/*
 * @vec: a session between routers (with its SVR half); @family: that of
 * all its addresses.
 */
struct svr_session *svr_session_alloc(struct svr_net *sn, bool vec, u8 family);
void svr_session_free_unhashed(struct svr_session *s);
void svr_session_dst_reset(struct svr_session *s);
/*
 * Hash both flows: -EEXIST if the forward key is taken, -EADDRINUSE if the
 * reverse key is, -ENOSPC if the table is full.
 */
int svr_session_insert(struct svr_session *s);
void svr_session_delete(struct svr_session *s, enum svr_del_reason why);
/* Rehash one flow under a changed key (failover); s->lock held. */
void svr_session_unhash_flow(struct svr_session *s, enum svr_dir dir);
int svr_session_hash_flow(struct svr_session *s, enum svr_dir dir);
int svr_session_insert_stale(struct svr_session *s);
bool svr_session_reopen(struct svr_session *old);
bool svr_session_get(struct svr_session *s);
void svr_session_put(struct svr_session *s);

/* A coarse clock for session ages: seconds since boot, 32 bits. */
static inline u32 svr_now_sec(void)
{
	return (u32)div_u64(get_jiffies_64(), HZ);
}

/* Jiffies since @s last saw a packet (last_seen holds the low 32 bits). */
static inline u32 svr_session_idle(const struct svr_session *s)
{
	return (u32)jiffies - READ_ONCE(s->last_seen);
}

/* Per-packet bookkeeping: counters, idle timer, TCP state. */
void svr_session_seen(struct svr_session *s, enum svr_dir dir,
		      unsigned int len, const struct tcphdr *th);

unsigned int svr_session_count(const struct svr_net *sn);
bool svr_session_table_full(struct svr_net *sn);
void svr_sessions_retime(struct svr_net *sn);

/* Control messages to the peers of a session (vector.c). */
void svr_vec_ctl_delete(struct svr_session *s);
void svr_vec_ctl_keepalive(struct svr_session *s);
void svr_session_ka_start(struct svr_net *sn);
unsigned int svr_session_flush(struct svr_net *sn, enum svr_del_reason why,
			       bool (*match)(struct svr_session *s, void *arg),
			       void *arg);

/*
 * Iterate over sessions (forward flows) for dumps and /proc, under RCU.
 * Before the RCU read lock is dropped, svr_session_walk_pause() takes a
 * reference on the session the walk is at; the walk goes on after it if
 * it is still in the table, else from the start of its bucket (whose
 * sessions before it may then be seen twice). svr_session_walk_end()
 * drops what a walk that stops early still holds.
 */
struct svr_sess_iter {
	struct svr_net		*sn;
	u32			bucket;
	struct svr_flow		*pos;		/* the last one, under RCU only */
	struct svr_session	*held;		/* paused at, a reference */
};

static inline void svr_session_walk_init(struct svr_sess_iter *iter,
					 struct svr_net *sn)
{
	*iter = (struct svr_sess_iter){ .sn = sn };
}

void svr_session_walk_pause(struct svr_sess_iter *iter);
void svr_session_walk_end(struct svr_sess_iter *iter);
struct svr_session *svr_session_walk_next(struct svr_sess_iter *iter);
int svr_session_table_init(struct svr_net *sn);
u32 svr_session_buckets(const struct svr_net *sn);

/* Netlink (session_nl.c). */
void svr_session_event(struct svr_session *s, bool created,
		       enum svr_del_reason why);

#endif /* _SVR_SESSION_H */
