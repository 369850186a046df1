#!/usr/bin/env bash
# npm test's pretest step: installs the Debian packages the tests use when they are missing, and says so.
#   chromium            the HTML report's browser test (headless, offline)
#   prometheus          metrics-stack tests (a real Prometheus on loopback)
#   victoria-metrics    metrics-stack tests (a real VictoriaMetrics on loopback)
#   python3-kubernetes  the Python client's compatibility tests (/usr/bin/python3)
# KUBEPERF_SKIP_TEST_DEPS=1 skips the check (the tests that need a missing package then fail, naming it).
set -euo pipefail
[ "${KUBEPERF_SKIP_TEST_DEPS:-}" = 1 ] && exit 0

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/prometheus ] || missing+=(prometheus)
[ -x /usr/bin/victoria-metrics ] || missing+=(victoria-metrics)
[ -d /usr/lib/python3/dist-packages/kubernetes ] || missing+=(python3-kubernetes)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "test-deps: installing Debian packages the tests need: ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "test-deps: not root and no passwordless sudo; run: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq </dev/null >/dev/null
# Packages only; nothing is started as a service (tests start their own servers on loopback).
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
echo "test-deps: installed ${missing[*]}" >&2
