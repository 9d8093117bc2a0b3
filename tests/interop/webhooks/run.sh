#!/usr/bin/env bash
# Runs the webhook interop test: the Standard Webhooks reference library verifies the hub's
# deliveries to a vendor. Settings: see ../run-node.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/../run-node.sh" webhooks webhooks.test.js
