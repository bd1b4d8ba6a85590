#!/usr/bin/env bash
# docker-compose's Kafka broker: the entrypoint of the apache/kafka image (3.9, KRaft, single combined node), with
# the same security as scripts/kafka/kafka.sh. The image formats its storage without SCRAM credentials, so this
# script writes the broker's configuration, formats the storage with `--add-scram` for every principal, and starts
# the broker with the image's own /opt/kafka/bin scripts.
#
#   docker-broker.sh             configure, format (once per set of credentials), exec the broker
#   docker-broker.sh health      exit 0 when the broker answers the admin over SASL (the compose healthcheck)
#   docker-broker.sh properties  print the broker's configuration, passwords masked (the compose file's test)
#
# Security: clients authenticate with SASL/SCRAM-SHA-512 on every client listener (no PLAINTEXT listener) and are
# authorised by ACLs (StandardAuthorizer, nothing allowed without one). `admin` (also the inter-broker principal) is
# the only super user; the platform services' and agency systems' principals get their ACLs from the `kafka-init`
# service (scripts/provision-kafka.ts). The controller listener (loopback inside the container) uses SASL/PLAIN with
# the admin credentials: a controller cannot authenticate with SCRAM, whose credentials live in its own metadata.
#
# Environment:
#   KAFKA_ADMIN_PASSWORD   the admin principal's password (required)
#   KAFKA_SCRAM_USERS      the other principals, "name=password" separated by spaces or newlines
#   KAFKA_INTERNAL_HOST    the name other containers reach the broker by        default kafka
#   KAFKA_PORT             its port                                              default 9092
#   KAFKA_EXTERNAL_HOST    the address the host's clients use                    default 127.0.0.1
#   KAFKA_EXTERNAL_PORT    its port                                              default 9094
#   KAFKA_CONTROLLER_PORT  the controller's port (loopback)                      default 9093
#   KAFKA_BIND_ADDRESS     where the client listeners listen                     default 0.0.0.0
#   KAFKA_STATE_DIR        configuration and data (in the container)             default /tmp/mash-kafka
#   KAFKA_HOME             the Kafka installation                                default /opt/kafka (the image's)
#
# Passwords must not contain spaces, '=', ',', ']' or '"' (generated ones are hex). The data lives in the container:
# a new container starts empty and kafka-init provisions it again; a changed set of credentials formats it again.
set -euo pipefail

KAFKA_BIN="${KAFKA_HOME:-/opt/kafka}/bin"
STATE_DIR="${KAFKA_STATE_DIR:-/tmp/mash-kafka}"
DATA_DIR="$STATE_DIR/data"
PROPS="$STATE_DIR/server.properties"
ADMIN_PROPS="$STATE_DIR/admin.properties"
INTERNAL_HOST="${KAFKA_INTERNAL_HOST:-kafka}"
PORT="${KAFKA_PORT:-9092}"
EXTERNAL_HOST="${KAFKA_EXTERNAL_HOST:-127.0.0.1}"
EXTERNAL_PORT="${KAFKA_EXTERNAL_PORT:-9094}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
BIND="${KAFKA_BIND_ADDRESS:-0.0.0.0}"
# A principal's name and password: no spaces, '=', ',', ']' or '"' (the --add-scram syntax's separators).
USER_ENTRY='^[A-Za-z0-9][A-Za-z0-9._-]*=[^]=, "]+$'

say() { printf '[kafka] %s\n' "$*"; }
die() {
  printf '[kafka] error: %s\n' "$*" >&2
  exit 1
}

# "name=password" entries, one a line, each checked.
scram_users() {
  local entry
  for entry in ${KAFKA_SCRAM_USERS:-}; do
    [[ "$entry" =~ $USER_ENTRY ]] ||
      die "KAFKA_SCRAM_USERS entries are name=password (no spaces, '=', ',', ']' or '\"' in either), got '${entry%%=*}…'"
    [[ "${entry%%=*}" != admin ]] || die "KAFKA_SCRAM_USERS must not name admin (KAFKA_ADMIN_PASSWORD sets it)"
    printf '%s\n' "$entry"
  done
}

