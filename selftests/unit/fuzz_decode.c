// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: "svrctl decode" on arbitrary files. The input is taken
 * as a classic pcap file (its first bytes are replaced by a valid header
 * half of the time, so the fuzzer spends its effort on the records, link
 * layers, IP, L4 and metadata).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

static const uint8_t hdr[24] = {
	0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff, 0, 0, 1, 0, 0, 0,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int links[] = { 1, 113, 276, 101, 228, 229, 0 };
	static FILE *null;
	uint8_t *buf;
	FILE *in;

	if (!null)
		null = fopen("/dev/null", "w");
	if (!null || !size)
		return 0;
	buf = malloc(size + sizeof(hdr));
	if (!buf)
		return 0;
	if (data[0] & 1) {
		memcpy(buf, hdr, sizeof(hdr));
		buf[20] = links[(data[0] >> 1) % 7] & 0xff;
		buf[21] = links[(data[0] >> 1) % 7] >> 8;
		memcpy(buf + sizeof(hdr), data + 1, size - 1);
		size += sizeof(hdr) - 1;
	} else {
		memcpy(buf, data + 1, size - 1);
		size -= 1;
	}
	in = fmemopen(buf, size, "rb");
	if (in) {
		svr_decode_file(in, "fuzz", null, SVR_DECODE_QUIET |
				(data[0] & 2 ? SVR_DECODE_JSON : 0));
		fclose(in);
	}
	free(buf);
	return 0;
}
