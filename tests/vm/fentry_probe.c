// SPDX-License-Identifier: GPL-2.0-only
/*
 * fentry_probe: attach an fentry program to FUNCTION, run CMD, report how
 * often FUNCTION was entered meanwhile.
 *
 *   fentry_probe FUNCTION CMD [ARG...]
 *
 * Exit: 0 attached and fired, 1 attached but never fired, 3 load failed,
 *       4 attach failed, 5 CMD could not run or failed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "fentry_probe.skel.h"

static int run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "fentry_probe: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
	struct fentry_probe_bpf *skel;
	const char *fn;
	int err, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: fentry_probe FUNCTION CMD [ARG...]\n");
		return 5;
	}
	fn = argv[1];
	skel = fentry_probe_bpf__open();
	if (!skel) {
		fprintf(stderr, "fentry_probe: open: %s\n", strerror(errno));
		return 3;
	}
	err = bpf_program__set_attach_target(skel->progs.count_entry, 0, fn);
	if (!err)
		err = fentry_probe_bpf__load(skel);
	if (err) {
		printf("fentry_probe: load fentry/%s: %s\n", fn, strerror(-err));
		fentry_probe_bpf__destroy(skel);
		return 3;
	}
	err = fentry_probe_bpf__attach(skel);
	if (err) {
		printf("fentry_probe: attach fentry/%s: %s\n", fn, strerror(-err));
		fentry_probe_bpf__destroy(skel);
		return 4;
	}
	rc = run(argv + 2);
	printf("fentry_probe: fentry/%s loaded, attached, %llu hit(s)\n", fn,
	       (unsigned long long)skel->bss->hits);
	err = skel->bss->hits ? 0 : 1;
	fentry_probe_bpf__destroy(skel);
	if (rc) {
		fprintf(stderr, "fentry_probe: command exited %d\n", rc);
		return 5;
	}
	return err;
}
