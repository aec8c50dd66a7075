#!/bin/sh
# campaign save / campaign open through the shared directory: revisions,
# a refused save based on an old revision, and a shared file that tries to
# run another command.
. "$(dirname "$0")/lib.sh"
cd "$tmp" || exit 1
mkdir team
cp "$srcdir/tests/fixtures/ops/campaign_events.csv" .
check() {
	if grep -qF -- "$2" out; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: no '$2' in: $(cat out err)"
		fail=$((fail + 1))
	fi
}
run() {
	"$CROSSMKT" --batch --keep-going --shared-dir team -e 'load ev campaign_events.csv' "$@" \
	    > out 2> err
}

run -e 'campaign combo dataset=ev metric=revenue' -e 'campaign save combo' \
	-e 'campaign combo dataset=ev metric=conversion' -e 'campaign save combo'
check "first save" '"result":{"campaign":"combo","dir":"team","file":"campaign.combo","revision":1}'
check "second save" '"file":"campaign.combo","revision":2}'
run -e 'campaign open combo' -e 'test combo' -e 'campaign save combo'
check "open" '"command":"campaign combo dataset=ev metric=conversion","arms":[{"arm":"control","users":5}'
check "open revision" '"contaminated":1,"revision":2,"author":"'
check "test after open" '"verdict":"coupon: no significant difference from control (p = 0.2); discount: no significant difference from control (p = 0.86)"'
check "save after open" '"file":"campaign.combo","revision":3}'
run -e 'campaign open combo' -e 'campaign combo dataset=ev metric=ctr' -e 'campaign save combo base=2'
check "stale save refused" '"ok":false,"error":"campaign: campaign.combo was changed by '
check "stale save message" '(revision 3; yours is based on revision 2): open it again and redo your change'
run -e 'campaign open nope'
check "missing file" '"error":"campaign: team/campaign.nope.json: no such shared file"'
cat > team/campaign.evil.json <<'JSON'
{"format": "crossmkt-shared", "version": 1, "name": "campaign.evil", "revision": 1,
 "author": "x", "saved": "2025-01-01T00:00:00Z",
 "data": {"kind": "campaign", "command": "load evil /etc/passwd"}}
JSON
run -e 'campaign open evil'
check "foreign command refused" '"error":"campaign: shared file '"'"'campaign.evil'"'"' holds no definition of campaign '"'"'evil'"'"'"'
XDG_CONFIG_HOME=$tmp/none "$CROSSMKT" --batch -e 'load ev campaign_events.csv' \
	-e 'campaign combo dataset=ev' -e 'campaign save combo' > out 2> err
check "no shared directory" '"error":"campaign: no shared directory: start crossmkt with --shared-dir DIR'
echo "$pass passed, $fail failed"
[ $fail = 0 ]
