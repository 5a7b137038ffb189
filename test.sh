#!/usr/bin/env bash
# Runs every test of the platform. On a fresh machine it first installs what the tests need; each step is
# idempotent, so running it again is cheap.
set -euo pipefail
cd "$(dirname "$0")"

configuration=Release
solution=Workforce.Functions.sln

# --- Dashboard (issue 6) -------------------------------------------------------------------------------------
# The browser tests drive Debian's Chromium through Playwright (its own browser download cannot work here), and the
# committed dashboard bundle in server/wwwroot must be what dashboard/ builds from its lockfile.
echo "==> Dashboard: Chromium, npm packages, bundle check"
if ! command -v chromium >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v npm >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
npm ci --prefix dashboard --no-audit --no-fund --loglevel=error
npm --prefix dashboard run --silent check
# --- end of dashboard ------------------------------------------------------------------------------------------

echo "==> Building ($configuration)"
dotnet build "$solution" -c "$configuration" --nologo -v quiet

echo "==> Testing"
dotnet test "$solution" -c "$configuration" --no-build --nologo

# --- Dashboard (issue 6) -------------------------------------------------------------------------------------
echo "==> Dashboard screenshots from the browser tests: $(pwd)/artifacts/screenshots/"
# --- end of dashboard ------------------------------------------------------------------------------------------
