/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svrctl decode: print the SVR metadata of every packet of a pcap file.
 */
#ifndef _SVR_DECODE_H
#define _SVR_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum svr_decode_flags {
	SVR_DECODE_JSON		= 1 << 0,
	SVR_DECODE_QUIET	= 1 << 1,	/* no messages on stderr */
};

enum svr_decode_exit {
	SVR_DECODE_OK		= 0,
	SVR_DECODE_BAD_FILE	= 1,	/* unreadable, not a pcap, truncated */
	SVR_DECODE_USAGE	= 2,
};

/* "svrctl decode [-j|--json] FILE.pcap" (argv[0] is "decode"). */
int svr_decode_main(int argc, char **argv);

/* Decode a classic pcap file ("-" for stdin); returns enum svr_decode_exit. */
int svr_decode_pcap(const char *path, FILE *out, unsigned int flags);

/* The same on an open stream; name is used in messages. */
int svr_decode_file(FILE *in, const char *name, FILE *out,
		    unsigned int flags);

/*
 * Print the metadata found at the start of an L4 payload, as the text
 * lines (or JSON members) that follow a packet's summary line.
 */
void svr_decode_l4(FILE *out, const uint8_t *p, size_t len,
		   unsigned int flags);

#endif /* _SVR_DECODE_H */
