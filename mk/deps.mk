# SPDX-License-Identifier: GPL-2.0-only
deps:
	@scripts/install-deps.sh
.PHONY: deps
