#!/usr/bin/env bash
# A real, single-node Apache Kafka 3.9.1 broker (KRaft, combined broker+controller) for development and tests, run
# from Maven Central's jars: no Docker, no Kafka download. The jars are fetched once (Maven's local repository makes
# later fetches fast) into a git-ignored cache.
#
#   scripts/kafka/kafka.sh start     fetch jars if missing, format storage once, start, wait until it answers
#   scripts/kafka/kafka.sh stop      controlled shutdown (SIGTERM), SIGKILL after KAFKA_STOP_TIMEOUT
#   scripts/kafka/kafka.sh status    exit 0 and say so when running, exit 3 when not
#   scripts/kafka/kafka.sh kill      SIGKILL, no controlled shutdown (crash tests); the data stays for the next start
#
# Security: clients authenticate with SASL/SCRAM-SHA-512 (over TLS too when KAFKA_TLS=true) and are authorised by
# ACLs (StandardAuthorizer; nothing is allowed without an ACL). SCRAM credentials are written into the metadata
# when the storage is formatted (`--add-scram`), so no round trip is needed after start. `admin` (also the
# inter-broker principal) is the only super user; every other principal, each platform service's included, may do
# only what its ACLs allow (`platformGrants` and `provisionSourceSystems` in connectors/kafka define and grant them).
# The controller listener (loopback) uses SASL/PLAIN with the admin credentials: a controller cannot authenticate
# with SCRAM, whose credentials live in its own metadata.
#
# Environment (all optional), so that tests and a running demo can each have their own broker:
#   KAFKA_PORT             client listener (SASL on 127.0.0.1)           default 9092
#   KAFKA_ADMIN_PASSWORD   the admin principal's password                default generated once: <data dir>/admin.password
#   KAFKA_SCRAM_USERS      more principals, "name=password" separated by spaces (added when the storage is formatted;
#                          a name the storage was not formatted with formats it again)
#   KAFKA_TLS              "true": SASL_SSL, self-signed certificate, clients trust <data dir>/tls/ca.pem  default false
#   KAFKA_CONTROLLER_PORT  KRaft controller listener (127.0.0.1)          default 9093
#   KAFKA_DATA_DIR         config, data, logs and pid file                default <repo>/.data/kafka-<KAFKA_PORT>
#   KAFKA_LIBS_DIR         jar cache                                      default <repo>/.cache/kafka/libs
#   KAFKA_HEAP_OPTS        broker JVM heap                                default "-Xms256m -Xmx512m"
#   KAFKA_JIT_OPTS         broker JVM compiler options                    default "-XX:TieredStopAtLevel=1"
#                          (C1 only: on a 2-core machine the C2 compiler threads kept taking CPU from the platform
#                          after 60,000 events of warm-up, 25-37 us of every event's CPU in bench:ingest; with C1
#                          alone the broker used 25-46 us per event in all instead of 60-79 (eight runs and four),
#                          and 0.020-0.026 CPU s a second at rest instead of 0.037-0.063. "" restores the JVM's
#                          tiered C1+C2 compilation, which a machine with cores to spare may prefer)
#   KAFKA_READY_TIMEOUT    seconds to wait for the broker to answer       default 60
#   KAFKA_STOP_TIMEOUT     seconds to wait for a controlled shutdown      default 30
#
# Broker logs: <data dir>/logs/server.log (JVM output: <data dir>/logs/stdout.log).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
# Absolute, so the pid check (which matches the broker's command line) works from any working directory.
DATA_DIR="$(realpath -m "${KAFKA_DATA_DIR:-$ROOT/.data/kafka-$PORT}")"
LIBS_DIR="$(realpath -m "${KAFKA_LIBS_DIR:-$ROOT/.cache/kafka/libs}")"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
JIT_OPTS="${KAFKA_JIT_OPTS--XX:TieredStopAtLevel=1}"
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-60}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

TLS="${KAFKA_TLS:-false}"
SCRAM_USERS="${KAFKA_SCRAM_USERS:-}"

