/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `erofs-diotrace audit`: page-cache footprint of file-backed EROFS mounts.
 * Shared types of user/audit*.c; nothing here needs BPF.
 */
#ifndef __DT_AUDIT_H
#define __DT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

enum au_kind {
	AU_KIND_FILE,		/* file-backed: mount(2) source is the image file */
	AU_KIND_BDEV,		/* block-device-backed: nothing is cached twice */
};

/* on-disk data layout of an inode (i_format bits 1..3) */
enum au_layout {
	AU_LAYOUT_PLAIN = 0,
	AU_LAYOUT_COMPRESSED_FULL = 1,
	AU_LAYOUT_INLINE = 2,
	AU_LAYOUT_COMPRESSED_COMPACT = 3,
	AU_LAYOUT_CHUNKED = 4,
	AU_LAYOUT_UNKNOWN = 15,
};

/* what the mapping showed, per file */
#define AU_L_TAIL	0x01	/* tail stored inline in a metadata block */
#define AU_L_HOLE	0x02	/* unmapped ranges below EOF */
#define AU_L_SHARED	0x04	/* backing blocks mapped more than once (dedup) */
#define AU_L_COMPRESSED	0x08	/* not a 1:1 copy: never counted as double */
#define AU_L_NOMAP	0x10	/* no usable physical offsets: see note */
#define AU_L_NORES	0x20	/* EROFS-side residency unknown */

#define AU_UNKNOWN	UINT64_MAX	/* a number the audit could not measure */

struct au_ext {
	uint64_t logical, physical, len;
	uint32_t flags;		/* FIEMAP_EXTENT_* */
};

struct au_file {
	char *path;		/* relative to the mount root */
	uint64_t size;
	enum au_layout layout;
	unsigned int labels;
	struct au_ext *ext;
	size_t next;
	uint8_t *eres;		/* EROFS-side residency, one byte a page */
	uint64_t erofs_cached, backing_cached, double_cached;
	char *note;		/* why some number is missing, or NULL */
};

struct au_mount {
	char *mnt;		/* mount point */
	char *source;		/* mountinfo source field */
	char *sysfs;		/* FS_IOC_GETFSSYSFSPATH, or NULL */
	dev_t dev;
	enum au_kind kind;
	uint64_t fsoff;		/* fsoffset= mount option */
	uint64_t meta_off;	/* byte offset of the inode area in the image */
	unsigned int blkbits, extra_devs;
	bool whole;		/* audit every file of the mount */
	bool fscache;		/* fscache/ondemand mode: no backing file */
	int bfd;		/* backing file, -1 when unusable */
	int dfd;		/* same file with O_DIRECT, -1 until needed */
	struct au_blk *blk;	/* image blocks read this scan (au_peek) */
	uint64_t peek_dev;	/* O_DIRECT reads of the image this scan */
	double scan_seconds;	/* wall time of the latest scan */
	uint64_t bsize;
	uint8_t *bres;		/* backing residency, one byte a page */
	uint32_t *bown;		/* which file (index + 1) last claimed a backing page */
	struct au_file *files;
	size_t nfiles, cap;
	char **only;		/* audit only these paths (NULL: whole mount) */
	size_t nonly;
	/* totals */
	uint64_t erofs_cached, backing_cached, double_cached;
	uint64_t backing_total, unattributed;
	const char *method;	/* "cachestat" or "mincore" */
	char *untrusted;	/* why the numbers cannot be trusted, or NULL */
};

enum au_method { AU_M_AUTO, AU_M_CACHESTAT, AU_M_MINCORE };

enum au_sort { AU_S_NAME, AU_S_EROFS, AU_S_BACKING, AU_S_DOUBLE, AU_S_SIZE };

enum au_format { AU_F_TABLE, AU_F_JSON, AU_F_PROM };

/* a file replaced all at once (audit_atomic.c) */
struct au_atomic {
	const char *path;	/* the target */
	char *tmp;		/* hidden temporary file beside it */
	FILE *fp;
};

/* --plot: samples on disk, drawn at the end (audit_plot.c) */
struct au_plot {
	const char *path;	/* the SVG */
	char *data;		/* temporary data file */
	FILE *fp;
	size_t nmounts, samples;
	double tmax;
	uint64_t vmax;
};

struct au_opts {
	bool bytes, json, noheadings;
	enum au_format format;
	const char *plot;	/* --plot FILE.svg, or NULL */
	enum au_sort sort;
	long top;		/* <0: all */
	enum au_method method;
	double watch;		/* seconds, 0: once */
	long count;		/* samples with --watch, <=0: forever */
	bool assert_set;
	uint64_t assert_max;
	FILE *out;		/* stdout, or -o FILE */
	const char *out_name;	/* for messages: "stdout" or "-o FILE" */
};

extern long au_page;

/* audit_mounts.c */
int au_mounts_all(struct au_mount **out, size_t *n);
int au_mounts_for_args(char **args, int nargs, struct au_mount **out, size_t *n);
int au_backing_open(struct au_mount *m);
int au_peek(struct au_mount *m, uint64_t off, void *buf, size_t len);
void au_peek_reset(struct au_mount *m);
void au_mount_reset(struct au_mount *m);
void au_mounts_free(struct au_mount *m, size_t n);

/* audit_map.c */
int au_fiemap(int fd, struct au_ext **out, size_t *n);
enum au_layout au_layout_of(struct au_mount *m, uint64_t nid, mode_t mode, uint64_t size);
void au_classify(struct au_file *f, bool compressed);

/* audit_resid.c */
int au_resident(int fd, uint64_t len, enum au_method how, uint8_t *vec,
		const char **used, char **why);
bool au_page_resident(int fd, uint64_t off);

/* audit_scan.c */
int au_scan(struct au_mount *m, enum au_method how);

/* audit_count.c */
void au_count_file(struct au_mount *m, struct au_file *f, uint32_t idx);
void au_count_totals(struct au_mount *m);

/* audit_out.c */
void au_sort_files(struct au_mount *m, enum au_sort key);
void au_print_table(struct au_mount *m, const struct au_opts *o);
void au_print_json(struct au_mount *ms, size_t n, const struct au_opts *o);
void au_print_watch(struct au_mount *ms, size_t n, const struct au_opts *o,
		    double t, bool first);
char *au_human(uint64_t bytes, bool raw, char *buf, size_t len);

/* audit_prom.c */
void au_print_prom(struct au_mount *ms, size_t n, const struct au_opts *o, FILE *fp);

/* audit_atomic.c */
int au_atomic_open(struct au_atomic *a, const char *path);
int au_atomic_commit(struct au_atomic *a);
void au_atomic_abort(struct au_atomic *a);

/* audit_plot.c */
int au_plot_open(struct au_plot *p, const char *path);
int au_plot_add(struct au_plot *p, const struct au_mount *ms, size_t n, double t);
int au_plot_render(struct au_plot *p, const struct au_mount *ms);
void au_plot_close(struct au_plot *p);

/* audit_util.c */
void au_set_note(char **dst, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void au_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
