/*
 * cond.c - Sigma conditions: "selection and not filter",
 * "1 of selection_*", "all of them", with parentheses.
 *
 * A recursive-descent parser with Sigma's precedence (not binds tightest,
 * then and, then or) builds a small tree whose leaves are indexes of the
 * rule's search identifiers, so that matching never looks names up.
 * Evaluation short-circuits: a rule whose first selection fails costs one
 * selection.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/detect_int.h"

struct lexer {
	const char *p;
	struct ks_str tok;
	struct ks_err *err;
	const struct ks_rule *rule;
};

static bool
ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '*' || c == '-' ||
	    c == '.';
}

/* Reads the next token into lx->tok; an empty token at the end. */
static void
next(struct lexer *lx)
{
	const char *s = lx->p;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	lx->tok.p = s;
	if (*s == '(' || *s == ')' || *s == '|')
		s++;
	else
		while (*s != '\0' && ident_char(*s))
			s++;
	lx->tok.n = (size_t)(s - lx->tok.p);
	if (lx->tok.n == 0 && *s != '\0')
		lx->tok.n = 1;   /* an unexpected character: reported by caller */
	lx->p = lx->tok.p + lx->tok.n;
}

static bool
tok_is(const struct lexer *lx, const char *w)
{
	return ks_str_eq(lx->tok, w);
}

static struct ks_cond *
node(enum ks_cond_op op)
{
	struct ks_cond *c = calloc(1, sizeof(*c));

	if (c != NULL)
		c->op = op;
	return c;
}

static struct ks_cond *parse_or(struct lexer *lx);

/* "1 of X" / "all of X": X is "them", a name, or a name with '*'. */
static struct ks_cond *
parse_of(struct lexer *lx, enum ks_cond_op op)
{
	struct ks_cond *c;
	const struct ks_rule *r = lx->rule;

	next(lx);
	if (!tok_is(lx, "of")) {
		ks_err_set(lx->err, "expected 'of' after '%s'",
		    op == KS_C_ALL_OF ? "all" : "1");
		return NULL;
	}
	next(lx);
	if (lx->tok.n == 0) {
		ks_err_set(lx->err, "expected a name after 'of'");
		return NULL;
	}
	if ((c = node(op)) == NULL ||
	    (c->sels = calloc(r->nsels ? r->nsels : 1, sizeof(size_t))) == NULL) {
		ks_err_set(lx->err, "out of memory");
		ks_cond_free(c);
		return NULL;
	}
	/* "them": every identifier but those starting with '_' */
	for (size_t i = 0; i < r->nsels; i++)
		if (tok_is(lx, "them") ? r->sels[i].name[0] != '_' :
		    ks_glob_match(lx->tok.p, lx->tok.n, r->sels[i].name,
		    strlen(r->sels[i].name), true))
			c->sels[c->nsels++] = i;
	if (c->nsels == 0) {
		ks_err_set(lx->err, "'%.*s' names no search identifier",
		    (int)lx->tok.n, lx->tok.p);
		ks_cond_free(c);
		return NULL;
	}
	next(lx);
	return c;
}

static struct ks_cond *
parse_atom(struct lexer *lx)
{
	struct ks_cond *c;
	const struct ks_rule *r = lx->rule;

	if (tok_is(lx, "not")) {
		next(lx);
		if ((c = node(KS_C_NOT)) == NULL || (c->a = parse_atom(lx)) == NULL) {
			ks_cond_free(c);
			return NULL;
		}
		return c;
	}
	if (tok_is(lx, "(")) {
		next(lx);
		if ((c = parse_or(lx)) == NULL)
			return NULL;
		if (!tok_is(lx, ")")) {
			ks_err_set(lx->err, "missing ')'");
			ks_cond_free(c);
			return NULL;
		}
		next(lx);
		return c;
	}
	if (tok_is(lx, "1") || tok_is(lx, "any"))
		return parse_of(lx, KS_C_ONE_OF);
	if (tok_is(lx, "all"))
		return parse_of(lx, KS_C_ALL_OF);
	for (size_t i = 0; i < r->nsels; i++)
		if (ks_str_eq(lx->tok, r->sels[i].name)) {
			if ((c = node(KS_C_SEL)) == NULL)
				return NULL;
			c->sel = i;
			next(lx);
			return c;
		}
	if (lx->tok.n == 0)
		ks_err_set(lx->err, "condition ends too early");
	else
		ks_err_set(lx->err, "'%.*s' is not a search identifier",
		    (int)lx->tok.n, lx->tok.p);
	return NULL;
}

