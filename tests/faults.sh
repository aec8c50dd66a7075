#!/bin/sh
# I/O errors on purpose (tests/faultinject.c, preloaded): a read error in the
# middle of a load, a full disk and EIO while saving a session, exporting
# and saving to the shared directory, and a directory that cannot be
# written. Each must end with a clear message naming the file, nothing
# registered, and the previous file byte for byte as it was.
. "$(dirname "$0")/lib.sh"
builddir=$(cd "${builddir:-.}" && pwd)
CROSSMKT=${CROSSMKT:-$builddir/crossmkt}
lib=$builddir/tests/faultinject.so
[ -f "$lib" ] || { echo "SKIP: $lib not built"; exit 77; }
# A sanitizer runtime wants to come first; the preloaded library comes
# before it, which is harmless here.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS
cd "$tmp" || exit 1


# faulty ENV... -- ARGS: crossmkt with the library preloaded.
faulty() {
	env_args=
	while [ "$1" != -- ]; do
		env_args="$env_args $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	env LD_PRELOAD="$lib" $env_args "$CROSSMKT" --batch --keep-going "$@" > out 2> err
	echo $? > status
}

# expect NAME STATUS STDERR: exact status and standard error.
expect() {
	if [ "$(cat status)" = "$2" ] && [ "$(cat err)" = "$3" ]; then
		ok
	else
		bad "$1: status $(cat status), stderr:"
		sed 's/^/  /' err
		echo "  expected status $2, stderr:"
		printf '%s\n' "$3" | sed 's/^/  /'
	fi
}

# same NAME FILE COPY: the file is unchanged and no temporary file is left.
same() {
	if cmp -s "$2" "$3" && [ -z "$(find . -name '*.tmp.*')" ]; then
		ok
	else
		bad "$1: $2 changed or a temporary file was left: $(ls -a "$(dirname "$2")")"
	fi
}

# Three chunks' worth of rows, so that the error comes in the middle.
awk 'BEGIN { print "user_id,amount,city"; for (i = 0; i < 150000; i++) printf "%d,%d.5,c%d\n", i, i % 97, i % 13 }' > big.csv
cp "$srcdir/tests/fixtures/csv/types.csv" small.csv

faulty FAULTINJECT_PATH=big.csv FAULTINJECT_READ_EIO=1500000 -- \
	-e 'load big big.csv threads=1' -e datasets
expect "read error during a load" 1 "crossmkt: big.csv: cannot read: Input/output error"
grep -qxF '{"command":"datasets","ok":true,"result":{"datasets":[]}}' out && ok ||
	bad "a failed load registered a dataset: $(cat out)"
faulty FAULTINJECT_PATH=big.csv FAULTINJECT_READ_EIO=1500000 -- -e 'load big big.csv threads=2'
expect "read error during a load on two threads" 1 "crossmkt: big.csv: cannot read: Input/output error"

# Sessions: a good save first, then failing saves over it.
"$CROSSMKT" --batch -e 'load s small.csv' -e 'save-session s.json' > /dev/null || bad "first save"
cp s.json s.before
for e in ENOSPC EIO; do
	msg=$( [ $e = ENOSPC ] && echo "No space left on device" || echo "Input/output error")
	faulty FAULTINJECT_PATH=s.json.tmp FAULTINJECT_WRITE=$e -- \
		-e 'load s small.csv' -e 'head s n=1' -e 'save-session s.json'
	expect "save-session, write $e" 1 "crossmkt: save-session: s.json: could not save: $msg (the previous file, if any, is unchanged)"
	same "save-session, write $e" s.json s.before
	faulty FAULTINJECT_PATH=s.json.tmp FAULTINJECT_WRITE=$e FAULTINJECT_WRITE_AFTER=100 -- \
		-e 'load s small.csv' -e 'head s n=1' -e 'save-session s.json'
	expect "save-session, write $e after 100 bytes" 1 "crossmkt: save-session: s.json: could not save: $msg (the previous file, if any, is unchanged)"
	same "save-session, write $e after 100 bytes" s.json s.before
done
faulty FAULTINJECT_PATH=s.json.tmp FAULTINJECT_FSYNC=EIO -- -e 'load s small.csv' -e 'save-session s.json'
expect "save-session, fsync EIO" 1 "crossmkt: save-session: s.json: could not save: Input/output error (the previous file, if any, is unchanged)"
same "save-session, fsync EIO" s.json s.before
faulty FAULTINJECT_PATH=s.json FAULTINJECT_READ_EIO=40 -- --replay s.json
expect "replay, read EIO" 2 "crossmkt: s.json: cannot read session file: Input/output error"

