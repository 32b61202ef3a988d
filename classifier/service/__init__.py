"""The HTTP service (`policy-classify serve`): options, the Starlette app and its API description."""
