#!/usr/bin/env bash
# Runs every test of the platform. On a fresh machine it first installs what the tests need; each step is
# idempotent, so running it again is cheap.
set -euo pipefail
cd "$(dirname "$0")"

configuration=Release
solution=Workforce.Functions.sln
# This machine's registry lacks two of the Functions app's packages (the Service Bus and SignalR Service worker
# extensions): functions/ compiles against stand-ins that declare the same API (functions/Standins, docs/azure.md),
# and tests/Workforce.Functions.Tests checks what the Functions SDK generated from that build.
build_properties=(-p:FunctionsExtensionStandins=true)

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

# --- Reports (issue 15) ----------------------------------------------------------------------------------------
# The PDF tests turn each report's pages into PNGs with poppler's pdftoppm, kept in artifacts/reports/.
command -v pdftoppm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }
# --- end of reports ---------------------------------------------------------------------------------------------

# --- Metrics (issue 17) -----------------------------------------------------------------------------------------
# promtool, from Debian's prometheus package, checks the alert rules and the example configuration here, and a real
# scrape of /metrics in tests/Workforce.Server.Tests (Observability), which fail rather than skip when it is required.
command -v promtool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null; }
promtool check rules ops/prometheus/alerts.yml
promtool test rules ops/prometheus/alerts.test.yml
promtool check config ops/prometheus/prometheus.yml
export WORKFORCE_TEST_REQUIRE_PROMTOOL=1
# --- end of metrics ---------------------------------------------------------------------------------------------

# The services started below add their stop functions here; one trap runs them all, each whatever the others did.
cleanups=()
run_cleanups() { for cleanup in "${cleanups[@]}"; do "$cleanup" || true; done; }
trap run_cleanups EXIT

