/*
 * map.c - a bounded hash map from byte-string keys to small integers.
 *
 * Correlation keeps state per group (per source address, per queue id),
 * and attackers choose the groups: the map has a fixed capacity, and when
 * it is full the oldest entry (by insertion or renewal) is evicted and
 * counted, so memory stays bounded whatever the input.  The hash is seeded per map
 * from the kernel's random source, so that an attacker cannot precompute
 * keys that all land in one bucket.  Open addressing with linear probing
 * (at most three quarters full) and backward-shift deletion: no
 * tombstones, no rehash on eviction.
 * The table starts small and doubles as it fills, up to what the capacity
 * needs, so that the many maps of a rule set cost only what they hold.
 *
 * The caller may also look at the oldest entry, and renew it (make it
 * the newest) or let it expire (leave uncounted, as no longer needed):
 * what a cache of recent groups needs to keep the active ones.
 *
 * A full map under a flood of new keys evicts one for each it takes in,
 * and each look-up of a new key is a read of memory nobody touched for a
 * while: a slot is one cache line and holds a key of up to KEY_INLINE
 * bytes itself (a host and an address), so that a probe, its key
 * comparison and an eviction each cost one line, and the steady state
 * allocates nothing.  Longer keys live on the heap.  The insertion ring
 * names each entry by its hash and insertion number, which live entries
 * never share.
 *
 * The hash is SipHash-2-4 (libsodium's crypto_shorthash) under a key
 * drawn per map: a keyed function built against exactly this attack,
 * not merely a seeded one.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <sodium.h>

#include "util/util.h"

#define KEY_INLINE 36

struct slot {
	uint64_t hash;
	uint32_t seq;        /* insertion number */
	uint32_t value;
	uint32_t klen;
	bool used;
	union {
		char in[KEY_INLINE];    /* klen <= KEY_INLINE */
		char *heap;
	} k;
};

struct order {
	uint64_t hash;
	uint32_t seq;
};

struct ks_map {
	struct slot *slots;
	size_t mask;         /* table size - 1 (a power of two) */
	size_t count, cap;
	struct ks_hash_key hk;
	uint32_t seq;        /* the next insertion's number */
	struct order *order; /* ring: the entries in insertion order */
	size_t ring;         /* its size (grows with the table, up to cap) */
	size_t head;         /* the oldest entry's position in the ring */
	uint64_t evicted;
};

_Static_assert(sizeof(struct slot) == 64, "a slot is one cache line");

void
ks_hash_key_init(struct ks_hash_key *k)
{
	if (getrandom(k->b, sizeof(k->b), GRND_NONBLOCK) != (ssize_t)sizeof(k->b))
		randombytes_buf(k->b, sizeof(k->b));
}

uint64_t
ks_hash(const struct ks_hash_key *k, const char *p, size_t n)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h;

	crypto_shorthash(out, (const unsigned char *)p, n, k->b);
	memcpy(&h, out, sizeof(h));
	return h;
}

#define MAP_START 16     /* slots of a new table */
/* A table of n slots holds at most 3/4 n entries, and never over cap. */
#define MAP_RING(n, cap) ((n) / 4 * 3 < (cap) ? (n) / 4 * 3 : (cap))

static const char *
key_of(const struct slot *s)
{
	return s->klen <= KEY_INLINE ? s->k.in : s->k.heap;
}

static void
key_free(struct slot *s)
{
	if (s->used && s->klen > KEY_INLINE)
		free(s->k.heap);
}

int
ks_map_new(struct ks_map **out, size_t cap, struct ks_err *err)
{
	struct ks_map *m;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->slots = calloc(MAP_START, sizeof(*m->slots))) == NULL ||
	    (m->order = calloc(MAP_RING(MAP_START, cap),
	    sizeof(*m->order))) == NULL) {
		ks_map_free(m);
		return ks_err_set(err, "out of memory");
	}
	m->mask = MAP_START - 1;
	m->ring = MAP_RING(MAP_START, cap);
	m->cap = cap;
	ks_hash_key_init(&m->hk);
	*out = m;
	return 0;
}

void
ks_map_free(struct ks_map *m)
{
	if (m == NULL)
		return;
	if (m->slots != NULL)
		for (size_t i = 0; i <= m->mask; i++)
			key_free(&m->slots[i]);
	free(m->slots);
	free(m->order);
	free(m);
}

/* The slot holding key k (hash h), or the empty slot that would. */
static size_t
find(const struct ks_map *m, uint64_t h, const char *k, size_t n)
{
	size_t i = h & m->mask;

	/* a search often goes on to the next slot, a line of its own: both
	 * are asked for at once rather than one after the other */
	__builtin_prefetch(&m->slots[(i + 1) & m->mask]);
	while (m->slots[i].used) {
		const struct slot *s = &m->slots[i];

		if (s->hash == h && s->klen == n &&
		    memcmp(key_of(s), k, n) == 0)
			return i;
		i = (i + 1) & m->mask;
	}
	return i;
}

/* The slot of the entry the ring names. */
static size_t
find_order(const struct ks_map *m, const struct order *o)
{
	size_t i = o->hash & m->mask;

	while (m->slots[i].hash != o->hash || m->slots[i].seq != o->seq ||
	    !m->slots[i].used)
		i = (i + 1) & m->mask;
	return i;
}

uint64_t
ks_map_hash(const struct ks_map *m, const char *k, size_t n)
{
	return ks_hash(&m->hk, k, n);
}

bool
ks_map_get_h(const struct ks_map *m, uint64_t h, const char *k, size_t n,
    size_t *value)
{
	size_t i = find(m, h, k, n);

	if (!m->slots[i].used)
		return false;
	*value = m->slots[i].value;
	return true;
}

