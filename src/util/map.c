/*
 * map.c - a bounded hash map from byte-string keys to small integers.
 *
 * Correlation keeps state per group (per source address, per queue id),
 * and attackers choose the groups: the map has a fixed capacity, and when
 * it is full the oldest entry (by insertion) is evicted and counted, so
 * memory stays bounded whatever the input.  The hash is seeded per map
 * from the kernel's random source, so that an attacker cannot precompute
 * keys that all land in one bucket.  Open addressing with linear probing
 * and backward-shift deletion: no tombstones, no rehash on eviction.
 * The table starts small and doubles as it fills, up to what the capacity
 * needs, so that the many maps of a rule set cost only what they hold.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/util.h"

struct slot {
	uint64_t hash;
	char *key;           /* NULL: empty; the pointer never changes */
	size_t klen;
	size_t value;
};

struct ks_map {
	struct slot *slots;
	size_t mask;         /* table size - 1 (a power of two) */
	size_t count, cap;
	uint64_t seed;
	struct slot *order;  /* ring: the entries in insertion order */
	size_t ring;         /* its size (grows with the table, up to cap) */
	size_t head;         /* the oldest entry's position in the ring */
	uint64_t evicted;
};

uint64_t
ks_hash(uint64_t seed, const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

#define MAP_START 16     /* slots of a new table */

int
ks_map_new(struct ks_map **out, size_t cap, struct ks_err *err)
{
	struct ks_map *m;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->slots = calloc(MAP_START, sizeof(*m->slots))) == NULL ||
	    (m->order = calloc(MAP_START / 2, sizeof(*m->order))) == NULL) {
		ks_map_free(m);
		return ks_err_set(err, "out of memory");
	}
	m->mask = MAP_START - 1;
	m->ring = MAP_START / 2;
	m->cap = cap;
	if (getrandom(&m->seed, sizeof(m->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(m->seed))
		m->seed = (uint64_t)(uintptr_t)m ^ 0x9e3779b97f4a7c15ULL;
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

bool
ks_map_get(const struct ks_map *m, const char *k, size_t n, size_t *value)
{
	size_t i = find(m, ks_hash(m->seed, k, n), k, n);

	if (m->slots[i].key == NULL)
		return false;
	*value = m->slots[i].value;
	return true;
}

/* Removes slot i, shifting later members of its cluster back. */
static void
remove_slot(struct ks_map *m, size_t i)
{
	size_t j = i, home;

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
	i = find(m, o->hash, o->key, o->klen);
	*value = m->slots[i].value;
	remove_slot(m, i);
	m->evicted++;
	return true;
}

/*
 * Doubles the table (rehashing every entry) and the ring (keeping the
 * insertion order, oldest first at 0); false when out of memory.
 */
static bool
grow(struct ks_map *m)
{
	size_t size = (m->mask + 1) * 2, ring = m->ring * 2;
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
	uint64_t h = ks_hash(m->seed, k, n);
	size_t i = find(m, h, k, n), pos;
	char *copy;

	if (m->slots[i].key != NULL) {
		m->slots[i].value = value;
		return 0;
	}
	if (m->count >= m->cap)
		return ks_err_set(err, "map full");
	/* at most half full, and a ring with room for one more */
	if (m->count + 1 > m->ring || (m->count + 1) * 2 > m->mask + 1) {
		if (!grow(m))
			return ks_err_set(err, "out of memory");
		i = find(m, h, k, n);
	}
	if ((copy = malloc(n ? n : 1)) == NULL)
		return ks_err_set(err, "out of memory");
	memcpy(copy, k, n);
	pos = (m->head + m->count) % m->ring;
	m->slots[i] = (struct slot){ h, copy, n, value };
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
