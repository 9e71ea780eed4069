# SPDX-License-Identifier: GPL-2.0-only
# make install [PREFIX=/usr/local] [DESTDIR=]: the tool, its man pages, bash
# completion, and the systemd units of contrib/ as examples (not enabled).
# make uninstall removes the same files.  make test-install checks both in a
# scratch DESTDIR.
PREFIX		?= /usr/local
SBINDIR		?= $(PREFIX)/sbin
MANDIR		?= $(PREFIX)/share/man
BASHCOMPDIR	?= $(PREFIX)/share/bash-completion/completions
DOCDIR		?= $(PREFIX)/share/doc/erofs-diotrace
MAN_PAGES	:= $(wildcard man/*.8)
UNIT_EXAMPLES	:= erofs-diotrace-metrics.service erofs-diotrace-metrics.timer

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(O)/erofs-diotrace $(DESTDIR)$(SBINDIR)/erofs-diotrace
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 contrib/bash-completion/erofs-diotrace $(DESTDIR)$(BASHCOMPDIR)/erofs-diotrace
	sed 's|@SBINDIR@|$(SBINDIR)|g' contrib/systemd/erofs-diotrace-metrics.service.in \
		> $(DESTDIR)$(DOCDIR)/examples/erofs-diotrace-metrics.service
	chmod 0644 $(DESTDIR)$(DOCDIR)/examples/erofs-diotrace-metrics.service
	install -m 0644 contrib/systemd/erofs-diotrace-metrics.timer $(DESTDIR)$(DOCDIR)/examples/

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/erofs-diotrace $(DESTDIR)$(BASHCOMPDIR)/erofs-diotrace \
		$(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN_PAGES))) \
		$(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(UNIT_EXAMPLES))
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

test-install: all
	@bash tests/audit/install.sh

TEST_SUITES += test-install
.PHONY: install uninstall test-install
