# Without items=, titles come from the events' own title column (Online
# Retail's Description, its first 399 lines): the items and the reasons
# read as product names.
load sales retail_lines.csv user=CustomerID item=StockCode time=InvoiceDate
recommend sales for=17850 n=2
