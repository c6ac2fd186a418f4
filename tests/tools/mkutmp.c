/*
 * mkutmp.c - writes utmp-format and lastlog files for the host tests,
 * with glibc's own struct utmp and struct lastlog, so that the tests
 * check kansatsu's hand decoding against the layout the login programs
 * write.
 *
 *   mkutmp utmp FILE <spec     one record a line:
 *       TYPE PID LINE USER HOST TIME     (TYPE: boot, shutdown, runlevel,
 *                                         login, user, dead; "-" for an
 *                                         empty LINE, USER or HOST)
 *       zero                             a record of zero bytes
 *   mkutmp lastlog FILE <spec  UID TIME LINE HOST a line, at uid * 292
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <lastlog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmp.h>

/* A NUL-padded field, as long as the field when the text is. */
static void
put(char *dst, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (strcmp(s, "-") != 0)
		memcpy(dst, s, n < size ? n : size);
}

static int
type_of(const char *t)
{
	static const struct { const char *name; int type; } types[] = {
		{ "boot", BOOT_TIME }, { "shutdown", RUN_LVL },
		{ "runlevel", RUN_LVL }, { "login", LOGIN_PROCESS },
		{ "user", USER_PROCESS }, { "dead", DEAD_PROCESS },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (strcmp(t, types[i].name) == 0)
			return types[i].type;
	return -1;
}

static int
utmp_line(int fd, char *line)
{
	char type[16], tty[64], user[64], host[300];
	long pid, when;
	struct utmp u;
	struct in_addr a;

	memset(&u, 0, sizeof(u));
	if (strncmp(line, "zero", 4) != 0) {
		if (sscanf(line, "%15s %ld %63s %63s %299s %ld", type, &pid, tty,
		    user, host, &when) != 6 || type_of(type) < 0)
			return -1;
		u.ut_type = (short)type_of(type);
		u.ut_pid = (pid_t)pid;
		put(u.ut_line, sizeof(u.ut_line), tty);
		put(u.ut_user, sizeof(u.ut_user), user);
		put(u.ut_host, sizeof(u.ut_host), host);
		u.ut_tv.tv_sec = (int32_t)when;
		if (inet_pton(AF_INET, host, &a) == 1)
			memcpy(u.ut_addr_v6, &a, sizeof(a));
	}
	return write(fd, &u, sizeof(u)) == (ssize_t)sizeof(u) ? 0 : -1;
}

static int
lastlog_line(int fd, char *line)
{
	char tty[64], host[300];
	long uid, when;
	struct lastlog l;

	memset(&l, 0, sizeof(l));
	if (sscanf(line, "%ld %ld %63s %299s", &uid, &when, tty, host) != 4)
		return -1;
	l.ll_time = (int32_t)when;
	put(l.ll_line, sizeof(l.ll_line), tty);
	put(l.ll_host, sizeof(l.ll_host), host);
	return pwrite(fd, &l, sizeof(l), (off_t)uid * (off_t)sizeof(l)) ==
	    (ssize_t)sizeof(l) ? 0 : -1;
}

int
main(int argc, char **argv)
{
	char line[1024];
	int fd;

	if (argc != 3 || (strcmp(argv[1], "utmp") != 0 &&
	    strcmp(argv[1], "lastlog") != 0)) {
		fputs("usage: mkutmp utmp|lastlog FILE <spec\n", stderr);
		return 2;
	}
	if ((fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		perror(argv[2]);
		return 2;
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if ((argv[1][0] == 'u' ? utmp_line(fd, line) :
		    lastlog_line(fd, line)) < 0) {
			fprintf(stderr, "mkutmp: bad line: %s", line);
			return 2;
		}
	}
	return close(fd) < 0 ? 2 : 0;
}
