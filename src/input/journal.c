/*
 * journal.c - events from the systemd journal, read through sd-journal.
 *
 * The journal is not a text log: it is a set of binary files whose records
 * are already framed into fields, so this reader skips the line and framer
 * layers and fills a ks_event directly.  It reads either the local journal
 * or a directory of journal files copied from another host (the usual case
 * in incident response: /var/log/journal taken off a suspect machine).
 *
 * sd-journal rather than our own parser of the file format: the format has
 * several versions, three compressions and hash-table details that change
 * between systemd releases, and libsystemd already interleaves the files
 * of a directory in time order.  The price is its memory model: a pointer
 * from sd_journal_enumerate_data() is valid only until the next call into
 * the library.  So every string this reader hands out is a copy held in a
 * buffer owned by struct ks_journal, reused entry after entry, and valid
 * until the next ks_journal_next() as input.h promises.
 *
 * Fields are length-counted and may hold any byte: NUL, escape sequences,
 * invalid UTF-8.  They are copied as counted bytes and never measured with
 * strlen; escaping for output is the printer's job.  Numbers (PIDs,
 * priority, facility) are parsed while the field is in hand and kept only
 * when they are clean decimals in range.
 *
 * Each copied field is cut at KS_LINE_MAX bytes, like a text line, and
 * orig_len keeps the message's full length so that the cut shows.  The
 * data threshold asks the library to decompress no more of a field than
 * a few bytes over "LONGEST_NAME=" plus KS_LINE_MAX: a journal from a
 * suspect host is hostile input, and a compressed field may expand to
 * gigabytes.  It is only a hint.  libsystemd 252 (Debian 12) decompresses
 * compressed fields whole whatever the threshold, so there orig_len is
 * exact and the memory a huge field costs is the library's, not ours;
 * releases that honour it return at least one byte past the cut, so a
 * cut field still shows orig_len > n, with orig_len then a lower bound.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <systemd/sd-journal.h>

#include "input/input.h"

/* Room for the longest "NAME=" we read and the byte that shows a cut. */
#define KS_JOURNAL_THRESHOLD (KS_LINE_MAX + 64)

/* The string fields an event is built from, copied out of each entry. */
enum jstr {
	JS_HOST,        /* _HOSTNAME */
	JS_IDENT,       /* SYSLOG_IDENTIFIER */
	JS_COMM,        /* _COMM */
	JS_MESSAGE,     /* MESSAGE */
	JS_COUNT,
};

/* The numeric fields, parsed in place. */
enum jnum {
	JN_PID,         /* _PID */
	JN_SYSLOG_PID,  /* SYSLOG_PID */
	JN_PRIORITY,    /* PRIORITY */
	JN_FACILITY,    /* SYSLOG_FACILITY */
	JN_COUNT,
};

/* A field copied out of the library's memory map. */
struct jfield {
	char *p;
	size_t n;       /* bytes kept, at most KS_LINE_MAX */
	size_t cap;
	size_t orig;    /* the value's length as read */
	bool seen;      /* present in the current entry */
};

struct ks_journal {
	sd_journal *sd;
	char *cursor;                   /* of the current entry; ours */
	struct jfield str[JS_COUNT];
	int64_t num[JN_COUNT];          /* -1 when absent or not clean */
	bool num_seen[JN_COUNT];
};

struct jname {
	const char *name;
	size_t len;
	bool is_num;
	int slot;
};

#define JNAME(s, num, slot) { s, sizeof(s) - 1, num, slot }

static const struct jname jnames[] = {
	JNAME("MESSAGE", false, JS_MESSAGE),
	JNAME("_HOSTNAME", false, JS_HOST),
	JNAME("SYSLOG_IDENTIFIER", false, JS_IDENT),
	JNAME("_COMM", false, JS_COMM),
	JNAME("_PID", true, JN_PID),
	JNAME("SYSLOG_PID", true, JN_SYSLOG_PID),
	JNAME("PRIORITY", true, JN_PRIORITY),
	JNAME("SYSLOG_FACILITY", true, JN_FACILITY),
};

/* Largest value each numeric field may take. */
static const int64_t jnum_max[JN_COUNT] = {
	[JN_PID] = INT32_MAX,
	[JN_SYSLOG_PID] = INT32_MAX,
	[JN_PRIORITY] = 7,
	[JN_FACILITY] = 23,
};

/* ---- opening ---------------------------------------------------------- */

