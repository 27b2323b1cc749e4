/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-netns counters. Every counter is named once here: the X-macros below
 * generate the enum, the /proc/net/svr/stats names, the netlink stats dump
 * and (for drop reasons) the tracepoint's symbolic table.
 */
#ifndef _SVR_STATS_H
#define _SVR_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <svr/metadata.h>

/* Reasons a packet is dropped. FN(enum suffix, counter name). */
#define SVR_DROP_REASONS(FN)						\
	FN(NONE,		"drop_none")				\
	FN(MALFORMED,		"drop_malformed")			\
	FN(FRAGMENT,		"drop_fragment")			\
	FN(FIB_MISS,		"drop_fib_miss")			\
	FN(NOT_ALLOWED,		"drop_not_allowed")			\
	FN(DENIED,		"drop_denied")				\
	FN(PROTO,		"drop_unsupported_proto")		\
	FN(ICMP_TYPE,		"drop_icmp_type")			\
	FN(ICMP_UNRELATED,	"drop_icmp_unrelated")			\
	FN(NO_ROUTE,		"drop_no_route")			\
	FN(TABLE_FULL,		"drop_table_full")			\
	FN(NAT_EXHAUSTED,	"drop_nat_exhausted")			\
	FN(NOMEM,		"drop_nomem")				\
	FN(TTL,			"drop_ttl_exceeded")			\
	FN(GSO_MD,		"drop_gso_needs_metadata")		\
	FN(STALE,		"drop_stale_tuple")			\
	FN(MD_INVALID,		"drop_md_invalid")			\
	FN(MD_NOT_FORWARD,	"drop_md_not_forward")			\
	FN(MD_UNKNOWN_PEER,	"drop_md_unknown_peer")			\
	FN(MD_UNKNOWN_TENANT,	"drop_md_unknown_tenant")		\
	FN(MD_NO_SERVICE,	"drop_md_no_service")			\
	FN(MD_NOT_ALLOWED,	"drop_md_not_allowed")			\
	FN(HMAC_SHORT,		"drop_hmac_short")			\
	FN(HMAC_BAD,		"drop_hmac_bad")			\
	FN(SEC_UNKNOWN_KEY,	"drop_sec_unknown_key")			\
	FN(SEC_WRONG_POLICY,	"drop_sec_wrong_policy")		\
	FN(SEC_MISSING,		"drop_sec_missing")			\
	FN(SEC_NO_KEY,		"drop_sec_no_key")			\
	FN(MD_DECRYPT,		"drop_md_decrypt")			\
	FN(CRYPTO,		"drop_crypto_error")			\
	FN(GSO_SEGMENT,		"drop_gso_segment")			\
	FN(PAYLOAD_MALFORMED,	"drop_payload_malformed")		\
	FN(PAYLOAD_UNKNOWN_KEY,	"drop_payload_unknown_key")		\
	FN(PAYLOAD_WRONG_POLICY, "drop_payload_wrong_policy")		\
	FN(PAYLOAD_DECRYPT,	"drop_payload_decrypt")			\
	FN(PAYLOAD_MISMATCH,	"drop_payload_mismatch")		\
	FN(L4_CHECKSUM,		"drop_l4_checksum")			\
	FN(MD_CONSUMED,		"drop_md_consumed")			\
	FN(CTL_NO_SESSION,	"drop_ctl_no_session")			\
	FN(CTL_MISMATCH,	"drop_ctl_uuid_mismatch")		\
	FN(BFD_MALFORMED,	"drop_bfd_malformed")			\
	FN(BFD_NO_PATH,		"drop_bfd_no_path")

