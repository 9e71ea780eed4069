# SPDX-License-Identifier: GPL-2.0-only
# user/common/: what every stage shares (numbers in and out, errno names,
# mountinfo, output files).  escape.c is linked with the engine (engine.mk).
COMMON_SRCS := $(addprefix user/common/,mountinfo.c num.c errname.c outfile.c)
TOOL_SRCS += $(COMMON_SRCS)
