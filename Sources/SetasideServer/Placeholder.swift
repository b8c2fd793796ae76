// The HTTP API.
