// SPDX-License-Identifier: GPL-2.0
/*
 * svrctl version, svrctl stats: the module's identity and its counters.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <linux/svr.h>
#include <svr/metadata.h>
#include <svr/version.h>

#include "svrctl.h"
#include "obj.h"

struct info {
	char		version[64];
	uint32_t	genl_version;
};

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SVR_A_INFO_MAX + 1];
	struct info *in = data;

	if (svr_nl_parse(nlh, tb, SVR_A_INFO_MAX))
		return MNL_CB_ERROR;
	if (tb[SVR_A_INFO_VERSION])
		snprintf(in->version, sizeof(in->version), "%s",
			 mnl_attr_get_str(tb[SVR_A_INFO_VERSION]));
	if (tb[SVR_A_INFO_GENL_VERSION])
		in->genl_version = mnl_attr_get_u32(tb[SVR_A_INFO_GENL_VERSION]);
	return MNL_CB_OK;
}

int do_version(struct svrctl *c, int argc, char **argv)
{
	struct info in = { 0 };
	struct svr_nl *nl;

	if (argc)
		return svrctl_err(EXIT_USAGE, "\"version\" takes no arguments");
	open_json_object(NULL);
	print_string(PRINT_ANY, "svrctl", "svrctl %s\n", SVR_VERSION);
	fflush(stdout);
	nl = svrctl_nl(c);
	if (!nl) {
		close_json_object();
		return EXIT_REFUSED;
	}
	if (svr_nl_talk(nl, svr_nl_req(nl, SVR_CMD_INFO_GET, 0), info_cb, &in))
		return svrctl_nl_err(c);
	print_string(PRINT_ANY, "module", "svr.ko %s", in.version);
	print_uint(PRINT_ANY, "genl_version", " (netlink version %u)\n",
		   in.genl_version);
	close_json_object();
	return EXIT_OK;
}

/*
 * The counters as the kernel names them (SVR_CMD_STATS_GET, the same names
 * as /proc/net/svr/stats), in its order. Every output format prints from
 * this one read.
 */
struct counter {
	char		name[64];
	uint64_t	value;
};

struct counters {
	struct counter	*v;
	size_t		n, cap;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SVR_A_STATS_MAX + 1];
	struct counters *cs = data;
	const struct nlattr *ctr;

	if (svr_nl_parse(nlh, tb, SVR_A_STATS_MAX))
		return MNL_CB_ERROR;
	mnl_attr_for_each(ctr, nlh, sizeof(struct genlmsghdr)) {
		const struct nlattr *ct[SVR_A_COUNTER_MAX + 1];
		struct counter *c;

		if (mnl_attr_get_type(ctr) != SVR_A_STATS_COUNTER ||
		    svr_nl_parse_nested(ctr, ct, SVR_A_COUNTER_MAX) ||
		    !ct[SVR_A_COUNTER_NAME] || !ct[SVR_A_COUNTER_VALUE])
			continue;
		if (cs->n == cs->cap) {
			size_t cap = cs->cap ? 2 * cs->cap : 128;
			struct counter *v = realloc(cs->v, cap * sizeof(*v));

			if (!v)
				return MNL_CB_ERROR;
			cs->v = v;
			cs->cap = cap;
		}
		c = &cs->v[cs->n++];
		snprintf(c->name, sizeof(c->name), "%s",
			 mnl_attr_get_str(ct[SVR_A_COUNTER_NAME]));
		c->value = mnl_attr_get_u64(ct[SVR_A_COUNTER_VALUE]);
	}
	return MNL_CB_OK;
}

static void stats_print(const struct counters *cs)
{
	size_t i;

	open_json_object(NULL);
	for (i = 0; i < cs->n; i++) {
		print_uint(PRINT_JSON, cs->v[i].name, NULL, cs->v[i].value);
		print_text("%-32s %llu\n", cs->v[i].name,
			   (unsigned long long)cs->v[i].value);
	}
	close_json_object();
}

/*
 * Prometheus text exposition format (version 0.0.4). Counters that are one
 * of a kind get a family each, svr_NAME_total; the drop reasons and the
 * metadata parse errors are one family each with the kind as a label. The
 * parse errors are known by the codec's own names (svr_md_err_name()); its
 * "ok" is the kernel's md_parsed, a family of its own.
 */

enum prom_family { PROM_SINGLE, PROM_DROP, PROM_MD_ERR };

static enum prom_family prom_family_of(const char *name, const char **label)
{
	size_t i;

	if (!strncmp(name, "drop_", 5)) {
		*label = name + 5;
		return PROM_DROP;
	}
	for (i = SVR_MD_ERR_OK + 1; i < SVR_MD_ERR_MAX; i++)
		if (!strcmp(name, svr_md_err_name(i))) {
			*label = strncmp(name, "md_", 3) ? name : name + 3;
			return PROM_MD_ERR;
		}
	*label = NULL;
	return PROM_SINGLE;
}

