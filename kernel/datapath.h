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
unsigned int svr_bfd_rcv(struct svr_net *sn, struct sk_buff *skb,
			 const struct svr_pkt *p);

/* Shared by datapath.c and vector.c. */
struct svr_first {
	struct svr_iface	*in;
	struct svr_tenant	*tenant;
	struct svr_service	*svc;
	struct svr_sess_nh	nh;
	union svr_addr		gw;		/* nh: SVR_NH_GATEWAY's */
};

void svr_untrack(struct sk_buff *skb);
bool svr_ttl_expired(struct svr_net *sn, struct sk_buff *skb,
		     const struct svr_pkt *p);
int svr_route_input(struct sk_buff *skb, const struct svr_pkt *p);
enum svr_drop_reason svr_rewrite_route(struct sk_buff *skb,
				       const struct svr_pkt *p,
				       struct svr_flow *f,
				       const struct svr_rewrite *rw);
struct dst_entry *svr_route_output(struct net *net, u8 family,
				   const union svr_addr *daddr,
				   const union svr_addr *saddr, u8 proto,
				   int oif, u8 flags);
unsigned int svr_pass(struct svr_net *sn, struct sk_buff *skb,
		      struct svr_flow *f);
unsigned int svr_xmit_gateway(struct svr_net *sn, struct sk_buff *skb,
			      const struct svr_pkt *p,
			      const struct svr_session *s);
int svr_service_nexthop(struct svr_net *sn, struct svr_service *svc,
			u8 family, struct svr_sess_nh *out, union svr_addr *gw);
int svr_first_egress(struct svr_net *sn, struct sk_buff *skb,
		     const struct svr_pkt *p, struct svr_first *fp,
		     struct svr_session *s, struct net_device **outp);
void svr_dp_reverse(struct svr_session *s, const struct net_device *out);
int svr_insert_nat(struct svr_net *sn, struct svr_session *s,
		   const struct net_device *out, bool nat_port);

/* vector.c: SVR between routers. */
const struct svr_path *svr_vec_path_pick(struct svr_peer *peer, u8 family);
struct net_device *svr_vec_path_dev(struct net *net,
				    const struct svr_path *path);
/* failover.c */
void svr_vec_path_check(struct svr_net *sn, struct svr_session *s);
void svr_vec_replace_moved(struct svr_net *sn, struct svr_session *s);
bool svr_vec_path_up(struct svr_peer *peer, u8 family);
int svr_vec_ingress_setup(struct svr_net *sn, const struct svr_pkt *p,
			  struct svr_session *s, struct svr_peer *peer,
			  struct net_device **outp);
int svr_vec_insert(struct svr_net *sn, struct svr_session *s,
		   const struct net_device *out);
void svr_vec_fix_reverse(const struct svr_session *s, struct svr_tuple *rk);
unsigned int svr_vec_forward(struct svr_net *sn, struct sk_buff *skb,
			     const struct svr_pkt *p, struct svr_flow *f,
			     struct svr_session *s);
bool svr_vec_is_md(struct sk_buff *skb, const struct svr_pkt *p);
struct svr_security *svr_vec_payload_policy(struct svr_service *svc);
bool svr_vec_flow_from_peer(struct svr_flow *f);
void svr_vec_ps_set(struct svr_vec *v, enum svr_vec_ps i,
		    struct svr_path_stats *ps);
bool svr_vec_flow_to_peer(struct svr_flow *f);
unsigned int svr_vec_icmp_to_peer(struct svr_net *sn, struct sk_buff *skb,
				  const struct svr_pkt *p,
				  const struct svr_pkt *inner,
				  unsigned int l3off, struct svr_flow *f);
unsigned int svr_vec_icmp_error(struct svr_net *sn, struct sk_buff *skb,
				const struct svr_pkt *p,
				const struct svr_pkt *inner, unsigned int l3off,
				struct svr_flow *f);
unsigned int svr_vec_egress_first(struct svr_net *sn, struct sk_buff *skb,
				  const struct nf_hook_state *state,
				  const struct svr_pkt *p);
int svr_dp_parse_inner(struct sk_buff *skb, const struct svr_pkt *outer,
		       struct svr_pkt *inner, unsigned int *l3off);

#endif /* _SVR_DATAPATH_H */