static int
fail_errno(struct ks_err *err, const char *what, const char *where, int r)
{
	return ks_err_set(err, "%s%s%s: %s", what, where ? " " : "",
	    where ? where : "", strerror(r < 0 ? -r : r));
}

/* Opens the library's handle on dir, or on the local journal. */
static int
open_sd(sd_journal **sd, const char *dir, struct ks_err *err)
{
	struct stat st;
	int r;

	if (dir == NULL) {
		r = sd_journal_open(sd, SD_JOURNAL_LOCAL_ONLY);
		if (r < 0)
			return fail_errno(err, "opening the local journal",
			    NULL, r);
		return 0;
	}
	if (stat(dir, &st) < 0)
		return fail_errno(err, "journal directory", dir, errno);
	if (!S_ISDIR(st.st_mode))
		return ks_err_set(err, "journal directory %s: %s", dir,
		    strerror(ENOTDIR));
	r = sd_journal_open_directory(sd, dir, 0);
	if (r < 0)
		return fail_errno(err, "opening journal directory", dir, r);
	return 0;
}

/*
 * sd-journal skips files it cannot open (wrong name, corrupt, unreadable)
 * and succeeds with none, which would read as "no events": say so instead.
 */
static int
check_has_files(sd_journal *sd, const char *dir, struct ks_err *err)
{
	uint64_t bytes = 0;
	int r;

	r = sd_journal_get_usage(sd, &bytes);
	if (r < 0)
		return fail_errno(err, "journal", dir, r);
	if (bytes > 0)
		return 0;
	if (dir != NULL)
		return ks_err_set(err, "no journal files in %s", dir);
	return ks_err_set(err, "no journal files readable in the local "
	    "journal (/var/log/journal, /run/log/journal; reading the "
	    "system journal needs root or the systemd-journal group)");
}

int
ks_journal_open(struct ks_journal **out, const char *dir,
    struct ks_err *err)
{
	struct ks_journal *j;
	int r;

	*out = NULL;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return ks_err_set(err, "out of memory");
	if (open_sd(&j->sd, dir, err) < 0)
		goto fail;
	if (check_has_files(j->sd, dir, err) < 0)
		goto fail;
	r = sd_journal_set_data_threshold(j->sd, KS_JOURNAL_THRESHOLD);
	if (r < 0) {
		fail_errno(err, "journal", dir, r);
		goto fail;
	}
	r = sd_journal_seek_head(j->sd);
	if (r < 0) {
		fail_errno(err, "seeking to the start of the journal", dir, r);
		goto fail;
	}
	*out = j;
	return 0;
fail:
	ks_journal_close(j);
	return -1;
}

void
ks_journal_close(struct ks_journal *j)
{
	if (j == NULL)
		return;
	if (j->sd != NULL)
		sd_journal_close(j->sd);
	free(j->cursor);
	for (size_t i = 0; i < JS_COUNT; i++)
		free(j->str[i].p);
	free(j);
}

/* ---- one entry -------------------------------------------------------- */

/* A clean decimal in 0..max, else -1: no sign, no spaces, no overflow. */
static int64_t
parse_num(const char *p, size_t n, int64_t max)
{
	int64_t v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v <= max ? v : -1;
}

/* Copies a value, cut at KS_LINE_MAX, into a buffer kept between entries. */
static int
copy_field(struct jfield *f, const char *p, size_t n, struct ks_err *err)
{
	size_t keep = n < KS_LINE_MAX ? n : KS_LINE_MAX;

	if (keep > f->cap) {
		size_t cap = f->cap ? f->cap : 256;
		char *np;

		while (cap < keep)
			cap *= 2;
		if (cap > KS_LINE_MAX)
			cap = KS_LINE_MAX;
		np = realloc(f->p, cap);
		if (np == NULL)
			return ks_err_set(err, "out of memory");
		f->p = np;
		f->cap = cap;
	}
	if (keep > 0)
		memcpy(f->p, p, keep);
	f->n = keep;
	f->orig = n;
	f->seen = true;
	return 0;
}

/*
 * Takes one "NAME=value" data item.  An item without '=' (a damaged file)
 * and names we do not use are skipped; of a name given twice the first is
 * kept.
 */
