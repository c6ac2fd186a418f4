/*
 * map.c - a bounded hash map from byte-string keys to small integers.
 *
 * Correlation keeps state per group (per source address, per queue id),
 * and attackers choose the groups: the map has a fixed capacity, and when
 * it is full the oldest entry (by insertion) is evicted and counted, so
 * memory stays bounded whatever the input.  The hash is seeded per map
 * from the kernel's random source, so that an attacker cannot precompute
 * keys that all land in one bucket.  Open addressing with linear probing
 * (at most three quarters full) and backward-shift deletion: no
 * tombstones, no rehash on eviction.
 * The table starts small and doubles as it fills, up to what the capacity
 * needs, so that the many maps of a rule set cost only what they hold.
 * A full map under a flood of new keys evicts one for each it takes in:
 * the evicted key's memory is kept for the next one, so that the steady
 * state allocates nothing.
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

struct slot {
	uint64_t hash;
	char *key;           /* NULL: empty; the pointer never changes */
	uint32_t klen, kcap; /* key length, its buffer's size */
	size_t value;
};

struct ks_map {
	struct slot *slots;
	size_t mask;         /* table size - 1 (a power of two) */
	size_t count, cap;
	struct ks_hash_key hk;
	char *spare;         /* an evicted key's buffer, for the next key */
	uint32_t spare_cap;
	struct slot *order;  /* ring: the entries in insertion order */
	size_t ring;         /* its size (grows with the table, up to cap) */
	size_t head;         /* the oldest entry's position in the ring */
	uint64_t evicted;
};

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
			free(m->slots[i].key);
	free(m->slots);
	free(m->order);
	free(m->spare);
	free(m);
}

static size_t
find(const struct ks_map *m, uint64_t h, const char *k, size_t n)
{
	size_t i = h & m->mask;

	while (m->slots[i].key != NULL) {
		if (m->slots[i].hash == h && m->slots[i].klen == n &&
		    memcmp(m->slots[i].key, k, n) == 0)
			return i;
		i = (i + 1) & m->mask;
	}
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

	if (m->slots[i].key == NULL)
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

	if (m->spare == NULL || m->slots[i].kcap > m->spare_cap) {
		free(m->spare);
		m->spare = m->slots[i].key;
		m->spare_cap = m->slots[i].kcap;
	} else
		free(m->slots[i].key);
	m->slots[i].key = NULL;
	for (;;) {
		j = (j + 1) & m->mask;
		if (m->slots[j].key == NULL)
			break;
		home = m->slots[j].hash & m->mask;
		/* move j to i when i lies cyclically in [home, j) */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && home <= i && home > j)) {
			m->slots[i] = m->slots[j];
			m->slots[j].key = NULL;
			i = j;
		}
	}
	m->count--;
}

/*
 * Entries leave the map only through here, oldest first, so the ring's
 * head is always the oldest live entry.
 */
bool
ks_map_evict_oldest(struct ks_map *m, size_t *value)
{
	struct slot *o;
	size_t i;

	if (m->count == 0)
		return false;
	o = &m->order[m->head];
	m->head = (m->head + 1) % m->ring;
	/* the slot holding this very key buffer: no need to read the key */
	for (i = o->hash & m->mask; m->slots[i].key != o->key;
	    i = (i + 1) & m->mask)
		;
	*value = m->slots[i].value;
	remove_slot(m, i);
	m->evicted++;
	return true;
}

void
ks_map_prefetch_oldest(const struct ks_map *m)
{
	if (m->count > 0) {
		const struct slot *o = &m->order[m->head];

		__builtin_prefetch(&m->slots[o->hash & m->mask], 1);
		__builtin_prefetch(o->key, 0);
	}
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
	struct slot *order = calloc(ring, sizeof(*order));
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
		if (old.slots[i].key != NULL)
			m->slots[find(m, old.slots[i].hash, old.slots[i].key,
			    old.slots[i].klen)] = old.slots[i];
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
	size_t i, pos;
	char *copy;
	uint32_t kcap;

	if (n > UINT32_MAX / 2)
		return ks_err_set(err, "key too long");
	i = find(m, h, k, n);

	if (m->slots[i].key != NULL) {
		m->slots[i].value = value;
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
	if (m->spare != NULL && m->spare_cap >= n) {
		copy = m->spare;
		kcap = m->spare_cap;
		m->spare = NULL;
	} else {
		/* rounded up, so that the next key of about this length fits */
		kcap = (uint32_t)((n + 32) & ~(size_t)31);
		if ((copy = malloc(kcap)) == NULL)
			return ks_err_set(err, "out of memory");
	}
	memcpy(copy, k, n);
	pos = (m->head + m->count) % m->ring;
	m->slots[i] = (struct slot){ h, copy, (uint32_t)n, kcap, value };
	m->order[pos] = m->slots[i];
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
