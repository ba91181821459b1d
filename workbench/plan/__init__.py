"""Account plans: the pydantic model, the positioned YAML/JSON loader, schema export."""
