#!/usr/bin/env bash
# Runs the browser tests: Debian's Chromium, driven by playwright-core, checked by axe-core.
# The e-ID set-up test borrows the OpenID Connect suite's upstream provider (oidc-provider),
# so that suite's locked packages are installed too.
# Settings: see ../run-node.sh; CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -d "$here/../oidc/node_modules" ]; then
  (cd "$here/../oidc" && npm ci --no-audit --no-fund)
fi
exec "$here/../run-node.sh" browser pages.test.js
