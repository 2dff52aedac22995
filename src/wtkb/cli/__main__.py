from wtkb.cli import main

main()
