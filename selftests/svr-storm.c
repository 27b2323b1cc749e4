// SPDX-License-Identifier: GPL-2.0
/*
 * svr-storm: send many IPv4/UDP packets at a router fast, from an AF_PACKET
 * socket (no IP stack on the sending side), for selftests/hostile.sh.
 *
 *   svr-storm storm --dev IF --dst-mac MAC --src IP --dst IP
 *                   --template FILE [--template FILE...] --count N [--seed S]
 *	Mutations of valid UDP payloads (SVR metadata first packets written
 *	by selftests/secpkt.py build). Every packet gets its own port pair.
 *	Each packet belongs to one class, chosen at random, whose fate at the
 *	receiver is known exactly; the count of each is printed at the end:
 *	  ip     a byte of the IP header changed, its checksum not fixed:
 *		 the receiver's IP layer drops it (Ip InHdrErrors)
 *	  stack  payload shorter than 12 bytes or the cookie broken: not
 *		 metadata, svr leaves it to the stack (Udp NoPorts)
 *	  proto  IP protocol 253: not metadata either (Ip InUnknownProtos)
 *	  csum   an intact template with a wrong UDP checksum (svr's
 *		 drop_l4_checksum)
 *	  md     cookie intact, at least 12 bytes, valid checksums, payload
 *		 mutated (bits, bytes, the header's length fields, TLV type
 *		 and length fields, truncation, extension, a duplicated
 *		 slice): svr drops it with one of its drop_* counters
 *
 *   svr-storm flood --dev IF --dst-mac MAC --src-base IP --hosts H
 *                   --dst IP --dport P --count N [--rate PPS]
 *	N UDP first packets with distinct (source address, source port)
 *	pairs: H addresses from --src-base, then source ports from 1024.
 *
 * Both print "sent N" and the time taken; a send error is fatal.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	BATCH		= 64,
	PKT_MAX		= 1500,
	PAYLOAD_MAX	= PKT_MAX - 28,
	TEMPLATES_MAX	= 4,
	FIELDS_MAX	= 64,
	MD_HDR		= 12,
	COOKIE_LEN	= 8,
	PROTO_UNUSED	= 253,
};

enum cls { C_IP, C_STACK, C_PROTO, C_CSUM, C_MD, C_MAX };
static const char *const cls_name[C_MAX] = {
	"ip", "stack", "proto", "csum", "md",
};
/* Out of 100. */
static const unsigned int cls_weight[C_MAX] = { 4, 10, 4, 6, 76 };

struct tmpl {
	uint8_t		data[PAYLOAD_MAX];
	unsigned int	len;
	/* Offsets of TLV type and length fields found by walking it. */
	unsigned int	field[FIELDS_MAX];
	unsigned int	nfield;
};

