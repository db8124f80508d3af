# shellcheck shell=bash
# Helpers of test/e2e/run.sh: kubectl as tenant identities, the attempts and their expectations.
# Expects CTX (kubectl context) to be set by the caller.

PASSED=0
FAILED=0
AUDITED=()   # object names whose Audit finding must appear in tenant-guard's logs
DENIED_BY='admission webhook "validate.tenant-guard.dev" denied the request'

die() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }
k() { kubectl --context "$CTX" "$@"; }
as_alice() { k --as alice@example.com --as-group team-alpha-devs "$@"; }
as_bob() { k --as bob@example.com --as-group team-beta-devs "$@"; }
as_notebook() { k --as system:serviceaccount:team-beta:notebook "$@"; }

ok() { PASSED=$((PASSED + 1)); echo "  ok    $*"; }
bad() { FAILED=$((FAILED + 1)); echo "  FAIL  $*"; }

# attempt denied|allowed NAME CMD...: runs CMD, checks who answered and how.
attempt() {
  local want="$1" name="$2" out rc=0
  shift 2
  out="$("$@" 2>&1)" || rc=$?
  if [[ "$want" == denied ]]; then
    if [[ $rc -ne 0 && "$out" == *"$DENIED_BY"* ]]; then ok "denied  $name"; else bad "$name: expected a tenant-guard denial, got rc=$rc: $out"; fi
  else
    if [[ $rc -eq 0 ]]; then ok "allowed $name"; else bad "$name: expected allowed, got rc=$rc: $out"; fi
  fi
}

# pod_yaml NAME NAMESPACE TENANT_LABEL SERVICE_ACCOUNT SECRET POOL [IMAGE]
pod_yaml() {
  local name="$1" ns="$2" tenant="$3" sa="$4" secret="$5" pool="$6"
  local image="${7:-registry.example.com/alpha/busybox:e2e}"
  echo "apiVersion: v1
kind: Pod
metadata:
  name: $name
  namespace: $ns"
  [[ -n "$tenant" ]] && echo "  labels: {tenant-guard.dev/tenant: $tenant}"
  echo "spec:"
  [[ -n "$sa" ]] && echo "  serviceAccountName: $sa"
  [[ -n "$pool" ]] && echo "  nodeSelector: {tenant-guard.dev/pool: $pool}"
  echo "  containers:
    - name: main
      image: $image
      imagePullPolicy: IfNotPresent
      command: [sleep, '3600']"
  if [[ -n "$secret" ]]; then
    echo "      volumeMounts: [{name: s, mountPath: /s, readOnly: true}]
  volumes: [{name: s, secret: {secretName: $secret}}]"
  fi
}

rolebinding_yaml() {
  echo "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: $1, namespace: team-alpha}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: $3, namespace: $2}]"
}

# record MODE NAME: in audit mode, NAME's Audit finding must show up in the logs.
record() { if [[ "$1" == audit ]]; then AUDITED+=("$2"); fi; }

# dry_pod NAME ARGS...: server-side dry run of a pod in team-alpha, as alice (the webhook still runs).
dry_pod() {
  local name="$1"
  shift
  pod_yaml "$name" team-alpha "$@" | as_alice apply --dry-run=server -f -
}

# dry_rb NAME SA_NAMESPACE SA: server-side dry run of a RoleBinding in team-alpha, as alice.
dry_rb() { rolebinding_yaml "$@" | as_alice apply --dry-run=server -f -; }

# run_attempts enforce|audit: each cross-tenant action, then its legitimate twin.
run_attempts() {
  local x=denied
  [[ "$1" == audit ]] && x=allowed

  attempt "$x" "pod labelled for another tenant" dry_pod x-label team-beta "" "" ""
  record "$1" x-label
  attempt allowed "pod labelled for its own tenant" dry_pod ok-label team-alpha "" "" ""

  attempt "$x" "pod using another tenant's service account" dry_pod x-sa "" beta-sync "" ""
  record "$1" x-sa
  attempt allowed "pod using its own service account" dry_pod ok-sa "" trainer "" ""

  attempt "$x" "pod mounting another tenant's secret" dry_pod x-secret "" "" beta-s3-creds ""
  record "$1" x-secret
  attempt allowed "pod mounting its own secret" dry_pod ok-secret "" "" hf-token ""

  attempt "$x" "pod on another tenant's node pool" dry_pod x-pool "" "" "" beta-gpu
  record "$1" x-pool
  attempt allowed "pod on its own node pool" dry_pod ok-pool "" "" "" alpha-gpu

  attempt "$x" "rolebinding to another tenant's service account" dry_rb x-rb team-beta notebook
  record "$1" x-rb
  attempt allowed "rolebinding to its own service account" dry_rb ok-rb team-alpha trainer

  attempt "$x" "another tenant relabels a namespace" \
    as_bob label --dry-run=server --overwrite namespace team-alpha tenant-guard.dev/tenant=team-beta
  record "$1" team-alpha
  attempt allowed "an owner labels its own namespace" as_bob label --dry-run=server --overwrite namespace team-beta e2e=yes

  attempt "$x" "token for another tenant's service account" as_notebook -n team-alpha create token trainer --duration 10m
  record "$1" trainer
  attempt allowed "token for its own service account" as_notebook -n team-beta create token notebook --duration 10m

  attempt "$x" "exec into another tenant's pod" as_bob -n team-alpha exec e2e-runner -- true
  record "$1" e2e-runner
  attempt allowed "exec into its own tenant's pod" as_alice -n team-alpha exec e2e-runner -- true

  attempt "$x" "write in another tenant's namespace" as_bob -n team-alpha create configmap x-cm --dry-run=server
  record "$1" x-cm
  attempt allowed "write in its own namespace" as_bob -n team-beta create configmap ok-cm --dry-run=server
}

# check_mutation NS POD TENANT POOL: the mutating webhook stamped tenant label, placement, toleration.
check_mutation() {
  local got
  got="$(k -n "$1" get pod "$2" -o jsonpath='{.metadata.labels.tenant-guard\.dev/tenant}|{.spec.nodeSelector.tenant-guard\.dev/pool}|{.spec.tolerations[?(@.key=="tenant-guard.dev/pool")].value}')"
  if [[ "$got" == "$3|$4|$4" ]]; then ok "pod $1/$2 mutated: tenant label, nodeSelector, toleration"; else bad "pod $1/$2 mutation: got '$got', want '$3|$4|$4'"; fi
}

# check_audit_logs: every audited attempt left a log line naming it with an :Audit finding.
check_audit_logs() {
  local logs name
  logs="$(k -n tenant-guard-system logs -l app.kubernetes.io/name=tenant-guard --tail=-1 --max-log-requests 10)"
  for name in "${AUDITED[@]}"; do
    if grep -F "\"name\":\"$name\"" <<<"$logs" | grep -q ':Audit"'; then ok "audit finding logged for $name"; else bad "no Audit finding logged for $name"; fi
  done
}

# wait_ready: the webhook answers through the API server (endpoints ready, caBundle trusted).
wait_ready() {
  k -n tenant-guard-system rollout status deploy/tenant-guard --timeout 180s >/dev/null
  local i out
  for i in $(seq 1 60); do
    if out="$(k -n team-alpha create configmap tg-e2e-probe --dry-run=server -o name 2>&1)"; then return 0; fi
    sleep 2
  done
  die "the webhook never answered: $out (after $i tries)"
}

summary() {
  printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
  [[ $FAILED -eq 0 ]]
}
