# Types, missing values, roles, and describe's statistics.
load users users.csv
load ev events.csv
describe users
describe ev
datasets
help describe
