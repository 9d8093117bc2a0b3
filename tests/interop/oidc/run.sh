#!/usr/bin/env bash
# Runs the OpenID Connect interop tests: openid-client (a certified relying party library)
# against the hub's OpenID Provider, and the hub as a relying party of oidc-provider.
# Settings: see ../run-node.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/../run-node.sh" oidc oidc.test.js upstream.test.js staff-idp.test.js
