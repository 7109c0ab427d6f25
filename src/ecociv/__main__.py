from ecociv.cli import main

main()
