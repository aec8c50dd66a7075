# Haversine to the nearest store on a sphere of 6371.0088 km: Shanghai to
# Beijing 1067.3116451587262 km and London to Paris 343.55653488088313 km
# (the engine's reference values); due north of the Beijing store by 0.018,
# 0.036 and 0.063 degrees is R * radians(d) = 2.0015114442, 4.0030228884 and
# 7.0052900547 km, one per band. S-BJ2 stands where S-BJ does: the first
# store wins the tie. A row without a latitude gets missing cells.
load users nn_users.csv
load all nn_stores.csv
filter all where="lat is not missing" as=stores
nearest users stores=stores
head users
# name= picks the prefix, id= the store column.
nearest users stores=stores id=name name=shop
head users n=2
aggregate users by=nearest_band n=count() as=bands
head bands
filter users where="nearest_band == '<1 km' or nearest_km < 3" as=close
head close