struct opts {
	const char	*dev;
	uint8_t		mac[ETH_ALEN];
	struct in_addr	src, dst;
	unsigned long	count;
	unsigned long	rate;
	unsigned int	hosts;
	uint16_t	dport;
	uint64_t	seed;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

/* A random number in [0, n). */
static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* IPv4 + UDP headers in front of @plen payload bytes at pkt + 28. */
static unsigned int build_udp(uint8_t *pkt, const struct opts *o,
			      struct in_addr src, uint16_t sport,
			      uint16_t dport, unsigned int plen, uint16_t id)
{
	struct iphdr *ip = (struct iphdr *)pkt;
	struct udphdr *uh = (struct udphdr *)(pkt + sizeof(*ip));
	unsigned int len = sizeof(*ip) + sizeof(*uh) + plen;
	uint32_t sum;
	uint16_t c;

	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(len);
	ip->id = htons(id);
	ip->frag_off = htons(IP_DF);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = src.s_addr;
	ip->daddr = o->dst.s_addr;
	ip->check = htons(csum_fold(csum_add(0, ip, sizeof(*ip))));

	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(sizeof(*uh) + plen);
	uh->check = 0;
	sum = csum_add(0, &ip->saddr, 8);
	sum += IPPROTO_UDP + sizeof(*uh) + plen;
	sum = csum_add(sum, uh, sizeof(*uh) + plen);
	c = csum_fold(sum);
	uh->check = htons(c ? c : 0xffff);
	return len;
}

static void ip_recheck(uint8_t *pkt)
{
	struct iphdr *ip = (struct iphdr *)pkt;

	ip->check = 0;
	ip->check = htons(csum_fold(csum_add(0, ip, sizeof(*ip))));
}

/* Record the TLV fields of a section of @t, if it walks cleanly. */
static void walk_tlvs(struct tmpl *t, unsigned int off, unsigned int end)
{
	while (off + 4 <= end && t->nfield + 2 <= FIELDS_MAX) {
		unsigned int len = (t->data[off + 2] << 8) | t->data[off + 3];

		t->field[t->nfield++] = off;
		t->field[t->nfield++] = off + 2;
		off += 4 + len;
	}
}

static void load_template(struct tmpl *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned int hl, pl;

	if (!f)
		die(path);
	t->len = fread(t->data, 1, sizeof(t->data), f);
	fclose(f);
	if (t->len < MD_HDR + 4) {
		fprintf(stderr, "%s: %u bytes, too short for metadata\n",
			path, t->len);
		exit(1);
	}
	/* The length fields of the header, then its TLVs and the payload's. */
	t->field[t->nfield++] = 8;
	t->field[t->nfield++] = 10;
	hl = ((t->data[8] << 8) | t->data[9]) & 0x0fff;
	pl = (t->data[10] << 8) | t->data[11];
	if (hl <= t->len)
		walk_tlvs(t, MD_HDR, hl);
	if (hl + pl <= t->len)
		walk_tlvs(t, hl, hl + pl);
}

/* One mutation of the metadata-looking payload @p (cookie kept). */
static unsigned int mutate_once(uint8_t *p, unsigned int len,
				const struct tmpl *t)
{
	unsigned int off, n, at, i;
	uint8_t slice[64];

	switch (below(7)) {
	case 0:		/* one bit */
		p[COOKIE_LEN + below(len - COOKIE_LEN)] ^= 1 << below(8);
		break;
	case 1:		/* one byte */
		p[COOKIE_LEN + below(len - COOKIE_LEN)] = rnd();
		break;
	case 2:		/* the version/header length or payload length */
		off = COOKIE_LEN + 2 * below(2);
		if (below(2)) {
			p[off] = rnd();
			p[off + 1] = rnd();
		} else {
			n = ((p[off] << 8) | p[off + 1]) + below(33) - 16;
			p[off] = n >> 8;
			p[off + 1] = n;
		}
		break;
	case 3:		/* a TLV's type or length field */
		off = t->field[below(t->nfield)];
		if (off + 1 >= len)
			break;
		if (below(2)) {
			p[off] = rnd();
			p[off + 1] = rnd();
		} else {
			n = ((p[off] << 8) | p[off + 1]) + below(9) - 4;
			p[off] = n >> 8;
			p[off + 1] = n;
		}
		break;
	case 4:		/* truncated, at least the header left */
		if (len > MD_HDR)
			len = MD_HDR + below(len - MD_HDR);
		break;
	case 5:		/* extended with random bytes */
		n = 1 + below(64);
		if (len + n > PAYLOAD_MAX)
			break;
		for (i = 0; i < n; i++)
			p[len + i] = rnd();
		len += n;
		break;
	default:	/* a slice copied somewhere else: duplicate TLVs */
		n = 1 + below(sizeof(slice));
		if (n > len - COOKIE_LEN || len + n > PAYLOAD_MAX)
			break;
		off = COOKIE_LEN + below(len - COOKIE_LEN - n + 1);
		at = COOKIE_LEN + below(len - COOKIE_LEN + 1);
		memcpy(slice, p + off, n);
		memmove(p + at + n, p + at, len - at);
		memcpy(p + at, slice, n);
		len += n;
		break;
	}
	return len;
}

static unsigned int mutate_md(uint8_t *p, const struct tmpl *t)
{
	unsigned int len = t->len, k = 1 + below(3);

	memcpy(p, t->data, len);
	while (k--)
		len = mutate_once(p, len, t);
	if (len == t->len && !memcmp(p, t->data, len))
		p[COOKIE_LEN + below(len - COOKIE_LEN)] ^= 1 + below(255);
	return len;
}

static enum cls pick_class(void)
{
	unsigned int r = below(100), c;

