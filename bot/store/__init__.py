"""The only package that touches SQLite: schema, articles, the clustering index, stories and cached views, chats, feeds and search."""
