load h dates-range.csv
head h
filter h where="ok + 3000000 > d'2024-01-01'" as=f
head f
