/*
 * cmdline.c - what a shell command line does, for crontab entries,
 * systemd Exec lines, rc scripts, profiles and shell histories alike.
 *
 * Not a shell: a small lexer that knows enough of sh to see through the
 * forms intruders type.  Words with quotes and escapes; pipes and
 * separators; command substitution ($(...), `...`, <(...)) lexed as a
 * nested command whose parent is the command around it; redirections and
 * their targets.  Each simple command is reduced to its program (after
 * NAME=value assignments and wrappers such as sudo, env, nohup) and its
 * arguments, and the line is judged on those:
 *  - fetch and execute: a downloader (curl, wget) or decoder (base64 -d)
 *    piped into an interpreter (sh, bash, python, perl), substituted into
 *    one (bash -c "$(curl ...)", sh <(wget ...)), or followed by a chmod
 *    that makes something executable;
 *  - a program run from /tmp, /var/tmp or /dev/shm, by path, through an
 *    interpreter, or as ./x in such a directory;
 *  - a reverse shell: /dev/tcp, nc -e, socat exec:, an interpreter fed
 *    from nc or telnet, a script that opens a socket;
 *  - chmod that sets the setuid bit;
 *  - turning history off: unset HISTFILE, HISTFILE=/dev/null,
 *    HISTSIZE=0, history -c, set +o history, a history file removed,
 *    truncated or linked to /dev/null, kill -9 $$;
 *  - compiling in a temporary directory.
 * The input is bounded (the first LINE_MAX bytes), and so are the
 * tokens and the nesting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host/host_int.h"

#define LINE_MAX 8192
#define TOK_MAX 512
#define DEPTH_MAX 8
#define STAGE_MAX 128

enum tok_kind { T_WORD, T_PIPE, T_SEP, T_OPEN, T_CLOSE, T_REDIR };

struct tok {
	enum tok_kind kind;
	size_t off, len;        /* T_WORD: the word in the lexer's buffer */
};

struct lex {
	const char *p, *end;
	struct tok t[TOK_MAX];
	size_t nt;
	char buf[LINE_MAX * 2];
	size_t used;
	bool in_word;
	bool full;
};

static void
push(struct lex *l, enum tok_kind k)
{
	if (l->nt == TOK_MAX) {
		l->full = true;
		return;
	}
	l->t[l->nt++] = (struct tok){ k, l->used, 0 };
}

static void
word_char(struct lex *l, char c)
{
	if (l->full || l->used + 1 >= sizeof(l->buf))
		return;
	if (!l->in_word) {
		push(l, T_WORD);
		l->in_word = true;
		if (l->full)
			return;
	}
	l->buf[l->used++] = c;
	l->t[l->nt - 1].len++;
}

static void
word_end(struct lex *l)
{
	if (l->in_word && l->used < sizeof(l->buf))
		l->buf[l->used++] = '\0';
	l->in_word = false;
}

static void
op(struct lex *l, enum tok_kind k, size_t skip)
{
	word_end(l);
	push(l, k);
	l->p += skip;
}

static void lex_until(struct lex *l, char closer, int depth);

/* $( `  <( >( : a nested command until its closer. */
static void
subst(struct lex *l, size_t skip, char closer, int depth)
{
	op(l, T_OPEN, skip);
	if (depth < DEPTH_MAX)
		lex_until(l, closer, depth + 1);
	word_end(l);
	push(l, T_CLOSE);
}

static void
dquote(struct lex *l, int depth)
{
	for (l->p++; l->p < l->end && *l->p != '"'; ) {
		if (*l->p == '\\' && l->p + 1 < l->end) {
			word_char(l, l->p[1]);
			l->p += 2;
		} else if (l->p + 1 < l->end && l->p[0] == '$' && l->p[1] == '(')
			subst(l, 2, ')', depth);
		else if (*l->p == '`')
			subst(l, 1, '`', depth);
		else
			word_char(l, *l->p++);
	}
	if (l->p < l->end)
		l->p++;
}

static void
squote(struct lex *l)
{
	for (l->p++; l->p < l->end && *l->p != '\''; l->p++)
		word_char(l, *l->p);
	if (l->p < l->end)
		l->p++;
}

