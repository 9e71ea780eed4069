/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /proc/self/mountinfo, one parser for the tracer (backing files of EROFS
 * mounts, the cgroup2 mount) and the audit.
 */
#ifndef __DT_MOUNTINFO_H
#define __DT_MOUNTINFO_H

struct dt_mountinfo {
	unsigned int major, minor;	/* st_dev of the mounted filesystem */
	char *root;			/* root of the mount within the filesystem */
	char *mnt;			/* mount point */
	char *mnt_opts;			/* per-mount options */
	char *fstype;
	char *source;			/* "none" when the filesystem has none */
	char *super_opts;		/* per-superblock options ("" if absent) */
};

/*
 * Split one line in place ("id parent maj:min root mnt opts [tags] - fstype
 * source superopts") and undo the kernel's \ooo escapes in root, mnt and
 * source.  0, or -EINVAL for a malformed line.
 */
int dt_mountinfo_parse(char *line, struct dt_mountinfo *mi);

/*
 * Call fn for every line of /proc/self/mountinfo until it returns non-zero;
 * returns that value, 0 at the end, or -errno if the file cannot be read.
 */
int dt_mountinfo_each(int (*fn)(const struct dt_mountinfo *mi, void *arg), void *arg);

#endif
