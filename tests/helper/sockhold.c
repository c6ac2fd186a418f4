/*
 * sockhold.c - a process that holds sockets for the live tests of
 * `kansatsu netstat`: a TCP listener on an ephemeral port of all
 * addresses, a connection to it from 127.0.0.1 and the accepted end.
 * Prints "PORT CLIENTPORT\n" once all are open, then waits until its
 * stdin is closed (or 60 seconds pass), so the test decides its life.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t n = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &n) < 0)
		return -1;
	return ntohs(a.sin_port);
}

int
main(void)
{
	struct sockaddr_in a;
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;
	int l, cl, srv;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 4) < 0)
		return 1;
	a.sin_port = htons((uint16_t)port_of(l));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((cl = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(cl, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (srv = accept(l, NULL, NULL)) < 0)
		return 1;
	printf("%d %d\n", port_of(l), port_of(cl));
	fflush(stdout);
	while (poll(&p, 1, 60000) > 0 && read(STDIN_FILENO, &c, 1) > 0)
		;
	close(srv);
	close(cl);
	close(l);
	return 0;
}
