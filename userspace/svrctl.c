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
#include "obj.h"

/* From decode.c when it is built in (the wire-format tool). */
int svr_decode_main(int argc, char **argv) __attribute__((weak));

static int do_decode(struct svrctl *c, int argc, char **argv);
static int do_help(struct svrctl *c, int argc, char **argv);

/*
 * The objects, in the order abbreviations are resolved ("s" is service);
 * .help names the grammar help_object() prints.
 */
static const struct svr_object objects[] = {
	{ "router",	do_router,	"router" },
	{ "interface",	do_iface,	"interface" },
	{ "tenant",	do_tenant,	"tenant" },
	{ "service",	do_service,	"service" },
	{ "security",	do_security,	"security" },
	{ "peer",	do_peer,	"peer" },
	{ "route",	do_route,	"route" },
	{ "session",	do_session,	"session" },
	{ "stats",	do_stats,	"stats" },
	{ "monitor",	do_monitor,	"monitor" },
	{ "save",	do_save,	"save" },
	{ "decode",	do_decode,	"decode" },
	{ "version",	do_version,	"version" },
	{ "help",	do_help,	NULL },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: svrctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       svrctl [ OPTIONS ] -f FILE\n"
		"where  OBJECT := { router | interface | tenant | security | service | peer |\n"
		"                   route | session | stats | monitor | save | decode | version }\n"
		"       OPTIONS := { -n NETNS | -j | -p | -o | -s | -f FILE | -h | -V }\n"
		"       -n NETNS  act in the named network namespace (/run/netns/NETNS)\n"
		"       -j        JSON output; -p indented JSON (same content)\n"
		"       -o        one line per object in show output\n"
		"       -s        counters in show output (peer paths, BFD; JSON has them always)\n"
		"       -f FILE   run the commands in FILE (\"-\": stdin), one a line;\n"
		"                 all lines are checked first, a refused line undoes the file\n"
		"       -h        this help; -V  svrctl's version\n"
		"Commands:\n");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (objects[i].help)
			help_object(f, objects[i].help);
	fprintf(f, "Exit status: 0 success, 1 refused by the kernel, 2 usage error.\n");
}

static int do_help(struct svrctl *c, int argc, char **argv)
{
	size_t i;

	if (argc > 0)
		for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
			if (objects[i].help && matches(argv[0], objects[i].name)) {
				help_object(stdout, objects[i].help);
				return EXIT_OK;
			}
	usage(stdout);
	return EXIT_OK;
}

static int do_decode(struct svrctl *c, int argc, char **argv)
{
	char *args[argc + 3];
	int n = 0, i;

	if (argc > 0 && matches(argv[0], "help")) {
		help_object(stdout, "decode");
		return EXIT_OK;
	}
	if (!svr_decode_main)
		return svrctl_err(EXIT_REFUSED, "this svrctl is built without decode");
	if (c->check_only)
		return c->in_batch ?
		       svrctl_err(EXIT_USAGE, "decode cannot run from a file") :
		       EXIT_OK;
	args[n++] = "decode";
	if (c->json)
		args[n++] = "-j";
	for (i = 0; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	fflush(stdout);
	return svr_decode_main(n, args);
}

static const char *err_file;
static unsigned int err_line;

void svrctl_err_where(const char *file, unsigned int line)
{
	err_file = file;
	err_line = line;
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
	if (err_file)
		fprintf(stderr, "%s:%u: ", err_file, err_line);
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

int run_object(struct svrctl *c, int argc, char **argv)
{
	size_t i;

	if (!argc) {
		usage(stdout);
		return EXIT_OK;
	}
	/* An exact name wins ("route" is not "router"), then abbreviations. */
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (!strcmp(argv[0], objects[i].name))
			break;
	if (i == sizeof(objects) / sizeof(objects[0]))
		for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
			if (matches(argv[0], objects[i].name))
				break;
	for (; i < sizeof(objects) / sizeof(objects[0]); i++) {
		/* Objects without a check pass run when their line comes. */
		if (c->check_only && (objects[i].run == do_stats ||
				      objects[i].run == do_version ||
				      objects[i].run == do_help))
			return EXIT_OK;
		return objects[i].run(c, argc - 1, argv + 1);
	}
	/* not reached unless nothing matched */
	return svrctl_err(EXIT_USAGE, "object \"%s\" is unknown, try \"svrctl help\"",
			  argv[0]);
}

int main(int argc, char **argv)
{
	struct svrctl c = { 0 };
	const char *file = NULL;
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
		} else if (!strcmp(opt, "-o") || !strcmp(opt, "--oneline")) {
			c.oneline = true;
		} else if (!strcmp(opt, "-s") || !strcmp(opt, "--stats")) {
			print_stats = true;
		} else if (!strcmp(opt, "-f") || !strcmp(opt, "--file") ||
			   !strcmp(opt, "-b") || !strcmp(opt, "--batch")) {
			if (argc < 2)
				return svrctl_err(EXIT_USAGE, "option -f needs a file name");
			file = argv[1];
			argc--, argv++;
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
	if (file && argc > 0)
		return svrctl_err(EXIT_USAGE, "-f FILE takes no command on the command line (\"%s\")",
				  argv[0]);
	print_init(c.json);
	print_set_pretty(c.pretty);
	print_oneline = c.oneline;
	ret = file ? batch_run(&c, file) : run_object(&c, argc, argv);
	print_finish();
	if (c.nl_open)
		svr_nl_close(&c.nl);
	return ret;
}
