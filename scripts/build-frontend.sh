#!/usr/bin/env bash
# Builds the web app into frontend/dist. It compiles the frontend crate for wasm32 with the
# wasm-release profile, generates the JavaScript glue with wasm-bindgen and shrinks the
# module with wasm-opt -Oz. Every asset is named after its content hash, so the server can
# let browsers cache it for a year. Missing tools are installed first:
#   - the wasm32-unknown-unknown target, with rustup;
#   - wasm-bindgen-cli at the exact version of wasm-bindgen in Cargo.lock, into tools/bin;
#   - wasm-opt from the npm package binaryen@132, into tools/node_modules.
# Debian's binaryen package is too old for current wasm-bindgen output, so it is never used.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO="${CARGO:-cargo}"
TOOLS="$ROOT/tools"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DIST="$ROOT/frontend/dist"
BINARYEN_VERSION=132

log() { printf 'build-frontend: %s\n' "$*" >&2; }

# Reads the version of the wasm-bindgen package from Cargo.lock.
locked_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        log "installing the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

ensure_wasm_bindgen() {
    local wanted installed=""
    wanted="$(locked_wasm_bindgen_version)"
    if [ -z "$wanted" ]; then
        log "error: Cargo.lock has no wasm-bindgen package; run 'cargo generate-lockfile' first"
        exit 1
    fi
    if [ -x "$TOOLS/bin/wasm-bindgen" ]; then
        installed="$("$TOOLS/bin/wasm-bindgen" --version | awk '{ print $2 }')"
    fi
    if [ "$installed" != "$wanted" ]; then
        log "installing wasm-bindgen-cli $wanted into tools/bin (about 4 minutes on 2 cores)"
        # --locked fails for 0.2.130, because its lock file names a webpki-roots release
        # that the registry no longer has.
        "$CARGO" install wasm-bindgen-cli --version "$wanted" --root "$TOOLS"
    fi
}

ensure_wasm_opt() {
    local installed=""
    if [ -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
        installed="$("$TOOLS/node_modules/.bin/wasm-opt" --version | awk '{ print $3 }')"
    fi
    if [ "$installed" != "$BINARYEN_VERSION" ]; then
        if ! command -v npm > /dev/null; then
            log "error: npm is missing; install Node.js and npm to get wasm-opt (binaryen@$BINARYEN_VERSION)"
            exit 1
        fi
        log "installing binaryen@$BINARYEN_VERSION (wasm-opt) into tools/node_modules"
        npm install --prefix "$TOOLS" --no-audit --no-fund "binaryen@$BINARYEN_VERSION" > /dev/null
    fi
}

# Copies $1 into $STAGE as <stem>-<first 16 hex digits of its SHA-256>.<extension> and
# prints the new name.
hashed_copy() {
    local source="$1" stem="$2" extension="$3" hash
    hash="$(sha256sum "$source" | cut -c1-16)"
    cp "$source" "$STAGE/$stem-$hash.$extension"
    printf '%s-%s.%s' "$stem" "$hash" "$extension"
}

ensure_target
ensure_wasm_bindgen
ensure_wasm_opt

log "compiling the frontend crate for wasm32 (profile wasm-release)"
"$CARGO" build -p frontend --target wasm32-unknown-unknown --profile wasm-release

WORK="$(mktemp -d)"
STAGE="$ROOT/frontend/dist.new"
trap 'rm -rf "$WORK" "$STAGE"' EXIT
rm -rf "$STAGE"
mkdir -p "$STAGE"

"$TOOLS/bin/wasm-bindgen" --target web --no-typescript --out-dir "$WORK" --out-name frontend \
    "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"
log "optimising the module with wasm-opt -Oz"
"$TOOLS/node_modules/.bin/wasm-opt" -Oz "$WORK/frontend_bg.wasm" -o "$WORK/frontend_bg.opt.wasm"

script="$(hashed_copy "$WORK/frontend.js" frontend js)"
wasm="$(hashed_copy "$WORK/frontend_bg.opt.wasm" frontend_bg wasm)"
style="$(hashed_copy "$ROOT/frontend/style.css" style css)"
sed -e "s|@SCRIPT@|$script|g" -e "s|@WASM@|$wasm|g" -e "s|@STYLE@|$style|g" \
    "$ROOT/frontend/index.html" > "$STAGE/index.html"

# Swapping whole folders, instead of writing into dist, keeps a running server from serving
# a mix of old and new files.
rm -rf "$DIST.old"
if [ -d "$DIST" ]; then
    mv "$DIST" "$DIST.old"
fi
mv "$STAGE" "$DIST"
rm -rf "$DIST.old"
log "wrote $DIST: $(cd "$DIST" && ls | tr '\n' ' ')"
