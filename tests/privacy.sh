#!/bin/sh
# Privacy: pseudonyms equal HMAC-SHA-256 computed independently (Python's
# hmac module, for the key 00 01 ... 1f), the same across datasets and
# types; the key file's creation, modes and refusal when others can read
# it; mask, forget and min_group are covered by tests/cases/privacy.cmd.
. "$(dirname "$0")/lib.sh"
case $CROSSMKT in /*) ;; *) CROSSMKT=$(pwd)/$CROSSMKT ;; esac


XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state
export XDG_CONFIG_HOME XDG_STATE_HOME
cd "$tmp" || exit 99
cp "$srcdir"/tests/fixtures/ops/users.csv "$srcdir"/tests/fixtures/ops/events.csv .
printf 'id,visits\n17850,1\n' > ints.csv
printf '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n' > fixed.key
chmod 600 fixed.key

# Known pseudonyms; an int id hashes like its text.
"$CROSSMKT" --batch -e 'load users users.csv' -e 'load ev events.csv' -e 'load ints ints.csv' \
	-e 'pseudonymize users keyfile=fixed.key' -e 'pseudonymize ev column=user_id keyfile=fixed.key' \
	-e 'pseudonymize ints column=id keyfile=fixed.key' \
	-e 'export users u.csv columns=user_id' -e 'export ev e.csv columns=user_id' \
	-e 'export ints i.csv columns=id' > out 2> err
[ $? = 0 ] && ok || bad "pseudonymize failed: $(cat err)"
printf 'user_id\nfe91b17313e372ce\n0c44d4585a3581a9\n307eccea0fcd1056\n4ec6e33a0aed3002\n' > want
cmp -s want u.csv && ok || { bad "users pseudonyms"; diff want u.csv; }
printf 'user_id\nfe91b17313e372ce\nfe91b17313e372ce\n0c44d4585a3581a9\n0c44d4585a3581a9\n307eccea0fcd1056\n0447f02c22a7212a\n' > want
cmp -s want e.csv && ok || { bad "events pseudonyms"; diff want e.csv; }
printf 'id\n83f1a268ec012f43\n' > want
cmp -s want i.csv && ok || { bad "int ids"; diff want i.csv; }
grep -q '"result":{"dataset":"users","column":"user_id","rows":4,"distinct":4,"keyfile":"fixed.key","key_created":false}' out &&
	ok || bad "pseudonymize result: $(sed -n 4p out)"

# The default key: created on first use, private, reused after.
"$CROSSMKT" --batch -e 'load users users.csv' -e 'pseudonymize users' -e 'export users a.csv' > out 2> err
[ $? = 0 ] && grep -q '"key_created":true' out && ok || bad "default key: $(cat err)"
key=$tmp/config/crossmkt/pseudonym.key
[ "$(stat -c %a "$key")" = 600 ] && ok || bad "key mode $(stat -c %a "$key")"
[ "$(stat -c %a "$tmp/config/crossmkt")" = 700 ] && ok || bad "config dir mode $(stat -c %a "$tmp/config/crossmkt")"
[ "$(wc -c < "$key")" = 65 ] && grep -qx '[0-9a-f]\{64\}' "$key" && ok || bad "key format"
"$CROSSMKT" --batch -e 'load users users.csv' -e 'pseudonymize users' -e 'export users b.csv' > out 2> err
grep -q '"key_created":false' out && cmp -s a.csv b.csv && ok || bad "the default key is not reused"
cmp -s a.csv u.csv && bad "a random key gave the fixed key's pseudonyms" || ok

# A key others can read is refused; so is a file that is not a key.
chmod 644 fixed.key
"$CROSSMKT" --batch -e 'load users users.csv' -e 'pseudonymize users keyfile=fixed.key' > out 2> err
[ $? = 1 ] && [ "$(cat err)" = "crossmkt: pseudonymize: fixed.key: the pseudonym key must be yours and private (mode 600, now 644): chmod 600 fixed.key" ] &&
	ok || bad "readable key: $(cat err)"
printf 'not a key\n' > junk.key
chmod 600 junk.key
"$CROSSMKT" --batch -e 'load users users.csv' -e 'pseudonymize users keyfile=junk.key' > out 2> err
[ "$(cat err)" = "crossmkt: pseudonymize: junk.key: not a pseudonym key (want 64 hex digits)" ] &&
	ok || bad "junk key: $(cat err)"
"$CROSSMKT" --batch -e 'load users users.csv' -e 'head users n=1' > out 2> err
grep -q '"user_id":"u1"' out && ok || bad "a failed pseudonymize changed the data"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
