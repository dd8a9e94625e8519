#!/usr/bin/env bash
# Offline type-check of the SST infra: installs the SST platform sources (no AWS, no Pulumi binary
# needed) once, then type-checks sst.config.ts and infra/ against them with a separate tsconfig.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f .sst/platform/config.d.ts ]; then
  echo "Installing SST platform types into .sst/platform (one-off, ~40 s, ~300 MB)..."
  SST_SKIP_DEPENDENCY_CHECK=1 SST_NO_BUN=1 SST_TELEMETRY_DISABLED=1 npx sst install --stage "${SST_STAGE:-ci}"
fi

npx tsc -p tsconfig.infra.json
echo "infra type-check passed"