/* > >> 2> &> <: the digits of "2>" name a descriptor, not a word. */
static void
redir(struct lex *l)
{
	size_t n = 1;

	if (l->in_word && l->nt > 0) {
		const struct tok *t = &l->t[l->nt - 1];
		bool digits = t->len > 0;

		for (size_t i = 0; i < t->len; i++)
			digits = digits && ks_isdigit(l->buf[t->off + i]);
		if (digits) {
			l->used = t->off;
			l->nt--;
			l->in_word = false;
		}
	}
	while (l->p + n < l->end && (l->p[n] == '>' || l->p[n] == '&' ||
	    l->p[n] == '<' || l->p[n] == '|'))
		n++;
	op(l, T_REDIR, n);
}

static void
lex_until(struct lex *l, char closer, int depth)
{
	while (l->p < l->end && !l->full) {
		char c = *l->p, d = l->p + 1 < l->end ? l->p[1] : '\0';

		if (closer != '\0' && c == closer) {
			l->p++;
			return;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			word_end(l);
			l->p++;
		} else if (c == '\\' && d != '\0') {
			word_char(l, d);
			l->p += 2;
		} else if (c == '\'')
			squote(l);
		else if (c == '"')
			dquote(l, depth);
		else if (c == '$' && d == '(')
			subst(l, 2, ')', depth);
		else if (c == '`')
			subst(l, 1, '`', depth);
		else if ((c == '<' || c == '>') && d == '(')
			subst(l, 2, ')', depth);
		else if (c == '|' && d != '|')
			op(l, T_PIPE, 1);
		else if ((c == '|' && d == '|') || (c == '&' && d == '&'))
			op(l, T_SEP, 2);
		else if (c == '&' && d == '>')
			redir(l);
		else if (c == ';' || c == '\n' || c == '&' || c == '(' ||
		    c == ')')
			op(l, T_SEP, 1);
		else if (c == '>' || c == '<')
			redir(l);
		else if (c == '#' && !l->in_word)
			l->p = l->end;
		else
			word_char(l, *l->p++);
	}
}

static const char *
word(const struct lex *l, const struct tok *t)
{
	return l->buf + t->off;
}

/* ---- simple commands ------------------------------------------------- */

struct stage {
	const char *argv[32];
	size_t argc;
	const char *redir[4];   /* redirection targets */
	size_t nredir;
	bool piped;             /* fed by the previous stage's pipe */
	int parent;             /* stage a substitution is inside, or -1 */
	const char *cwd;
};

struct cmds {
	struct stage s[STAGE_MAX];
	size_t n;
};

static bool
is_assignment(const char *w)
{
	const char *eq = strchr(w, '=');

	if (eq == NULL || eq == w || !((w[0] >= 'A' && w[0] <= 'Z') ||
	    (w[0] >= 'a' && w[0] <= 'z') || w[0] == '_'))
		return false;
	for (const char *p = w; p < eq; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    *p == '_' || ks_isdigit(*p)))
			return false;
	return true;
}

static bool
in_set(const char *w, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(w, *set) == 0)
			return true;
	return false;
}

