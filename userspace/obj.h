/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration objects as svrctl sees them: one descriptor per object
 * (commands, attributes, parts, option table), requests built from the
 * command line before anything is sent, and the machinery that applies a
 * request, snapshots what it changes and undoes it.
 */
#ifndef _SVRCTL_OBJ_H
#define _SVRCTL_OBJ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include <linux/svr.h>

#include "args.h"

struct svrctl;

/*
 * Option tables (ethtool style): one row per keyword of an object's scalar
 * options. The same rows parse the command line, print show (text and
 * JSON), print save and write the grammar of help.
 */
enum opt_type {
	OPT_U32,	/* KW NUM */
	OPT_RANGE16,	/* KW LO-HI: attr and attr_hi (u16 each) */
	OPT_ENUM8,	/* KW VALUE from .enums */
	OPT_BARE8,	/* VALUE alone (up | down), from .enums */
	OPT_STR,	/* KW NAME */
	OPT_REF,	/* KW NAME of another object; no-KW clears it ("") */
	OPT_FLAG8,	/* KW sets 1, no-KW sets 0 */
};

enum {
	OPT_F_HIDE0	= 1 << 0,	/* text and save leave out 0 / "" */
	OPT_F_NEW_ONLY	= 1 << 1,	/* not accepted by set */
	OPT_F_RO	= 1 << 2,	/* shown only: not set, saved or in help */
};

struct svr_opt {
	const char		*kw;
	const char		*json;
	const char		*json_hi;	/* OPT_RANGE16 */
	const char		*meta;		/* help: "SECONDS" */
	enum opt_type		type;
	uint16_t		attr;
	uint16_t		attr_hi;
	uint32_t		min, max;
	const struct svr_enum	*enums;
	unsigned int		flags;
};

/* A part of an object (a nest repeated in the object's message). */
/* The most attributes a part's nest may have (svr_part.max). */
#define SVR_PART_ATTRS_MAX	31

struct svr_part {
	const char	*what;		/* "prefix" */
	uint16_t	attr;		/* SVR_A_TENANT_PREFIX */
	unsigned int	max;		/* SVR_A_PREFIX_MAX */
	uint16_t	ro;		/* the first reply-only member: it and
					 * those after it are never sent */
	/* Canonical text of the part's key, for matching. */
	void		(*key)(const struct nlattr **tb, char *buf, size_t len);
	uint16_t	rw;		/* but from this one after ro, they are
					 * sent (0: none)... */
	uint16_t	ro2;		/* ...up to this one (0: all) */
};

enum svr_obj_id {
	OBJ_ROUTER,
	OBJ_IFACE,
	OBJ_TENANT,
	OBJ_SECURITY,
	OBJ_SERVICE,
	OBJ_PEER,
	OBJ_ROUTE,
	OBJ_SESSION,
	__OBJ_MAX
};

struct svr_objdesc {
	const char		*name;		/* "tenant" */
	enum svr_obj_id		id;
	uint8_t			cmd_new, cmd_set, cmd_del, cmd_get;
	uint16_t		a_name, a_op, a_force, a_ro;
	unsigned int		max;
	const struct svr_opt	*opts;
	struct svr_part		parts[3];
};

extern const struct svr_objdesc svr_objs[__OBJ_MAX];
extern const struct svr_opt router_opts[], iface_opts[], security_opts[],
	service_opts[], peer_opts[], path_opts[], route_opts[];

/* The descriptor whose GET (or NEW/SET/DEL) command is @cmd. */
const struct svr_objdesc *obj_by_cmd(uint8_t cmd);
const struct svr_part *obj_part(const struct svr_objdesc *od, uint16_t attr);

/* ---- building requests --------------------------------------------- */

/* A request built from the command line (nothing sent yet). */
struct req {
	struct req			*next;
	const struct svr_objdesc	*od;
	struct nlmsghdr			*nlh;	/* malloc'd, type set on send */
	char				name[SVR_NAME_MAX];
	/* -f: where it came from, its snapshot, whether it was applied. */
	const char			*file;
	unsigned int			line;
	char				**argv;	/* a show line: run as is */
	int				argc;
	struct nlmsghdr			**snap;
	unsigned int			nsnap;
	bool				applied;
};

/* A fresh request for @cmd (a 32 KiB buffer; trimmed by req_done). */
struct req *req_new(const struct svr_objdesc *od, uint8_t cmd,
		    const char *name);
void req_done(struct req *r);
void req_free(struct req *r);
uint8_t req_cmd(const struct req *r);

/*
 * Hand over a parsed request: run it now (command line) or queue it (the
 * check pass of -f). Returns the exit code.
 */
int req_submit(struct svrctl *c, struct req *r);

/* Send @r; 0 or a negative errno with c->nl.err set. */
int req_send(struct svrctl *c, struct req *r);
/* Remember what @r is about to change, so req_undo can restore it. */
int req_snapshot(struct svrctl *c, struct req *r);
/* Undo an applied request; 0 or a negative errno (c->nl.err). */
int req_undo(struct svrctl *c, struct req *r);

/* Options: 1 if argv[0] is none of @opts, 0 if consumed, else EXIT_USAGE. */
int opt_parse(const struct svr_opt *opts, bool is_set, int *argc,
	      char ***argv, struct nlmsghdr *nlh, uint64_t *seen);
void opt_print(const struct svr_opt *opts, const struct nlattr **tb);
void opt_save(FILE *f, const struct svr_opt *opts, const struct nlattr **tb,
	      bool all);
/* "[ kw META ] ..." for help. */
void opt_help(FILE *f, const struct svr_opt *opts, bool is_set,
	      const char *indent);

/* ---- printing ------------------------------------------------------ */

/* Parse @nlh's attributes for @od into tb[0..od->max]. */
int obj_parse(const struct svr_objdesc *od, const struct nlmsghdr *nlh,
	      const struct nlattr **tb);
/* show output of one object (text or one JSON object). */
void obj_print(const struct svr_objdesc *od, const struct nlmsghdr *nlh);
/* save output of one object: svrctl commands, one a line. */
void obj_save(FILE *f, const struct svr_objdesc *od,
	      const struct nlmsghdr *nlh);

/* Text separator before a part: "\n\t", or " " with -o and in monitor. */
extern bool print_oneline;
extern bool print_stats;	/* -s: counters in text output */
/* JSON member name of the object obj_print opens (NULL in an array). */
extern const char *obj_print_key;
void print_nexthop(const struct nlattr *nest);
void print_path_nest(const struct nlattr *nest);

/* Dump @cmd (filter attributes from @r if given) and print every object. */
int obj_show(struct svrctl *c, const struct svr_objdesc *od, const char *name);

/* Per-object command entry points (cmd.c). */
int do_router(struct svrctl *c, int argc, char **argv);
int do_iface(struct svrctl *c, int argc, char **argv);
int do_tenant(struct svrctl *c, int argc, char **argv);
int do_security(struct svrctl *c, int argc, char **argv);
int do_service(struct svrctl *c, int argc, char **argv);
int do_peer(struct svrctl *c, int argc, char **argv);
int do_route(struct svrctl *c, int argc, char **argv);
int do_session(struct svrctl *c, int argc, char **argv);
int do_monitor(struct svrctl *c, int argc, char **argv);
int do_save(struct svrctl *c, int argc, char **argv);
void help_object(FILE *f, const char *object);

/* -f FILE */
int batch_run(struct svrctl *c, const char *path);

#endif /* _SVRCTL_OBJ_H */
