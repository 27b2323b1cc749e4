// SPDX-License-Identifier: GPL-2.0
/*
 * Write the seed corpus of a fuzz target from svr-vectors.pcap: by default
 * the UDP payload of every frame, one file per frame; with -p the whole
 * file in the input format of fuzz_decode (a flag byte, then the pcap with
 * or without its 24-byte file header); with -s in the input format of
 * fuzz_secure (a selector and a flags byte, then the UDP payload), each
 * frame under a few policies and each way the harness protects it.
 */
#include <stdio.h>
#include <string.h>

#include "common.h"

static int write_file(const char *dir, const char *name, unsigned int i,
		      const void *pre, size_t plen, const void *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%u", dir, name, i);
	f = fopen(path, "wb");
	if (!f || fwrite(pre, 1, plen, f) != plen ||
	    fwrite(p, 1, len, f) != len) {
		fprintf(stderr, "mkseeds: cannot write %s\n", path);
		if (f)
			fclose(f);
		return 1;
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	static const u8 sels[][2] = {
		{ 0x00, 0x00 }, { 0x09, 0x00 }, { 0x4e, 0x0f }, { 0x6f, 0x0f },
		{ 0xda, 0x0f }, { 0xa6, 0x0d }, { 0xee, 0x07 }, { 0xe2, 0x0e },
	};
	bool pcap = argc == 3 && !strcmp(argv[1], "-p");
	bool sec = argc == 3 && !strcmp(argv[1], "-s");
	unsigned int j;
	const char *dir = argv[argc - 1];
	struct vec_file v;
	char err[512];
	unsigned int i;
	int rc = 0;

	if (argc != 2 && !pcap && !sec) {
		fprintf(stderr, "usage: mkseeds [-p|-s] DIR\n");
		return 2;
	}
	if (vec_load(&v, err, sizeof(err))) {
		fprintf(stderr, "mkseeds: %s\n", err);
		return 1;
	}
	if (pcap) {
		rc |= write_file(dir, "pcap", 0, "\x02", 1, v.data, v.len);
		rc |= write_file(dir, "pcap", 1, "\x01", 1, v.data + 24,
				 v.len - 24);
	}
	for (i = 0; sec && i < v.n; i++)
		for (j = 0; j < ARRAY_SIZE(sels); j++)
			rc |= write_file(dir, "secure", i * ARRAY_SIZE(sels) + j,
					 sels[j], 2, v.f[i].udp,
					 v.f[i].udp_len);
	for (i = 0; !pcap && !sec && i < v.n; i++)
		rc |= write_file(dir, "vector", i + 1, "", 0, v.f[i].udp,
				 v.f[i].udp_len);
	vec_free(&v);
	return rc;
}
