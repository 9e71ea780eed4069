// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-gen [-f FAIL_EVERY] [-s SEED] NREQ NFILES: the synthetic stream of
 * gen.h as a recorded text stream (tests/data/README.md) on stdout, the
 * form `erofs-diotrace replay -` reads.  It formats by hand (no printf per
 * field) so that it outruns the replay it feeds through a pipe.  The counts
 * go to stderr at the end: "bench-gen: requests=N events=E fails=K".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gen.h"
#include "opts.h"

#define OUT_CAP		(1 << 20)

static char out[OUT_CAP + 1024];
static size_t used;

static void flush(void)
{
	size_t off = 0;
	ssize_t n;

	while (off < used) {
		n = write(STDOUT_FILENO, out + off, used - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "bench-gen: cannot write the stream to stdout: %s\n",
				n < 0 ? strerror(errno) : "short write");
			exit(2);
		}
		off += n;
	}
	used = 0;
}

static void s(const char *str)
{
	size_t n = strlen(str);

	memcpy(out + used, str, n);
	used += n;
}

static void u(uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do
		tmp[--i] = '0' + v % 10;
	while (v /= 10);
	memcpy(out + used, tmp + i, sizeof(tmp) - i);
	used += sizeof(tmp) - i;
}

static void x(uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[16];
	int i = sizeof(tmp);

	do
		tmp[--i] = hex[v & 15];
	while (v >>= 4);
	s("0x");
	memcpy(out + used, tmp + i, sizeof(tmp) - i);
	used += sizeof(tmp) - i;
}

/* " key=" then the value; zero values are left out, as the recorder does */
static void ku(const char *key, uint64_t v)
{
	if (!v)
		return;
	s(key);
	if (v == UINT64_MAX)
		s("?");
	else
		u(v);
}

static void ks(const char *key, int64_t v)
{
	if (!v)
		return;
	s(key);
	if (v == -5)
		s("-EIO");
	else if (v == -529)
		s("-EIOCBQUEUED");
	else if (v < 0)
		s("-"), u(-(uint64_t)v);
	else
		u(v);
}

static void common(const struct dt_event *ev)
{
	static const char *const names[DT_EV_MAX] = {
		[DT_EV_REQ_START] = "req_start", [DT_EV_REQ_END] = "req_end",
		[DT_EV_DIO_START] = "dio_start", [DT_EV_DIO_END] = "dio_end",
		[DT_EV_EXTENT] = "extent", [DT_EV_BACKING_SUBMIT] = "bk_submit",
		[DT_EV_BACKING_RET] = "bk_ret", [DT_EV_BACKING_DONE] = "bk_done",
		[DT_EV_PC_ADD] = "pc_add",
	};

	s(names[ev->type]);
	s(" ts="), u(ev->ts_ns);
	ku(" cpu=", ev->cpu);
	s(" pid="), u(ev->pid);
	s(" tid="), u(ev->tid);
	s(" comm="), s(ev->comm);
	s(" dev="), u(dt_dev_major(ev->dev)), s(":"), u(dt_dev_minor(ev->dev));
	s(" ino="), u(ev->ino);
	if (ev->cookie)
		s(" cookie="), x(ev->cookie);
	s(ev->source == DT_SRC_FENTRY ? " src=fentry" : " src=tp");
	ku(" drops=", ev->drops);
}

static void line(const struct dt_event *ev)
{
	common(ev);
	switch (ev->type) {
	case DT_EV_REQ_START:
	case DT_EV_REQ_END:
		ks(" pos=", ev->req.pos), ku(" len=", ev->req.len), ku(" isize=", ev->req.isize);
		ks(" ret=", ev->req.ret);
		if (ev->req.flags & DT_IOCB_DIRECT)
			s(" flags=DIRECT");
		s(" fd=?");
		break;
	case DT_EV_DIO_START:
	case DT_EV_DIO_END:
		ks(" pos=", ev->dio.pos), ku(" count=", ev->dio.count);
		ku(" total=", ev->dio.total), ku(" done=", ev->dio.done);
		ks(" ret=", ev->dio.ret), ku(" isize=", ev->dio.isize);
		break;
	case DT_EV_EXTENT:
		ku(" m_la=", ev->ext.m_la), ku(" m_pa=", ev->ext.m_pa);
		ku(" m_llen=", ev->ext.m_llen), ku(" m_plen=", ev->ext.m_plen);
		s(" m_flags=MAPPED");
		break;
	case DT_EV_BACKING_SUBMIT:
	case DT_EV_BACKING_RET:
	case DT_EV_BACKING_DONE:
		s(" rq="), x(ev->bk.rq);
		ks(" pos=", ev->bk.pos), ku(" len=", ev->bk.len), ks(" ret=", ev->bk.ret);
		if (ev->bk.flags & DT_IOCB_DIRECT)
			s(" flags=DIRECT");
		break;
	case DT_EV_PC_ADD:
		ku(" index=", ev->pc.index), ku(" nr=", ev->pc.nr_pages);
		ku(" erofs=", ev->pc.is_erofs);
		break;
	}
	s("\n");
	if (used >= OUT_CAP)
		flush();
}

int main(int argc, char **argv)
{
	static const char *const roles[] = {
		"req fentry erofs_file_read_iter", "dio fentry erofs_fileio_direct_io",
		"extent tp erofs/erofs_map_blocks_exit", "backing_submit fentry+fexit vfs_iocb_iter_read",
		"backing_done fentry erofs_fileio_ki_complete",
		"pc_add tp_btf mm_filemap_add_to_page_cache",
		"pc_del tp_btf mm_filemap_delete_from_page_cache", "open tp_btf sys_enter/sys_exit openat",
	};
	struct bench_opts o;
	struct dt_event ev;
	struct bgen g;
	size_t i;

	if (bench_opts_parse(&o, argc, argv, "bench-gen"))
		return 2;
	bgen_init(&g, o.nreq, o.nfiles, o.fail_every, o.seed);
	s("# bench-gen: synthetic stream (tests/bench/gen.h)\n");
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		s("!bound "), s(roles[i]), s("\n");
	while (bgen_next(&g, &ev))
		line(&ev);
	flush();
	fprintf(stderr, "bench-gen: requests=%llu events=%llu fails=%llu\n",
		(unsigned long long)g.reqs, (unsigned long long)g.events,
		(unsigned long long)g.fails);
	return 0;
}
