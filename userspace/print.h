/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print call serves both outputs (iproute2's json_print idea):
 * PRINT_ANY prints the text format with @fmt, or the JSON member @key;
 * PRINT_FP prints text only; PRINT_JSON prints JSON only.
 */
#ifndef _SVRCTL_PRINT_H
#define _SVRCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 3,
};

void print_init(bool json);
/* -p: indented JSON, same content. */
void print_set_pretty(bool pretty);
bool print_is_json(void);
void print_finish(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val);
void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t val);
void print_int(enum output_type t, const char *key, const char *fmt,
	       int64_t val);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool val);
void print_null(enum output_type t, const char *key, const char *fmt);
/* Text only: a newline (ignored in JSON). */
void print_nl(void);
/* Text only, printf-style. */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* _SVRCTL_PRINT_H */
