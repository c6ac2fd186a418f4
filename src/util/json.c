/*
 * json.c - dotted ECS names written as nested JSON objects.
 *
 * The findings contract writes `{"source":{"ip":..,"port":..}}`, not
 * `{"source.ip":..}`.  Callers hand over key/value pairs in an order
 * where keys sharing a prefix are adjacent (ks_kv_sort groups them so);
 * one pass then closes and opens objects as the prefix changes, and no
 * key is written twice.
 */
#include <string.h>

#include "util/util.h"

/* Length of the first `max` dot-separated components a and b share. */
static size_t
common_depth(const char *a, const char *b, size_t max)
{
	size_t depth = 0;

	while (depth < max) {
		const char *da = strchr(a, '.'), *db = strchr(b, '.');
		size_t la = da ? (size_t)(da - a) : strlen(a);
		size_t lb = db ? (size_t)(db - b) : strlen(b);

		if (!da || !db || la != lb || memcmp(a, b, la) != 0)
			break;
		a = da + 1;
		b = db + 1;
		depth++;
	}
	return depth;
}

static void
leaf(struct ks_buf *b, const struct ks_kv *kv)
{
	bool num = kv->num && kv->n > 0 && kv->n <= 19;

	for (size_t i = 0; num && i < kv->n; i++)
		num = ks_isdigit(kv->val[i]);
	if (num)
		ks_buf_add(b, kv->val, kv->n);
	else
		ks_json_str(b, kv->val, kv->n);
}

void
ks_json_members(struct ks_buf *b, const struct ks_kv *kv, size_t n)
{
	const char *prev = NULL, *c, *dot;
	size_t open = 0, keep, i;

	for (size_t k = 0; k < n; k++) {
		keep = prev ? common_depth(prev, kv[k].key, open) : 0;
		for (; open > keep; open--)
			ks_buf_addc(b, '}');
		for (c = kv[k].key, i = 0; i < keep; i++)
			c = strchr(c, '.') + 1;
		ks_buf_addc(b, ',');
		for (; (dot = strchr(c, '.')) != NULL; open++) {
			ks_buf_addc(b, '"');
			ks_buf_add(b, c, (size_t)(dot - c));
			ks_buf_add(b, "\":{", 3);
			c = dot + 1;
		}
		ks_buf_addc(b, '"');
		ks_buf_adds(b, c);
		ks_buf_add(b, "\":", 2);
		leaf(b, &kv[k]);
		prev = kv[k].key;
	}
	for (; open > 0; open--)
		ks_buf_addc(b, '}');
}

/*
 * Orders by the parent path (all but the last component), '.' lowest so
 * that "source" comes before "source.geo" and the two stay together.
 */
static int
parent_cmp(const char *x, const char *y)
{
	const char *ex = strrchr(x, '.'), *ey = strrchr(y, '.');
	size_t nx = ex ? (size_t)(ex - x) : 0, ny = ey ? (size_t)(ey - y) : 0;
	size_t i;

	for (i = 0; i < nx && i < ny && x[i] == y[i]; i++)
		;
	if (i == nx || i == ny)
		return (nx > i) - (ny > i);
	if (x[i] == '.' || y[i] == '.')
		return x[i] == '.' ? -1 : 1;
	return (int)(unsigned char)x[i] - (int)(unsigned char)y[i];
}

/* Stable, so that members of one object keep the caller's order. */
void
ks_kv_sort(struct ks_kv *kv, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct ks_kv t = kv[i];
		size_t j = i;

		for (; j > 0 && parent_cmp(kv[j - 1].key, t.key) > 0; j--)
			kv[j] = kv[j - 1];
		kv[j] = t;
	}
}
