// SPDX-License-Identifier: GPL-2.0
/*
 * A small JSON writer behind the print_*() calls: it keeps a stack of
 * open objects/arrays to place commas, and escapes strings.
 */
#include <stdarg.h>
#include <stdio.h>

#include "print.h"

enum { MAX_DEPTH = 32 };

static bool json;
static bool pretty;
static int depth;
static bool need_comma[MAX_DEPTH];

void print_init(bool j)
{
	json = j;
	depth = 0;
	need_comma[0] = false;
}

void print_set_pretty(bool p)
{
	pretty = p;
}

static void indent(int d)
{
	putchar('\n');
	while (d-- > 0)
		fputs("  ", stdout);
}

bool print_is_json(void)
{
	return json;
}

static void json_escape(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_key(const char *key)
{
	/* Top-level values are separate documents (monitor: one a line). */
	if (depth > 0 && need_comma[depth])
		putchar(',');
	need_comma[depth] = true;
	if (pretty && depth > 0)
		indent(depth);
	if (key && depth > 0) {
		json_escape(key);
		fputs(pretty ? ": " : ":", stdout);
	}
}

static void json_open(const char *key, char c)
{
	if (!json)
		return;
	json_key(key);
	putchar(c);
	if (depth < MAX_DEPTH - 1)
		depth++;
	need_comma[depth] = false;
}

static void json_close(char c)
{
	if (!json)
		return;
	if (pretty && depth > 0 && need_comma[depth])
		indent(depth - 1);
	putchar(c);
	if (depth > 0)
		depth--;
	if (depth == 0)
		putchar('\n');
}

void open_json_object(const char *key)
{
	json_open(key, '{');
}

void close_json_object(void)
{
	json_close('}');
}

void open_json_array(const char *key)
{
	json_open(key, '[');
}

void close_json_array(void)
{
	json_close(']');
}

void print_finish(void)
{
	while (json && depth > 0)
		json_close('}');
	fflush(stdout);
}

static bool want(enum output_type t)
{
	return json ? (t & PRINT_JSON) : (t & PRINT_FP);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val)
{
	if (!want(t))
		return;
	if (json) {
		json_key(key);
		json_escape(val ? val : "");
	} else if (fmt) {
		printf(fmt, val ? val : "");
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t val)
{
	if (!want(t))
		return;
	if (json) {
		json_key(key);
		printf("%llu", (unsigned long long)val);
	} else if (fmt) {
		printf(fmt, (unsigned long long)val);
	}
}

void print_int(enum output_type t, const char *key, const char *fmt,
	       int64_t val)
{
	if (!want(t))
		return;
	if (json) {
		json_key(key);
		printf("%lld", (long long)val);
	} else if (fmt) {
		printf(fmt, (long long)val);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool val)
{
	if (!want(t))
		return;
	if (json) {
		json_key(key);
		fputs(val ? "true" : "false", stdout);
	} else if (fmt) {
		printf(fmt, val ? "true" : "false");
	}
}

void print_null(enum output_type t, const char *key, const char *fmt)
{
	if (!want(t))
		return;
	if (json) {
		json_key(key);
		fputs("null", stdout);
	} else if (fmt) {
		fputs(fmt, stdout);
	}
}

void print_nl(void)
{
	if (!json)
		putchar('\n');
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
