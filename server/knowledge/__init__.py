"""The knowledge base (kennisbank): articles per client and shared, their versions, search by
tenants' words, the link to protocol outcomes and the contacts solved with an article."""
