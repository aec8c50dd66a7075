# Export round trip, columns and where=, JSON, and refusal to overwrite input.
load users users.csv
export users out.csv where="spend > 10" columns=user_id,city,spend
load back out.csv
head back
export users out.json format=json columns=user_id,spend
export users users.csv
