#!/usr/bin/env bash
# Builds the Teams app package (the zip you upload in Teams or the Teams admin center): manifest.json with the
# bot's Microsoft App ID filled in, color.png and outline.png at the zip's root.
# Usage: deploy/teams/package.sh --app-id <TEAMS_APP_ID> [--out ai4k8s-teams.zip]   (--app-id defaults to $TEAMS_APP_ID)
# Needs python3 (its zipfile module); `zip` is not needed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app_id="${TEAMS_APP_ID:-}"
out="ai4k8s-teams.zip"
while [ $# -gt 0 ]; do
  case "$1" in
    --app-id) app_id="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; shift 2 ;;
    *) echo "package.sh: unknown argument $1 (expected --app-id <id> [--out <file>])" >&2; exit 2 ;;
  esac
done
if ! [[ "$app_id" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
  echo "package.sh: give the Azure Bot's Microsoft App ID (a GUID) with --app-id or TEAMS_APP_ID" >&2
  exit 2
fi

python3 - "$here" "$app_id" "$out" <<'PY'
import json, sys, zipfile
from pathlib import Path

here, app_id, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
manifest = (here / "manifest.json").read_text(encoding="utf-8").replace("{{TEAMS_APP_ID}}", app_id)
json.loads(manifest)  # fail here, not in Teams, if the template is broken
with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("manifest.json", manifest)
    for icon in ("color.png", "outline.png"):
        archive.write(here / icon, icon)
print(f"wrote {out} (manifest.json, color.png, outline.png) for bot {app_id}")
PY
