// SPDX-License-Identifier: GPL-2.0-only
/* user/common/escape.c: nothing raw reaches a terminal, JSON stays UTF-8 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "escape.h"

static void text_escapes_control_bytes(void **state)
{
	char out[64];

	assert_string_equal(dt_esc_text(out, sizeof(out), "a\x1b[2Jb", 16), "a\\x1b[2Jb");
	assert_string_equal(dt_esc_text(out, sizeof(out), "tab\there\n", 16), "tab\\x09here\\x0a");
	assert_string_equal(dt_esc_text(out, sizeof(out), "back\\slash", 16), "back\\\\slash");
	assert_string_equal(dt_esc_text(out, sizeof(out), "\x7f\xff", 16), "\\x7f\\xff");
	/* valid UTF-8 is kept; a stray continuation byte is not */
	assert_string_equal(dt_esc_text(out, sizeof(out), "caf\xc3\xa9\x80", 16), "caf\xc3\xa9\\x80");
}

static void text_stops_at_n_and_size(void **state)
{
	char out[8];
	const char comm[4] = { 'a', 'b', 'c', 'd' };	/* no NUL within n */

	assert_string_equal(dt_esc_text(out, sizeof(out), comm, sizeof(comm)), "abcd");
	assert_string_equal(dt_esc_text(out, sizeof(out), "\x01\x02\x03", 3), "\\x01");
	assert_string_equal(dt_esc_text(out, 1, "abc", 3), "");
}

static void utf8_replaces_bad_bytes(void **state)
{
	char out[64];

	assert_string_equal(dt_esc_utf8(out, sizeof(out), "ok", 16), "ok");
	assert_string_equal(dt_esc_utf8(out, sizeof(out), "a\xff" "b", 16), "a\xef\xbf\xbd" "b");
	/* overlong '/', a surrogate, and a sequence cut by the end */
	assert_string_equal(dt_esc_utf8(out, sizeof(out), "\xc0\xaf", 16), "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(dt_esc_utf8(out, sizeof(out), "\xed\xa0\x80", 16),
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(dt_esc_utf8(out, sizeof(out), "x\xe2\x82", 3), "x\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(dt_esc_utf8(out, sizeof(out), "\xe2\x82\xac", 16), "\xe2\x82\xac");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_escapes_control_bytes),
		cmocka_unit_test(text_stops_at_n_and_size),
		cmocka_unit_test(utf8_replaces_bad_bytes),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
