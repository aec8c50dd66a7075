# Without --keep-going, batch stops at the first failure.
load users users.csv
describe nobody
describe users
