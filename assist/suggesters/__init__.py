"""The suggesters: importing this package registers each one (see `assist.registry`)."""
