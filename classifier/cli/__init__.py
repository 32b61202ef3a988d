"""The `policy-classify` command line: its subcommands, the rules subcommands and the progress bar."""
