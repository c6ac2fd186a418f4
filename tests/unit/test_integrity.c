/*
 * test_integrity.c - the pieces of file integrity that need no tree to
 * walk: the configuration (parsing, errors by line, which rule decides a
 * path, where walks start), capabilities and extended attributes shown
 * in words, which paths are system paths, signatures (good, altered,
 * unsigned, unchecked, another key) and the baseline's storage read
 * back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "integrity/fim_int.h"

static void
parse_ok(struct ks_fim_config *cfg, const char *text)
{
	struct ks_err err = { "" };

	if (ks_fim_config_parse(cfg, text, strlen(text), &err) < 0)
		fail_msg("parse: %s", err.msg);
}

static void
parse_err(const char *text, const char *want)
{
	struct ks_fim_config cfg;
	struct ks_err err = { "" };

	assert_int_equal(ks_fim_config_parse(&cfg, text, strlen(text), &err), -1);
	assert_string_equal(err.msg, want);
}

static uint32_t
attrs_of(const struct ks_fim_config *cfg, const char *path)
{
	uint32_t a = 0;

	if (!ks_fim_config_match(cfg, path, strlen(path), &a))
		return 0xffffffffu;             /* left out */
	return a;
}

static void
test_config_match(void **state)
{
	static const char text[] =
	    "# comment\n"
	    "group b = type mode sha256\n"
	    "group c = b   uid\t# groups build on groups\n"
	    "group v = type\r\n"
	    "\n"
	    "/usr b\n"
	    "/usr/share c\n"
	    "!/usr/share/doc\n"
	    "/usr/share/doc/keep v\n"
	    "!__pycache__\n"
	    "/etc/*.conf v\n"
	    "/ v\n";
	const uint32_t b = KS_FIM_TYPE | KS_FIM_MODE | KS_FIM_SHA256;
	struct ks_fim_config cfg;

	(void)state;
	parse_ok(&cfg, text);
	assert_int_equal(cfg.ngroups, 3);
	assert_int_equal(cfg.groups[1].attrs, b | KS_FIM_UID);
	/* "/ v" is last and matches everything */
	assert_int_equal(attrs_of(&cfg, "/usr/bin/ls"), KS_FIM_TYPE);
	ks_fim_config_free(&cfg);

	parse_ok(&cfg, "group b = type mode sha256\ngroup c = b uid\n"
	    "group v = type\n/usr b\n/usr/share c\n!/usr/share/doc\n"
	    "/usr/share/doc/keep v\n!__pycache__\n/etc/*.conf v\n");
	assert_int_equal(attrs_of(&cfg, "/usr"), b);
	assert_int_equal(attrs_of(&cfg, "/usr/bin/ls"), b);
	assert_int_equal(attrs_of(&cfg, "/usrx/ls"), KS_FIM_ALL);
	assert_int_equal(attrs_of(&cfg, "/usr/share/x"), b | KS_FIM_UID);
	assert_int_equal(attrs_of(&cfg, "/usr/share/doc"), 0xffffffffu);
	assert_int_equal(attrs_of(&cfg, "/usr/share/doc/a/b"), 0xffffffffu);
	assert_int_equal(attrs_of(&cfg, "/usr/share/docs"), b | KS_FIM_UID);
	assert_int_equal(attrs_of(&cfg, "/usr/share/doc/keep/x"), KS_FIM_TYPE);
	assert_int_equal(attrs_of(&cfg, "/usr/lib/py/__pycache__"), 0xffffffffu);
	assert_int_equal(attrs_of(&cfg, "/usr/lib/__pycache__/x.pyc"),
	    0xffffffffu);
	assert_int_equal(attrs_of(&cfg, "/etc/a.conf"), KS_FIM_TYPE);
	assert_int_equal(attrs_of(&cfg, "/etc/a.conf/below"), KS_FIM_TYPE);
	assert_int_equal(attrs_of(&cfg, "/etc/sub/a.conf"), KS_FIM_ALL);
	ks_fim_config_free(&cfg);
}

static void
test_config_roots(void **state)
{
	struct ks_fim_config cfg;
	const char *roots[8];
	size_t n;

	(void)state;
	parse_ok(&cfg, "group g = all\n/usr g\n/etc g\n/usr g\n!/boot\n"
	    "/opt/*/bin g\n__pycache__ g\n/etc/x g\n");
	n = ks_fim_config_roots(&cfg, roots, 8);
	assert_int_equal(n, 3);
	assert_string_equal(roots[0], "/usr");
	assert_string_equal(roots[1], "/etc");
	assert_string_equal(roots[2], "/etc/x");
	assert_int_equal(ks_fim_config_roots(&cfg, roots, 2), 2);
	assert_int_equal(cfg.groups[0].attrs, KS_FIM_ALL);
	ks_fim_config_free(&cfg);
}

