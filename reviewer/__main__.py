from reviewer.launch import main

main()
