#!/usr/bin/env bash
# Renders one install.yaml per overlay, as Kyverno and Gatekeeper publish them: `kubectl kustomize`
# of deploy/overlays/<overlay> through a throw-away kustomization whose `images:` sets the image
# (what `kustomize edit set image` would write), so nothing under deploy/ changes.
#
#   scripts/render-install.sh [--image NAME] [--tag TAG] [--out DIR] [OVERLAY...]
#
# Defaults: every overlay, image ghcr.io/example-org/tenant-guard, tag = package.json's version,
# out dist/ (git-ignored; `npm run build` empties dist/, so render after building). Writes
# DIR/install-<overlay>.yaml. Needs kubectl (or a standalone kustomize).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_IMAGE=ghcr.io/example-org/tenant-guard
IMAGE="$BASE_IMAGE"
TAG=""
OUT="$ROOT/dist"
OVERLAYS=()

die() { echo "render-install: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --image) IMAGE="${2:?--image needs a value}"; shift 2 ;;
    --tag) TAG="${2:?--tag needs a value}"; shift 2 ;;
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) OVERLAYS+=("$1"); shift ;;
  esac
done

if [[ -z "$TAG" ]]; then
  TAG="$(sed -n 's/^  "version": "\([^"]*\)",$/\1/p' "$ROOT/package.json")"
  [[ -n "$TAG" ]] || die "no version in package.json; pass --tag"
fi
# Docker's reference grammar: a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}; a name has no spaces or tag.
[[ "$TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "invalid image tag: $TAG"
[[ "$IMAGE" =~ ^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]+/[a-z0-9._/-]+)?$ ]] || die "invalid image name: $IMAGE"
if [[ ${#OVERLAYS[@]} -eq 0 ]]; then
  for d in "$ROOT"/deploy/overlays/*/; do OVERLAYS+=("$(basename "$d")"); done
fi

if command -v kubectl >/dev/null; then
  render() { kubectl kustomize "$1"; }
elif command -v kustomize >/dev/null; then
  render() { kustomize build "$1"; }
else
  die "kubectl or kustomize is required"
fi

# kustomize only accepts relative paths to a base, so the throw-away kustomization lives in the repo.
mkdir -p "$ROOT/.tmp" "$OUT"
WORK="$(mktemp -d "$ROOT/.tmp/render-install.XXXXXX")"
trap 'rm -rf "$WORK" "$OUT"/install-*.yaml.partial' EXIT

for overlay in "${OVERLAYS[@]}"; do
  [[ -f "$ROOT/deploy/overlays/$overlay/kustomization.yaml" ]] || die "no overlay deploy/overlays/$overlay"
  cat >"$WORK/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../deploy/overlays/$overlay
images:
  - name: $BASE_IMAGE
    newName: $IMAGE
    newTag: "$TAG"
YAML
  target="$OUT/install-$overlay.yaml"
  {
    echo "# tenant-guard $TAG, overlay $overlay: rendered by scripts/render-install.sh from"
    echo "# deploy/overlays/$overlay with image $IMAGE:$TAG. Do not edit; re-render."
    render "$WORK"
  } >"$target.partial"
  if ! grep -q "image: $IMAGE:$TAG\$" "$target.partial"; then
    rm -f "$target.partial"
    die "$overlay: image $IMAGE:$TAG not set"
  fi
  mv "$target.partial" "$target"
  echo "render-install: $target" >&2
done
