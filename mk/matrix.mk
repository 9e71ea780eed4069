# SPDX-License-Identifier: GPL-2.0-only
# `make matrix`: scenarios x flavours, any patch series judged in one command.
#
#   make matrix [PATCHES=DIR-or-mbox] [FLAVOURS="unpatched rfc fixed"]
#   make test-matrix      the suite: known flavours match their expectations,
#                         reports validate, injected defects are caught
MATRIX_SRCS	:= $(addprefix user/matrix/,mx_main.c mx_load.c mx_judge.c mx_out.c mx_table.c \
		     mx_json.c mx_junit.c mx_tap.c)
MATRIX_OBJS	:= $(MATRIX_SRCS:%.c=$(O)/%.o)
MATRIX_CFLAGS	:= $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
MATRIX_LIBS	:= -lyajl $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
FLAVOURS	?= unpatched rfc fixed
PATCHES		?=

$(MATRIX_OBJS): $(O)/user/matrix/%.o: user/matrix/%.c user/matrix/mx.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MATRIX_CFLAGS) -c -o $@ $<

$(O)/dt-matrix: $(MATRIX_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(MATRIX_LIBS)

$(O)/tests/matrix/mxread: tests/matrix/mxread.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lpthread

matrix-tools: all helpers $(O)/dt-matrix $(O)/tests/matrix/mxread

matrix: matrix-tools
	@tests/matrix/matrix.sh $(if $(PATCHES),--patches '$(PATCHES)') --flavours '$(FLAVOURS)'

test-matrix: matrix-tools
	tests/matrix/suite.sh

TEST_SUITES	+= test-matrix
.PHONY: matrix matrix-tools test-matrix