# --- Azurite: the Azure Storage emulator for the Azure adapter tests ----------------------------------------------
# Installs the pinned azurite (tools/azurite, npm ci) and, unless WORKFORCE_TEST_AZURITE already names a running
# one, starts it on loopback with OS-chosen free ports and a temporary folder, and stops it again on exit.
azurite_tools=tools/azurite
if [[ -z "${WORKFORCE_TEST_AZURITE:-}" ]]; then
  if ! cmp -s "$azurite_tools/package-lock.json" "$azurite_tools/node_modules/.installed-lock.json"; then
    echo "==> Installing Azurite"
    (cd "$azurite_tools" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json)
  fi

  echo "==> Starting Azurite"
  azurite_data=$(mktemp -d)
  "$azurite_tools/node_modules/.bin/azurite" --silent --location "$azurite_data" \
    --blobHost 127.0.0.1 --blobPort 0 --queueHost 127.0.0.1 --queuePort 0 --tableHost 127.0.0.1 --tablePort 0 \
    >"$azurite_data/azurite.log" 2>&1 &
  azurite_pid=$!
  stop_azurite() {
    kill "$azurite_pid" 2>/dev/null && wait "$azurite_pid" 2>/dev/null
    rm -rf "$azurite_data"
  }
  cleanups+=(stop_azurite)

  azurite_port() { sed -nE "s/^Azurite $1 service is successfully listening at http:\/\/127\.0\.0\.1:([0-9]+)$/\1/p" "$azurite_data/azurite.log"; }
  for _ in $(seq 300); do
    [[ -n "$(azurite_port Blob)" && -n "$(azurite_port Queue)" && -n "$(azurite_port Table)" ]] && break
    kill -0 "$azurite_pid" 2>/dev/null || { cat "$azurite_data/azurite.log"; echo "Azurite did not start." >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$(azurite_port Table)" ]] || { cat "$azurite_data/azurite.log"; echo "Azurite did not listen within 30 s." >&2; exit 1; }

  # Azurite's development account and its published key.
  azurite_account="AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export WORKFORCE_TEST_AZURITE="DefaultEndpointsProtocol=http;$azurite_account;\
BlobEndpoint=http://127.0.0.1:$(azurite_port Blob)/devstoreaccount1;\
QueueEndpoint=http://127.0.0.1:$(azurite_port Queue)/devstoreaccount1;\
TableEndpoint=http://127.0.0.1:$(azurite_port Table)/devstoreaccount1"
  echo "    Azurite on 127.0.0.1 (blob $(azurite_port Blob), queue $(azurite_port Queue), table $(azurite_port Table))"
fi
# --- end of Azurite ------------------------------------------------------------------------------------------------

# --- SMTP: MailDev for the email channel tests ------------------------------------------------------------------------
# Installs the pinned MailDev (tools/smtp, npm ci) and, unless WORKFORCE_TEST_SMTP already names a running server (with
# WORKFORCE_TEST_SMTP_API, where what it received is read back), starts one on loopback in a temporary folder that
# requires the test credentials below, and stops it again on exit. MailDev takes no port 0: node picks free ports.
smtp_tools=tools/smtp
if [[ -z "${WORKFORCE_TEST_SMTP:-}" ]]; then
  if ! cmp -s "$smtp_tools/package-lock.json" "$smtp_tools/node_modules/.installed-lock.json"; then
    echo "==> Installing MailDev"
    (cd "$smtp_tools" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json)
  fi

  echo "==> Starting MailDev"
  smtp_data=$(mktemp -d)
  read -r smtp_port smtp_api_port < <(node -e '
    const net = require("net");
    const a = net.createServer().listen(0, "127.0.0.1", () => {
      const b = net.createServer().listen(0, "127.0.0.1", () => {
        console.log(a.address().port, b.address().port); a.close(); b.close();
      });
    });')
  "$smtp_tools/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$smtp_port" --web-ip 127.0.0.1 --web "$smtp_api_port" \
    --incoming-user workforce --incoming-pass workforce-test --mail-directory "$smtp_data/mail" \
    >"$smtp_data/maildev.log" 2>&1 &
  smtp_pid=$!
  stop_smtp() {
    kill "$smtp_pid" 2>/dev/null && wait "$smtp_pid" 2>/dev/null
    rm -rf "$smtp_data"
  }
  cleanups+=(stop_smtp)

  smtp_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  for _ in $(seq 300); do
    smtp_listening "$smtp_port" && smtp_listening "$smtp_api_port" && break
    kill -0 "$smtp_pid" 2>/dev/null || { cat "$smtp_data/maildev.log"; echo "MailDev did not start." >&2; exit 1; }
    sleep 0.1
  done
  smtp_listening "$smtp_port" && smtp_listening "$smtp_api_port" || { cat "$smtp_data/maildev.log"; echo "MailDev did not listen within 30 s." >&2; exit 1; }

  export WORKFORCE_TEST_SMTP="smtp://workforce:workforce-test@127.0.0.1:$smtp_port"
  export WORKFORCE_TEST_SMTP_API="http://127.0.0.1:$smtp_api_port"
  echo "    MailDev on 127.0.0.1 (SMTP $smtp_port, API and web UI $smtp_api_port)"
fi
# --- end of SMTP ------------------------------------------------------------------------------------------------------

echo "==> Building ($configuration)"
dotnet build "$solution" -c "$configuration" "${build_properties[@]}" --nologo -v quiet

echo "==> Testing"
dotnet test "$solution" -c "$configuration" "${build_properties[@]}" --no-build --nologo

# --- Dashboard (issue 6) -------------------------------------------------------------------------------------
echo "==> Dashboard screenshots from the browser tests: $(pwd)/artifacts/screenshots/"
# --- end of dashboard ------------------------------------------------------------------------------------------

# --- Reports (issue 15) ----------------------------------------------------------------------------------------
echo "==> Report pages from the report tests: $(pwd)/artifacts/reports/"
# --- end of reports ---------------------------------------------------------------------------------------------
