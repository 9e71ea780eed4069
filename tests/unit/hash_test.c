// SPDX-License-Identifier: GPL-2.0-only
/* The engine's hash table against a plain array model: put, replace, delete. */
#include <errno.h>
#include "unit.h"
#include "hash.h"

#define N	5000

static void matches_model(void **state)
{
	static uint32_t model[N];	/* 0 absent, else aux + 1 */
	struct dt_hash h = { 0 };
	uint64_t rnd = 88172645463325252ull;
	unsigned int i, round, n = 0;

	for (round = 0; round < 20 * N; round++) {
		unsigned int k, op;
		struct dt_hent *x;

		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		k = rnd % N;
		op = (rnd >> 32) % 3;
		if (op < 2) {
			n += !model[k];
			model[k] = round + 1;
			/* keys collide in a: only (a, b) together name an entry */
			assert_int_equal(dt_hash_put(&h, k & 7, k, &model[k], round), 0);
		} else {
			assert_int_equal(dt_hash_del(&h, k & 7, k), !!model[k]);
			n -= !!model[k];
			model[k] = 0;
		}
		if (round % 997)
			continue;
		assert_int_equal(h.n, n);
		for (i = 0; i < N; i++) {
			x = dt_hash_get(&h, i & 7, i);
			if (!model[i]) {
				assert_null(x);
				continue;
			}
			assert_non_null(x);
			assert_ptr_equal(x->p, &model[i]);
			assert_int_equal(x->aux + 1, model[i]);
		}
	}
	assert_null(dt_hash_get(&h, 1, N + 1));
	dt_hash_free(&h);
	assert_null(dt_hash_get(&h, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_model),
	};

	return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
