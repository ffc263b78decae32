#!/usr/bin/env bash
# Checks the deployment files without a container engine or a cluster (called by .ci/run):
# - Prometheus: `promtool check rules`, `promtool test rules` (alert unit tests),
#   `promtool check config` (on a copy with a dummy scrape token);
# - docker-compose.yml (+ the GPU overlay): `docker-compose config` (Debian's docker-compose,
#   which parses and interpolates without an engine);
# - the Helm chart: yamllint on the chart's plain YAML, and helm/trinetra/render_test.py (Python 3 with PyYAML, which yamllint brings), which
#   renders every template with the default values and parses the result (Helm itself is not
#   installable here);
# - yamllint on every YAML file above.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "deploy/check.sh: $1 is missing (Debian package: $2)" >&2; exit 1; }; }
need promtool prometheus
need yamllint yamllint
need docker-compose docker-compose

step "promtool check rules / test rules"
promtool check rules deploy/prometheus/rules.yml
promtool test rules deploy/prometheus/rules.test.yml

step "promtool check config"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp deploy/prometheus/prometheus.yml deploy/prometheus/rules.yml "$tmp/"
printf 'dummy-token-for-config-check' >"$tmp/metrics-token"
promtool check config "$tmp/prometheus.yml"

step "docker-compose config"
# Required secrets get placeholder values: config only interpolates and validates.
export JWT_SECRET=placeholder-secret-for-compose-config-check METRICS_TOKEN=placeholder-metrics-token IDENTITY_MASTER_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
docker-compose -f docker-compose.yml config -q
docker-compose -f docker-compose.yml -f deploy/compose.gpu.yml config -q
echo "docker-compose.yml and deploy/compose.gpu.yml are valid"

step "yamllint"
yamllint -c .yamllint.yml docker-compose.yml deploy/ helm/trinetra/Chart.yaml helm/trinetra/values.yaml

step "helm chart render test"
python3 helm/trinetra/render_test.py
