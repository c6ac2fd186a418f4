/*
 * host_int.h - what the files of host triage share: the context of one
 * run, file access confined to the analysed root, notes, the finding
 * builder, and the parsers of the host's own files (utmp records, passwd,
 * crontab, history lines, /proc status files), exposed here so that the
 * unit tests and fuzzers reach them.
 */
#ifndef KS_HOST_INT_H
#define KS_HOST_INT_H

#include <stdarg.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "host/host.h"

#define KS_HOST_RULE_PATH "(built in)"
/* Largest text file read whole (passwd, a crontab, a history). */
#define KS_HFILE_MAX (8u << 20)

struct ks_pkgdb;
struct ks_accounts;
struct ks_wtmp;
struct ks_proclist;

struct ks_host {
	struct ks_host_opts o;
	char *root;                 /* as given, for messages; "/" live */
	int rootfd;
	bool live;
	bool resolve_in_root;       /* openat2(RESOLVE_IN_ROOT) works */
	char hostname[256];
	struct ks_findings *out;    /* during ks_host_run */
	bool oom;
	char **notes;
	size_t nnotes, capnotes;
	const char *container;      /* "docker", "lxc", ... or NULL */
	long clk_tck;
	/* loaded on first use and shared by the checks */
	struct ks_pkgdb *pkg;
	bool pkg_loaded;
	struct ks_accounts *acc;
	bool acc_loaded;
	struct ks_wtmp *wtmp;
	bool wtmp_loaded;
	struct ks_proclist *procs;
	bool procs_loaded;
};

/* ---- notes (host.c) ---------------------------------------------------- */