static const char *
base(const char *w)
{
	const char *s = strrchr(w, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : w;
}

static const char *const wrappers[] = { "sudo", "doas", "env", "nohup",
    "exec", "setsid", "nice", "ionice", "time", "command", "builtin",
    "timeout", "stdbuf", "chrt", "taskset", "su", NULL };

/* Index of the program word of a stage (after assignments, wrappers). */
static size_t
program(const struct stage *s)
{
	size_t i = 0;

	while (i < s->argc) {
		const char *w = s->argv[i];

		if (is_assignment(w)) {
			i++;
			continue;
		}
		if (!in_set(base(w), wrappers))
			return i;
		for (i++; i < s->argc && (s->argv[i][0] == '-' ||
		    ks_isdigit(s->argv[i][0])); i++)
			if (strcmp(s->argv[i], "-u") == 0 ||
			    strcmp(s->argv[i], "-g") == 0 ||
			    strcmp(s->argv[i], "-n") == 0 ||
			    strcmp(s->argv[i], "-c") == 0)
				i++;
	}
	return s->argc;
}

static const char *
prog(const struct stage *s)
{
	size_t i = program(s);

	return i < s->argc ? base(s->argv[i]) : "";
}

/* Builds the simple commands from the tokens. */
static void
stages(const struct lex *l, struct cmds *c)
{
	int stack[DEPTH_MAX + 2], depth = 0, cur = -1;
	bool piped = false;

	c->n = 0;
	for (size_t i = 0; i < l->nt; i++) {
		const struct tok *t = &l->t[i];

		if (t->kind == T_PIPE || t->kind == T_SEP) {
			piped = t->kind == T_PIPE;
			cur = -1;
			continue;
		}
		if (t->kind == T_OPEN) {
			if (depth < DEPTH_MAX + 1)
				stack[depth++] = cur;
			cur = -1;
			piped = false;
			continue;
		}
		if (t->kind == T_CLOSE) {
			cur = depth > 0 ? stack[--depth] : -1;
			continue;
		}
		if (cur < 0) {
			if (c->n == STAGE_MAX)
				return;
			cur = (int)c->n++;
			memset(&c->s[cur], 0, sizeof(c->s[cur]));
			c->s[cur].piped = piped;
			c->s[cur].parent = depth > 0 ? stack[depth - 1] : -1;
		}
		if (t->kind == T_REDIR) {
			if (i + 1 < l->nt && l->t[i + 1].kind == T_WORD &&
			    c->s[cur].nredir < 4)
				c->s[cur].redir[c->s[cur].nredir++] =
				    word(l, &l->t[++i]);
		} else if (c->s[cur].argc < 32)
			c->s[cur].argv[c->s[cur].argc++] = word(l, t);
	}
}

/* ---- judging --------------------------------------------------------- */

static const char *const interpreters[] = { "sh", "bash", "dash", "zsh",
    "ksh", "mksh", "ash", "csh", "tcsh", "fish", "busybox", "perl", "ruby",
    "php", "node", "lua", "eval", "source", ".", NULL };
static const char *const downloaders[] = { "curl", "wget", "fetch",
    "lwp-download", "lwp-request", "GET", "tftp", "aria2c", "axel", NULL };
static const char *const netcats[] = { "nc", "ncat", "netcat",
    "nc.traditional", "nc.openbsd", "telnet", NULL };
static const char *const compilers[] = { "gcc", "cc", "g++", "c++",
    "clang", "tcc", "make", "as", "ld", NULL };

static bool
is_interpreter(const char *p)
{
	return in_set(p, interpreters) || strncmp(p, "python", 6) == 0 ||
	    strncmp(p, "perl5", 5) == 0;
}

static bool
has_arg(const struct stage *s, const char *a)
{
	for (size_t i = program(s) + 1; i < s->argc; i++)
		if (strcmp(s->argv[i], a) == 0)
			return true;
	return false;
}

static bool
any_word(const struct stage *s, const char *needle)
{
	for (size_t i = 0; i < s->argc; i++)
		if (strstr(s->argv[i], needle) != NULL)
			return true;
	return false;
}

/* A stage that brings code from elsewhere: a download or a decoding. */
static bool
is_source(const struct stage *s)
{
	const char *p = prog(s);

	if (in_set(p, downloaders))
		return true;
	if (strcmp(p, "base64") == 0 || strcmp(p, "base32") == 0)
		return has_arg(s, "-d") || has_arg(s, "--decode") ||
		    has_arg(s, "-D");
	if (strcmp(p, "xxd") == 0)
		return has_arg(s, "-r") || has_arg(s, "-r -p");
	if (strcmp(p, "openssl") == 0)
		return has_arg(s, "-d");
	return strcmp(p, "uudecode") == 0;
}

/* The mode word of chmod sets the setuid bit (u+s, +s, 4755). */
static bool
setuid_mode(const char *m)
{
	size_t n = strlen(m);

	if (n == 4 && m[0] >= '4' && m[0] <= '7' && m[1] >= '0' &&
	    m[1] <= '7' && m[2] >= '0' && m[2] <= '7' && m[3] >= '0' &&
	    m[3] <= '7')
		return true;
	for (const char *c = m; *c != '\0'; ) {
		const char *op = strpbrk(c, "+=");
		const char *end = strchr(c, ',');
		bool user = false;

		if (op == NULL || (end != NULL && op > end))
			break;
		user = op == c;
		for (const char *w = c; w < op; w++)
			user = user || *w == 'u' || *w == 'a';
		for (const char *w = op + 1; *w != '\0' && *w != ','; w++)
			if (*w == 's' && user)
				return true;
		if (end == NULL)
			break;
		c = end + 1;
	}
	return false;
}

static bool
chmod_sets(const struct stage *s, bool exec)
{
	if (strcmp(prog(s), "chmod") != 0)
		return false;
	for (size_t i = program(s) + 1; i < s->argc; i++) {
		const char *m = s->argv[i];
		size_t n = strlen(m);

		if (!exec && setuid_mode(m))
			return true;
		if (exec && ((strchr(m, 'x') != NULL && strpbrk(m, "+=")) ||
		    (n >= 3 && n <= 4 && ks_isdigit(m[0]) &&
		    ((m[n - 3] - '0') & 1))))
			return true;
	}
	return false;
}

static bool
history_file(const char *w)
{
	size_t n = strlen(w);

	return (n >= 8 && strcmp(w + n - 8, "_history") == 0) ||
	    (n >= 8 && strcmp(w + n - 8, "/.history") == 0) ||
	    strcmp(w, ".history") == 0;
}

static bool
hist_off(const struct stage *s)
{
	const char *p = prog(s);

	for (size_t i = 0; i < s->argc; i++) {
		const char *w = s->argv[i];

		if (strcmp(w, "HISTFILE=/dev/null") == 0 ||
		    strcmp(w, "HISTFILE=") == 0 || strcmp(w, "HISTSIZE=0") == 0 ||
		    strcmp(w, "HISTFILESIZE=0") == 0 ||
		    strcmp(w, "SAVEHIST=0") == 0)
			return true;
	}
	for (size_t i = 0; i < s->nredir; i++)
		if (history_file(s->redir[i]) && (s->argc == 0 ||
		    strcmp(p, "cat") == 0 || strcmp(p, "echo") == 0 ||
		    strcmp(p, "true") == 0 || strcmp(p, ":") == 0))
			return true;
	if (strcmp(p, "unset") == 0)
		return has_arg(s, "HISTFILE");
	if (strcmp(p, "history") == 0)
		return has_arg(s, "-c");
	if (strcmp(p, "set") == 0)
		return has_arg(s, "+o") && has_arg(s, "history");
	if (strcmp(p, "kill") == 0)
		return has_arg(s, "$$") && (has_arg(s, "-9") ||
		    has_arg(s, "-KILL") || has_arg(s, "-SIGKILL"));
	if (strcmp(p, "rm") == 0 || strcmp(p, "shred") == 0 ||
	    strcmp(p, "truncate") == 0 || strcmp(p, "ln") == 0)
		for (size_t i = program(s) + 1; i < s->argc; i++)
			if (history_file(s->argv[i]))
				return true;
	return false;
}

static bool
in_tmp(const char *w, const char *cwd)
{
	if (ks_path_in_tmp(w))
		return true;
	return cwd != NULL && w[0] != '/' && (strcmp(cwd, "/tmp") == 0 ||
	    strcmp(cwd, "/var/tmp") == 0 || strcmp(cwd, "/dev/shm") == 0 ||
	    ks_path_in_tmp(cwd));
}

/* The first argument that is not an option, or NULL. */
static const char *
first_operand(const struct stage *s)
{
	for (size_t i = program(s) + 1; i < s->argc; i++)
		if (s->argv[i][0] != '-')
			return s->argv[i];
	return NULL;
}

static bool
tmp_exec(const struct stage *s)
{
	size_t i = program(s);
	const char *w, *op;

	if (i >= s->argc)
		return false;
	w = s->argv[i];
	if (ks_path_in_tmp(w) || (strncmp(w, "./", 2) == 0 &&
	    in_tmp(w + 2, s->cwd)))
		return true;
	op = first_operand(s);
	return is_interpreter(base(w)) && op != NULL &&
	    (ks_path_in_tmp(op) || (op[0] != '/' && strchr(op, '/') == NULL &&
	    s->cwd != NULL && in_tmp(op, s->cwd)));
}

static bool
revshell(const struct cmds *c, size_t k)
{
	const struct stage *s = &c->s[k];
	const char *p = prog(s);

	if (any_word(s, "/dev/tcp/") || any_word(s, "/dev/udp/"))
		return true;
	for (size_t i = 0; i < s->nredir; i++)
		if (strstr(s->redir[i], "/dev/tcp/") != NULL ||
		    strstr(s->redir[i], "/dev/udp/") != NULL)
			return true;
	if (in_set(p, netcats) && (has_arg(s, "-e") || has_arg(s, "-c")))
		return true;
	if (strcmp(p, "socat") == 0)
		for (size_t i = 0; i < s->argc; i++)
			if (strncasecmp(s->argv[i], "exec:", 5) == 0 ||
			    strncasecmp(s->argv[i], "system:", 7) == 0)
				return true;
	if (is_interpreter(p) && k > 0 && s->piped &&
	    in_set(prog(&c->s[k - 1]), netcats))
		return true;
	return is_interpreter(p) && any_word(s, "socket") &&
	    (any_word(s, "connect") || any_word(s, "fsockopen") ||
	    any_word(s, "TCPSocket") || any_word(s, "dup2"));
}

static bool
compile_tmp(const struct stage *s)
{
	if (!in_set(prog(s), compilers))
		return false;
	if (s->cwd != NULL && in_tmp("x", s->cwd))
		return true;
	for (size_t i = program(s) + 1; i < s->argc; i++)
		if (ks_path_in_tmp(s->argv[i]))
			return true;
	return false;
}

/* Fetch and execute across the line: pipes, substitutions, chmod +x. */
static bool
fetch_exec(const struct cmds *c)
{
	bool fetched = false, line_fetched = false;

	for (size_t k = 0; k < c->n; k++) {
		const struct stage *s = &c->s[k];

		if (!s->piped)
			fetched = false;
		if (is_interpreter(prog(s)) && s->piped && fetched)
			return true;
		if (is_source(s)) {
			fetched = line_fetched = true;
			if (s->parent >= 0 &&
			    is_interpreter(prog(&c->s[s->parent])))
				return true;
		}
		if (line_fetched && chmod_sets(s, true))
			return true;
	}
	return false;
}

/* Resolves a cd target against cwd into buf; NULL when unknown. */
static const char *
cd_target(const char *arg, const char *cwd, char *buf, size_t size)
{
	if (arg == NULL || arg[0] == '~' || arg[0] == '$' ||
	    strcmp(arg, "-") == 0)
		return NULL;
	if (arg[0] == '/')
		return (size_t)snprintf(buf, size, "%s", arg) < size ? buf : NULL;
	if (cwd == NULL || !ks_path_join(buf, size, cwd, arg))
		return NULL;
	return buf;
}

static void
lex_line(struct lex *l, const char *p, size_t n)
{
	l->p = p;
	l->end = p + (n > LINE_MAX ? LINE_MAX : n);
	l->nt = 0;
	l->used = 0;
	l->in_word = false;
	l->full = false;
	lex_until(l, '\0', 0);
	word_end(l);
}

/* The stages with the directory each runs in, following cd. */
static void
with_cwd(struct cmds *c, const char *cwd, char (*dirs)[256])
{
	for (size_t k = 0; k < c->n; k++) {
		c->s[k].cwd = cwd;
		if (strcmp(prog(&c->s[k]), "cd") == 0) {
			cwd = cd_target(first_operand(&c->s[k]), cwd, dirs[k],
			    sizeof(dirs[k]));
		}
	}
}

/* The lexer and the commands of one line: too big for the stack. */
struct work {
	struct lex l;
	struct cmds c;
	char dirs[STAGE_MAX][256];
};

unsigned
ks_cmd_classify(const char *p, size_t n, const char *cwd)
{
	struct work *w = malloc(sizeof(*w));
	unsigned m = 0;

	if (w == NULL)
		return 0;
	lex_line(&w->l, p, n);
	stages(&w->l, &w->c);
	with_cwd(&w->c, cwd, w->dirs);
	if (fetch_exec(&w->c))
		m |= KS_CMD_FETCH_EXEC;
	for (size_t k = 0; k < w->c.n; k++) {
		const struct stage *s = &w->c.s[k];

		if (tmp_exec(s))
			m |= KS_CMD_TMP_EXEC;
		if (revshell(&w->c, k))
			m |= KS_CMD_REVSHELL;
		if (chmod_sets(s, false))
			m |= KS_CMD_SETUID;
		if (hist_off(s))
			m |= KS_CMD_HIST_OFF;
		if (compile_tmp(s))
			m |= KS_CMD_COMPILE_TMP;
	}
	free(w);
	return m;
}

const char *
ks_cmd_cd(const char *p, size_t n, const char *cwd, char *buf, size_t size)
{
	struct work *w = malloc(sizeof(*w));
	const char *dir = cwd;
	char tmp[256];
	bool any = false;

	if (w == NULL)
		return cwd;
	lex_line(&w->l, p, n);
	stages(&w->l, &w->c);
	for (size_t k = 0; k < w->c.n; k++) {
		const struct stage *s = &w->c.s[k];

		if (s->parent >= 0 || strcmp(prog(s), "cd") != 0)
			continue;
		any = true;
		dir = cd_target(first_operand(s), dir, tmp, sizeof(tmp));
		if (dir != NULL && (size_t)snprintf(buf, size, "%s", dir) < size)
			dir = buf;
		else
			dir = NULL;
	}
	free(w);
	return any ? dir : cwd;
}
