// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: open a file-backed mount's image and prove it is the one the kernel
 * mounted (superblock magic and UUID against FS_IOC_GETFSUUID), not a file
 * that took its path after the mount.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include "audit.h"
#include "diotrace.h"

#ifndef FS_IOC_GETFSUUID
struct fsuuid2 {
	uint8_t len;
	uint8_t uuid[16];
};
#define FS_IOC_GETFSUUID _IOR(0x15, 0, struct fsuuid2)
#endif
#ifndef FS_IOC_GETFSSYSFSPATH
struct fs_sysfs_path {
	uint8_t len;
	uint8_t name[128];
};
#define FS_IOC_GETFSSYSFSPATH _IOR(0x15, 1, struct fs_sysfs_path)
#endif

#define EROFS_SB_OFF	1024

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* what else the kernel says about the mount: its sysfs name and UUID */
static int mount_uuid(struct au_mount *m, uint8_t uuid[16])
{
	struct fs_sysfs_path sp;
	struct fsuuid2 u;
	int fd, ret = -1;

	fd = open(m->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!m->sysfs && !ioctl(fd, FS_IOC_GETFSSYSFSPATH, &sp))
		m->sysfs = strndup((char *)sp.name, sp.len);
	if (!ioctl(fd, FS_IOC_GETFSUUID, &u) && u.len == 16) {
		memcpy(uuid, u.uuid, 16);
		ret = 0;
	}
	close(fd);
	return ret;
}

static int check_super(struct au_mount *m)
{
	uint8_t sb[128], uuid[16];

	if (au_peek(m, m->fsoff + EROFS_SB_OFF, sb, sizeof(sb)) ||
	    le32(sb) != DT_EROFS_MAGIC) {
		au_set_note(&m->untrusted, "%s holds no EROFS superblock now: replaced since it was mounted on %s?",
			    m->source, m->mnt);
		return -1;
	}
	m->blkbits = sb[12];
	m->meta_off = m->fsoff + ((uint64_t)le32(sb + 40) << m->blkbits);
	m->extra_devs = sb[86] | sb[87] << 8;
	if (mount_uuid(m, uuid))
		return 0;	/* kernel too old to tell: magic is all we have */
	if (memcmp(uuid, sb + 48, 16)) {
		au_set_note(&m->untrusted, "%s is not the image mounted on %s (UUID differs): moved or replaced after mount",
			    m->source, m->mnt);
		return -1;
	}
	return 0;
}

static int open_image(struct au_mount *m)
{
	struct stat st;

	if (m->source[0] != '/') {
		au_set_note(&m->untrusted, "%s was mounted from the relative path '%s': cannot tell which image that was",
			    m->mnt, m->source);
		return -1;
	}
	m->bfd = open(m->source, O_RDONLY | O_CLOEXEC | O_NOATIME);
	if (m->bfd < 0 && errno == EPERM)
		m->bfd = open(m->source, O_RDONLY | O_CLOEXEC);
	if (m->bfd < 0) {
		au_set_note(&m->untrusted, "cannot open backing file %s of %s: %s%s", m->source, m->mnt,
			    strerror(errno), errno == EACCES ? " (run as root or as a user who can read the image)" :
			    errno == ENOENT ? " (moved or deleted after mount)" : "");
		return -1;
	}
	if (fstat(m->bfd, &st) || !S_ISREG(st.st_mode)) {
		au_set_note(&m->untrusted, "backing source %s of %s is not a regular file", m->source, m->mnt);
		return -1;
	}
	m->bsize = st.st_size;
	return 0;
}

/* 0: m->bfd is the verified image; -1: m->untrusted says why not */
int au_backing_open(struct au_mount *m)
{
	uint8_t uuid[16];

	if (m->bfd >= 0)
		close(m->bfd);
	m->bfd = -1;
	au_peek_reset(m);
	if (m->kind == AU_KIND_BDEV) {
		mount_uuid(m, uuid);
		return -1;
	}
	if (m->fscache) {
		au_set_note(&m->untrusted, "%s is an fscache-backed EROFS mount: no backing file to audit", m->mnt);
		return -1;
	}
	if (open_image(m) || check_super(m)) {
		if (m->bfd >= 0)
			close(m->bfd);
		m->bfd = -1;
		return -1;
	}
	return 0;
}
