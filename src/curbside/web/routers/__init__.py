"""HTTP routers: the JSON API and the server-rendered pages."""
