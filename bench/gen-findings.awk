# gen-findings.awk - N findings in JSON Lines by the findings contract,
# the kind a central log server's day gives: a few rules, many sources
# (one in ten repeats), twenty hosts, three evidence lines each.
#   awk -v n=N -f gen-findings.awk
BEGIN {
	split("ssh-password-guessing port-scan sendmail-file-exploit statd-exploit remote-root-login-failed mail-relay-abuse", rule, " ")
	split("brute-force scanner system-compromise exploit brute-force spam", type, " ")
	split("intrusion-attempts information-gathering intrusions intrusion-attempts intrusion-attempts abusive-content", tax, " ")
	split("high medium critical high medium medium", sev, " ")
	for (i = 0; i < n; i++) {
		r = i % 6 + 1
		src = int(i / 10)
		ip = sprintf("198.%d.%d.%d", 18 + int(src / 65536) % 2, int(src / 256) % 256, src % 256)
		t = 1000000000 + i
		ts = sprintf("2001-09-%02dT%02d:%02d:%02d+09:00", 9 + int(t % 86400 / 3600) % 3, int(t % 86400 / 3600), int(t % 3600 / 60), t % 60)
		printf "{\"rule\":\"%s\",\"title\":\"Bench finding %d\",\"classification\":{\"taxonomy\":\"%s\",\"type\":\"%s\"},\"severity\":\"%s\",\"host\":{\"name\":\"host%02d\"},\"source\":{\"ip\":\"%s\",\"port\":%d,\"geo\":{\"country_iso_code\":\"US\"},\"as\":{\"number\":%d}},\"first_seen\":\"%s\",\"last_seen\":\"%s\",\"count\":3,\"evidence\":[", rule[r], r, tax[r], type[r], sev[r], i % 20, ip, 1024 + i % 60000, 64500 + src % 100, ts, ts
		for (e = 0; e < 3; e++)
			printf "%s{\"path\":\"/var/log/messages\",\"line\":%d,\"text\":\"Sep  9 12:00:%02d host%02d sshd[%d]: Failed password for root from %s port %d ssh2\"}", e ? "," : "", 3 * i + e + 1, e, i % 20, 1000 + i, ip, 1024 + i % 60000
		printf "],\"advice\":\"Advice of rule %d.\"}\n", r
	}
}