	for (c = 0; c < C_MAX - 1; c++) {
		if (r < cls_weight[c])
			return c;
		r -= cls_weight[c];
	}
	return C_MD;
}

/* Packet @i of the storm, into @pkt; its class into @cp. */
static unsigned int storm_packet(uint8_t *pkt, unsigned long i,
				 const struct opts *o, const struct tmpl *tm,
				 unsigned int ntm, enum cls *cp)
{
	const struct tmpl *t = &tm[below(ntm)];
	uint16_t sport = 1024 + i % 60000, dport = 2000 + i / 60000;
	uint8_t *p = pkt + 28;
	struct udphdr *uh = (struct udphdr *)(pkt + 20);
	unsigned int plen = t->len, len;
	enum cls c = pick_class();
	uint16_t bad;

	memcpy(p, t->data, t->len);
	switch (c) {
	case C_STACK:
		if (below(2))
			plen = below(MD_HDR);
		else
			p[below(COOKIE_LEN)] ^= 1 + below(255);
		break;
	case C_MD:
		plen = mutate_md(p, t);
		break;
	default:
		break;
	}
	len = build_udp(pkt, o, o->src, sport, dport, plen, i);
	switch (c) {
	case C_IP:
		pkt[below(20)] ^= 1 + below(255);
		break;
	case C_PROTO:
		((struct iphdr *)pkt)->protocol = PROTO_UNUSED;
		ip_recheck(pkt);
		break;
	case C_CSUM:
		/* Wrong, and neither 0 (none) nor its one's complement twin. */
		bad = ntohs(uh->check) ^ 0x0101;
		if (bad == 0 || bad == 0xffff)
			bad ^= 0x0303;
		uh->check = htons(bad);
		break;
	default:
		break;
	}
	*cp = c;
	return len;
}

/* Flood packet @i: a distinct (source address, source port) pair. */
static unsigned int flood_packet(uint8_t *pkt, unsigned long i,
				 const struct opts *o)
{
	struct in_addr src = {
		.s_addr = htonl(ntohl(o->src.s_addr) + i % o->hosts),
	};
	uint16_t sport = 1024 + i / o->hosts;

	memcpy(pkt + 28, "svr-storm flood!", 16);
	return build_udp(pkt, o, src, sport, o->dport, 16, i);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_dev(const struct opts *o, struct sockaddr_ll *sll)
{
	int fd, sndbuf = 4 << 20;

	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (fd < 0)
		die("socket(AF_PACKET)");
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(ETH_P_IP);
	sll->sll_ifindex = if_nametoindex(o->dev);
	if (!sll->sll_ifindex)
		die(o->dev);
	sll->sll_halen = ETH_ALEN;
	memcpy(sll->sll_addr, o->mac, ETH_ALEN);
	return fd;
}

/* Send @n packets of @len[k] bytes from @buf: all of them, or die. */
static void send_batch(int fd, struct sockaddr_ll *sll,
		       uint8_t buf[][PKT_MAX], const unsigned int *len,
		       unsigned int n)
{
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	unsigned int k, done = 0;
	int ret;

	memset(msg, 0, sizeof(msg));
	for (k = 0; k < n; k++) {
		iov[k].iov_base = buf[k];
		iov[k].iov_len = len[k];
		msg[k].msg_hdr.msg_name = sll;
		msg[k].msg_hdr.msg_namelen = sizeof(*sll);
		msg[k].msg_hdr.msg_iov = &iov[k];
		msg[k].msg_hdr.msg_iovlen = 1;
	}
	while (done < n) {
		ret = sendmmsg(fd, msg + done, n - done, 0);
		if (ret < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(1000);
				continue;
			}
			die("sendmmsg");
		}
		done += ret;
	}
}

static void pace(const struct opts *o, unsigned long sent, double t0)
{
	double ahead;

	if (!o->rate)
		return;
	ahead = (double)sent / o->rate - (now() - t0);
	if (ahead > 0)
		usleep(ahead * 1e6);
}

static int run(bool storm, const struct opts *o, const struct tmpl *tm,
	       unsigned int ntm)
{
	static uint8_t buf[BATCH][PKT_MAX];
	unsigned long i = 0, n[C_MAX] = { 0 };
	unsigned int len[BATCH], k, c;
	struct sockaddr_ll sll;
	double t0, dt;
	enum cls cl;
	int fd;

	fd = open_dev(o, &sll);
	t0 = now();
	while (i < o->count) {
		for (k = 0; k < BATCH && i < o->count; k++, i++) {
			if (storm) {
				len[k] = storm_packet(buf[k], i, o, tm, ntm,
						      &cl);
				n[cl]++;
			} else {
				len[k] = flood_packet(buf[k], i, o);
			}
		}
		send_batch(fd, &sll, buf, len, k);
		pace(o, i, t0);
	}
	dt = now() - t0;
	close(fd);
	printf("sent %lu in %.1f s (%.0f packets/s)\n", i, dt,
	       dt > 0 ? i / dt : 0.0);
	if (storm) {
		printf("seed %llu\n", (unsigned long long)o->seed);
		for (c = 0; c < C_MAX; c++)
			printf("class %s %lu\n", cls_name[c], n[c]);
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: svr-storm storm --dev IF --dst-mac MAC --src IP --dst IP\n"
		"                       --template FILE... --count N [--seed S] [--rate PPS]\n"
		"       svr-storm flood --dev IF --dst-mac MAC --src-base IP --hosts H\n"
		"                       --dst IP --dport P --count N [--rate PPS]\n");
	exit(2);
}

static void parse_ip(const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1) {
		fprintf(stderr, "bad IPv4 address %s\n", s);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "dst-mac", required_argument, NULL, 'm' },
		{ "src", required_argument, NULL, 's' },
		{ "src-base", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'D' },
		{ "dport", required_argument, NULL, 'p' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "template", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 'S' },
		{ "rate", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	static struct tmpl tm[TEMPLATES_MAX];
	struct opts o = { .hosts = 1, .dport = 9, .seed = 0 };
	unsigned int ntm = 0;
	bool storm;
	int c;

	if (argc < 2)
		usage();
	storm = !strcmp(argv[1], "storm");
	if (!storm && strcmp(argv[1], "flood"))
		usage();
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.dev = optarg;
			break;
		case 'm':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
				   &o.mac[0], &o.mac[1], &o.mac[2], &o.mac[3],
				   &o.mac[4], &o.mac[5]) != 6)
				usage();
			break;
		case 's':
			parse_ip(optarg, &o.src);
			break;
		case 'D':
			parse_ip(optarg, &o.dst);
			break;
		case 'p':
			o.dport = strtoul(optarg, NULL, 0);
			break;
		case 'H':
			o.hosts = strtoul(optarg, NULL, 0);
			break;
		case 't':
			if (ntm == TEMPLATES_MAX)
				usage();
			load_template(&tm[ntm++], optarg);
			break;
		case 'n':
			o.count = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			o.seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			o.rate = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (!o.dev || !o.dst.s_addr || !o.src.s_addr || !o.count ||
	    !o.hosts || (storm && !ntm))
		usage();
	if (!o.seed)
		o.seed = (uint64_t)time(NULL) * 2654435761u ^ getpid();
	rng_state = o.seed | 1;
	return run(storm, &o, tm, ntm);
}
