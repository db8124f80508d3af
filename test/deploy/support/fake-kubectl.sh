#!/usr/bin/env bash
# A stand-in for kubectl that keeps just enough state in $FAKE_KUBECTL_STATE to run
# certs-scripts/install-certs.sh without a cluster: secrets (get/create --dry-run/apply),
# webhook configuration names ($FAKE_WEBHOOKS_<kind>), JSON patches and rollout restarts.
# Every call is appended to $FAKE_KUBECTL_STATE/calls.log.
set -euo pipefail
S="${FAKE_KUBECTL_STATE:?}"
echo "$*" >>"$S/calls.log"
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) shift 2 ;;
    --context) shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]}"
case "$1 $2" in
  "get secret")
    prefix='jsonpath={.data.'
    key="${5#"$prefix"}"
    key="${key%\}}"
    key="${key//\\./.}"
    f="$S/secret-$3-$key"
    [[ -e "$f" ]] || { echo "Error from server (NotFound): secrets \"$3\" not found" >&2; exit 1; }
    cat "$f" ;;
  "create secret")
    # emits "name key base64" lines for `apply -f -` below
    name="$4"
    for a in "${@:5}"; do
      case "$a" in
        --from-file=*) kv="${a#--from-file=}"; echo "$name ${kv%%=*} $(openssl base64 -A <"${kv#*=}")" ;;
        --cert=*) echo "$name tls.crt $(openssl base64 -A <"${a#--cert=}")" ;;
        --key=*) echo "$name tls.key $(openssl base64 -A <"${a#--key=}")" ;;
      esac
    done ;;
  "apply -f")
    first=""
    while read -r name key b64; do
      if [[ -z "$first" ]]; then rm -f "$S/secret-$name-"*; first=1; fi
      printf '%s' "$b64" >"$S/secret-$name-$key"
    done ;;
  "get validatingwebhookconfiguration" | "get mutatingwebhookconfiguration")
    var="FAKE_WEBHOOKS_$2"
    [[ -n "${!var:-}" ]] || { echo "NotFound" >&2; exit 1; }
    printf '%s' "${!var}" ;;
  "patch validatingwebhookconfiguration" | "patch mutatingwebhookconfiguration")
    printf '%s' "${6}" >"$S/patch-$2" ;;
  "get deployment")
    [[ "${FAKE_DEPLOYMENT:-0}" == 1 ]] || exit 1 ;;
  "rollout restart")
    echo restart >>"$S/restarts" ;;
  *)
    echo "fake kubectl: unexpected call: $*" >&2; exit 2 ;;
esac
