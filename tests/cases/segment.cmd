# k-means on seven points with a known optimum (seg_points.csv). By hand, k=2
# on x,y with standardize=none: {p1..p4} around (2, 2) and {p5, p6, p7} around
# (11, 11), squared distances 2+2+2+2 and 2+2+4, so inertia 16, sizes 4 and 3
# (shares 4/7, 3/7). R, cluster::silhouette(c(1,1,1,1,2,2,2), dist(X)):
# silhouette 0.8050146897341095; on scale(X): inertia 0.65159172733364379,
# silhouette 0.8052327140780029. describe_by=city: 上海 3 of 4, 北京 2 of 3.
load pts seg_points.csv
segment pts features=x,y k=2 standardize=none describe_by=city
segment pts features=x,y k=2 name=z2
head pts n=7
filter pts where="cluster == '2'" as=second
head second
# The same command on a second copy of the data gives the same result.
load again seg_points.csv
segment again features=x,y k=2 standardize=none describe_by=city
# k=auto tries k = 2 .. 6 (one less than the rows) and keeps the best.
segment pts features=x,y name=best
# impute=mean: spend 51.2 and orders 4.4 (the means of the values present)
# stand in for the missing cells, so that the clusters' mean spend and orders
# are (10+12+51.2+14)/4 = 21.8, (1+4.4+2+2)/4 = 2.35 and 90.4, 7.1333.
segment pts features=spend,orders impute=mean k=2 name=imputed
# log1p, random starts, another seed.
segment pts features=x,spend log=spend impute=mean k=3 init=random n_init=5 seed=7 name=logged
# k equal to the rows: inertia 0, and no silhouette.
segment pts features=x,y k=7 name=each
# A masked column shows as *** in labels too.
mask pts columns=city
segment pts features=x,y k=2 describe_by=city name=masked
describe pts
