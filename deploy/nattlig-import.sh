#!/bin/sh
# Nattlig import av alla extrakt i en inkorg (anropas av iof-import.service, eller för hand):
#   sh deploy/nattlig-import.sh /srv/iof/inkorg
# Alla filer i inkorgen importeras som EN import (allt eller inget). Lyckas den flyttas filerna
# till inkorg/arkiv/ÅÅÅÅ-MM-DD/; misslyckas den ligger de kvar, rapporten står i
# inkorg/senaste-rapport.txt och skriptet avslutas med felkod (tjänsten markeras misslyckad).
# Appen behöver inte stoppas: importen väntar in pågående läsningar och skriver i ett kort
# exklusivt fönster (se docs/drift.md).
set -eu
inbox=${1:?ange inkorgen}
cd "$(dirname "$0")/.."
iof=${IOF_BIN:-.venv/bin/python -m iof}
set --
for f in "$inbox"/*.csv "$inbox"/*.xlsx "$inbox"/*.CSV "$inbox"/*.XLSX; do
    [ -f "$f" ] && set -- "$@" "$f"
done
if [ $# -eq 0 ]; then
    echo "Inga nya filer i $inbox."
    exit 0
fi
report="$inbox/senaste-rapport.txt"
if $iof import "$@" >"$report" 2>&1; then
    day=$(date +%Y-%m-%d)
    mkdir -p "$inbox/arkiv/$day"
    mv -- "$@" "$inbox/arkiv/$day/"
    cat "$report"
else
    status=$?
    cat "$report" >&2
    exit "$status"
fi
