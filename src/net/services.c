/*
 * services.c - service names and ports, built in.
 *
 * Listings print ports by name ("srv01:telnet", "*:www", "*:postgres")
 * from the /etc/services of the machine they came from, not this one's;
 * and this host's own /etc/services may be altered by an intruder.  So
 * kansatsu carries its own table, holding the old names (www, pop-3,
 * imap2, auth) beside today's.  The same table says which services are
 * common (a listener there is no surprise), which are logins, which
 * fetch mail, and which are the usual targets of outbound clients.
 */
#include <string.h>
#include <strings.h>

#include "net/net_int.h"

static const struct ks_service services[] = {
	{ "ftp-data", 20, 0 },
	{ "ftp", 21, KS_SVC_LOGIN },
	{ "ssh", 22, KS_SVC_LOGIN },
	{ "telnet", 23, KS_SVC_LOGIN },
	{ "smtp", 25, 0 },
	{ "time", 37, 0 },
	{ "nameserver", 42, 0 },
	{ "whois", 43, KS_SVC_CLIENT },
	{ "nicname", 43, KS_SVC_CLIENT },
	{ "domain", 53, KS_SVC_CLIENT },
	{ "bootps", 67, 0 },
	{ "bootpc", 68, 0 },
	{ "tftp", 69, 0 },
	{ "gopher", 70, 0 },
	{ "finger", 79, 0 },
	{ "http", 80, KS_SVC_CLIENT },
	{ "www", 80, KS_SVC_CLIENT },
	{ "www-http", 80, KS_SVC_CLIENT },
	{ "kerberos", 88, KS_SVC_AUTH },
	{ "kerberos5", 88, KS_SVC_AUTH },
	{ "pop2", 109, KS_SVC_MAIL },
	{ "pop-2", 109, KS_SVC_MAIL },
	{ "pop3", 110, KS_SVC_MAIL },
	{ "pop-3", 110, KS_SVC_MAIL },
	{ "sunrpc", 111, 0 },
	{ "portmapper", 111, 0 },
	{ "auth", 113, 0 },
	{ "ident", 113, 0 },
	{ "nntp", 119, 0 },
	{ "ntp", 123, KS_SVC_CLIENT },
	{ "epmap", 135, 0 },
	{ "loc-srv", 135, 0 },
	{ "netbios-ns", 137, 0 },
	{ "netbios-dgm", 138, 0 },
	{ "netbios-ssn", 139, 0 },
	{ "imap", 143, KS_SVC_MAIL },
	{ "imap2", 143, KS_SVC_MAIL },
	{ "snmp", 161, 0 },
	{ "snmp-trap", 162, 0 },
	{ "xdmcp", 177, 0 },
	{ "bgp", 179, 0 },
	{ "irc", 194, 0 },
	{ "imap3", 220, KS_SVC_MAIL },
	{ "ldap", 389, KS_SVC_AUTH },
	{ "https", 443, KS_SVC_CLIENT },
	{ "microsoft-ds", 445, 0 },
	{ "kpasswd", 464, KS_SVC_AUTH },
	{ "submissions", 465, 0 },
	{ "urd", 465, 0 },
	{ "isakmp", 500, 0 },
	{ "exec", 512, KS_SVC_LOGIN },
	{ "biff", 512, 0 },
	{ "login", 513, KS_SVC_LOGIN },
	{ "who", 513, 0 },
	{ "shell", 514, KS_SVC_LOGIN },
	{ "syslog", 514, 0 },
	{ "printer", 515, 0 },
	{ "talk", 517, 0 },
	{ "ntalk", 518, 0 },
	{ "route", 520, 0 },
	{ "timed", 525, 0 },
	{ "uucp", 540, 0 },
	{ "klogin", 543, KS_SVC_LOGIN },
	{ "kshell", 544, KS_SVC_LOGIN },
	{ "submission", 587, 0 },
	{ "ipp", 631, 0 },
	{ "ldaps", 636, KS_SVC_AUTH },
	{ "rsync", 873, 0 },
	{ "ftps", 990, KS_SVC_LOGIN },
	{ "imaps", 993, KS_SVC_MAIL | KS_SVC_CLIENT },
	{ "pop3s", 995, KS_SVC_MAIL | KS_SVC_CLIENT },
	{ "socks", 1080, 0 },
	{ "openvpn", 1194, 0 },
	{ "ms-sql-s", 1433, 0 },
	{ "l2tp", 1701, 0 },
	{ "pptp", 1723, 0 },
	{ "radius", 1812, KS_SVC_AUTH },
	{ "radius-acct", 1813, 0 },
	{ "nfs", 2049, 0 },
	{ "squid", 3128, 0 },
	{ "mysql", 3306, 0 },
	{ "ms-wbt-server", 3389, KS_SVC_LOGIN },
	{ "ipsec-nat-t", 4500, 0 },
	{ "sip", 5060, 0 },
	{ "xmpp-client", 5222, KS_SVC_CLIENT },
	{ "mdns", 5353, 0 },
	{ "llmnr", 5355, 0 },
	{ "postgresql", 5432, 0 },
	{ "postgres", 5432, 0 },
	{ "rfb", 5900, KS_SVC_LOGIN },
	{ "x11", 6000, 0 },
	{ "redis", 6379, 0 },
	{ "ircd", 6667, 0 },
	{ "http-alt", 8080, KS_SVC_CLIENT },
	{ "webcache", 8080, KS_SVC_CLIENT },
	{ "https-alt", 8443, KS_SVC_CLIENT },
	{ "memcache", 11211, 0 },
	{ "mongodb", 27017, 0 },
};

static const struct {
	const char *name;
	unsigned number;
} ipprotos[] = {
	{ "ip", 0 }, { "icmp", 1 }, { "igmp", 2 }, { "ggp", 3 },
	{ "ipencap", 4 }, { "tcp", 6 }, { "egp", 8 }, { "pup", 12 },
	{ "udp", 17 }, { "idp", 22 }, { "ipv6", 41 }, { "rsvp", 46 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "ipv6-icmp", 58 },
	{ "icmpv6", 58 }, { "ospf", 89 }, { "pim", 103 }, { "vrrp", 112 },
	{ "l2tp", 115 }, { "sctp", 132 }, { "raw", 255 },
};

const struct ks_service *
ks_service_by_port(int port)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(*services); i++)
		if (services[i].port == port)
			return &services[i];
	return NULL;
}

int
ks_service_port(const char *name)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(*services); i++)
		if (strcasecmp(services[i].name, name) == 0)
			return services[i].port;
	return -1;
}

const char *
ks_service_name(int port)
{
	const struct ks_service *s = ks_service_by_port(port);

	return s != NULL ? s->name : NULL;
}

bool
ks_service_common(int port)
{
	return ks_service_by_port(port) != NULL;
}

unsigned
ks_service_flags(int port)
{
	const struct ks_service *s = ks_service_by_port(port);

	return s != NULL ? s->flags : 0;
}

int
ks_ipproto_number(const char *name)
{
	for (size_t i = 0; i < sizeof(ipprotos) / sizeof(*ipprotos); i++)
		if (strcasecmp(ipprotos[i].name, name) == 0)
			return (int)ipprotos[i].number;
	return -1;
}

const char *
ks_ipproto_name(unsigned proto)
{
	for (size_t i = 0; i < sizeof(ipprotos) / sizeof(*ipprotos); i++)
		if (ipprotos[i].number == proto)
			return ipprotos[i].name;
	return NULL;
}
