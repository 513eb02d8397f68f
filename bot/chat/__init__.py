"""The framework-free command layer shared by Telegram and the console: commands, pages, replies, rendering and cached story views."""
