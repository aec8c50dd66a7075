# On one row per user an event metric fails and names the metric that works.
load pu campaign_per_user.csv
campaign c dataset=pu arm=variant control=A
campaign c dataset=pu arm=variant control=A metric=revenue
campaign c dataset=pu arm=variant control=A metric=column:converted
