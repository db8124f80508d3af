#!/usr/bin/env bash
# Puts tenant-guard's certificates into the cluster: runs gen-certs.sh on the CA and serving
# certificate already stored in the cluster (so re-running changes nothing), injects the CA bundle
# into both webhook configurations, stores the serving pair as the tenant-guard-tls TLS secret, and
# restarts the Deployment when the serving certificate changed.
#
#   install-certs.sh [--namespace tenant-guard-system] [--rotate] [--drop-previous-ca]
#                    [--no-restart] [--keep-dir DIR] [-- kubectl flags, e.g. --context kind-x]
#
# Needs kubectl (with rights on secrets in the namespace and on the two webhook configurations)
# and openssl. The CA key lives in the tenant-guard-ca secret next to the serving key; guard that
# namespace's secrets accordingly (or keep the CA elsewhere and use gen-certs.sh directly).
#
# Rotation (see README "Certificates"): `install-certs.sh --rotate` issues a new CA and serving
# certificate; the webhook configurations then trust the old and the new CA while the pods restart.
# Once `kubectl -n tenant-guard-system rollout status deploy/tenant-guard` is done, run
# `install-certs.sh --drop-previous-ca` to trust only the new CA.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAMESPACE=tenant-guard-system
NAME=tenant-guard
GEN_ARGS=()
RESTART=1
KEEP=""
KUBECTL_ARGS=()

die() { echo "install-certs: $*" >&2; exit 1; }
say() { echo "install-certs: $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) NAMESPACE="${2:?--namespace needs a value}"; shift 2 ;;
    --rotate | --drop-previous-ca) GEN_ARGS+=("$1"); shift ;;
    --no-restart) RESTART=0; shift ;;
    --keep-dir) KEEP="${2:?--keep-dir needs a value}"; shift 2 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    --) shift; KUBECTL_ARGS=("$@"); break ;;
    *) die "unknown option $1 (kubectl flags go after --)" ;;
  esac
done
command -v openssl >/dev/null || die "openssl is required"
command -v kubectl >/dev/null || die "kubectl is required"

k() { kubectl "${KUBECTL_ARGS[@]}" "$@"; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
umask 077

# secret_key SECRET KEY FILE: writes the decoded key of a secret to FILE, if the secret has it.
secret_key() {
  local b64
  b64="$(k -n "$NAMESPACE" get secret "$1" -o "jsonpath={.data.${2//./\\.}}" 2>/dev/null || true)"
  if [[ -n "$b64" ]]; then printf '%s' "$b64" | openssl base64 -d -A >"$3"; fi
}

secret_key "$NAME-ca" ca.crt "$WORK/ca.crt"
secret_key "$NAME-ca" ca.key "$WORK/ca.key"
secret_key "$NAME-ca" ca.prev.crt "$WORK/ca.prev.crt"
secret_key "$NAME-tls" tls.crt "$WORK/tls.crt"
secret_key "$NAME-tls" tls.key "$WORK/tls.key"
before="$(cat "$WORK/tls.crt" 2>/dev/null || true)"

"$HERE/gen-certs.sh" "$WORK" --namespace "$NAMESPACE" --service "$NAME" "${GEN_ARGS[@]}"

# 1. Trust first: the webhook configurations learn the (new) CA before any pod serves a
#    certificate signed by it.
CA_BUNDLE="$(openssl base64 -A <"$WORK/ca-bundle.crt")"
for kind in validatingwebhookconfiguration mutatingwebhookconfiguration; do
  names="$(k get "$kind" "$NAME" -o 'jsonpath={.webhooks[*].name}' 2>/dev/null || true)"
  if [[ -z "$names" ]]; then
    say "no $kind/$NAME yet: apply the manifests (kubectl apply -k deploy/overlays/...) and re-run"
    continue
  fi
  ops="" i=0
  for _ in $names; do
    ops+="${ops:+,}{\"op\":\"add\",\"path\":\"/webhooks/$i/clientConfig/caBundle\",\"value\":\"$CA_BUNDLE\"}"
    i=$((i + 1))
  done
  k patch "$kind" "$NAME" --type=json -p "[$ops]" >/dev/null
  say "caBundle set on $kind/$NAME ($i webhooks)"
done

# 2. The CA (with its key, for the next run) and the serving pair.
ca_files=(--from-file=ca.crt="$WORK/ca.crt" --from-file=ca.key="$WORK/ca.key")
[[ -e "$WORK/ca.prev.crt" ]] && ca_files+=(--from-file=ca.prev.crt="$WORK/ca.prev.crt")
k -n "$NAMESPACE" create secret generic "$NAME-ca" "${ca_files[@]}" --dry-run=client -o yaml | k apply -f - >/dev/null
k -n "$NAMESPACE" create secret tls "$NAME-tls" --cert="$WORK/tls.crt" --key="$WORK/tls.key" \
  --dry-run=client -o yaml | k apply -f - >/dev/null
say "secrets $NAMESPACE/$NAME-ca and $NAMESPACE/$NAME-tls applied"

if [[ -n "$KEEP" ]]; then mkdir -p "$KEEP" && cp "$WORK"/*.crt "$KEEP"/ && say "certificates copied to $KEEP"; fi

# 3. Pods read the certificate at start; a changed certificate needs a (rolling) restart.
if [[ "$(cat "$WORK/tls.crt")" != "$before" && $RESTART -eq 1 ]]; then
  if k -n "$NAMESPACE" get deployment "$NAME" >/dev/null 2>&1; then
    k -n "$NAMESPACE" rollout restart deployment "$NAME" >/dev/null
    say "serving certificate changed: rolling restart of deployment/$NAME"
  fi
fi
