/*
 * unionfind.c
 *		Union-find over int64 labels (see unionfind.h).
 */
#include <string.h>

#include "unionfind.h"

#define UF_INITIAL_CAPACITY 1024

/* splitmix64's finaliser: spreads consecutive labels over the table. */
static uint64_t
uf_hash(int64_t label)
{
	uint64_t	x = (uint64_t) label;

	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

/* A copy of old (n elements of width bytes) in a new array of capacity elements. */
static void *
uf_grow_array(UnionFind *uf, void *old, size_t n, size_t capacity, size_t width)
{
	void	   *array = uf_alloc(uf->context, capacity * width);

	if (array != NULL && n > 0)
		memcpy(array, old, n * width);
	if (array != NULL && old != NULL)
		uf_free(uf->context, old);
	return array;
}

/* A hash table twice the node capacity, filled with the current nodes. */
static UfResult
uf_rehash(UnionFind *uf, uint32_t table_size)
{
	uint32_t   *table = uf_alloc(uf->context, (size_t) table_size * sizeof(uint32_t));

	if (table == NULL)
		return UF_NO_MEMORY;
	memset(table, 0, (size_t) table_size * sizeof(uint32_t));
	for (uint32_t i = 0; i < uf->count; i++)
	{
		uint32_t	h = (uint32_t) uf_hash(uf->label[i]) & (table_size - 1);

		while (table[h] != 0)
			h = (h + 1) & (table_size - 1);
		table[h] = i + 1;
	}
	if (uf->table != NULL)
		uf_free(uf->context, uf->table);
	uf->table = table;
	uf->table_mask = table_size - 1;
	return UF_OK;
}

/* Doubles the node arrays and the hash table. */
static UfResult
uf_expand(UnionFind *uf)
{
	uint32_t	capacity = uf->capacity == 0 ? UF_INITIAL_CAPACITY : uf->capacity * 2;

	if (capacity > MYCC_UF_MAX_NODES)
		capacity = MYCC_UF_MAX_NODES;
	if (capacity <= uf->count)
		return UF_TOO_MANY;
	if ((uf->label = uf_grow_array(uf, uf->label, uf->count, capacity, sizeof(int64_t))) == NULL ||
		(uf->parent = uf_grow_array(uf, uf->parent, uf->count, capacity, sizeof(uint32_t))) == NULL ||
		(uf->size = uf_grow_array(uf, uf->size, uf->count, capacity, sizeof(uint32_t))) == NULL ||
		(uf->smallest = uf_grow_array(uf, uf->smallest, uf->count, capacity, sizeof(int64_t))) == NULL)
		return UF_NO_MEMORY;
	uf->capacity = capacity;
	return uf_rehash(uf, capacity * 2);
}

/* An empty union-find with room for the first nodes, allocating in context. */
UfResult
uf_init(UnionFind *uf, void *context)
{
	memset(uf, 0, sizeof(*uf));
	uf->context = context;
	return uf_expand(uf);
}

/* Frees the arrays. */
void
uf_destroy(UnionFind *uf)
{
	void	   *arrays[] = {uf->label, uf->parent, uf->size, uf->smallest, uf->table};

	for (size_t i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++)
		if (arrays[i] != NULL)
			uf_free(uf->context, arrays[i]);
	memset(uf, 0, sizeof(*uf));
}

/* The slot of a label, adding it as a set of its own when new. */
UfResult
uf_add(UnionFind *uf, int64_t label, uint32_t *slot)
{
	uint32_t	h = (uint32_t) uf_hash(label) & uf->table_mask;
	uint32_t	i;

	while (uf->table[h] != 0)
	{
		if (uf->label[uf->table[h] - 1] == label)
		{
			*slot = uf->table[h] - 1;
			return UF_OK;
		}
		h = (h + 1) & uf->table_mask;
	}
	if (uf->count == uf->capacity)
	{
		UfResult	result = uf_expand(uf);

		if (result != UF_OK)
			return result;
		/* The table was rebuilt: find the new empty place. */
		h = (uint32_t) uf_hash(label) & uf->table_mask;
		while (uf->table[h] != 0)
			h = (h + 1) & uf->table_mask;
	}
	i = uf->count++;
	uf->label[i] = label;
	uf->parent[i] = i;
	uf->size[i] = 1;
	uf->smallest[i] = label;
	uf->table[h] = i + 1;
	*slot = i;
	return UF_OK;
}

/* The root slot of a slot's set. */
static uint32_t
uf_find(UnionFind *uf, uint32_t slot)
{
	/* Path halving: every node on the way points to its grandparent. */
	while (uf->parent[slot] != slot)
	{
		uf->parent[slot] = uf->parent[uf->parent[slot]];
		slot = uf->parent[slot];
	}
	return slot;
}

/* Joins the sets of two labels, the smaller set under the larger. */
UfResult
uf_union(UnionFind *uf, int64_t a, int64_t b)
{
	uint32_t	sa,
				sb;
	UfResult	result;

	if ((result = uf_add(uf, a, &sa)) != UF_OK ||
		(result = uf_add(uf, b, &sb)) != UF_OK)
		return result;
	sa = uf_find(uf, sa);
	sb = uf_find(uf, sb);
	if (sa == sb)
		return UF_OK;
	if (uf->size[sa] < uf->size[sb])
	{
		uint32_t	t = sa;

		sa = sb;
		sb = t;
	}
	uf->parent[sb] = sa;
	uf->size[sa] += uf->size[sb];
	if (uf->smallest[sb] < uf->smallest[sa])
		uf->smallest[sa] = uf->smallest[sb];
	return UF_OK;
}

/* The smallest label of the set holding a slot. */
int64_t
uf_component(UnionFind *uf, uint32_t slot)
{
	return uf->smallest[uf_find(uf, slot)];
}