/* Events and totals that are not drops. */
#define SVR_EVENTS(FN)							\
	FN(PKT_PRE,		"pkt_prerouting")			\
	FN(FAST_LANE,		"pkt_fast_lane")			\
	FN(DIRECT_XMIT,		"pkt_direct_xmit")			\
	FN(FIB_LOOKUP,		"fib_lookups")				\
	FN(SESS_CREATED,	"sessions_created")			\
	FN(SESS_DELETED,	"sessions_deleted")			\
	FN(SESS_MOVED,		"sessions_moved")			\
	FN(SESS_REOPENED,	"sessions_tcp_reopened")		\
	FN(ICMP_SENT,		"icmp_errors_sent")			\
	FN(ICMP_RATELIMITED,	"icmp_errors_ratelimited")		\
	FN(ICMP_TRANSLATED,	"icmp_errors_translated")		\
	FN(ICMP_RELAYED,	"icmp_errors_relayed")			\
	FN(NAT_RETRY,		"nat_port_retries")			\
	FN(MD_SENT_FWD,		"md_sent_forward")			\
	FN(MD_SENT_REV,		"md_sent_reverse")			\
	FN(MD_RCVD,		"md_received")				\
	FN(MD_MARKER_ADDED,	"md_markers_added")			\
	FN(HMAC_ADDED,		"hmac_added")				\
	FN(HMAC_VERIFIED,	"hmac_verified")			\
	FN(MD_ENCRYPTED,	"md_encrypted")				\
	FN(MD_DECRYPTED,	"md_decrypted")				\
	FN(GSO_SEGMENTED,	"gso_segmented")			\
	FN(TCP_MSS_CLAMPED,	"tcp_mss_clamped")			\
	FN(PAYLOAD_ENCRYPTED,	"payload_encrypted")			\
	FN(PAYLOAD_DECRYPTED,	"payload_decrypted")			\
	FN(CTL_SENT_KEEPALIVE,	"ctl_sent_keepalive")			\
	FN(CTL_SENT_DELETE,	"ctl_sent_delete_session")		\
	FN(CTL_SEND_FAILED,	"ctl_send_failed")			\
	FN(CTL_RCVD_KEEPALIVE,	"ctl_received_keepalive")		\
	FN(CTL_RCVD_DELETE,	"ctl_received_delete_session")		\
	FN(CTL_RCVD_OTHER,	"ctl_received_other")			\
	FN(BFD_SENT,		"bfd_sent")				\
	FN(BFD_RCVD,		"bfd_received")				\
	FN(BFD_SEND_FAILED,	"bfd_send_failed")			\
	FN(BFD_PATH_DOWN,	"bfd_path_down")			\
	FN(BFD_PATH_UP,		"bfd_path_up")				\
	FN(BFD_LATE,		"bfd_timers_late")

#define SVR_DROP_ENUM(e, s)	SVR_DROP_##e,
enum svr_drop_reason {
	SVR_DROP_REASONS(SVR_DROP_ENUM)
	SVR_DROP_MAX
};
#undef SVR_DROP_ENUM

#define SVR_STAT_ENUM(e, s)	SVR_STAT_##e,
#define SVR_STAT_DROP_ENUM(e, s) SVR_STAT_DROP_##e,
#define SVR_STAT_MDE_ENUM(e, s)	SVR_STAT_MDE_##e,
enum svr_stat {
	SVR_EVENTS(SVR_STAT_ENUM)
	SVR_DROP_REASONS(SVR_STAT_DROP_ENUM)
	/* Metadata parse results, in enum svr_md_err order (metadata.h). */
	SVR_MD_ERRORS(SVR_STAT_MDE_ENUM)
	SVR_STAT_MAX
};
#undef SVR_STAT_ENUM
#undef SVR_STAT_DROP_ENUM
#undef SVR_STAT_MDE_ENUM

#define SVR_STAT_MD_ERR_BASE	SVR_STAT_MDE_OK

struct svr_pcpu_stats {
	u64_stats_t		cnt[SVR_STAT_MAX];
	struct u64_stats_sync	syncp;
};

struct svr_net;

extern const char *const svr_stat_names[SVR_STAT_MAX];

/* svr_stat_inc() and svr_stat_add() are inline, in svr.h. */
u64 svr_stat_read(const struct svr_net *sn, enum svr_stat s);
struct svr_pcpu_stats __percpu *svr_stats_alloc(void);

#endif /* _SVR_STATS_H */
