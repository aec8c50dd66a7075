# An unknown command names the closest one when it is near.
desribe users
help lod
LOAD users users.csv
frobnicate users
