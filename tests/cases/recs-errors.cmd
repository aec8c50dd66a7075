# Bad input to recommend and evaluate-recs: each error names what to fix.
load ev recs_events.csv
load it recs_items.csv
load ru recs_users.csv
load users users.csv
filter ev where="user_id == 'nobody'" as=none
filter ev where="user_id == 'd'" as=one
recommend nope for=a
recommend ev
recommend ev for=a segment=learner
recommend ev for=zz
recommend ev for=a user=who
recommend ev for=a method=svd
recommend ev for=a n=0
recommend ev for=a n=ten
evaluate-recs ev k=0
evaluate-recs ev split=1.5
evaluate-recs ev seed=-1
recommend ev for=a domain=dish
recommend ev for=a items=it domain=drink
recommend ev for=a items=nothing
recommend ev for=a method=content
recommend ev for=a weights=view:1
recommend ev for=a weights=view:x
recommend ev for=a weights=view
recommend ev for=a repeats=avg
recommend ev for=a shrink=-1
recommend ev for=a neighbours=0
recommend ev for=a time=item_id
recommend ev for=a event=ts
recommend none for=a
evaluate-recs none
evaluate-recs one split=last
recommend users for=u1
recommend users for=u1 item=city weights=view:1
recommend ev segment=nobody users=ru
recommend ev segment=ghost users=ru
recommend ev segment=learner users=ru by=tier
recommend ev segment=learner users=it
evaluate-recs ev split=0.5 seed=1 k=3 frobnicate=1
recommend ev for=a items=ru
recommend ev for=a method=ease lambda=0
recommend ev for=a method=als factors=0
recommend ev for=a method=als reg=-1
recommend ev for=a method=als alpha=x
recommend ev for=a method=hybrid items=it base=content
recommend ev for=a method=hybrid items=it weight=2
recommend ev for=a method=als iterations=0
recommend ev for=a tune=maybe
evaluate-recs ev items=it domain=course,drink
