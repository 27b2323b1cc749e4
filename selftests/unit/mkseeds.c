// SPDX-License-Identifier: GPL-2.0
/*
 * Write the seed corpus of a fuzz target from svr-vectors.pcap: by default
 * the UDP payload of every frame, one file per frame; with -p the whole
 * file in the input format of fuzz_decode (a flag byte, then the pcap with
 * or without its 24-byte file header).
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
	bool pcap = argc == 3 && !strcmp(argv[1], "-p");
	const char *dir = argv[argc - 1];
	struct vec_file v;
	char err[512];
	unsigned int i;
	int rc = 0;

	if (argc != 2 && !pcap) {
		fprintf(stderr, "usage: mkseeds [-p] DIR\n");
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
	for (i = 0; !pcap && i < v.n; i++)
		rc |= write_file(dir, "vector", i + 1, "", 0, v.f[i].udp,
				 v.f[i].udp_len);
	vec_free(&v);
	return rc;
}