/* A label value: backslash, double quote and newline are escaped. */
static void prom_label(const char *key, const char *val)
{
	printf("%s=\"", key);
	for (; *val; val++) {
		if (*val == '\\' || *val == '"')
			printf("\\%c", *val);
		else if (*val == '\n')
			printf("\\n");
		else
			putchar(*val);
	}
	putchar('"');
}

/* A metric name: [a-zA-Z0-9_], anything else becomes '_'. */
static void prom_name(const char *name)
{
	for (; *name; name++)
		putchar(isalnum((unsigned char)*name) ? *name : '_');
}

static void prom_sample(const char *family, const char *name,
			const char *lkey, const char *lval, const char *netns,
			uint64_t value)
{
	printf("svr_");
	prom_name(family ? family : name);
	printf("_total{");
	prom_label("netns", netns);
	if (lkey) {
		putchar(',');
		prom_label(lkey, lval);
	}
	printf("} %llu\n", (unsigned long long)value);
}

static void prom_head(const char *name, const char *help)
{
	printf("# HELP svr_");
	prom_name(name);
	printf("_total %s\n# TYPE svr_", help);
	prom_name(name);
	printf("_total counter\n");
}

static void prom_group(const struct counters *cs, enum prom_family fam,
		       const char *family, const char *lkey, const char *help,
		       const char *netns)
{
	const char *label;
	bool head = false;
	size_t i;

	for (i = 0; i < cs->n; i++) {
		if (prom_family_of(cs->v[i].name, &label) != fam)
			continue;
		if (!head)
			prom_head(family, help);
		head = true;
		prom_sample(family, NULL, lkey, label, netns, cs->v[i].value);
	}
}

static void stats_prometheus(const struct counters *cs, const char *netns)
{
	const char *label;
	size_t i;

	for (i = 0; i < cs->n; i++) {
		if (prom_family_of(cs->v[i].name, &label) != PROM_SINGLE)
			continue;
		printf("# HELP svr_");
		prom_name(cs->v[i].name);
		printf("_total svr counter %s (/proc/net/svr/stats)\n",
		       cs->v[i].name);
		printf("# TYPE svr_");
		prom_name(cs->v[i].name);
		printf("_total counter\n");
		prom_sample(NULL, cs->v[i].name, NULL, NULL, netns,
			    cs->v[i].value);
	}
	prom_group(cs, PROM_DROP, "drops", "reason",
		   "Packets svr dropped, by reason (the drop_* counters)", netns);
	prom_group(cs, PROM_MD_ERR, "md_errors", "error",
		   "SVR metadata that did not parse, by error (the md_* parse counters)",
		   netns);
}

/*
 * The netns label: the -n name, else the name `ip netns identify` would
 * print (a bind mount in /run/netns), else "init" for PID 1's namespace,
 * else "".
 */
static void netns_label(const struct svrctl *c, char *buf, size_t len)
{
	struct stat self, st;
	struct dirent *de;
	DIR *d;

	buf[0] = '\0';
	if (c->netns) {
		snprintf(buf, len, "%s", c->netns);
		return;
	}
	if (stat("/proc/self/ns/net", &self))
		return;
	d = opendir("/run/netns");
	while (d && (de = readdir(d))) {
		char path[300];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", de->d_name);
		if (!stat(path, &st) && st.st_dev == self.st_dev &&
		    st.st_ino == self.st_ino) {
			snprintf(buf, len, "%s", de->d_name);
			break;
		}
	}
	if (d)
		closedir(d);
	if (!buf[0] && !stat("/proc/1/ns/net", &st) &&
	    st.st_dev == self.st_dev && st.st_ino == self.st_ino)
		snprintf(buf, len, "init");
}

int do_stats(struct svrctl *c, int argc, char **argv)
{
	struct counters cs = { 0 };
	bool prom = false;
	struct svr_nl *nl;
	char netns[256];
	int ret;

	if (argc && matches(argv[0], "help")) {
		help_object(stdout, "stats");
		return EXIT_OK;
	}
	if (argc && matches(argv[0], "show"))
		argc--, argv++;
	if (argc && (!strcmp(argv[0], "--prometheus") ||
		     matches(argv[0], "prometheus"))) {
		prom = true;
		argc--, argv++;
	}
	if (argc)
		return svrctl_err(EXIT_USAGE, "unknown stats command \"%s\"", argv[0]);
	if (prom && c->json)
		return svrctl_err(EXIT_USAGE, "-j and --prometheus are two formats: choose one");
	nl = svrctl_nl(c);
	if (!nl)
		return EXIT_REFUSED;
	ret = svr_nl_talk(nl, svr_nl_req(nl, SVR_CMD_STATS_GET, 0), stats_cb,
			  &cs);
	if (ret) {
		free(cs.v);
		return svrctl_nl_err(c);
	}
	if (prom) {
		netns_label(c, netns, sizeof(netns));
		stats_prometheus(&cs, netns);
	} else {
		stats_print(&cs);
	}
	free(cs.v);
	return EXIT_OK;
}
