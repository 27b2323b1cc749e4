/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * svr: Secure Vector Routing, generic netlink interface.
 *
 * This header is the only place where svr's netlink commands, attributes,
 * enums and multicast groups are numbered. The module includes it as
 * <uapi/linux/svr.h>, svrctl as <linux/svr.h>. The same contract is
 * described in Documentation/netlink/specs/svr.yaml; a test keeps the two
 * in step.
 */
#ifndef _UAPI_LINUX_SVR_H
#define _UAPI_LINUX_SVR_H

#define SVR_GENL_NAME		"svr"
#define SVR_GENL_VERSION	1

#define SVR_MCGRP_CONFIG	"config"
#define SVR_MCGRP_SESSIONS	"sessions"

/* Limits shared by the module and svrctl. */
#define SVR_NAME_MAX		64	/* including the terminating NUL */

enum {
	SVR_A_INFO_VERSION = 1,		/* string: module version */
	SVR_A_INFO_GENL_VERSION,	/* u32: SVR_GENL_VERSION */
	SVR_A_INFO_NETNS_COOKIE,	/* u64: the netns this answer is for */

	__SVR_A_INFO_MAX,
	SVR_A_INFO_MAX = (__SVR_A_INFO_MAX - 1)
};

enum {
	SVR_A_STATS_COUNTER = 1,	/* nest: one counter, repeated */

	__SVR_A_STATS_MAX,
	SVR_A_STATS_MAX = (__SVR_A_STATS_MAX - 1)
};

enum {
	SVR_A_COUNTER_NAME = 1,		/* string */
	SVR_A_COUNTER_VALUE,		/* u64 */
	SVR_A_COUNTER_PAD,

	__SVR_A_COUNTER_MAX,
	SVR_A_COUNTER_MAX = (__SVR_A_COUNTER_MAX - 1)
};

enum {
	SVR_CMD_INFO_GET = 1,
	SVR_CMD_STATS_GET,

	__SVR_CMD_MAX,
	SVR_CMD_MAX = (__SVR_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_SVR_H */
