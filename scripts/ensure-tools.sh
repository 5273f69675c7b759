#!/bin/sh
# Real components the tests start themselves (issues 12 and 13): promtool and Prometheus (Debian's
# `prometheus`) and the Pushgateway (`prometheus-pushgateway`). Installed only when root with
# apt-get; otherwise nothing happens and those tests skip, saying which binary is missing
# (tests/tools.py). Idempotent: a package whose binary is already there is not touched, so with
# promtool and the Pushgateway present this does nothing, without asking apt.
set -eu
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
