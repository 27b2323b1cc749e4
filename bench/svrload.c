// SPDX-License-Identifier: GPL-2.0
/*
 * svrload: the small load generators of `make bench` (bench/README.md).
 * C rather than Python: under TCG a Python loop measures Python.
 *
 *   svrload echo PORT [WORKERS [sink]]
 *	TCP echo server: each connection's bytes are sent back until EOF
 *	(with "sink": read and dropped).
 *   svrload rr ADDR PORT SECONDS WORKERS SIZE
 *	session setup rate: WORKERS processes, each connects, sends SIZE
 *	bytes, reads SIZE back and closes, again and again for SECONDS.
 *	Prints "sessions N seconds S rate R failed F".
 *   svrload mix ADDR PORT SESSIONS ROUNDS SIZE
 *	SESSIONS sequential TCP sessions, each ROUNDS exchanges of SIZE bytes
 *	each way. Prints "sessions N app_bytes B".
 *   svrload udp ADDR PORT SECONDS SIZE
 *	UDP flood of SIZE-byte datagrams (sendmmsg) for SECONDS, after a
 *	1-byte hello answered by the server (a session with traffic both ways
 *	is on the fast lane: no metadata). Prints "sent N seconds S".
 *   svrload bulk ADDR PORT BYTES
 *	one TCP session sending BYTES, then a clean close once the server
 *	has read them all (the server: `svrload echo PORT 1 sink`).
 *   svrload uecho PORT
 *	UDP echo (the server's side of the hello).
 *   svrload idle ADDR PORT0 COUNT [SRCPORT0]
 *	COUNT idle UDP sessions: one datagram to each of COUNT distinct
 *	(source port, destination port) pairs, destination ports
 *	PORT0..PORT0+49999 from consecutive source ports. Prints "sent N".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_in addr_of(const char *a, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };

	if (inet_pton(AF_INET, a, &sa.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", a);
		exit(2);
	}
	return sa;
}

static int readn(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

static int writen(int fd, const char *buf, size_t n)
{
	size_t put = 0;

	while (put < n) {
		ssize_t w = write(fd, buf + put, n - put);

		if (w <= 0)
			return -1;
		put += w;
	}
	return 0;
}

static void echo_conn(int c, int sink)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(c, buf, sizeof(buf))) > 0)
		if (!sink && writen(c, buf, n))
			break;
	close(c);
}

static int cmd_echo(int argc, char **argv)
{
	int port = atoi(argv[2]), workers = argc > 3 ? atoi(argv[3]) : 2;
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int one = 1, s, i, sink = argc > 4 && !strcmp(argv[4], "sink");

	signal(SIGCHLD, SIG_IGN);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 4096))
		die("bind/listen");
	/* Workers share the listener; each serves one connection at a time. */
	for (i = 1; i < workers; i++)
		if (fork() == 0)
			break;
	while (s >= 0) {
		int c = accept(s, NULL, NULL);

		if (c < 0)
			continue;
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		echo_conn(c, sink);
	}
	return 0;
}

/* One short session; 0 on success. */
static int one_session(const struct sockaddr_in *sa, int rounds, int size,
		       char *buf)
{
	int one = 1, s, i, rc = -1;

	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(s, (const struct sockaddr *)sa, sizeof(*sa)))
		goto out;
	for (i = 0; i < rounds; i++)
		if (writen(s, buf, size) || readn(s, buf, size))
			goto out;
	shutdown(s, SHUT_WR);
	rc = read(s, buf, 1) == 0 ? 0 : -1;	/* the server's FIN */
out:
	close(s);
	return rc;
}