LOG_DIR="$DATA_DIR/logs"
TLS_DIR="$DATA_DIR/tls"
KRAFT_DIR="$DATA_DIR/kraft"
PROPS="$DATA_DIR/server.properties"
PID_FILE="$DATA_DIR/kafka.pid"
HOST=127.0.0.1

say() { printf '[kafka] %s\n' "$*"; }
die() {
  printf '[kafka] error: %s\n' "$*" >&2
  exit 1
}

require() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"
}

# The JVM options shared by the broker and the storage tool: log4j config from this folder, logs into the data dir.
jvm_log_opts() {
  printf '%s\n' "-Dlog4j.configuration=file:$HERE/log4j.properties" "-Dkafka.logs.dir=$LOG_DIR"
}

# Fetches the jars when missing, or when pom.xml changed since they were fetched. Serialised with a lock so that
# two starts at once (tests and the demo) do not both download.
fetch_libs() {
  local stamp want tmp
  want="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
  stamp="$LIBS_DIR/.fetched"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return 0; fi
  require mvn "install Maven 3.8+"
  mkdir -p "$(dirname "$LIBS_DIR")"
  exec 9>"$(dirname "$LIBS_DIR")/.fetch.lock"
  flock 9
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    exec 9>&-
    return 0
  fi
  say "fetching Kafka jars from Maven Central into $LIBS_DIR"
  tmp="$(mktemp -d "$LIBS_DIR.tmp.XXXXXX")"
  # Maven's output goes to a file (in quiet mode Maven 3.8 still prints colour codes); shown when it fails.
  if ! mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
    >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "mvn could not fetch the Kafka jars (is Maven Central reachable?)"
  fi
  rm -f "$tmp.log"
  printf '%s\n' "$want" >"$tmp/.fetched"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  exec 9>&-
}

