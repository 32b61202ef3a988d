"""Using the engine from data tools: Dask bags and dataframes, pandas and Spark."""
