/*
 * fuzz_identity.c
 *		libFuzzer target for the pure parts of the identity capability:
 *		identity_normalize (src/identity_parse.c) and the union-find
 *		(src/unionfind.c).  No server needed:
 *
 *	clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc fuzz/fuzz_identity.c \
 *		src/identity_parse.c src/unionfind.c src/phone.cpp -lphonenumber -lidn2 \
 *		-o fuzz_identity && ./fuzz_identity -max_total_time=60
 *
 * or, without libFuzzer, a pseudo-random driver:
 *
 *	cc -g -O1 -DFUZZ_STANDALONE -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
 *		fuzz/fuzz_identity.c src/identity_parse.c src/unionfind.c src/phone.cpp -lphonenumber \
 *		-lidn2 -lstdc++ -o fuzz_identity && ./fuzz_identity 300000
 *
 * Checked properties: no crash or sanitizer report; a normalised value is
 * at most 255 bytes and normalises to itself; the union-find agrees with a
 * quadratic relabelling on small graphs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity_parse.h"
#include "unionfind.h"

void *
uf_alloc(void *context, size_t size)
{
	(void) context;
	return malloc(size);
}

void
uf_free(void *context, void *pointer)
{
	(void) context;
	free(pointer);
}

static void
check(int ok, const char *what)
{
	if (!ok)
	{
		fprintf(stderr, "property failed: %s\n", what);
		abort();
	}
}

/* Normalises data as a kind chosen by its first byte; checks idempotence. */
static void
fuzz_normalize(const uint8_t *data, size_t size)
{
	static const char *const regions[] = {"", "CN", "US", "GB", "HK"};
	char		out[MYCC_IDENTITY_MAX_VALUE + 1];
	char		again[MYCC_IDENTITY_MAX_VALUE + 1];
	IdentityKind kind;
	const char *region;

	if (size < 2)
		return;
	kind = (IdentityKind) (data[0] % IDENTITY_NKINDS);
	region = regions[data[1] % 5];
	/* The server never passes NUL bytes inside text. */
	if (memchr(data + 2, 0, size - 2) != NULL)
		return;
	if (identity_normalize(kind, (const char *) data + 2, size - 2, region, out) != IDENTITY_OK)
		return;
	check(strlen(out) <= MYCC_IDENTITY_MAX_VALUE, "normalised value fits");
	check(identity_normalize(kind, out, strlen(out), region, again) == IDENTITY_OK, "normal form is valid");
	check(strcmp(out, again) == 0, "normalising is idempotent");
	/* A normalised phone number means the same whatever the default country. */
	if (kind == IDENTITY_PHONE)
	{
		check(identity_normalize(kind, out, strlen(out), "", again) == IDENTITY_OK &&
			  strcmp(out, again) == 0, "E.164 needs no default country");
	}
}

/* Union-find on pairs of bytes against naive relabelling. */
static void
fuzz_unionfind(const uint8_t *data, size_t size)
{
	UnionFind	uf;
	int64_t		label[256];
	int			seen[256] = {0};

	if (uf_init(&uf, NULL) != UF_OK)
		abort();
	for (int i = 0; i < 256; i++)
		label[i] = i;
	for (size_t i = 0; i + 1 < size; i += 2)
	{
		int			a = data[i],
					b = data[i + 1];
		int64_t		la = label[a],
					lb = label[b],
					low = la < lb ? la : lb;

		check(uf_union(&uf, (int64_t) a - 128, (int64_t) b - 128) == UF_OK, "union");
		seen[a] = seen[b] = 1;
		for (int k = 0; k < 256; k++)
			if (label[k] == la || label[k] == lb)
				label[k] = low;
	}
	for (uint32_t s = 0; s < uf.count; s++)
	{
		int			node = (int) (uf.label[s] + 128);

		check(seen[node], "only seen nodes");
		check(uf_component(&uf, s) == label[node] - 128, "component is the smallest node");
	}
	uf_destroy(&uf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_normalize(data, size);
	fuzz_unionfind(data, size);
	return 0;
}

#ifdef FUZZ_STANDALONE
/* Pseudo-random inputs biased towards phone-like and e-mail-like text. */
int
main(int argc, char **argv)
{
	static const char alphabet[] = "0123456789+- ()./@aAzZ_\t\x01\xe4\xb8\xad";
	long		iterations = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t	state = 42;
	uint8_t		buf[1100];

	for (long it = 0; it < iterations; it++)
	{
		size_t		size;

		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		size = (size_t) (state >> 33) % (it % 100 == 0 ? sizeof(buf) : 40);
		for (size_t i = 0; i < size; i++)
		{
			state = state * 6364136223846793005ULL + 1442695040888963407ULL;
			buf[i] = i < 2 ? (uint8_t) (state >> 40) :
				(uint8_t) alphabet[(state >> 33) % (sizeof(alphabet) - 1)];
		}
		LLVMFuzzerTestOneInput(buf, size);
	}
	printf("%ld inputs, no failure\n", iterations);
	return 0;
}
#endif
