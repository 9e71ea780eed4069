/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __DT_COMMANDS_H
#define __DT_COMMANDS_H

#include "diotrace.h"

#define DT_VERSION "0.1.0"

/* each returns the process exit status; argv[0] is the command name */
int cmd_run(int argc, char **argv);	/* user/run.c    (BPF loader) */
int cmd_replay(int argc, char **argv);	/* user/replay.c (engine only) */
int cmd_audit(int argc, char **argv);	/* user/audit.c */
int cmd_help(int argc, char **argv);

#endif