static void
test_config_errors(void **state)
{
	(void)state;
	parse_err("group g = type\n\ngroup g = mode\n",
	    "line 3: group defined twice: 'g'");
	parse_err("group g = type nonsense\n",
	    "line 1: unknown attribute or group 'nonsense'");
	parse_err("group g = later\ngroup later = type\n",
	    "line 1: unknown attribute or group 'later'");
	parse_err("group g/h = type\n", "line 1: bad group name 'g/h'");
	parse_err("group g type\n", "line 1: expected: group NAME = ATTRIBUTE...");
	parse_err("/usr nogroup\n", "line 1: unknown group 'nogroup'");
	parse_err("group g = type\n/usr\n", "line 2: expected: PATH GROUP");
	parse_err("group g = type\n!/usr g\n", "line 2: expected: !PATH");
	parse_err("group g = type\nusr/bin g\n",
	    "line 2: not an absolute path without ., .. or //: 'usr/bin'");
	parse_err("group g = type\n/usr/ g\n",
	    "line 2: not an absolute path without ., .. or //: '/usr/'");
	parse_err("group g = type\n/usr//bin g\n",
	    "line 2: not an absolute path without ., .. or //: '/usr//bin'");
	parse_err("group g = type\n/usr/../etc g\n",
	    "line 2: not an absolute path without ., .. or //: '/usr/../etc'");
	parse_err("group g = type\n/u\033[2Jsr g\n",
	    "line 2: control character in line");
}

static void
test_config_nul_and_long(void **state)
{
	static const char nul[] = "group g = type\n/a\0b g\n";
	char *big = malloc(5000);
	struct ks_fim_config cfg;
	struct ks_err err = { "" };

	(void)state;
	assert_int_equal(ks_fim_config_parse(&cfg, nul, sizeof(nul) - 1, &err),
	    -1);
	assert_string_equal(err.msg, "line 2: NUL byte in line");
	assert_non_null(big);
	memset(big, 'x', 4999);
	big[0] = '/';
	big[4999] = '\0';
	assert_int_equal(ks_fim_config_parse(&cfg, big, 4999, &err), -1);
	assert_string_equal(err.msg, "line 1: line too long");
	free(big);
}

static void
test_caps_text(void **state)
{
	/* v2: effective, cap_net_raw (13) and cap_setuid (7) permitted */
	static const unsigned char v2[20] = { 0x01, 0, 0, 0x02, 0x80, 0x20 };
	/* v3: cap_sys_admin (21) inheritable only, rootid 1000 */
	static const unsigned char v3[24] = { 0, 0, 0, 0x03, 0, 0, 0, 0,
	    0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe8, 0x03 };
	/* v2 with bit 45 (beyond the named) and cap_bpf (39) */
	static const unsigned char hi[20] = { 0x01, 0, 0, 0x02, 0, 0, 0, 0,
	    0, 0, 0, 0, 0x80, 0x20, 0, 0 };
	struct ks_buf b;

	(void)state;
	ks_buf_init(&b);
	ks_caps_text(&b, v2, sizeof(v2));
	ks_buf_adds(&b, " | ");
	ks_caps_text(&b, v3, sizeof(v3));
	ks_buf_adds(&b, " | ");
	ks_caps_text(&b, hi, sizeof(hi));
	ks_buf_adds(&b, " | ");
	ks_caps_text(&b, v2, 7);
	ks_buf_adds(&b, " | ");
	ks_caps_text(&b, NULL, 0);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, "cap_setuid,cap_net_raw=ep | "
	    "cap_sys_admin=i (rootid 1000) | cap_bpf,cap_45=ep | "
	    "unknown format (7 bytes) | none");
	ks_buf_free(&b);
}

static void
test_xattrs_diff(void **state)
{
	static const unsigned char a[] =
	    "user.a\0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "user.b\0BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "user.c\0CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
	static const unsigned char b[] =
	    "user.b\0bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    "user.c\0CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
	    "user.d\0DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD";
	struct ks_buf out;

	(void)state;
	ks_buf_init(&out);
	ks_xattrs_diff(&out, a, sizeof(a) - 1, b, sizeof(b) - 1);
	ks_buf_addc(&out, '\0');
	assert_string_equal(out.p, "user.a removed, user.b changed, "
	    "user.d added");
	ks_buf_reset(&out);
	/* a truncated blob ends the list, never reads past it */
	ks_xattrs_diff(&out, NULL, 0, a, 20);
	ks_buf_addc(&out, '\0');
	assert_string_equal(out.p, "");
	ks_buf_free(&out);
}