bool
ks_map_get(const struct ks_map *m, const char *k, size_t n, size_t *value)
{
	return ks_map_get_h(m, ks_hash(&m->hk, k, n), k, n, value);
}

/* Removes slot i, shifting later members of its cluster back. */
static void
remove_slot(struct ks_map *m, size_t i)
{
	size_t j = i, home;

	key_free(&m->slots[i]);
	m->slots[i].used = false;
	for (;;) {
		j = (j + 1) & m->mask;
		if (!m->slots[j].used)
			break;
		home = m->slots[j].hash & m->mask;
		/* move j to i when i lies cyclically in [home, j) */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && home <= i && home > j)) {
			m->slots[i] = m->slots[j];
			m->slots[j].used = false;
			i = j;
		}
	}
	m->count--;
}

/*
 * Entries leave the map only through here, oldest first (renewal moves
 * one to the tail), so the ring's head is always the oldest live entry.
 */
static bool
take_oldest(struct ks_map *m, size_t *value)
{
	size_t i;

	if (m->count == 0)
		return false;
	i = find_order(m, &m->order[m->head]);
	m->head = (m->head + 1) % m->ring;
	*value = m->slots[i].value;
	remove_slot(m, i);
	return true;
}

bool
ks_map_evict_oldest(struct ks_map *m, size_t *value)
{
	if (!take_oldest(m, value))
		return false;
	m->evicted++;
	return true;
}

bool
ks_map_expire_oldest(struct ks_map *m, size_t *value)
{
	return take_oldest(m, value);
}

bool
ks_map_oldest(const struct ks_map *m, size_t *value)
{
	if (m->count == 0)
		return false;
	*value = m->slots[find_order(m, &m->order[m->head])].value;
	return true;
}

/*
 * The oldest entry becomes the newest: a new insertion number, written
 * at the ring's tail.  The tail is the head's own place when the ring
 * is full, and a free place otherwise.
 */
void
ks_map_renew_oldest(struct ks_map *m)
{
	struct slot *s;

	if (m->count == 0)
		return;
	s = &m->slots[find_order(m, &m->order[m->head])];
	s->seq = m->seq++;
	m->order[(m->head + m->count) % m->ring] =
	    (struct order){ s->hash, s->seq };
	m->head = (m->head + 1) % m->ring;
}

void
ks_map_prefetch_oldest(const struct ks_map *m)
{
	size_t i;

	if (m->count == 0)
		return;
	/* the victim's home, and the slots after it that removal reads to
	 * shift its cluster back (each slot is a line of its own) */
	i = m->order[m->head].hash & m->mask;
	__builtin_prefetch(&m->slots[i], 1);
	__builtin_prefetch(&m->slots[(i + 1) & m->mask], 1);
	__builtin_prefetch(&m->slots[(i + 2) & m->mask], 1);
}

/*
 * Doubles the table (rehashing every entry) and the ring (keeping the
 * insertion order, oldest first at 0); false when out of memory.
 */
static bool
grow(struct ks_map *m)
{
	size_t size = (m->mask + 1) * 2, ring = MAP_RING(size, m->cap);
	struct slot *slots = calloc(size, sizeof(*slots));
	struct order *order = calloc(ring, sizeof(*order));
	struct ks_map old = *m;

	if (slots == NULL || order == NULL) {
		free(slots);
		free(order);
		return false;
	}
	for (size_t i = 0; i < m->count; i++)
		order[i] = m->order[(m->head + i) % m->ring];
	m->slots = slots;
	m->mask = size - 1;
	for (size_t i = 0; i <= old.mask; i++)
		if (old.slots[i].used) {
			size_t j = old.slots[i].hash & m->mask;

			while (m->slots[j].used)
				j = (j + 1) & m->mask;
			m->slots[j] = old.slots[i];
		}
	free(old.slots);
	free(m->order);
	m->order = order;
	m->ring = ring;
	m->head = 0;
	return true;
}

int
ks_map_put(struct ks_map *m, const char *k, size_t n, size_t value,
    struct ks_err *err)
{
	return ks_map_put_h(m, ks_hash(&m->hk, k, n), k, n, value, err);
}

int
ks_map_put_h(struct ks_map *m, uint64_t h, const char *k, size_t n,
    size_t value, struct ks_err *err)
{
	struct slot *s;
	size_t i;

	if (n > UINT32_MAX / 2)
		return ks_err_set(err, "key too long");
	if (value > UINT32_MAX)
		return ks_err_set(err, "map value too large");
	i = find(m, h, k, n);
	if (m->slots[i].used) {
		m->slots[i].value = (uint32_t)value;
		return 0;
	}
	if (m->count >= m->cap)
		return ks_err_set(err, "map full");
	/* at most three quarters full, and a ring with room for one more */
	if (m->count + 1 > m->ring) {
		if (!grow(m))
			return ks_err_set(err, "out of memory");
		i = find(m, h, k, n);
	}
	s = &m->slots[i];
	if (n > KEY_INLINE) {
		if ((s->k.heap = malloc(n)) == NULL)
			return ks_err_set(err, "out of memory");
		memcpy(s->k.heap, k, n);
	} else
		memcpy(s->k.in, k, n);
	s->hash = h;
	s->seq = m->seq;
	s->value = (uint32_t)value;
	s->klen = (uint32_t)n;
	s->used = true;
	m->order[(m->head + m->count) % m->ring] =
	    (struct order){ h, m->seq++ };
	m->count++;
	return 0;
}

size_t
ks_map_count(const struct ks_map *m)
{
	return m->count;
}

uint64_t
ks_map_evicted(const struct ks_map *m)
{
	return m->evicted;
}
