# Sourced by the shell tests: the paths they share, a scratch directory
# removed on exit, and pass / fail counting.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
CROSSMKT=${CROSSMKT:-./crossmkt}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
