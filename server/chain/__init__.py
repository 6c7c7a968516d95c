"""The chain: dossiers to clients' and contractors' systems as VERA messages, status back."""
