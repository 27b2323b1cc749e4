// SPDX-License-Identifier: GPL-2.0
/*
 * svrctl -f FILE: one command a line. Every line is parsed and checked
 * before anything is sent (errors name FILE:LINE, exit 2). Then the lines
 * are applied in order; before each change svrctl snapshots what it is
 * about to change. If the kernel refuses a line, everything the file
 * applied so far is undone in reverse order (a NEW by a DEL, a SET by the
 * inverse SET from the snapshot, a DEL by re-creating the object from the
 * snapshot) and svrctl exits 1: the router is left as it was.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svrctl.h"
#include "obj.h"

struct line {
	unsigned int	no;
	int		argc;
	char		**argv;
};

/* Split @s into words; a word starting with '#' ends the line. */
static int split(char *s, char ***pargv)
{
	char **argv = NULL;
	int argc = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(s, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		char **v;

		if (tok[0] == '#')
			break;
		v = realloc(argv, (argc + 2) * sizeof(*v));
		if (!v)
			exit(svrctl_err(EXIT_REFUSED, "out of memory"));
		argv = v;
		argv[argc++] = strdup(tok);
		argv[argc] = NULL;
	}
	*pargv = argv;
	return argc;
}

static int read_lines(const char *path, struct line **plines, size_t *pn)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct line *lines = NULL;
	char *buf = NULL, *acc = NULL;
	size_t cap = 0, n = 0, acclen = 0;
	unsigned int no = 0, start = 0;
	ssize_t len;

	if (!f)
		return svrctl_err(EXIT_USAGE, "cannot open \"%s\": %s", path,
				  strerror(errno));
	while ((len = getline(&buf, &cap, f)) >= 0) {
		bool cont;
		char *a;

		no++;
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = 0;
		/* A backslash at the end continues the line. */
		cont = len && buf[len - 1] == '\\';
		if (cont)
			buf[--len] = ' ';
		if (!acc)
			start = no;
		a = realloc(acc, acclen + len + 2);
		if (!a)
			exit(svrctl_err(EXIT_REFUSED, "out of memory"));
		acc = a;
		memcpy(acc + acclen, buf, len);
		acclen += len;
		acc[acclen++] = ' ';
		acc[acclen] = 0;
		if (cont)
			continue;
		{
			struct line *l = realloc(lines, (n + 1) * sizeof(*l));

			if (!l)
				exit(svrctl_err(EXIT_REFUSED, "out of memory"));
			lines = l;
			lines[n].no = start;
			lines[n].argc = split(acc, &lines[n].argv);
			if (lines[n].argc)
				n++;
			else
				free(lines[n].argv);
		}
		free(acc);
		acc = NULL;
		acclen = 0;
	}
	if (acc) {	/* a continuation on the last line */
		struct line *l = realloc(lines, (n + 1) * sizeof(*l));

		if (!l)
			exit(svrctl_err(EXIT_REFUSED, "out of memory"));
		lines = l;
		lines[n].no = start;
		lines[n].argc = split(acc, &lines[n].argv);
		if (lines[n].argc)
			n++;
		free(acc);
	}
	free(buf);
	if (f != stdin)
		fclose(f);
	*plines = lines;
	*pn = n;
	return 0;
}

int batch_run(struct svrctl *c, const char *path)
{
	struct line *lines = NULL;
	struct req *r, **applied;
	size_t n = 0, i, nreq = 0, napplied = 0;
	int ret, errors = 0;

	ret = read_lines(path, &lines, &n);
	if (ret)
		return ret;

	/* Pass 1: parse and check every line; nothing is sent. */
	c->in_batch = true;
	c->check_only = true;
	c->queue = NULL;
	c->queue_tail = &c->queue;
	c->file = path;
	for (i = 0; i < n; i++) {
		struct req **tail = c->queue_tail;

		c->line = lines[i].no;
		svrctl_err_where(path, lines[i].no);
		ret = run_object(c, lines[i].argc, lines[i].argv);
		if (ret) {
			errors++;
			continue;
		}
		if (c->queue_tail == tail) {
			/* Not a change (show, stats, save): run it in order. */
			r = calloc(1, sizeof(*r));
			if (!r)
				exit(svrctl_err(EXIT_REFUSED, "out of memory"));
			r->file = path;
			r->line = lines[i].no;
			r->argc = lines[i].argc;
			r->argv = lines[i].argv;
			*c->queue_tail = r;
			c->queue_tail = &r->next;
		}
	}
	svrctl_err_where(NULL, 0);
	c->check_only = false;
	if (errors) {
		ret = EXIT_USAGE;
		goto out;
	}
	for (r = c->queue; r; r = r->next)
		nreq++;
	applied = calloc(nreq + 1, sizeof(*applied));
	if (!applied)
		exit(svrctl_err(EXIT_REFUSED, "out of memory"));

	/* Pass 2: apply in order; on a refusal, undo in reverse. */
	ret = EXIT_OK;
	if (nreq && !svrctl_nl(c)) {
		ret = EXIT_REFUSED;
		goto out_applied;
	}
	for (r = c->queue; r; r = r->next) {
		int err;

		if (r->argv) {
			fflush(stdout);
			err = run_object(c, r->argc, r->argv);
			if (err) {
				svrctl_err(EXIT_REFUSED, "%s:%u: the line above failed",
					   r->file, r->line);
				ret = EXIT_REFUSED;
				break;
			}
			continue;
		}
		err = req_snapshot(c, r);
		if (!err)
			err = req_send(c, r);
		if (err) {
			ret = svrctl_err(EXIT_REFUSED, "%s:%u: %s", r->file,
					 r->line, c->nl.err);
			break;
		}
		r->applied = true;
		applied[napplied++] = r;
	}
	if (ret) {
		while (napplied--) {
			r = applied[napplied];
			if (req_undo(c, r))
				svrctl_err(EXIT_REFUSED, "%s:%u: cannot undo: %s",
					   r->file, r->line, c->nl.err);
		}
	}
out_applied:
	free(applied);
out:
	while (c->queue) {
		r = c->queue;
		c->queue = r->next;
		r->argv = NULL;
		if (r->nlh)
			req_free(r);
		else
			free(r);
	}
	for (i = 0; i < n; i++) {
		int j;

		for (j = 0; j < lines[i].argc; j++)
			free(lines[i].argv[j]);
		free(lines[i].argv);
	}
	free(lines);
	c->in_batch = false;
	return ret;
}
