/*
 * unionfind.h
 *		Union-find (disjoint sets) over int64 node labels: path halving and
 *		union by size, a node table that grows by doubling, and an open
 *		addressing hash from label to slot.  Memory is proportional to the
 *		distinct nodes (about 32 bytes each), not to the edges.  No backend
 *		dependency: the program provides uf_alloc/uf_free (palloc in the
 *		server, malloc in a fuzzer), which receive the context the union-find
 *		was created with; there is no global state, so union-finds of nested
 *		or failed calls never share anything.
 */
#ifndef MYCC_UNIONFIND_H
#define MYCC_UNIONFIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most distinct nodes: keeps every size within uint32 and the memory bounded. */
#define MYCC_UF_MAX_NODES ((uint32_t) 1 << 28)

/*
 * Provided by the program, called with the context given to uf_init:
 * uf_alloc returns NULL (or does not return) when out of memory.
 */
extern void *uf_alloc(void *context, size_t size);
extern void uf_free(void *context, void *pointer);

typedef enum UfResult
{
	UF_OK = 0,
	UF_TOO_MANY,				/* over MYCC_UF_MAX_NODES distinct nodes */
	UF_NO_MEMORY
} UfResult;

typedef struct UnionFind
{
	void	   *context;		/* the allocator's context (uf_init's) */
	uint32_t	count;			/* distinct nodes so far */
	uint32_t	capacity;		/* room in the node arrays */
	int64_t    *label;			/* node label, by slot (in first-seen order) */
	uint32_t   *parent;			/* parent slot; a root is its own parent */
	uint32_t   *size;			/* set size, meaningful at roots */
	int64_t    *smallest;		/* smallest label of the set, at roots */
	uint32_t   *table;			/* hash: slot + 1, 0 when empty */
	uint32_t	table_mask;		/* table size - 1 (a power of two) */
} UnionFind;

/* An empty union-find allocating through uf_alloc(context, ...). */
extern UfResult uf_init(UnionFind *uf, void *context);
extern void uf_destroy(UnionFind *uf);

/* The slot of a label, adding it as a set of its own when new. */
extern UfResult uf_add(UnionFind *uf, int64_t label, uint32_t *slot);

/* Joins the sets of two labels (adding them when new). */
extern UfResult uf_union(UnionFind *uf, int64_t a, int64_t b);


/* The smallest label of the set holding a slot. */
extern int64_t uf_component(UnionFind *uf, uint32_t slot);

#endif							/* MYCC_UNIONFIND_H */
