// SPDX-License-Identifier: GPL-2.0
/*
 * svrctl: configure and inspect svr, the Secure Vector Routing module,
 * over generic netlink. Option parsing and object dispatch live here; each
 * object has its own file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/svr.h>
#include <svr/version.h>

#include "svrctl.h"

static const struct svr_object objects[] = {
	{ "version",	do_version,
	  "svrctl version" },
	{ "stats",	do_stats,
	  "svrctl stats [show]" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: svrctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"where  OPTIONS := { -n NETNS | -j | -p | -h | -V }\n"
		"       -n NETNS  act in the named network namespace (/run/netns/NETNS)\n"
		"       -j        JSON output; -p pretty JSON (same content)\n"
		"       -h        this help; -V  svrctl's version\n"
		"Commands:\n");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		fprintf(f, "       %s\n", objects[i].help);
	fprintf(f, "Exit status: 0 success, 1 refused by the kernel, 2 usage error.\n");
}

bool matches(const char *arg, const char *word)
{
	size_t len = strlen(arg);

	return len && len <= strlen(word) && !strncmp(arg, word, len);
}

int svrctl_err(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int svrctl_nl_err(struct svrctl *c)
{
	return svrctl_err(EXIT_REFUSED, "%s", c->nl.err);
}

struct svr_nl *svrctl_nl(struct svrctl *c)
{
	int ret;

	if (c->nl_open)
		return &c->nl;
	ret = svr_nl_open(&c->nl);
	if (ret == -ENOENT) {
		fflush(stdout);
		fprintf(stderr, "svr: kernel module not loaded\n");
		return NULL;
	}
	if (ret) {
		svrctl_nl_err(c);
		return NULL;
	}
	if (c->nl.version != SVR_GENL_VERSION) {
		svrctl_err(EXIT_REFUSED,
			   "svr.ko speaks netlink version %u, svrctl speaks %u: update svrctl or the module",
			   c->nl.version, SVR_GENL_VERSION);
		svr_nl_close(&c->nl);
		return NULL;
	}
	c->nl_open = true;
	return &c->nl;
}

static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return svrctl_err(EXIT_REFUSED,
				  "cannot open network namespace \"%s\": %s",
				  name, strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0) {
		close(fd);
		return svrctl_err(EXIT_REFUSED,
				  "cannot enter network namespace \"%s\": %s",
				  name, strerror(errno));
	}
	close(fd);
	return 0;
}

static int run_object(struct svrctl *c, int argc, char **argv)
{
	size_t i;

	if (!argc || matches(argv[0], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (matches(argv[0], objects[i].name))
			return objects[i].run(c, argc - 1, argv + 1);
	return svrctl_err(EXIT_USAGE, "object \"%s\" is unknown, try \"svrctl help\"",
			  argv[0]);
}

int main(int argc, char **argv)
{
	struct svrctl c = { 0 };
	int ret;

	argc--, argv++;
	while (argc > 0 && argv[0][0] == '-' && argv[0][1]) {
		const char *opt = argv[0];

		if (!strcmp(opt, "--")) {
			argc--, argv++;
			break;
		} else if (!strcmp(opt, "-n") || !strcmp(opt, "--netns")) {
			if (argc < 2)
				return svrctl_err(EXIT_USAGE, "option -n needs a namespace name");
			c.netns = argv[1];
			argc--, argv++;
		} else if (!strcmp(opt, "-j") || !strcmp(opt, "--json")) {
			c.json = true;
		} else if (!strcmp(opt, "-p") || !strcmp(opt, "--pretty")) {
			c.json = c.pretty = true;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(opt, "-V") || !strcmp(opt, "--version")) {
			printf("svrctl %s\n", SVR_VERSION);
			return EXIT_OK;
		} else {
			return svrctl_err(EXIT_USAGE, "option \"%s\" is unknown, try \"svrctl -h\"",
					  opt);
		}
		argc--, argv++;
	}

	if (c.netns) {
		ret = enter_netns(c.netns);
		if (ret)
			return ret;
	}
	print_init(c.json);
	ret = run_object(&c, argc, argv);
	print_finish();
	if (c.nl_open)
		svr_nl_close(&c.nl);
	return ret;
}
