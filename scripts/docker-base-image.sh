#!/usr/bin/env bash
# Builds a minimal local Docker base image from this machine's own Node.js, for machines that have a
# Docker engine but no container registry (CI here): the Dockerfile's `ARG BASE_IMAGE` then points at
# it instead of node:24-slim.
#
# The image is a root filesystem tar loaded with `docker import`, holding:
#   - node (the machine's binary) at /usr/local/bin/node, with the shared libraries `ldd` lists and the
#     dynamic loader, at the paths the binary expects;
#   - npm (the machine's copy) at /usr/local/lib/node_modules/npm, where the official images keep it,
#     so the Dockerfile's build stage can run `npm ci` the same way on both bases;
#   - /bin/sh (dash) and /usr/bin/env: Dockerfile RUN lines and npm's `#!/usr/bin/env node` need them;
#   - CA certificates, a minimal /etc/passwd and /etc/group, and a world-writable /tmp.
# There is no package manager and no other tool in it.
#
# Usage: scripts/docker-base-image.sh [TAG]      (default TAG: supasync-base:local)
set -euo pipefail

TAG="${1:-supasync-base:local}"
NODE_BIN="$(command -v node)"
NODE_REAL="$(readlink -f "$NODE_BIN")"
NPM_DIR="$(dirname "$(readlink -f "$(command -v npm)")")/.."
NPM_DIR="$(cd "$NPM_DIR" && pwd)"

if ! docker info >/dev/null 2>&1; then
  echo "docker-base-image: no Docker engine answers (docker info failed)" >&2
  exit 1
fi

ROOT="$(mktemp -d)"
chmod 755 "$ROOT" # mktemp makes it 0700: the image root must be traversable by the non-root user
trap 'rm -rf "$ROOT"' EXIT

# Copies a file to the same path inside the image, following symlinks (the image gets real files).
copy_at() {
  local src="$1"
  mkdir -p "$ROOT$(dirname "$src")"
  cp -L "$src" "$ROOT$src"
}

# A binary and every library it links (ldd prints "name => /path (addr)" or "/path (addr)").
copy_binary_with_libs() {
  local bin="$1" dest="$2"
  mkdir -p "$ROOT$(dirname "$dest")"
  cp -L "$bin" "$ROOT$dest"
  ldd "$bin" | awk '/=>/ { if ($3 ~ /^\//) print $3; next } /^[ \t]*\// { print $1 }' | while read -r lib; do
    copy_at "$lib"
  done
}

copy_binary_with_libs "$NODE_REAL" /usr/local/bin/node
copy_binary_with_libs "$(readlink -f /bin/dash)" /bin/sh
copy_binary_with_libs "$(readlink -f /usr/bin/env)" /usr/bin/env

mkdir -p "$ROOT/usr/local/lib/node_modules" "$ROOT/usr/local/bin"
cp -a "$NPM_DIR" "$ROOT/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"

mkdir -p "$ROOT/etc/ssl/certs"
cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"
cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$ROOT/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
mkdir -p "$ROOT/tmp" "$ROOT/root" "$ROOT/usr/bin" "$ROOT/bin"
chmod 1777 "$ROOT/tmp"

tar -C "$ROOT" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$TAG" >/dev/null

echo "docker-base-image: built $TAG from $NODE_REAL ($("$NODE_REAL" --version)) and npm $(node "$NPM_DIR/bin/npm-cli.js" --version)"
