// SPDX-License-Identifier: GPL-2.0-only
/*
 * jsonq FILE PATH: print the value at PATH (keys and array indexes joined by
 * '.', e.g. reads.0.checks.offset.status) of a JSON file; strings bare.
 * Exit 1 if the path does not exist, 2 if the file is not JSON.
 */
#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct json_object *o, *cur;
	char *path, *tok, *save;

	if (argc != 3) {
		fprintf(stderr, "usage: jsonq FILE PATH\n");
		return 2;
	}
	o = json_object_from_file(argv[1]);
	if (!o) {
		fprintf(stderr, "jsonq: %s is not JSON: %s\n", argv[1], json_util_get_last_err());
		return 2;
	}
	cur = o;
	path = strdup(argv[2]);
	for (tok = strtok_r(path, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
		if (!cur)
			break;	/* below a null */
		if (json_object_is_type(cur, json_type_array) && isdigit((unsigned char)*tok)) {
			if ((size_t)atoi(tok) >= json_object_array_length(cur))
				break;
			cur = json_object_array_get_idx(cur, atoi(tok));
		} else if (!json_object_object_get_ex(cur, tok, &cur)) {
			break;
		}
	}
	if (tok) {
		fprintf(stderr, "jsonq: no %s in %s\n", argv[2], argv[1]);
		return 1;
	}
	if (!cur) {
		printf("null\n");
		return 0;
	}
	if (json_object_is_type(cur, json_type_string))
		printf("%s\n", json_object_get_string(cur));
	else
		printf("%s\n", json_object_to_json_string_ext(cur, JSON_C_TO_STRING_PLAIN));
	return 0;
}
