#!/usr/bin/env python
from liaison.cli import main

if __name__ == "__main__":
    main()
