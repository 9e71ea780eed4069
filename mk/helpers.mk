# SPDX-License-Identifier: GPL-2.0-only
# small programs the test suites share
HELPERS := $(O)/tests/fbmount

$(O)/tests/fbmount: tests/helpers/fbmount.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -o $@ $<

helpers: $(HELPERS)
.PHONY: helpers
