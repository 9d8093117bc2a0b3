#!/usr/bin/env bash
# Runs the browser tests: Debian's Chromium, driven by playwright-core, checked by axe-core.
# Settings: see ../run-node.sh; CHROMIUM (default /usr/bin/chromium).
exec "$(dirname "${BASH_SOURCE[0]}")/../run-node.sh" browser pages.test.js