/* Adds one line to the notes, escaped; out of memory marks h->oom. */
void ks_host_note(struct ks_host *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- building findings (host.c) ---------------------------------------- */

/*
 * A finding of rule r at time ts_us (count 1), or NULL when out of
 * memory (h->oom is set).  The other builders accept NULL and set h->oom
 * on failure, so that a check tests once, at ks_hf_add.
 */
struct ks_finding *ks_hf_new(struct ks_host *h, const struct ks_rule_info *r,
    int64_t ts_us);
void ks_hf_attr(struct ks_host *h, struct ks_finding *fd, const char *key,
    const char *val);
void ks_hf_num(struct ks_host *h, struct ks_finding *fd, const char *key,
    int64_t v);
void ks_hf_field(struct ks_host *h, struct ks_finding *fd, enum ks_field k,
    const char *v);
void ks_hf_ev(struct ks_host *h, struct ks_finding *fd, const char *path,
    uint64_t line, const char *text, size_t n);
void ks_hf_evf(struct ks_host *h, struct ks_finding *fd, const char *path,
    uint64_t line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ks_hf_seen(struct ks_host *h, struct ks_finding *fd, int64_t ts_us);
/* Hands fd to the run's list (or frees it when out of memory). */
void ks_hf_add(struct ks_host *h, struct ks_finding *fd);
/*
 * Findings grouped by a key (a user and a host, an executable): the
 * first event of a key makes the finding, later ones add to its count,
 * time span and evidence.  At most `cap` keys; events of further keys
 * are counted in overflow and left out (the caller notes it).
 */
struct ks_hgroups {
	struct ks_map *map;
	struct ks_finding **v;
	size_t n, cap;
	uint64_t overflow;
};

int ks_hgroups_init(struct ks_host *h, struct ks_hgroups *g, size_t cap);
/* The key's finding (made with rule r at ts_us when new), or NULL. */
struct ks_finding *ks_hgroups_get(struct ks_host *h, struct ks_hgroups *g,
    const char *key, size_t n, const struct ks_rule_info *r, int64_t ts_us);
/* Hands every finding to the run, in the order the keys first came. */
void ks_hgroups_flush(struct ks_host *h, struct ks_hgroups *g);
void ks_hgroups_free(struct ks_hgroups *g);

/* Offset east of UTC of an instant, in the run's zone. */
int32_t ks_host_off(const struct ks_host *h, int64_t ts_us);
/* Appends "2026-11-22 03:04:05" (local to the run's zone) to b. */
void ks_host_time(const struct ks_host *h, struct ks_buf *b, int64_t ts_us);

/* ---- file access inside the root (fs.c) -------------------------------- */

/*
 * Paths are absolute paths of the analysed system ("/etc/passwd"); they
 * resolve inside the root, symlinks included (openat2 RESOLVE_IN_ROOT),
 * so an image's absolute symlinks never lead to the analysing host.
 * Files are opened with O_NOATIME when allowed.  -1 with errno set.
 */
int ks_hfs_open(struct ks_host *h, const char *path, int flags);
int ks_hfs_lstat(struct ks_host *h, const char *path, struct stat *st);
int ks_hfs_stat(struct ks_host *h, const char *path, struct stat *st);
/* The target of a symlink, NUL-terminated (cut at size - 1). */
int ks_hfs_readlink(struct ks_host *h, const char *path, char *buf,
    size_t size);

struct ks_hfile {
	char *p;                /* NUL-terminated; n bytes of data */
	size_t n;
	struct stat st;
	bool cut;               /* larger than the limit: the start only */
};

/*
 * Reads a regular file whole (up to max bytes).  0 when read, 1 when it
 * does not exist, -1 when it cannot be read: then a note says why.
 */
int ks_hfs_read(struct ks_host *h, const char *path, size_t max,
    struct ks_hfile *f);
void ks_hfile_free(struct ks_hfile *f);

/* A directory's entry names, sorted, without "." and "..". */
struct ks_hdir {
	char **names;
	size_t n;
};

/* 0 when listed, 1 when absent, -1 when unreadable (noted). */
int ks_hfs_list(struct ks_host *h, const char *path, struct ks_hdir *d);
void ks_hdir_free(struct ks_hdir *d);

/* The file system type name of a statfs f_type ("ext4", "overlay"). */
const char *ks_fs_type_name(unsigned long type);
/* What kind of container the analysed system runs in, or NULL. */
const char *ks_host_detect_container(struct ks_host *h);

/*
 * Whether the files of a home directory can be reached; when it cannot
 * be searched, one note (naming the check) says so instead of one per
 * file.  false too for a home that does not exist.
 */
bool ks_hfs_home_ok(struct ks_host *h, const char *home, const char *check);

/* "/a/b" + "c" -> "/a/b/c" into buf; false when it does not fit. */
bool ks_path_join(char *buf, size_t size, const char *dir, const char *name);
/* Whether path lies in /tmp, /var/tmp or /dev/shm. */
bool ks_path_in_tmp(const char *path);

/* ---- the package database (pkgdb.c) ------------------------------------ */

/* The dpkg file lists (and diversions), or NULL when there are none. */
struct ks_pkgdb *ks_host_pkgdb(struct ks_host *h);
/*
 * Whether a package installed path (also its /usr-merged twin); *listed
 * gets the time its package was last unpacked (the list's mtime).
 */
bool ks_pkgdb_has(const struct ks_pkgdb *db, const char *path,
    int64_t *listed_us);
/* Whether dpkg unpacked some package within slack of t (maintainer
 * scripts then write files no list names). */
bool ks_pkgdb_busy(const struct ks_pkgdb *db, int64_t t_us, int64_t slack_us);
size_t ks_pkgdb_count(const struct ks_pkgdb *db);
void ks_pkgdb_free(struct ks_pkgdb *db);

/*
 * Whether a file changed within --since in a way the package manager
 * does not explain; *when gets the time of the change.  The change time
 * is the mtime, and on the running system the ctime as well (an
 * intruder can set the one with touch, not the other; in a copied
 * image the ctime is the copy's).  A packaged file is explained when it
 * changed as its package was unpacked; an unpackaged one, with
 * maintainer_scripts, when dpkg was unpacking anything at the time.
 */
bool ks_host_changed(const struct ks_host *h, const struct ks_pkgdb *db,
    const char *path, const struct stat *st, bool maintainer_scripts,
    int64_t *when);

/* ---- accounts: passwd, shadow, group (passwd.c) ------------------------ */

struct ks_pwent {
	char *name, *passwd, *gecos, *home, *shell;
	uint32_t uid, gid;
	uint64_t line;
};

struct ks_spent {
	char *name, *hash;
	uint64_t line;
};

struct ks_grent {
	char *name, *passwd, *members;  /* members: "a,b,c" */
	uint32_t gid;
	uint64_t line;
};

/*
 * One line of passwd (7 fields), shadow (at least 2 of 9) or group (4);
 * the strings point into line, which the call cuts with NULs.  -1 for a
 * malformed line (wrong field count, a uid that is not a number).
 */
int ks_pw_parse(char *line, struct ks_pwent *e);
int ks_sp_parse(char *line, struct ks_spent *e);
int ks_gr_parse(char *line, struct ks_grent *e);

struct ks_accounts {
	struct ks_hfile passwd, shadow, group;
	bool have_shadow, have_group;
	struct ks_pwent *pw;
	size_t npw;
	struct ks_spent *sp;
	size_t nsp;
	struct ks_grent *gr;
	size_t ngr;
	uint64_t bad_pw, bad_sp, bad_gr;   /* malformed lines */
	uint64_t first_bad_pw, first_bad_sp, first_bad_gr;
	uint32_t uid_min, uid_max;         /* from login.defs */
	struct ks_map *pw_names, *sp_names; /* name -> first entry */
};

/* Parses the three files' text (fills the entry arrays); -1 on memory. */
int ks_accounts_parse(struct ks_accounts *a);
/* The system's accounts, read once; NULL when passwd is unreadable. */
struct ks_accounts *ks_host_accounts(struct ks_host *h);
void ks_accounts_free(struct ks_accounts *a);
const struct ks_pwent *ks_accounts_by_uid(const struct ks_accounts *a,
    uint32_t uid);
const struct ks_pwent *ks_accounts_by_name(const struct ks_accounts *a,
    const char *name);
const struct ks_spent *ks_accounts_shadow(const struct ks_accounts *a,
    const char *name);
/* Whether a shell lets one log in (not nologin, false, sync, ...). */
bool ks_shell_is_login(const char *shell);
/* Whether uid is a system account's (below UID_MIN or above UID_MAX). */
bool ks_uid_is_system(const struct ks_accounts *a, uint32_t uid);

/* ---- utmp, wtmp, btmp, lastlog records (utmp.c) ------------------------ */

#define KS_UTMP_SIZE 384
#define KS_LASTLOG_SIZE 292

enum {
	KS_UT_EMPTY = 0, KS_UT_RUN_LVL = 1, KS_UT_BOOT_TIME = 2,
	KS_UT_NEW_TIME = 3, KS_UT_OLD_TIME = 4, KS_UT_INIT = 5,
	KS_UT_LOGIN = 6, KS_UT_USER = 7, KS_UT_DEAD = 8, KS_UT_ACCOUNTING = 9,
};

struct ks_utmp {
	int type;
	int32_t pid;
	char line[33], id[5], user[33], host[257];
	int64_t time_us;
	char addr[46];          /* ut_addr_v6 as text, "" when zero */
	bool zero;              /* all 384 bytes are zero */
};

/* Decodes one little-endian glibc record (x86, arm64, riscv64). */
void ks_utmp_parse(const unsigned char *rec, struct ks_utmp *u);

struct ks_lastlog {
	int64_t time_us;        /* 0: never */
	char line[33], host[257];
};

void ks_lastlog_parse(const unsigned char *rec, struct ks_lastlog *l);

/* A utmp-format file read whole (the last KS_UTMP_MAX bytes of it). */
struct ks_utmpfile {
	char path[64];
	bool present;
	unsigned char *p;
	size_t nrec;
	size_t skipped;         /* records before the part read */
	size_t tail;            /* bytes after the last whole record */
	struct stat st;
};

#define KS_UTMP_MAX (64u << 20)

/* 0 read, 1 absent, -1 unreadable (noted). */
int ks_utmpfile_read(struct ks_host *h, const char *path,
    struct ks_utmpfile *f);
void ks_utmpfile_free(struct ks_utmpfile *f);

struct ks_wtmp {
	struct ks_utmpfile utmp, wtmp, btmp;
	int lastlog_fd;         /* -1 when absent or unreadable */
	const char *lastlog_path;
};

/* utmp, wtmp and btmp of the system, read once (never NULL but on OOM). */
struct ks_wtmp *ks_host_wtmp(struct ks_host *h);
/* The lastlog entry of uid; false when there is none. */
bool ks_wtmp_lastlog(const struct ks_wtmp *w, uint32_t uid,
    struct ks_lastlog *l);
void ks_wtmp_free(struct ks_wtmp *w);
/* Whether a login host (an address or a name) is outside this site. */
bool ks_host_is_remote(const char *host);
/* Whether a RUN_LVL record marks a shutdown or reboot. */
bool ks_utmp_is_shutdown(const struct ks_utmp *u);

/* ---- processes (procfs.c) ---------------------------------------------- */

struct ks_proc {
	int pid, ppid, tgid;
	char comm[64];
	char state;
	unsigned long flags;
	int tty_nr;
	uint64_t start_ticks;
	uint32_t uid, euid;
	bool have_status;
	char *cmdline;          /* arguments joined by spaces; NULL: none */
	char *argv0;
	char *exe;              /* readlink of /proc/PID/exe, or NULL */
	int exe_errno;
	bool kthread;
	bool exe_deleted;       /* the link ends in " (deleted)" */
	bool exe_stat;
	dev_t exe_dev;
	ino_t exe_ino;
	int64_t start_us;
};

#define KS_PF_KTHREAD 0x00200000UL

/* Parses /proc/PID/stat text; -1 when malformed. */
int ks_proc_parse_stat(const char *p, size_t n, struct ks_proc *pr);
/* Parses /proc/PID/status text (Tgid, PPid, Uid); -1 when malformed. */
int ks_proc_parse_status(const char *p, size_t n, struct ks_proc *pr);

struct ks_proclist {
	struct ks_proc *v;
	size_t n;
	int64_t boot_us;
	uint64_t unreadable_exe;   /* exe links we could not read */
	uint64_t vanished;
};

/* The PIDs the listing of /proc shows, sorted; -1 when out of memory. */
int ks_proc_pids(int **out, size_t *n);
/* The processes of the running system, read once (NULL: not live). */
struct ks_proclist *ks_host_procs(struct ks_host *h);
void ks_proclist_free(struct ks_proclist *l);
/* The terminal name of a tty_nr ("pts/3", "tty1"), false when none. */
bool ks_tty_name(int tty_nr, char *buf, size_t size);
/* The boot time from /proc/stat btime; 0 when unknown. */
int64_t ks_host_boot_time(struct ks_host *h);

/* ---- crontab lines (cron.c) -------------------------------------------- */

struct ks_cron_entry {
	struct ks_str schedule;    /* "0 4 * * *" or "@reboot" */
	struct ks_str user;        /* system crontabs only */
	struct ks_str command;
};

enum ks_cron_line {
	KS_CRON_BLANK,             /* empty or a comment */
	KS_CRON_ENV,               /* NAME=value */
	KS_CRON_ENTRY,
	KS_CRON_BAD,
};

/* One crontab line; system: the format of /etc/crontab and cron.d. */
enum ks_cron_line ks_cron_parse(const char *p, size_t n, bool system,
    struct ks_cron_entry *e);

/* ---- what a shell command does (cmdline.c) ----------------------------- */

enum {
	KS_CMD_FETCH_EXEC = 1u << 0,   /* downloads or decodes, then runs */
	KS_CMD_TMP_EXEC = 1u << 1,     /* runs a program from a temp dir */
	KS_CMD_REVSHELL = 1u << 2,     /* /dev/tcp, nc -e, bash -i >& */
	KS_CMD_SETUID = 1u << 3,       /* chmod u+s, chmod 4755 */
	KS_CMD_HIST_OFF = 1u << 4,     /* unset HISTFILE, history -c */
	KS_CMD_COMPILE_TMP = 1u << 5,  /* gcc, make in a temp dir */
};

/*
 * What a shell command line does, as a mask of KS_CMD_*; cwd is the
 * directory it runs in when known (history tracks cd), else NULL.
 */
unsigned ks_cmd_classify(const char *p, size_t n, const char *cwd);
/*
 * The directory a `cd` in the line leads to (absolute, or NULL when
 * the line has no cd or its target is not known), written into buf.
 */
const char *ks_cmd_cd(const char *p, size_t n, const char *cwd, char *buf,
    size_t size);

/* ---- shell history lines (history.c) ----------------------------------- */

struct ks_hist_line {
	struct ks_str cmd;         /* empty for a time stamp line */
	int64_t time_us;           /* 0 when the file has no time stamps */
};

/*
 * One line of a bash, sh or zsh history: bash's "#1700000000" stamp
 * lines set *stamp_us for the next command; zsh's ": 1700000000:0;cmd"
 * carries its own.  Returns false for a line that is only a stamp.
 */
bool ks_hist_parse(const char *p, size_t n, int64_t *stamp_us,
    struct ks_hist_line *out);

/* ---- persistence entries (persist.c), shared with the view ------------- */

enum ks_persist_kind {
	KS_PK_CRON,            /* a crontab entry */
	KS_PK_CRON_SCRIPT,     /* a line of a cron.daily (...) script */
	KS_PK_INETD,           /* an inetd.conf service or xinetd server */
	KS_PK_UNIT,            /* a systemd Exec line */
	KS_PK_RC,              /* a line of rc.local or an init script */
	KS_PK_PROFILE,         /* a line of a shell profile */
	KS_PK_PRELOAD,         /* /etc/ld.so.preload */
	KS_PK_SSH_KEY,         /* an authorized_keys line */
	KS_PK_COUNT
};

struct ks_persist_entry {
	enum ks_persist_kind kind;
	const char *path;
	uint64_t line;             /* 0: the file itself, before its lines */
	const char *user;          /* who it runs as, or NULL */
	const char *what;          /* schedule, service, unit key, or NULL */
	struct ks_str command;     /* the command (or key) text */
	const struct stat *st;     /* the file's */
	bool dropin;               /* in a directory packages install into */
	bool user_file;            /* a user's own: a home, a user crontab */
};

const char *ks_persist_kind_name(enum ks_persist_kind k);
/* Calls fn for every entry; stops and returns -1 when fn does. */
int ks_persist_walk(struct ks_host *h,
    int (*fn)(void *ctx, const struct ks_persist_entry *e), void *ctx);

/* ---- the checks -------------------------------------------------------- */

void ks_check_logins(struct ks_host *h);
void ks_check_processes(struct ks_host *h);
void ks_check_accounts(struct ks_host *h);
void ks_check_persistence(struct ks_host *h);
void ks_check_files(struct ks_host *h);
void ks_check_history(struct ks_host *h);
void ks_check_boots(struct ks_host *h);
void ks_check_kernel(struct ks_host *h);
void ks_check_sockets(struct ks_host *h);
/* The sockets view (sockets.c): live only, a note under --root. */
int ks_host_show_sockets(struct ks_host *h, struct ks_buf *out,
    struct ks_err *err);

#endif
