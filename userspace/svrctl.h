/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svrctl: shared context and helpers for the per-object command files.
 */
#ifndef _SVRCTL_H
#define _SVRCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "nl.h"
#include "print.h"

/* Exit codes. */
enum {
	EXIT_OK		= 0,
	EXIT_REFUSED	= 1,	/* the kernel (or the system) refused */
	EXIT_USAGE	= 2,	/* the command line (or file) is wrong */
};

struct req;

struct svrctl {
	struct svr_nl	nl;
	bool		nl_open;
	bool		json;
	bool		pretty;
	bool		oneline;
	const char	*netns;
	/*
	 * -f: the check pass parses every line into requests (check_only),
	 * nothing is sent; the apply pass sends them in order.
	 */
	bool		check_only;
	bool		in_batch;
	struct req	*queue, **queue_tail;
	const char	*file;		/* for requests queued in the check pass */
	unsigned int	line;
	char		**line_argv;
	int		line_argc;
};

struct svr_object {
	const char	*name;
	int		(*run)(struct svrctl *c, int argc, char **argv);
	const char	*help;	/* grammar lines, printed by "svrctl help" */
};

/* Open the netlink socket once; prints the error and returns NULL. */
struct svr_nl *svrctl_nl(struct svrctl *c);

/* Print "Error: ..." on stderr (one line) and return @code. */
int svrctl_err(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The kernel's answer to a failed request, as one line; returns 1. */
int svrctl_nl_err(struct svrctl *c);

/* Error lines are prefixed with "FILE:LINE: " while a file is checked. */
void svrctl_err_where(const char *file, unsigned int line);

/* True if @arg is a prefix of @word (ip-style abbreviations). */
bool matches(const char *arg, const char *word);

/* Objects (one file each). */
int do_version(struct svrctl *c, int argc, char **argv);
int do_stats(struct svrctl *c, int argc, char **argv);

/* Run "OBJECT COMMAND ..." (the command line, or one line of -f). */
int run_object(struct svrctl *c, int argc, char **argv);

#endif /* _SVRCTL_H */