static struct ks_cond *
parse_binary(struct lexer *lx, const char *word, enum ks_cond_op op,
    struct ks_cond *(*sub)(struct lexer *))
{
	struct ks_cond *left, *c;

	if ((left = sub(lx)) == NULL)
		return NULL;
	while (tok_is(lx, word)) {
		next(lx);
		if ((c = node(op)) == NULL || (c->b = sub(lx)) == NULL) {
			free(c);
			ks_cond_free(left);
			return NULL;
		}
		c->a = left;
		left = c;
	}
	return left;
}

static struct ks_cond *
parse_and(struct lexer *lx)
{
	return parse_binary(lx, "and", KS_C_AND, parse_atom);
}

static struct ks_cond *
parse_or(struct lexer *lx)
{
	return parse_binary(lx, "or", KS_C_OR, parse_and);
}

int
ks_cond_parse(struct ks_rule *r, const char *text, struct ks_err *err)
{
	struct lexer lx = { .p = text, .err = err, .rule = r };
	struct ks_cond *c;

	next(&lx);
	if ((c = parse_or(&lx)) == NULL)
		return -1;
	if (lx.tok.n != 0) {
		ks_cond_free(c);
		if (tok_is(&lx, "|"))
			return ks_err_set(err, "aggregations ('| count()') are "
			    "Sigma v1; write a correlation rule instead");
		return ks_err_set(err, "unexpected '%.*s' in condition",
		    (int)lx.tok.n, lx.tok.p);
	}
	r->cond = c;
	return 0;
}

void
ks_cond_free(struct ks_cond *c)
{
	if (c == NULL)
		return;
	ks_cond_free(c->a);
	ks_cond_free(c->b);
	free(c->sels);
	free(c);
}

static bool
sel_eval(const struct ks_sel *s, const struct ks_event *ev,
    const struct ks_fields *f, struct ks_pfscan *ps)
{
	char num[24];
	struct ks_str v;

	if (s->gate != NULL && (!ks_field_value(s->gate->field, ev, f, num,
	    sizeof(num), &v) || !ks_selgate_open(s->gate, v)))
		return false;
	for (size_t i = 0; i < s->n; i++) {
		const struct ks_map *m = &s->maps[i];
		size_t j;

		for (j = 0; j < m->n; j++)
			if (!ks_match_eval(&m->m[j], ev, f, ps))
				break;
		if (j == m->n)
			return true;
	}
	return false;
}

bool
ks_cond_eval(const struct ks_rule *r, const struct ks_cond *c,
    const struct ks_event *ev, const struct ks_fields *f, struct ks_pfscan *ps)
{
	size_t i;

	switch (c->op) {
	case KS_C_SEL:
		return sel_eval(&r->sels[c->sel], ev, f, ps);
	case KS_C_NOT:
		return !ks_cond_eval(r, c->a, ev, f, ps);
	case KS_C_AND:
		return ks_cond_eval(r, c->a, ev, f, ps) && ks_cond_eval(r, c->b, ev, f, ps);
	case KS_C_OR:
		return ks_cond_eval(r, c->a, ev, f, ps) || ks_cond_eval(r, c->b, ev, f, ps);
	case KS_C_ONE_OF:
		for (i = 0; i < c->nsels; i++)
			if (sel_eval(&r->sels[c->sels[i]], ev, f, ps))
				return true;
		return false;
	case KS_C_ALL_OF:
		for (i = 0; i < c->nsels; i++)
			if (!sel_eval(&r->sels[c->sels[i]], ev, f, ps))
				return false;
		return true;
	}
	return false;
}
