#!/usr/bin/env bash
# Generates (or reuses) tenant-guard's CA and ECDSA P-256 serving certificate, with openssl only.
# No cluster access: install-certs.sh puts the result into the cluster.
#
#   gen-certs.sh OUTDIR [--namespace tenant-guard-system] [--service tenant-guard]
#                       [--days 365] [--ca-days 3650] [--rotate] [--drop-previous-ca]
#
# OUTDIR holds ca.crt, ca.key, tls.crt, tls.key and ca-bundle.crt (what the webhook configurations
# trust: the CA, plus the previous CA while a rotation is under way).
# Idempotent: a valid CA and serving certificate are kept byte for byte. The serving certificate is
# re-issued (by the same CA) when it is missing, expires within 30 days, does not chain to the CA,
# lacks a service DNS name or does not match its key. The CA is replaced only with --rotate, or when
# it is missing, broken or expires within 90 days; the old CA then stays in ca-bundle.crt (as
# ca.prev.crt) until --drop-previous-ca, so API servers trust old and new serving certs meanwhile.
set -euo pipefail

NAMESPACE=tenant-guard-system
SERVICE=tenant-guard
DAYS=365
CA_DAYS=3650
ROTATE=0
DROP_PREVIOUS=0
OUT=""

die() { echo "gen-certs: $*" >&2; exit 1; }
say() { echo "gen-certs: $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) NAMESPACE="${2:?--namespace needs a value}"; shift 2 ;;
    --service) SERVICE="${2:?--service needs a value}"; shift 2 ;;
    --days) DAYS="${2:?--days needs a value}"; shift 2 ;;
    --ca-days) CA_DAYS="${2:?--ca-days needs a value}"; shift 2 ;;
    --rotate) ROTATE=1; shift ;;
    --drop-previous-ca) DROP_PREVIOUS=1; shift ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) [[ -z "$OUT" ]] || die "only one OUTDIR"; OUT="$1"; shift ;;
  esac
done
[[ -n "$OUT" ]] || die "usage: gen-certs.sh OUTDIR [--namespace NS] [--service NAME] [--rotate]"
[[ "$DAYS" =~ ^[0-9]+$ && "$CA_DAYS" =~ ^[0-9]+$ ]] || die "--days and --ca-days take a number of days"
command -v openssl >/dev/null || die "openssl is required (Debian/Ubuntu: apt-get install openssl)"

umask 077
mkdir -p "$OUT"
cd "$OUT"

DNS_NAMES=("$SERVICE" "$SERVICE.$NAMESPACE" "$SERVICE.$NAMESPACE.svc" "$SERVICE.$NAMESPACE.svc.cluster.local")
DAY=86400

# A certificate and a key belong together when their public keys (PEM SubjectPublicKeyInfo) match.
pair_ok() {
  [[ -s "$1" && -s "$2" ]] || return 1
  local a b
  a="$(openssl x509 -in "$1" -noout -pubkey 2>/dev/null)" || return 1
  b="$(openssl pkey -in "$2" -pubout 2>/dev/null)" || return 1
  [[ -n "$a" && "$a" == "$b" ]]
}
valid_for() { openssl x509 -in "$1" -noout -checkend "$2" >/dev/null 2>&1; }

ca_ok() {
  pair_ok ca.crt ca.key || { say "no usable CA (missing, or key does not match)"; return 1; }
  valid_for ca.crt $((90 * DAY)) || { say "CA expires within 90 days"; return 1; }
}

leaf_ok() {
  pair_ok tls.crt tls.key || { say "no usable serving certificate (missing, or key does not match)"; return 1; }
  valid_for tls.crt $((30 * DAY)) || { say "serving certificate expires within 30 days"; return 1; }
  openssl verify -CAfile ca.crt tls.crt >/dev/null 2>&1 || { say "serving certificate not signed by ca.crt"; return 1; }
  local san
  san="$(openssl x509 -in tls.crt -noout -ext subjectAltName 2>/dev/null)"
  san="$(tr -d ' \n' <<<"$san"),"
  for n in "${DNS_NAMES[@]}"; do
    [[ "$san" == *"DNS:$n,"* ]] || { say "serving certificate lacks DNS:$n"; return 1; }
  done
}

new_ca() {
  if [[ -s ca.crt ]] && valid_for ca.crt 0; then
    cp ca.crt ca.prev.crt
    say "previous CA kept in ca.prev.crt (and ca-bundle.crt) until --drop-previous-ca"
  fi
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key.new 2>/dev/null
  openssl req -x509 -new -key ca.key.new -sha256 -days "$CA_DAYS" -subj "/CN=tenant-guard-ca" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" -out ca.crt.new
  mv ca.key.new ca.key
  mv ca.crt.new ca.crt
  say "generated a new CA (ECDSA P-256, $CA_DAYS days)"
}

new_leaf() {
  local san="" n ext
  for n in "${DNS_NAMES[@]}"; do san+="${san:+,}DNS:$n"; done
  ext="$(mktemp)"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=$san" \
    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$ext"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out tls.key.new 2>/dev/null
  openssl req -new -key tls.key.new -subj "/CN=$SERVICE.$NAMESPACE.svc" -out tls.csr 2>/dev/null
  openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
    -days "$DAYS" -sha256 -extfile "$ext" -out tls.crt.new 2>/dev/null
  rm -f tls.csr "$ext"
  mv tls.key.new tls.key
  mv tls.crt.new tls.crt
  say "issued a serving certificate for ${DNS_NAMES[*]} ($DAYS days)"
}

ca_changed=0
if [[ $ROTATE -eq 1 ]]; then
  say "--rotate: replacing the CA and the serving certificate"
  new_ca
  ca_changed=1
elif ! ca_ok; then
  new_ca
  ca_changed=1
else
  say "reusing the CA in $OUT/ca.crt"
fi

if [[ $ca_changed -eq 1 ]] || ! leaf_ok; then
  new_leaf
else
  say "reusing the serving certificate in $OUT/tls.crt"
fi

if [[ $DROP_PREVIOUS -eq 1 && -e ca.prev.crt ]]; then
  rm -f ca.prev.crt
  say "dropped the previous CA from ca-bundle.crt"
fi
# An expired previous CA protects nothing any more.
if [[ -e ca.prev.crt ]] && ! valid_for ca.prev.crt 0; then rm -f ca.prev.crt; fi

bundle="$(cat ca.crt)"
[[ -e ca.prev.crt ]] && bundle+=$'\n'"$(cat ca.prev.crt)"
if [[ ! -e ca-bundle.crt || "$(cat ca-bundle.crt)" != "$bundle" ]]; then
  printf '%s\n' "$bundle" >ca-bundle.crt
fi
chmod 600 ca.key tls.key
chmod 644 ca.crt tls.crt ca-bundle.crt
