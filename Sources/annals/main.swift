import AnnalsCLI

Annals.main()
