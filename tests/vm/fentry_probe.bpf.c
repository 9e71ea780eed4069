// SPDX-License-Identifier: GPL-2.0-only
/*
 * Smallest fentry program: count entries into one kernel function.  The
 * loader (fentry_probe.c) picks the function at run time.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u64 hits;

SEC("fentry/erofs_fileio_readahead")
int count_entry(__u64 *ctx)
{
	__sync_fetch_and_add(&hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