# Exports.
"$CROSSMKT" --batch -e 'load s small.csv' -e 'export s out.csv' > /dev/null || bad "first export"
cp out.csv out.before
for e in ENOSPC EIO; do
	msg=$( [ $e = ENOSPC ] && echo "No space left on device" || echo "Input/output error")
	faulty FAULTINJECT_PATH=out.csv.tmp FAULTINJECT_WRITE=$e -- \
		-e 'load s small.csv' -e 'derive s x=id*2' -e 'export s out.csv'
	expect "export, write $e" 1 "crossmkt: export: out.csv: could not save: $msg (the previous file, if any, is unchanged)"
	same "export, write $e" out.csv out.before
	faulty FAULTINJECT_PATH=out.csv.tmp FAULTINJECT_FSYNC=$e -- \
		-e 'load s small.csv' -e 'derive s x=id*2' -e 'export s out.csv format=json'
	expect "export, fsync $e" 1 "crossmkt: export: out.csv: could not save: $msg (the previous file, if any, is unchanged)"
	same "export, fsync $e" out.csv out.before
done

# The shared directory.
mkdir team
"$CROSSMKT" --batch --shared-dir team -e 'load s small.csv' -e 'share-session demo' > /dev/null ||
	bad "first share"
cp team/demo.json demo.before
for e in ENOSPC EIO; do
	msg=$( [ $e = ENOSPC ] && echo "No space left on device" || echo "Input/output error")
	faulty FAULTINJECT_PATH=demo.json.tmp FAULTINJECT_WRITE=$e -- --shared-dir team \
		-e 'load s small.csv' -e 'head s' -e 'share-session demo base=1'
	expect "share-session, write $e" 1 "crossmkt: share-session: team/demo.json: could not save: $msg (the previous file, if any, is unchanged)"
	same "share-session, write $e" team/demo.json demo.before
done
faulty FAULTINJECT_PATH=demo.json FAULTINJECT_READ_EIO=10 -- --shared-dir team \
	-e 'load s small.csv' -e 'share-session demo base=1'
expect "share-session, reading the current revision fails" 1 "crossmkt: share-session: team/demo.json: cannot read: Input/output error"
same "share-session, reading the current revision fails" team/demo.json demo.before

# A directory that cannot be written: by permissions when not root (root
# writes anywhere), and by an injected EACCES in any case.
mkdir locked
cp s.before locked/s.json
for how in inject chmod; do
	if [ $how = chmod ]; then
		[ "$(id -u)" = 0 ] && continue
		chmod 555 locked
		faulty -- -e 'load s small.csv' -e 'save-session locked/s.json' -e 'export s locked/out.csv'
		chmod 755 locked
	else
		faulty FAULTINJECT_PATH=locked/ FAULTINJECT_OPEN=EACCES -- \
			-e 'load s small.csv' -e 'save-session locked/s.json' -e 'export s locked/out.csv'
	fi
	expect "unwritable directory ($how)" 1 "crossmkt: save-session: locked/s.json: cannot write here: Permission denied
crossmkt: export: locked/out.csv: cannot write here: Permission denied"
	same "unwritable directory ($how)" locked/s.json s.before
	[ ! -e locked/out.csv ] && ok || bad "unwritable directory ($how): locked/out.csv exists"
done
faulty FAULTINJECT_PATH=small.csv FAULTINJECT_OPEN=EACCES -- -e 'load s small.csv'
expect "unreadable file" 1 "crossmkt: small.csv: cannot open: Permission denied"

# A file truncated at a row boundary while it loads, as if rewritten
# meanwhile: refused, not loaded short.
cut=$(head -n 100001 big.csv | wc -c)
size=$(wc -c < big.csv)
cp big.csv big.before
faulty FAULTINJECT_PATH=big.csv FAULTINJECT_SHRINK_AT=1048576 FAULTINJECT_SHRINK_TO=$cut -- \
	-e 'load big big.csv threads=1' -e datasets
expect "a file shrinking while it loads" 1 "crossmkt: big.csv: the file shrank while it was read (from $size to $cut bytes); load it again once it is written"
grep -qxF '{"command":"datasets","ok":true,"result":{"datasets":[]}}' out && ok ||
	bad "a file shrinking while it loads: a dataset was registered: $(cat out)"
[ "$(wc -c < big.csv)" = "$cut" ] && ok || bad "a file shrinking while it loads: big.csv was not cut"
mv big.before big.csv

echo "$pass passed, $fail failed"
[ $fail = 0 ]