static int cmd_rr(int argc, char **argv)
{
	struct sockaddr_in sa = addr_of(argv[2], atoi(argv[3]));
	double secs = atof(argv[4]), t0;
	int workers = atoi(argv[5]), size = atoi(argv[6]), i;
	long *res = mmap(NULL, 2 * sizeof(long) * workers,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	long ok = 0, bad = 0;

	if (res == MAP_FAILED)
		die("mmap");
	t0 = now();
	for (i = 0; i < workers; i++) {
		if (fork() == 0) {
			char buf[65536];

			memset(buf, 'r', sizeof(buf));
			while (now() - t0 < secs) {
				if (one_session(&sa, 1, size, buf))
					res[2 * i + 1]++;
				else
					res[2 * i]++;
			}
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	secs = now() - t0;
	for (i = 0; i < workers; i++) {
		ok += res[2 * i];
		bad += res[2 * i + 1];
	}
	printf("sessions %ld seconds %.3f rate %.1f failed %ld\n", ok, secs,
	       ok / secs, bad);
	return 0;
}

static int cmd_mix(int argc, char **argv)
{
	struct sockaddr_in sa = addr_of(argv[2], atoi(argv[3]));
	int n = atoi(argv[4]), rounds = atoi(argv[5]), size = atoi(argv[6]);
	char buf[65536];
	int i, ok = 0;

	memset(buf, 'm', sizeof(buf));
	for (i = 0; i < n; i++)
		ok += one_session(&sa, rounds, size, buf) == 0;
	printf("sessions %d app_bytes %lld\n", ok,
	       2LL * ok * rounds * size);
	return ok == n ? 0 : 1;
}

static int cmd_bulk(int argc, char **argv)
{
	struct sockaddr_in sa = addr_of(argv[2], atoi(argv[3]));
	long long left = atoll(argv[4]), total = left;
	static char buf[65536];
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(buf, 'b', sizeof(buf));
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		die("bulk connect");
	while (left > 0) {
		size_t n = left < (long long)sizeof(buf) ? (size_t)left : sizeof(buf);

		if (writen(s, buf, n))
			die("bulk write");
		left -= n;
	}
	shutdown(s, SHUT_WR);
	if (read(s, buf, 1) != 0)
		die("bulk close");
	printf("app_bytes %lld\n", total);
	return 0;
}

static int cmd_udp(int argc, char **argv)
{
	struct sockaddr_in sa = addr_of(argv[2], atoi(argv[3]));
	double secs = atof(argv[4]), t0, t;
	int size = atoi(argv[5]), s, i;
	enum { BATCH = 32 };
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	char buf[2048];
	long sent = 0;

	if (size > (int)sizeof(buf))
		size = sizeof(buf);
	memset(buf, 'u', sizeof(buf));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		die("udp socket");
	iov.iov_base = buf;
	iov.iov_len = size;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (i = 0; i < 10; i++) {
		struct timeval tv = { .tv_sec = 1 };

		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (send(s, buf, 1, 0) == 1 && recv(s, buf + 1, 64, 0) > 0)
			break;
	}
	if (i == 10)
		fprintf(stderr, "udp: no answer to the hello\n");
	t0 = now();
	while ((t = now()) - t0 < secs) {
		int r = sendmmsg(s, msgs, BATCH, 0);

		if (r > 0)
			sent += r;
		else if (errno != ENOBUFS && errno != ECONNREFUSED &&
			 errno != EAGAIN)
			die("sendmmsg");
	}
	printf("sent %ld seconds %.3f\n", sent, t - t0);
	return 0;
}

static int cmd_uecho(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(atoi(argv[2])) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	char buf[2048];

	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)))
		die("uecho bind");
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &len);

		if (n >= 0)
			sendto(s, buf, n, 0, (struct sockaddr *)&from, len);
	}
	return 0;
}

static int cmd_idle(int argc, char **argv)
{
	const char *dst = argv[2];
	int port0 = atoi(argv[3]), count = atoi(argv[4]);
	int sport = argc > 5 ? atoi(argv[5]) : 20000;
	int s = -1, i, sent = 0, one = 1;
	char byte = 'i';

	for (i = 0; i < count; i++) {
		struct sockaddr_in sa;

		if (i % 50000 == 0) {
			struct sockaddr_in src = { .sin_family = AF_INET,
				.sin_port = htons(sport + i / 50000) };

			if (s >= 0)
				close(s);
			s = socket(AF_INET, SOCK_DGRAM, 0);
			setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
				   sizeof(one));
			if (s < 0 || bind(s, (struct sockaddr *)&src,
					  sizeof(src)))
				die("idle bind");
		}
		sa = addr_of(dst, port0 + i % 50000);
		while (sendto(s, &byte, 1, 0, (struct sockaddr *)&sa,
			      sizeof(sa)) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN &&
			    errno != ECONNREFUSED && errno != EPERM)
				die("sendto");
			usleep(1000);
		}
		sent++;
		/* Pace a little: let the routers keep up (no drops). */
		if (i % 64 == 63)
			usleep(200);
	}
	printf("sent %d\n", sent);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int args; int (*fn)(int, char **); } cmds[] = {
		{ "echo", 3, cmd_echo }, { "rr", 7, cmd_rr },
		{ "mix", 7, cmd_mix }, { "udp", 6, cmd_udp },
		{ "idle", 5, cmd_idle }, { "uecho", 3, cmd_uecho },
		{ "bulk", 5, cmd_bulk },
	};
	unsigned int i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc >= cmds[i].args)
			return cmds[i].fn(argc, argv);
	fprintf(stderr, "usage: see the comment at the top of bench/svrload.c\n");
	return 2;
}
