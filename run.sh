#!/bin/sh
# The project's two entry points (see README):
#   sh run.sh app    start the dashboard (demo data are created if the database is empty)
#   sh run.sh test   run every test, including the browser tests in headless Chromium
#   sh run.sh iof …  the command line (import, demo, report, …)
# Needs only Python 3.11+ and the package registries: uv comes from PyPI, the locked
# dependencies from uv.lock, Chromium for the browser tests from Debian's packages.
set -eu
cd "$(dirname "$0")"
export UV_PYTHON_DOWNLOADS=never
# Compile the installed packages to bytecode at install (uv sync): the environment may set
# PYTHONDONTWRITEBYTECODE, and without .pyc files every start compiles ≈ 700 modules again.
# A sync that installs nothing does not recompile (about a second).
export UV_COMPILE_BYTECODE=1

PY=${PYTHON:-python3}
if ! "$PY" -m uv --version >/dev/null 2>&1; then
    echo "Installerar uv från PyPI …" >&2
    "$PY" -m pip install --quiet uv 2>/dev/null || "$PY" -m pip install --quiet --user uv
fi
UV="$PY -m uv"

need_chromium() {
    if [ -x /usr/bin/chromium ]; then return; fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installerar Chromium (Debian) för webbläsartesterna …" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    else
        echo "Chromium saknas: kör 'sudo apt-get install chromium' (webbläsartesterna kräver den)." >&2
    fi
}

# The project's own modules too: uv compiles what it installs, not this checkout, and with
# PYTHONDONTWRITEBYTECODE set every start compiled iof/ again (≈ 0,2 s). compileall writes .pyc
# files itself and skips the up-to-date ones; a stale one is never used (Python checks the source).
install() {
    $UV sync --frozen --quiet
    $UV run --frozen python -m compileall -q -j 0 iof pages app.py >/dev/null || true
}

cmd=${1:-app}
[ $# -gt 0 ] && shift
case "$cmd" in
    app)
        install
        exec $UV run --frozen python -m iof.web.serve "$@"
        ;;
    test)
        install
        need_chromium
        exec $UV run --frozen pytest "$@"
        ;;
    iof)
        install
        exec $UV run --frozen python -m iof "$@"
        ;;
    *)
        echo "Användning: sh run.sh app | test | iof ARGUMENT…" >&2
        exit 2
        ;;
esac
