# Bad input to segment, rfm and nearest: each error says what to fix.
load pts seg_points.csv
segment pts k=2
segment pts features=x,nope k=2
segment pts features=x,note k=2
segment pts features=x,city k=2
segment pts features=x,signup k=2
segment pts features=x,spend k=2
segment pts features=x,y k=8
segment pts features=x,y k=1
segment pts features=x,y k=two
segment pts features=x,x k=2
segment pts features=x,y log=z k=2
segment pts features=x,y standardize=minmax
segment pts features=x,y init=best
segment pts features=x,y impute=median
segment pts features=x,y n_init=0
segment pts features=x,y seed=-1
segment pts features=x,y describe_by=x
segment pts features=x,y describe_by=nope
segment pts features=x, k=2
segment pts features=x,y k=2 colour=red
segment pts features=x,y k=2 name=
derive pts neg="x - 5"
segment pts features=x,neg log=neg k=2
filter pts where="x > 100" as=none
segment none features=x,y k=2
filter pts where="x < 2" as=two
segment two features=x,y
segment pts features=x,y k=2
segment pts features=x,y k=2
segment pts features=x,y k=3 replace=yes
head pts n=7
segment pts features=x,y k=2 replace=yes describe_by=cluster
segment pts features=x,y k=2 replace=maybe
load dups seg_dups.csv
segment dups features=x,y k=3
segment nobody features=x k=2
load ev rfm_events.csv
rfm ev
rfm ev time=amount
rfm ev time=day amount=user_id
rfm ev time=day asof=yesterday
rfm ev time=day asof=2020-01-01
rfm ev time=day user=nope
rfm ev time=day as=
load users nn_users.csv
load stores nn_stores.csv
nearest users
nearest users stores=nobody
nearest users stores=stores
nearest users stores=stores store_lat=lat_text
nearest users stores=stores lat=city
filter stores where="lat is not missing" as=ok
nearest users stores=ok id=nope
nearest users stores=pts
derive users bad="lat * 3"
nearest users stores=ok lat=bad
nearest users stores=ok name=
nearest users stores=ok
nearest users stores=ok