# The broker's configuration; with "masked", passwords are shown as ***.
properties() {
  local admin="$KAFKA_ADMIN_PASSWORD"
  [[ "${1:-}" == masked ]] && admin='***'
  cat <<EOF
# Written by scripts/kafka/docker-broker.sh when the container starts. Holds the admin password.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=INTERNAL://$BIND:$PORT,EXTERNAL://$BIND:$EXTERNAL_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=INTERNAL://$INTERNAL_HOST:$PORT,EXTERNAL://$EXTERNAL_HOST:$EXTERNAL_PORT
listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
log.dirs=$DATA_DIR

# Clients: SASL/SCRAM-SHA-512 (credentials in the cluster metadata, added when the storage was formatted).
listener.name.internal.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
listener.name.external.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
# The controller: SASL/PLAIN on loopback with the admin credentials.
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin" user_admin="$admin";
sasl.mechanism.controller.protocol=PLAIN

# Authorisation: nothing without an ACL, except for the admin.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin

# Topics are created on purpose (kafka-init), never by a typo.
auto.create.topics.enable=false
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

admin_client_properties() {
  cat <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
EOF
}

# Formats the storage with every principal's SCRAM credentials, again when they changed (the data starts afresh).
format_storage() {
  local stamp entry cluster_id
  local -a scram_args
  stamp="$({
    printf 'admin=%s\n' "$KAFKA_ADMIN_PASSWORD"
    scram_users
  } | sha256sum | cut -d' ' -f1)"
  if [[ -f "$DATA_DIR/meta.properties" && "$(cat "$STATE_DIR/credentials.sha256" 2>/dev/null)" == "$stamp" ]]; then
    return 0
  fi
  if [[ -f "$DATA_DIR/meta.properties" ]]; then say "credentials changed: formatting the storage again"; fi
  rm -rf "$DATA_DIR"
  mkdir -p "$DATA_DIR"
  scram_args=(--add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]")
  while IFS= read -r entry; do
    [[ -n "$entry" ]] && scram_args+=(--add-scram "SCRAM-SHA-512=[name=${entry%%=*},password=${entry#*=}]")
  done < <(scram_users)
  cluster_id="$("$KAFKA_BIN/kafka-storage.sh" random-uuid | tail -n 1)"
  "$KAFKA_BIN/kafka-storage.sh" format -t "$cluster_id" -c "$PROPS" "${scram_args[@]}" >/dev/null ||
    die "formatting $DATA_DIR failed"
  printf '%s\n' "$stamp" >"$STATE_DIR/credentials.sha256"
  say "formatted $DATA_DIR (cluster id $cluster_id) with $((${#scram_args[@]} / 2)) SCRAM principals"
}

start() {
  scram_users >/dev/null
  mkdir -p "$STATE_DIR"
  chmod 700 "$STATE_DIR"
  (umask 077 && properties >"$PROPS" && admin_client_properties >"$ADMIN_PROPS")
  format_storage
  exec "$KAFKA_BIN/kafka-server-start.sh" "$PROPS"
}

health() {
  [[ -s "$ADMIN_PROPS" ]] || exit 1
  "$KAFKA_BIN/kafka-broker-api-versions.sh" --bootstrap-server "127.0.0.1:$PORT" --command-config "$ADMIN_PROPS" \
    >/dev/null 2>&1
}

[[ -n "${KAFKA_ADMIN_PASSWORD:-}" ]] || die "KAFKA_ADMIN_PASSWORD is required"
case "${1:-start}" in
  start) start ;;
  health) health ;;
  properties)
    scram_users >/dev/null
    properties masked
    ;;
  *)
    printf 'usage: %s [start|health|properties]\n' "$0" >&2
    exit 64
    ;;
esac
