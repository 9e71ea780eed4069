// SPDX-License-Identifier: GPL-2.0-only
/* erofs-diotrace: subcommand dispatch, in bpftool's manner. */
#include <stdio.h>
#include <string.h>
#include "commands.h"

static const struct dt_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "run",    cmd_run,    "trace CMD and check every EROFS read it makes" },
	{ "replay", cmd_replay, "analyse a recorded event stream" },
	{ "audit",  cmd_audit,  "page-cache footprint of file-backed EROFS mounts" },
	{ "help",   cmd_help,   "this text" },
};

int cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("Usage: erofs-diotrace COMMAND [OPTIONS]\n\nCommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		printf("  %-8s %s\n", cmds[i].name, cmds[i].help);
	printf("\nOptions:\n  -h, --help     this text\n  -V, --version  print the version\n");
	printf("\n'erofs-diotrace COMMAND --help' describes a command; man erofs-diotrace(8).\n");
	printf("\nEXAMPLES:\n"
	       "    erofs-diotrace run -- cat /mnt/app/data   # check every read of cat\n"
	       "    erofs-diotrace replay t.rec              # analyse a recorded trace\n"
	       "    erofs-diotrace audit                     # page-cache footprint, all mounts\n");
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return cmd_help(0, NULL), 2;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("erofs-diotrace %s (event format v%d)\n", DT_VERSION, DT_EVENT_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "erofs-diotrace: unknown command '%s'; run 'erofs-diotrace help'\n", argv[1]);
	return 2;
}