static int
take_item(struct ks_journal *j, const char *d, size_t n, struct ks_err *err)
{
	const char *eq = memchr(d, '=', n);
	size_t nlen, vlen;

	if (eq == NULL)
		return 0;
	nlen = (size_t)(eq - d);
	vlen = n - nlen - 1;
	for (size_t i = 0; i < sizeof(jnames) / sizeof(jnames[0]); i++) {
		const struct jname *jn = &jnames[i];

		if (jn->len != nlen || memcmp(jn->name, d, nlen) != 0)
			continue;
		if (jn->is_num) {
			if (!j->num_seen[jn->slot])
				j->num[jn->slot] = parse_num(eq + 1, vlen,
				    jnum_max[jn->slot]);
			j->num_seen[jn->slot] = true;
			return 0;
		}
		if (j->str[jn->slot].seen)
			return 0;
		return copy_field(&j->str[jn->slot], eq + 1, vlen, err);
	}
	return 0;
}

static void
reset_entry(struct ks_journal *j)
{
	for (size_t i = 0; i < JS_COUNT; i++) {
		j->str[i].n = 0;
		j->str[i].orig = 0;
		j->str[i].seen = false;
	}
	for (size_t i = 0; i < JN_COUNT; i++) {
		j->num[i] = -1;
		j->num_seen[i] = false;
	}
}

/*
 * Copies the fields of the current entry.  enumerate_available_data skips
 * items the library cannot decode (unknown compression, damage) instead of
 * failing the whole entry.
 */
static int
read_entry(struct ks_journal *j, struct ks_err *err)
{
	const void *d;
	size_t n;
	int r;

	reset_entry(j);
	sd_journal_restart_data(j->sd);
	while ((r = sd_journal_enumerate_available_data(j->sd, &d, &n)) > 0) {
		if (take_item(j, d, n, err) < 0)
			return -1;
	}
	if (r < 0)
		return fail_errno(err, "reading a journal entry", NULL, r);
	return 0;
}

/* The slice of a copied field; "" (never NULL) when absent. */
static struct ks_str
field_str(const struct jfield *f)
{
	if (!f->seen || f->n == 0)
		return ks_str_make("", 0);
	return ks_str_make(f->p, f->n);
}

static int
take_stamp_and_cursor(struct ks_journal *j, uint64_t *usec,
    struct ks_err *err)
{
	char *cursor = NULL;
	int r;

	r = sd_journal_get_realtime_usec(j->sd, usec);
	if (r < 0)
		return fail_errno(err, "reading a journal entry's time",
		    NULL, r);
	r = sd_journal_get_cursor(j->sd, &cursor);
	if (r < 0)
		return fail_errno(err, "reading a journal cursor", NULL, r);
	free(j->cursor);
	j->cursor = cursor;
	return 0;
}

/*
 * The program is SYSLOG_IDENTIFIER, or _COMM when that is absent or empty;
 * the PID is _PID (set by journald, so trusted), or SYSLOG_PID (the
 * sender's word) when _PID is absent or not a clean number.
 */
static void
fill_event(struct ks_journal *j, struct ks_tz *tz, uint64_t usec,
    struct ks_event *ev)
{
	const struct jfield *msg = &j->str[JS_MESSAGE];
	const struct jfield *prog = &j->str[JS_IDENT];

	if (prog->n == 0)
		prog = &j->str[JS_COMM];
	memset(ev, 0, sizeof(*ev));
	ev->fmt = KS_FMT_JOURNAL;
	ev->ts_us = usec > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)usec;
	ev->utc_off = tz ? ks_tz_offset_utc(tz, ev->ts_us / 1000000) : 0;
	ev->host = field_str(&j->str[JS_HOST]);
	ev->program = field_str(prog);
	ev->message = field_str(msg);
	ev->sdata = ks_str_make("", 0);
	ev->msgid = ks_str_make("", 0);
	ev->pid = j->num[JN_PID] >= 0 ? j->num[JN_PID] : j->num[JN_SYSLOG_PID];
	ev->severity = (int)j->num[JN_PRIORITY];
	ev->facility = (int)j->num[JN_FACILITY];
	ev->repeat = 0;
	ev->path = "journal";
	ev->line = 0;
	ev->cursor = j->cursor;
	ev->raw = ev->message;
	ev->orig_len = msg->seen ? msg->orig : 0;
}

int
ks_journal_next(struct ks_journal *j, struct ks_tz *tz,
    struct ks_event *ev, struct ks_err *err)
{
	uint64_t usec;
	int r;

	r = sd_journal_next(j->sd);
	if (r < 0)
		return fail_errno(err, "reading the journal", NULL, r);
	if (r == 0)
		return 0;
	if (take_stamp_and_cursor(j, &usec, err) < 0)
		return -1;
	if (read_entry(j, err) < 0)
		return -1;
	fill_event(j, tz, usec, ev);
	return 1;
}
