// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-jget: print values from a JSON report for shell tests (json-c).
 *
 *   dt-jget FILE PATH...
 *
 * PATH is dotted: "summary.double_caching.erofs_pc_bytes", "reads.0.ledger.done";
 * a trailing ".#" prints an array's length.  Strings print bare, null as
 * "null".  Exit 1 naming the first path that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

static json_object *step(json_object *o, const char *key)
{
	json_object *v = NULL;
	char *end;
	long i;

	if (json_object_is_type(o, json_type_array)) {
		i = strtol(key, &end, 10);
		if (*end || i < 0 || (size_t)i >= json_object_array_length(o))
			return NULL;
		return json_object_array_get_idx(o, i);
	}
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v ? v : json_object_new_null();
}

static int print_path(json_object *root, const char *path)
{
	char *p = strdup(path), *tok, *save = NULL;
	json_object *o = root;

	for (tok = strtok_r(p, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save)) {
		if (!strcmp(tok, "#") && json_object_is_type(o, json_type_array)) {
			printf("%zu\n", json_object_array_length(o));
			free(p);
			return 0;
		}
		o = step(o, tok);
	}
	free(p);
	if (!o) {
		fprintf(stderr, "dt-jget: no '%s' in the report\n", path);
		return 1;
	}
	if (json_object_is_type(o, json_type_null))
		printf("null\n");
	else if (json_object_is_type(o, json_type_string))
		printf("%s\n", json_object_get_string(o));
	else
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	return 0;
}

int main(int argc, char **argv)
{
	json_object *root;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: dt-jget FILE PATH...\n");
		return 2;
	}
	root = json_object_from_file(argv[1]);
	if (!root) {
		fprintf(stderr, "dt-jget: %s: not valid JSON\n", argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++)
		if (print_path(root, argv[i]))
			return 1;
	return 0;
}
