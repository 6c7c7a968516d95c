"""The contractor portal: a contractor without an ERP works its orders here (docs/chain.md)."""
