print("odata-bench")
