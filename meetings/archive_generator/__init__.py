"""A large, realistic archive of readouts for trying the portal at scale
(`manage.py generate_archive`): `readouts` makes them up, `writing` writes them in bulk."""
