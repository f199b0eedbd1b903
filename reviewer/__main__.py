from reviewer.cli.launch import main

main()
