#!/usr/bin/env bash
# tenant-guard end to end on a kind cluster: build and load the image, install the enforce overlay
# with certs-scripts, load the example tenants, then attempt each cross-tenant action as a tenant
# identity (kubectl --as/--as-group) and expect a denial, and its legitimate twin and expect it
# allowed; check the mutation of a real pod; switch to the audit overlay and expect the same
# attempts allowed, each recorded as an Audit finding.
#
#   test/e2e/run.sh            # or: npm run test:e2e
#   TG_E2E_KEEP=1 test/e2e/run.sh   keep the cluster afterwards (kind delete cluster --name tenant-guard-e2e)
#
# Exits 0 with "SKIP: ..." where docker (with a running daemon), kind or kubectl is missing.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER="${TG_E2E_CLUSTER:-tenant-guard-e2e}"
IMAGE="tenant-guard:e2e"
BUSYBOX="${TG_E2E_BUSYBOX:-busybox:1.36.1}"
CTX="kind-$CLUSTER"
WORK="$REPO/.tmp/e2e"

skip() { echo "SKIP: $*"; exit 0; }
command -v docker >/dev/null || skip "docker is not installed"
docker info >/dev/null 2>&1 || skip "no docker daemon (docker info failed)"
command -v kind >/dev/null || skip "kind is not installed (https://kind.sigs.k8s.io)"
command -v kubectl >/dev/null || skip "kubectl is not installed"
command -v openssl >/dev/null || { echo "FAIL: openssl is required by certs-scripts" >&2; exit 1; }

# shellcheck source=test/e2e/lib.sh
source "$REPO/test/e2e/lib.sh"

cleanup() {
  if [[ "${TG_E2E_KEEP:-0}" != 1 ]]; then kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

step "cluster $CLUSTER"
if ! kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  kind create cluster --name "$CLUSTER" --config "$REPO/deploy/kind/kind-config.yaml" --wait 180s
fi
mapfile -t WORKERS < <(k get nodes -l '!node-role.kubernetes.io/control-plane' -o name)
[[ ${#WORKERS[@]} -ge 2 ]] || die "expected two worker nodes"
k label --overwrite "${WORKERS[0]}" tenant-guard.dev/pool=alpha-gpu >/dev/null
k label --overwrite "${WORKERS[1]}" tenant-guard.dev/pool=beta-gpu >/dev/null

step "images"
docker build -t "$IMAGE" "$REPO"
docker pull -q "$BUSYBOX" >/dev/null
docker tag "$BUSYBOX" registry.example.com/alpha/busybox:e2e
docker tag "$BUSYBOX" registry.example.com/beta/busybox:e2e
kind load docker-image --name "$CLUSTER" "$IMAGE" registry.example.com/alpha/busybox:e2e \
  registry.example.com/beta/busybox:e2e

step "overlays with the e2e image"
for overlay in enforce audit; do
  mkdir -p "$WORK/$overlay"
  cat >"$WORK/$overlay/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../../deploy/overlays/$overlay]
images:
  - {name: ghcr.io/example-org/tenant-guard, newName: tenant-guard, newTag: e2e}
EOF
done

step "the example world (CRD first, before any webhook exists)"
k apply -k "$REPO/deploy/crd" >/dev/null
k wait --for condition=established --timeout 60s crd/tenants.tenant-guard.dev >/dev/null
(cd "$REPO" && node_modules/.bin/node test/e2e/world.ts) | k apply -f - >/dev/null
# The RBAC mistake tenant-guard exists to contain: every tenant identity is cluster-admin.
k create clusterrolebinding tg-e2e-overbroad --clusterrole cluster-admin \
  --group team-alpha-devs --group team-beta-devs --group team-gamma-devs \
  --serviceaccount team-alpha:trainer --serviceaccount team-beta:notebook \
  --dry-run=client -o yaml | k apply -f - >/dev/null

step "install: enforce overlay + certs-scripts"
k apply -k "$WORK/enforce" >/dev/null
"$REPO/certs-scripts/install-certs.sh" -- --context "$CTX"
wait_ready

step "a real pod (as alice, team-alpha) is mutated"
pod_yaml e2e-runner team-alpha "" "" "" "" | as_alice apply -f - >/dev/null
k -n team-alpha wait --for condition=Ready --timeout 120s pod/e2e-runner >/dev/null
check_mutation team-alpha e2e-runner team-alpha alpha-gpu

step "enforce: cross-tenant attempts denied, legitimate twins allowed"
run_attempts enforce

step "switch to the audit overlay"
k apply -k "$WORK/audit" >/dev/null
k -n tenant-guard-system rollout status deploy/tenant-guard --timeout 180s >/dev/null
wait_ready

step "audit: the same attempts allowed, each recorded as an Audit finding"
run_attempts audit
check_audit_logs

summary
