// SPDX-License-Identifier: GPL-2.0
/*
 * svrctl's generic netlink plumbing on libmnl: resolve the family, send a
 * request, collect replies, turn NLMSG_ERROR and its extack into one line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/svr.h>

#include "nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

struct family_info {
	uint16_t	id;
	uint32_t	version;
	uint32_t	grp_config;
	uint32_t	grp_sessions;
};

static int parse_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = ((const struct nlattr ***)data)[0];
	unsigned int max = (unsigned int)(uintptr_t)((void **)data)[1];
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= max && !tb[type])
		tb[type] = attr;
	return MNL_CB_OK;
}

int svr_nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 unsigned int max)
{
	void *data[2] = { tb, (void *)(uintptr_t)max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), parse_attr_cb,
			      data) < 0 ? -EINVAL : 0;
}

int svr_nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			unsigned int max)
{
	void *data[2] = { tb, (void *)(uintptr_t)max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	return mnl_attr_parse_nested(nest, parse_attr_cb, data) < 0 ?
		-EINVAL : 0;
}

static void family_group(const struct nlattr *grp, struct family_info *fi)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const char *name;
	uint32_t id;

	if (svr_nl_parse_nested(grp, tb, CTRL_ATTR_MCAST_GRP_MAX) ||
	    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
		return;
	name = mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]);
	id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	if (!strcmp(name, SVR_MCGRP_CONFIG))
		fi->grp_config = id;
	else if (!strcmp(name, SVR_MCGRP_SESSIONS))
		fi->grp_sessions = id;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct family_info *fi = data;
	const struct nlattr *grp;

	if (svr_nl_parse(nlh, tb, CTRL_ATTR_MAX) || !tb[CTRL_ATTR_FAMILY_ID])
		return MNL_CB_ERROR;
	fi->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		fi->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS])
			family_group(grp, fi);
	return MNL_CB_OK;
}

static struct nlmsghdr *genl_hdr(struct svr_nl *nl, uint16_t type,
				 uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

int svr_nl_open(struct svr_nl *nl)
{
	struct family_info fi = { 0 };
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->buflen = MNL_SOCKET_BUFFER_SIZE > 65536 ?
		     MNL_SOCKET_BUFFER_SIZE : 65536;
	nl->buf = malloc(nl->buflen);
	if (!nl->buf)
		return -ENOMEM;
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk) {
		ret = -errno;
		snprintf(nl->err, sizeof(nl->err), "cannot open netlink socket: %s",
			 strerror(errno));
		goto err_free;
	}
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		snprintf(nl->err, sizeof(nl->err), "cannot bind netlink socket: %s",
			 strerror(errno));
		goto err_close;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = time(NULL);

	nlh = genl_hdr(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SVR_GENL_NAME);
	ret = svr_nl_talk(nl, nlh, family_cb, &fi);
	if (ret == -ENOENT || (!ret && !fi.id)) {
		ret = -ENOENT;
		snprintf(nl->err, sizeof(nl->err), "kernel module not loaded");
		goto err_close;
	}
	if (ret)
		goto err_close;
	nl->family = fi.id;
	nl->version = fi.version;
	nl->mcgrp_config = fi.grp_config;
	nl->mcgrp_sessions = fi.grp_sessions;
	return 0;

err_close:
	mnl_socket_close(nl->sk);
	nl->sk = NULL;
err_free:
	free(nl->buf);
	nl->buf = NULL;
	return ret;
}

void svr_nl_close(struct svr_nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->buf);
	nl->sk = NULL;
	nl->buf = NULL;
}

struct nlmsghdr *svr_nl_req(struct svr_nl *nl, uint8_t cmd, uint16_t flags)
{
	return genl_hdr(nl, nl->family, cmd, SVR_GENL_VERSION, flags);
}

/* Turn an NLMSG_ERROR (or a DONE carrying an error) into nl->err. */
static int error_text(struct svr_nl *nl, const struct nlmsghdr *nlh, int err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int hlen = sizeof(*e);
	const struct nlattr *attr;
	const char *msg = NULL;
	int miss = -1;

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && nlh->nlmsg_type == NLMSG_ERROR)
		hlen += mnl_nlmsg_get_payload_len(&e->msg);
	if (nlh->nlmsg_type == NLMSG_DONE)
		hlen = sizeof(int);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		mnl_attr_for_each(attr, nlh, hlen) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				msg = mnl_attr_get_str(attr);
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MISS_TYPE &&
			    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				miss = mnl_attr_get_u32(attr);
		}
	}
	if (msg && *msg)
		snprintf(nl->err, sizeof(nl->err), "%s", msg);
	else if (miss >= 0)
		snprintf(nl->err, sizeof(nl->err),
			 "missing required attribute type %d", miss);
	else
		snprintf(nl->err, sizeof(nl->err), "%s", strerror(err));
	return -err;
}

static int recv_one(struct svr_nl *nl, mnl_cb_t cb, void *data, bool *done,
		    bool *intr)
{
	const struct nlmsghdr *nlh;
	ssize_t len;
	int left;

	len = mnl_socket_recvfrom(nl->sk, nl->buf, nl->buflen);
	if (len < 0) {
		snprintf(nl->err, sizeof(nl->err), "netlink receive: %s",
			 strerror(errno));
		return -errno;
	}
	left = len;
	for (nlh = (const struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			*done = true;
			return e->error ? error_text(nl, nlh, -e->error) : 0;
		}
		if (nlh->nlmsg_type == NLMSG_DONE) {
			int err = *(const int *)mnl_nlmsg_get_payload(nlh);

			*done = true;
			return err ? error_text(nl, nlh, -err) : 0;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		if (cb && cb(nlh, data) < MNL_CB_OK) {
			snprintf(nl->err, sizeof(nl->err),
				 "unexpected reply from the kernel");
			return -EPROTO;
		}
	}
	return 0;
}

int svr_nl_talk(struct svr_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data)
{
	bool done = false, intr = false;
	int ret = 0;

	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0) {
		snprintf(nl->err, sizeof(nl->err), "netlink send: %s",
			 strerror(errno));
		return -errno;
	}
	while (!done) {
		int r = recv_one(nl, cb, data, &done, &intr);

		if (r && !ret)
			ret = r;
		if (r == -EPROTO || (r && !done))
			return r;
	}
	if (!ret && intr) {
		snprintf(nl->err, sizeof(nl->err),
			 "dump interrupted by a concurrent change");
		return -EINTR;
	}
	return ret;
}

int svr_nl_join(struct svr_nl *nl, const char *group)
{
	uint32_t id = !strcmp(group, SVR_MCGRP_CONFIG) ? nl->mcgrp_config :
		      !strcmp(group, SVR_MCGRP_SESSIONS) ? nl->mcgrp_sessions : 0;

	if (!id) {
		snprintf(nl->err, sizeof(nl->err),
			 "multicast group %s not offered by the module", group);
		return -ENOENT;
	}
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &id,
				  sizeof(id)) < 0) {
		snprintf(nl->err, sizeof(nl->err), "join %s: %s", group,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

int svr_nl_listen(struct svr_nl *nl, mnl_cb_t cb, void *data)
{
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl->sk, nl->buf, nl->buflen);
		int ret;

		if (len < 0) {
			if (errno == ENOBUFS) {
				fprintf(stderr, "Warning: events lost (receive buffer overrun)\n");
				continue;
			}
			snprintf(nl->err, sizeof(nl->err), "netlink receive: %s",
				 strerror(errno));
			return -errno;
		}
		ret = mnl_cb_run(nl->buf, len, 0, 0, cb, data);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -errno : 0;
	}
}
