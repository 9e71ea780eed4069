// SPDX-License-Identifier: GPL-2.0-only
/* The errno name table; see errname.h. */
#include <errno.h>
#include <string.h>
#include "errname.h"

/* kernel-internal, include/linux/errno.h: never seen by user space as errno */
#define K_ENOTSUPP	524
#define K_EIOCBQUEUED	529

const char *dt_err_name(long err)
{
	if (err < 0)
		err = err < -4095 ? 0 : -err;
	switch (err) {
#define E(x)	case x: return #x
	E(EPERM); E(ENOENT); E(ESRCH); E(EINTR); E(EIO); E(ENXIO); E(E2BIG);
	E(ENOEXEC); E(EBADF); E(EAGAIN); E(ENOMEM); E(EACCES); E(EFAULT);
	E(EBUSY); E(EEXIST); E(ENODEV); E(ENOTDIR); E(EISDIR); E(EINVAL);
	E(EMFILE); E(EFBIG); E(ENOSPC); E(ESPIPE); E(EROFS); E(EPIPE);
	E(ERANGE); E(ENAMETOOLONG); E(ENOSYS); E(EOPNOTSUPP); E(EOVERFLOW);
	E(ETIMEDOUT); E(ECANCELED); E(EMEDIUMTYPE); E(ENODATA); E(EBADMSG);
#undef E
	case EUCLEAN:		return "EFSCORRUPTED";
	case K_ENOTSUPP:	return "ENOTSUPP";
	case K_EIOCBQUEUED:	return "EIOCBQUEUED";
	}
	return NULL;
}

const char *dt_err_str(long err)
{
	const char *n = dt_err_name(err);

	if (n)
		return n;
	if (err < 0)
		err = err < -4095 ? 4096 : -err;
	return strerror(err > 4095 ? 4096 : (int)err);
}