static void
test_system_paths(void **state)
{
	(void)state;
	assert_true(ks_fim_system_path("/usr/bin/ls", 11));
	assert_true(ks_fim_system_path("/lib64", 6));
	assert_true(ks_fim_system_path("/boot/vmlinuz", 13));
	assert_false(ks_fim_system_path("/usr/binx", 9));
	assert_false(ks_fim_system_path("/etc/passwd", 11));
	assert_false(ks_fim_system_path("/usr/share/doc", 14));
	assert_int_equal(ks_fim_type_attrs(S_IFLNK | 0777),
	    KS_FIM_TYPE | KS_FIM_UID | KS_FIM_GID | KS_FIM_XATTRS |
	    KS_FIM_CAPS | KS_FIM_TARGET);
	assert_false(ks_fim_type_attrs(S_IFDIR) & KS_FIM_MTIME);
	assert_true(ks_fim_type_attrs(S_IFREG) & KS_FIM_GROWING);
}

/* A temporary directory with a file "f" of content text. */
static char *
scratch(const char *text)
{
	char *dir = strdup("/tmp/ks-test-integrity.XXXXXX"), path[256];
	FILE *f;

	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	return dir;
}

static void
rm_scratch(char *dir)
{
	static const char *const names[] = { "f", "f.sig", "k", "k.pub",
	    "o", "o.pub", "db" };
	char path[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

static enum ks_sig_state
check(const char *dir, const char *content, const char *pub, const char *sec,
    char *msg)
{
	char path[256], pubp[256], secp[256];
	enum ks_sig_state st;
	struct ks_err err = { "" };

	snprintf(path, sizeof(path), "%s/f", dir);
	snprintf(pubp, sizeof(pubp), "%s/%s", dir, pub ? pub : "");
	snprintf(secp, sizeof(secp), "%s/%s", dir, sec ? sec : "");
	assert_int_equal(ks_sig_check(content, strlen(content), path,
	    pub ? pubp : NULL, sec ? secp : NULL, &st, &err), 0);
	snprintf(msg, 512, "%s", err.msg + (st == KS_SIG_GOOD ? 0 :
	    strlen(dir) + 1));
	return st;
}

static void
test_signatures(void **state)
{
	char *dir = scratch("baseline bytes");
	char f[256], k[256], kp[256], o[256], op[256], sig[256], msg[512];
	struct ks_err err = { "" };
	struct stat st;
	FILE *fp;

	(void)state;
	snprintf(f, sizeof(f), "%s/f", dir);
	snprintf(k, sizeof(k), "%s/k", dir);
	snprintf(kp, sizeof(kp), "%s/k.pub", dir);
	snprintf(o, sizeof(o), "%s/o", dir);
	snprintf(op, sizeof(op), "%s/o.pub", dir);
	snprintf(sig, sizeof(sig), "%s/f.sig", dir);
	assert_int_equal(check(dir, "baseline bytes", "k.pub", NULL, msg),
	    KS_SIG_UNSIGNED);
	assert_non_null(strstr(msg, "f is not signed (no "));
	assert_int_equal(ks_sig_keygen(k, kp, &err), 0);
	assert_int_equal(stat(k, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ks_sig_keygen(k, kp, &err), -1);
	assert_int_equal(ks_sig_keygen(o, op, &err), 0);
	assert_int_equal(ks_sig_sign_file(f, sig, k, &err), 0);
	assert_int_equal(check(dir, "baseline bytes", "k.pub", NULL, msg),
	    KS_SIG_GOOD);
	assert_int_equal(check(dir, "baseline bytes", NULL, "k", msg),
	    KS_SIG_GOOD);
	assert_int_equal(check(dir, "baseline bytez", "k.pub", NULL, msg),
	    KS_SIG_BAD);
	assert_string_equal(msg, "f does not match its signature: it was "
	    "altered after it was signed");
	assert_int_equal(check(dir, "baseline bytes", NULL, NULL, msg),
	    KS_SIG_NO_KEY);
	assert_int_equal(check(dir, "baseline bytes", "o.pub", NULL, msg),
	    KS_SIG_BAD);
	assert_non_null(strstr(msg, "not with the key given"));
	/* a public key where a secret one belongs, and a mangled signature */
	assert_int_equal(ks_sig_sign_file(f, sig, kp, &err), -1);
	assert_non_null(strstr(err.msg, "not a kansatsu-ed25519-secret-key file"));
	assert_non_null(fp = fopen(sig, "w"));
	fputs("kansatsu-ed25519-signature\nkey 0011223344556677\nAAAA\n", fp);
	fclose(fp);
	assert_int_equal(check(dir, "baseline bytes", "k.pub", NULL, msg),
	    KS_SIG_BAD);
	assert_non_null(strstr(msg, "not a signature file"));
	rm_scratch(dir);
}

/* ks_fim_db_unseen's callback: the paths, one a line, into a buffer. */
static int
collect(void *ctx, struct ks_fim_rec *r, struct ks_err *err)
{
	(void)err;
	ks_buf_adds(ctx, r->path);
	ks_buf_addc(ctx, '\n');
	ks_fim_rec_free(r);
	return 0;
}

static void
test_store_roundtrip(void **state)
{
	char *dir = scratch("");
	char db[256];
	struct ks_fim_store *s;
	struct ks_fim_db *d;
	struct ks_fim_db_info info;
	struct ks_fim_rec *r, *got;
	struct ks_fim_trust trust = { NULL, NULL, true };
	struct ks_err err = { "" };
	struct ks_buf out;
	static const char cfg[] = "group g = all\n/usr g\n";
	static const char paths[] = "/usr/bin\0/etc";
	const char *const *p;

	(void)state;
	snprintf(db, sizeof(db), "%s/db", dir);
	assert_int_equal(ks_fim_store_create(&s, db, &err), 0);
	assert_int_equal(ks_fim_store_meta(s, "format", "kansatsu-baseline 1",
	    19, &err), 0);
	assert_int_equal(ks_fim_store_meta(s, "config", cfg, sizeof(cfg) - 1,
	    &err), 0);
	assert_int_equal(ks_fim_store_meta(s, "paths", paths, sizeof(paths),
	    &err), 0);
	assert_int_equal(ks_fim_store_meta(s, "host", "srv01", 5, &err), 0);
	r = ks_fim_rec_new("/usr/bin/a\xff", 11);
	r->attrs = KS_FIM_ALL;
	r->mode = S_IFREG | 04755;
	r->size = 5;
	r->mtime_ns = -1;
	r->has_sha = true;
	memset(r->sha256, 0xab, 32);
	r->x.ncaps = 20;
	r->x.caps[3] = 2;
	assert_int_equal(ks_fim_store_put(s, r, &err), 0);
	ks_fim_rec_free(r);
	r = ks_fim_rec_new("/usr/bin/b", 10);
	r->mode = S_IFLNK | 0777;
	r->target = strdup("a");
	r->ntarget = 1;
	assert_int_equal(ks_fim_store_put(s, r, &err), 0);
	ks_fim_rec_free(r);
	assert_int_equal(ks_fim_store_finish(s, &err), 0);

	assert_int_equal(ks_fim_db_open(&d, db, &trust, &info, &err), 0);
	assert_int_equal(info.sig, KS_SIG_UNSIGNED);
	assert_string_equal(info.host, "srv01");
	assert_int_equal(info.files, 2);
	assert_int_equal(ks_fim_db_paths(d, &p), 2);
	assert_string_equal(p[1], "/etc");
	assert_int_equal(ks_fim_db_config(d)->nrules, 1);
	assert_int_equal(ks_fim_db_lookup(d, "/usr/bin/a\xff", 11, &got, &err),
	    1);
	assert_int_equal(got->mode, S_IFREG | 04755);
	assert_int_equal(got->mtime_ns, -1);
	assert_true(got->has_sha);
	assert_int_equal(got->sha256[31], 0xab);
	assert_int_equal(got->x.ncaps, 20);
	assert_int_equal(got->x.caps[3], 2);
	ks_fim_db_seen(d, got->id);
	ks_fim_rec_free(got);
	assert_int_equal(ks_fim_db_lookup(d, "/usr/bin/a", 10, &got, &err), 0);
	ks_buf_init(&out);
	assert_int_equal(ks_fim_db_unseen(d, collect, &out, &err), 0);
	ks_buf_addc(&out, '\0');
	assert_string_equal(out.p, "/usr/bin/b\n");
	ks_buf_free(&out);
	ks_fim_db_close(d);
	ks_fim_db_info_free(&info);
	trust.insecure = false;
	assert_int_equal(ks_fim_db_open(&d, db, &trust, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "is not signed"));
	rm_scratch(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_match),
		cmocka_unit_test(test_config_roots),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_nul_and_long),
		cmocka_unit_test(test_caps_text),
		cmocka_unit_test(test_xattrs_diff),
		cmocka_unit_test(test_system_paths),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_store_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
