/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svrctl's generic netlink socket: family resolution, requests, replies,
 * dumps and extack errors, on libmnl.
 */
#ifndef _SVRCTL_NL_H
#define _SVRCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct svr_nl {
	struct mnl_socket	*sk;
	uint16_t		family;
	uint32_t		version;
	uint32_t		portid;
	uint32_t		seq;
	uint32_t		mcgrp_config;
	uint32_t		mcgrp_sessions;
	char			*buf;	/* request and reply buffer */
	size_t			buflen;
	/* Text of the last error (extack or strerror), printed by the caller. */
	char			err[256];
};

/* Open the socket and resolve the "svr" family. -ENOENT: no module. */
int svr_nl_open(struct svr_nl *nl);
void svr_nl_close(struct svr_nl *nl);

/* Start a request for @cmd in nl->buf. */
struct nlmsghdr *svr_nl_req(struct svr_nl *nl, uint8_t cmd, uint16_t flags);

/*
 * Send @nlh and read replies until the ACK or DONE, calling @cb for every
 * data message. Returns 0 or a negative errno; on error nl->err says why.
 * A dump interrupted by a concurrent change returns -EINTR.
 */
int svr_nl_talk(struct svr_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data);

/* Join a multicast group ("config" or "sessions"). */
int svr_nl_join(struct svr_nl *nl, const char *group);

/* Receive and dispatch notifications forever (until @cb returns STOP). */
int svr_nl_listen(struct svr_nl *nl, mnl_cb_t cb, void *data);

/* Attribute table helper: parse @nlh's genl attributes into @tb[0..max]. */
int svr_nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 unsigned int max);
int svr_nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			unsigned int max);

#endif /* _SVRCTL_NL_H */
