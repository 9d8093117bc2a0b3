#!/usr/bin/env bash
# Checks infra/ offline: both Compose files (docker-compose config), the Kubernetes manifests
# (kubectl kustomize, then a strict schema check with kubernetes-validate) and the nginx
# routes (nginx -t, with loopback upstreams in place of Compose's service names).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for file in compose.yaml compose.all-in-one.yaml; do
  TILGANG_AUTH_TOKEN_SECRET=check docker-compose -f "$here/$file" config -q
  echo "infra/$file: valid"
done

kubectl kustomize "$here/k8s" > "$work/k8s.yaml" 2> >(grep -v "commonLabels' is deprecated" >&2)
kubernetes-validate --strict --quiet "$work/k8s.yaml"
echo "infra/k8s: $(grep -c '^kind:' "$work/k8s.yaml") resources, valid"

cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log stderr;
events {}
http {
  access_log off;
  $(for s in registry subscriptions usage sso portal; do echo "upstream $s { server 127.0.0.1:9; }"; done)
  server { listen 127.0.0.1:9; include $here/nginx/routes.conf; }
}
CONF
nginx -t -q -p "$work" -c "$work/nginx.conf"
echo "infra/nginx/routes.conf: valid"