# The pid of this data dir's broker when it is running (a live process whose command line is this broker's),
# otherwise fails. A stale pid file, a reused pid or a zombie count as not running.
running_pid() {
  local pid cmd
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  else
    cmd="$(ps -p "$pid" -o command= 2>/dev/null || true)"
  fi
  [[ "$cmd" == *kafka.Kafka*"$PROPS"* ]] || return 1
  printf '%s\n' "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# The admin password: given, or generated once and kept (0600) in the data folder.
admin_password() {
  if [[ -n "${KAFKA_ADMIN_PASSWORD:-}" ]]; then
    printf '%s' "$KAFKA_ADMIN_PASSWORD"
    return 0
  fi
  if [[ ! -s "$DATA_DIR/admin.password" ]]; then
    (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DATA_DIR/admin.password")
  fi
  cat "$DATA_DIR/admin.password"
}

# A self-signed certificate for 127.0.0.1 (PKCS12 keystore for the broker, PEM for clients), made once.
make_tls() {
  [[ -s "$TLS_DIR/broker.p12" && -s "$TLS_DIR/ca.pem" && -s "$TLS_DIR/truststore.p12" ]] && return 0
  rm -rf "$TLS_DIR"
  require keytool "it comes with Java 17+"
  mkdir -p "$TLS_DIR"
  keytool -genkeypair -alias broker -keyalg EC -groupname secp256r1 -validity 825 -dname "CN=$HOST" \
    -ext "SAN=IP:$HOST,DNS:localhost" -keystore "$TLS_DIR/broker.p12" -storetype PKCS12 \
    -storepass "$(admin_password)" >/dev/null 2>&1 || die "keytool could not make a certificate"
  keytool -exportcert -rfc -alias broker -keystore "$TLS_DIR/broker.p12" -storetype PKCS12 \
    -storepass "$(admin_password)" >"$TLS_DIR/ca.pem" 2>/dev/null || die "keytool could not export the certificate"
  # The broker is its own client (inter-broker traffic): it trusts the same certificate.
  keytool -importcert -noprompt -alias broker -file "$TLS_DIR/ca.pem" -keystore "$TLS_DIR/truststore.p12" \
    -storetype PKCS12 -storepass "$(admin_password)" >/dev/null 2>&1 || die "keytool could not make the truststore"
  chmod 600 "$TLS_DIR/broker.p12" "$TLS_DIR/truststore.p12"
}

write_props() {
  local admin protocol
  admin="$(admin_password)"
  protocol=SASL_PLAINTEXT
  if [[ "$TLS" == "true" ]]; then
    protocol=SASL_SSL
    make_tls
  fi
  (umask 077 && : >"$PROPS")
  cat >"$PROPS" <<EOF
# Written by scripts/kafka/kafka.sh on every start; edit the script, not this file. Holds the admin password.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=CLIENT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=CLIENT://$HOST:$PORT
listener.security.protocol.map=CLIENT:$protocol,CONTROLLER:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
log.dirs=$KRAFT_DIR

# Clients: SASL/SCRAM-SHA-512 (credentials in the cluster metadata, added when the storage was formatted).
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
# The controller: SASL/PLAIN on loopback with the admin credentials.
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin" user_admin="$admin";
sasl.mechanism.controller.protocol=PLAIN

# Authorisation: nothing without an ACL, except for the admin.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin
EOF
  if [[ "$TLS" == "true" ]]; then
    cat >>"$PROPS" <<EOF
listener.name.client.ssl.keystore.location=$TLS_DIR/broker.p12
listener.name.client.ssl.keystore.type=PKCS12
listener.name.client.ssl.keystore.password=$admin
listener.name.client.ssl.key.password=$admin
listener.name.client.ssl.truststore.location=$TLS_DIR/truststore.p12
listener.name.client.ssl.truststore.type=PKCS12
listener.name.client.ssl.truststore.password=$admin
ssl.endpoint.identification.algorithm=
EOF
  fi
  cat >>"$PROPS" <<EOF

# Topics are created on purpose (ensureTopics), never by a typo.
auto.create.topics.enable=false
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0

# Small and short-lived: a development broker on a small machine.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.segment.bytes=16777216
log.retention.hours=24
log.retention.bytes=268435456
log.retention.check.interval.ms=60000
EOF
}

# The principals the storage was formatted with (names only): one missing from them means formatting again.
scram_users_stamp() {
  local entry names=(admin)
  for entry in $SCRAM_USERS; do names+=("${entry%%=*}"); done
  printf '%s\n' "${names[@]}" | sort -u | tr '\n' ' '
}

formatted_with_all_principals() {
  local name have
  have=" $(cat "$DATA_DIR/scram-users")"
  for name in $(scram_users_stamp); do
    [[ "$have" == *" $name "* ]] || return 1
  done
}

format_storage() {
  local cluster_id entry admin
  local -a scram_args
  if [[ -f "$KRAFT_DIR/meta.properties" ]]; then
    if [[ -f "$DATA_DIR/scram-users" ]] && formatted_with_all_principals; then return 0; fi
    # Formatted without SASL (an older data folder) or for other principals: the broker's data starts afresh.
    say "principals changed: formatting $KRAFT_DIR again (its topics and offsets are dropped)"
    rm -rf "$KRAFT_DIR"
    mkdir -p "$KRAFT_DIR"
  fi
  admin="$(admin_password)"
  scram_args=(--add-scram "SCRAM-SHA-512=[name=admin,password=$admin]")
  for entry in $SCRAM_USERS; do
    [[ "$entry" == *=* ]] || die "KAFKA_SCRAM_USERS entries are name=password, got '${entry%%=*}…'"
    scram_args+=(--add-scram "SCRAM-SHA-512=[name=${entry%%=*},password=${entry#*=}]")
  done
  mapfile -t log_opts < <(jvm_log_opts)
  cluster_id="$(java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "${log_opts[@]}" -cp "$LIBS_DIR/*" \
    kafka.tools.StorageTool random-uuid | tail -n 1)"
  [[ -n "$cluster_id" ]] || die "StorageTool random-uuid printed nothing"
  java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "${log_opts[@]}" -cp "$LIBS_DIR/*" \
    kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$PROPS" "${scram_args[@]}" \
    >>"$LOG_DIR/format.log" 2>&1 || die "formatting $KRAFT_DIR failed; see $LOG_DIR/format.log"
  scram_users_stamp >"$DATA_DIR/scram-users"
  say "formatted $KRAFT_DIR (cluster id $cluster_id)"
}

show_logs() {
  local f
  for f in "$LOG_DIR/stdout.log" "$LOG_DIR/server.log"; do
    if [[ -s "$f" ]]; then
      printf '[kafka] --- last lines of %s ---\n' "$f" >&2
      tail -n 25 "$f" >&2
    fi
  done
}

wait_ready() {
  local pid="$1"
  require node "Node.js runs the readiness check"
  local ca=""
  [[ "$TLS" == "true" ]] && ca="$TLS_DIR/ca.pem"
  KAFKA_USERNAME=admin KAFKA_PASSWORD="$(admin_password)" KAFKA_TLS_CA="$ca" \
    node "$HERE/wait-ready.js" "$HOST:$PORT" "$READY_TIMEOUT" "$pid"
}

start() {
  local pid started
  if pid="$(running_pid)"; then
    wait_ready "$pid" || die "broker (pid $pid) is running but does not answer on $HOST:$PORT"
    say "already running at $HOST:$PORT (pid $pid, data $DATA_DIR)"
    return 0
  fi
  require java "install Java 17+"
  port_in_use "$PORT" && die "port $PORT is already in use (set KAFKA_PORT)"
  port_in_use "$CONTROLLER_PORT" && die "port $CONTROLLER_PORT is already in use (set KAFKA_CONTROLLER_PORT)"
  started="$(date +%s)"
  fetch_libs
  mkdir -p "$LOG_DIR" "$KRAFT_DIR"
  chmod 700 "$DATA_DIR"
  write_props
  format_storage

  mapfile -t log_opts < <(jvm_log_opts)
  read -r -a heap_opts <<<"$HEAP_OPTS"
  read -r -a jit_opts <<<"$JIT_OPTS"
  # setsid: the broker has its own session, so a Ctrl-C meant for a parent process does not reach it; the owner
  # stops it with `stop` (controlled shutdown). stdio goes to files so that callers waiting on our output return.
  setsid java "${heap_opts[@]}" "${jit_opts[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true "${log_opts[@]}" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS" </dev/null >>"$LOG_DIR/stdout.log" 2>&1 &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"

  if ! wait_ready "$pid"; then
    show_logs
    stop >/dev/null 2>&1 || true
    die "broker did not become ready on $HOST:$PORT"
  fi
  say "ready at $HOST:$PORT (pid $pid, started in $(($(date +%s) - started))s, data $DATA_DIR)"
  printf 'KAFKA_BROKERS=%s:%s\n' "$HOST" "$PORT"
}

stop() {
  local pid waited=0 limit
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running ($HOST:$PORT, data $DATA_DIR)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  limit=$((STOP_TIMEOUT * 5))
  while running_pid >/dev/null && ((waited < limit)); do
    sleep 0.2
    waited=$((waited + 1))
  done
  if running_pid >/dev/null; then
    say "no controlled shutdown within ${STOP_TIMEOUT}s; sending SIGKILL to $pid"
    kill -KILL "$pid" 2>/dev/null || true
    while running_pid >/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  say "stopped (pid $pid, $HOST:$PORT)"
}

# The broker dies at once, as in a crash or an out-of-memory kill: no controlled shutdown, nothing flushed by it.
kill_now() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running ($HOST:$PORT, data $DATA_DIR)"
    return 0
  fi
  kill -KILL "$pid" 2>/dev/null || true
  while running_pid >/dev/null; do sleep 0.1; done
  rm -f "$PID_FILE"
  say "killed (pid $pid, $HOST:$PORT)"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    say "running at $HOST:$PORT (pid $pid, data $DATA_DIR)"
    return 0
  fi
  say "not running ($HOST:$PORT, data $DATA_DIR)"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill_now ;;
  *)
    printf 'usage: %s start|stop|status|kill\n' "$0" >&2
    exit 64
    ;;
esac
